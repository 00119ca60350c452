"""Off-hours acknowledgement policy (pure): when to tell a customer when a person will answer.

One honest acknowledgement per conversation, only for an inbound post that arrives while
the team is closed, never repeated into the same thread.
"""

from __future__ import annotations

from datetime import datetime

from .calendar import Calendar

DEFAULT_TEXT = "Thanks for reaching out. Our team is away right now; a person will reply from {next_open}."


def should_acknowledge(*, enabled: bool, inbound: bool, arrived_at: datetime, calendar: Calendar | None,
                       already_acknowledged: bool, brand_replied_since: bool = False) -> bool:
    if not enabled or not inbound or already_acknowledged or brand_replied_since or calendar is None:
        return False
    return not calendar.is_open(arrived_at)


def message(template: str | None, calendar: Calendar, arrived_at: datetime) -> str:
    """The acknowledgement text with {next_open} as the local day and time the team opens."""
    opens = calendar.next_open(arrived_at)
    when = "our next opening hours"
    if opens is not None:
        local = opens.astimezone(calendar.tz)
        day = "today" if local.date() == arrived_at.astimezone(calendar.tz).date() else local.strftime("%A")
        when = f"{day} {local:%H:%M} ({local.tzname()})"
    try:
        return (template or DEFAULT_TEXT).format(next_open=when)
    except (KeyError, IndexError, ValueError):
        return DEFAULT_TEXT.format(next_open=when)
