"""Outbox decisions as pure functions of their inputs (time passed in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .base import RateLimited, SendError, TokenInvalid

# Meta lets a business answer a private message only within 24 hours of the person's last message;
# with the HUMAN_AGENT tag (a permission Meta grants), a person may answer for 7 days.
MESSAGING_WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
HUMAN_AGENT_TAG = "HUMAN_AGENT"
WINDOWED_PLATFORMS = ("facebook", "instagram")


@dataclass(frozen=True)
class Messaging:
    """How a private message may go out: `refusal` non-empty when it may not; `tag` when it needs one."""

    refusal: str = ""
    tag: str = ""


def messaging(platform: str, visibility: str, last_inbound_at: datetime | None, now: datetime,
              human_agent: bool = False) -> Messaging:
    """Whether (and how) a private message may be sent now: within 24 hours as a plain response; within
    7 days tagged HUMAN_AGENT when the channel may use the tag; never after that."""
    if visibility != "private" or platform not in WINDOWED_PLATFORMS:
        return Messaging()
    name = "Messenger" if platform == "facebook" else "Instagram"
    if last_inbound_at is None:
        return Messaging(f"{name} allows a message only in answer to one from the customer; they have not written privately")
    waited = now - last_inbound_at
    if waited <= MESSAGING_WINDOW:
        return Messaging()
    hours = int(waited.total_seconds() // 3600)
    if not human_agent:
        return Messaging(
            f"{name}'s 24-hour window is closed: the customer last wrote {hours} hours ago. "
            "Answer publicly or wait until they write again"
        )
    if waited <= HUMAN_AGENT_WINDOW:
        return Messaging(tag=HUMAN_AGENT_TAG)
    return Messaging(
        f"{name}'s 7-day human agent window is closed: the customer last wrote {waited.days} days ago "
        f"({hours} hours). Answer publicly or wait until they write again"
    )


def window_refusal(platform: str, visibility: str, last_inbound_at: datetime | None, now: datetime,
                   human_agent: bool = False) -> str:
    """Why a private message may not be sent now ("" when it may)."""
    return messaging(platform, visibility, last_inbound_at, now, human_agent).refusal


# A Page or Instagram professional account may answer a person's comment with ONE private message,
# addressed by the comment's id, within 7 days of the comment (Meta's "private replies").
PRIVATE_REPLY_WINDOW = timedelta(days=7)
# What may be answered so, by platform: a comment; on Facebook also a visitor's post on the Page.
REPLYABLE_KINDS = {"facebook": ("comment", "post"), "instagram": ("comment",)}


def private_reply(platform: str, kind: str, direction: str, comment_at: datetime | None, already_sent: bool,
                  now: datetime) -> str:
    """Why a private reply to this post may not be sent now ("" when it may).

    `kind` and `direction` are the post's (a customer's comment is kind "comment", inbound);
    `already_sent` whether a private reply to it was written already (sent, pending or failed)."""
    if platform not in WINDOWED_PLATFORMS:
        return "Private replies to comments exist on Facebook and Instagram only"
    if direction != "in" or kind not in REPLYABLE_KINDS[platform]:
        return "A private reply answers a customer's comment; the customer's latest post is not one"
    if already_sent:
        return "A private reply to this comment was already sent: the platform allows one per comment"
    if comment_at is None:
        return "The comment's time is unknown, so the 7-day limit cannot be checked"
    age = now - comment_at
    if age > PRIVATE_REPLY_WINDOW:
        return (f"The comment is {age.days} days old: a private reply is allowed only within 7 days of it. "
                "Answer publicly instead")
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
