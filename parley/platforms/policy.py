"""Outbox decisions as pure functions of their inputs (time passed in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .base import RateLimited, SendError, TokenInvalid

# Meta lets a business answer a private message only within 24 hours of the person's last message
# (tagged follow-ups outside it are not supported here).
MESSAGING_WINDOW = timedelta(hours=24)
WINDOWED_PLATFORMS = ("facebook", "instagram")


def window_refusal(platform: str, visibility: str, last_inbound_at: datetime | None, now: datetime) -> str:
    """Why a private message may not be sent now ("" when it may)."""
    if visibility != "private" or platform not in WINDOWED_PLATFORMS:
        return ""
    name = "Messenger" if platform == "facebook" else "Instagram"
    if last_inbound_at is None:
        return f"{name} allows a message only in answer to one from the customer; they have not written privately"
    if now - last_inbound_at > MESSAGING_WINDOW:
        hours = int((now - last_inbound_at).total_seconds() // 3600)
        return (
            f"{name}'s 24-hour window is closed: the customer last wrote {hours} hours ago. "
            "Answer publicly or wait until they write again"
        )
    return ""


def backoff(attempt: int, base_seconds: float, cap_seconds: float) -> timedelta:
    """Delay before retry number `attempt` (1 = first retry): base, 2×base, 4×base, ... capped."""
    return timedelta(seconds=min(cap_seconds, base_seconds * (2 ** max(0, attempt - 1))))


@dataclass(frozen=True)
class Next:
    retry_at: datetime | None  # None: give up
    counts: bool = True  # whether this attempt counts towards the limit


def after_failure(
    error: SendError, attempts: int, now: datetime, *, max_attempts: int, base_seconds: float, cap_seconds: float
) -> Next:
    """When to try again after `error` on attempt number `attempts`, or not at all."""
    if isinstance(error, TokenInvalid) or not error.retry:
        return Next(None)
    if isinstance(error, RateLimited):
        # Throttling is the platform's pace, not a fault of this message: it never uses up attempts.
        wait = error.retry_at if error.retry_at and error.retry_at > now else now + backoff(attempts, base_seconds, cap_seconds)
        return Next(wait, counts=False)
    if attempts >= max_attempts:
        return Next(None)
    return Next(now + backoff(attempts, base_seconds, cap_seconds))
