"""Small display filters for the inbox templates. Pure formatting, no queries."""

from __future__ import annotations

from datetime import datetime

from django import template

register = template.Library()


def format_wait(seconds: float) -> str:
    """A waiting time as an agent reads it: "4 min", "2 h 14 min", "3 d 5 h"."""
    minutes = max(int(seconds // 60), 0)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


@register.filter
def waiting_for(since: datetime | None, now: datetime) -> str:
    """`{{ conversation.waiting_since|waiting_for:now }}` → "waiting 2 h 14 min" ("" when nobody waits)."""
    if since is None or now is None:
        return ""
    return "waiting " + format_wait((now - since).total_seconds())


@register.filter
def wait_level(since: datetime | None, now: datetime) -> str:
    """"long" after 4 hours, "medium" after 1 hour, else "short": a CSS hook, never the only signal."""
    if since is None or now is None:
        return "none"
    hours = (now - since).total_seconds() / 3600
    return "long" if hours >= 4 else "medium" if hours >= 1 else "short"


@register.filter
def compact(value) -> str:
    """12 → "12", 12400 → "12.4k", 3_200_000 → "3.2M"."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return ""
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if n >= size:
            text = f"{n / size:.1f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return str(n)


@register.filter
def priority_label(value) -> str:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return ""
    return "Urgent" if n >= 75 else "High" if n >= 50 else "Normal" if n >= 25 else "Low"


@register.filter
def agent_name(user) -> str:
    """The name colleagues know an agent by."""
    if user is None:
        return ""
    profile = getattr(user, "agent_profile", None)  # a missing profile raises AttributeError
    if profile is not None:
        return profile.shown_name
    return user.get_full_name() or user.get_username()


@register.filter
def web_url(value) -> str:
    """A link taken from a payload, kept only when it is plain http(s); never javascript: or data:."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) and not any(c in text for c in "\r\n\t ") else ""


@register.filter
def abs_int(value) -> int:
    """|points| for "+5" / "−5" displays."""
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return 0
