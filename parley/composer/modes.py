"""The ways an agent can answer in a conversation, by channel and visibility (pure).

A reply form offers one radio per mode; each mode maps to the visibility the reply is stored
with (the platform connector then sends a public reply, a direct message or an e-mail). On
Facebook and Instagram, when the customer's latest post is a comment, a "private reply to this
comment" mode is offered too: one private message addressed by the comment (Meta's private
replies), shown disabled with the reason once used or after 7 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from parley.platforms.policy import PRIVATE_REPLY_WINDOW, window_refusal

# Platforms where the brand cannot write to the customer privately (YouTube has no messages).
PUBLIC_ONLY = ("youtube",)
PRIVATE_NAMES = {"x": "Direct message", "facebook": "Messenger message", "instagram": "Direct message"}
PRIVATE_REPLY = "comment_dm"  # parley.composer.private_reply.MODE
INBOXES = {"facebook": "their Messenger inbox", "instagram": "their Instagram inbox (or message requests)"}


@dataclass(frozen=True)
class CommentFacts:
    """The customer's latest post, when it is a comment a private reply could answer."""

    created_at: datetime
    refusal: str = ""  # why a private reply may not go out ("" when it may)


@dataclass(frozen=True)
class Mode:
    value: str  # the visibility sent with the form: public or private
    label: str
    hint: str  # who reads it, or why it may fail on delivery
    checked: bool = False
    disabled: bool = False


def modes(platform: str, default_visibility: str, last_private_at: datetime | None, now: datetime,
          comment: CommentFacts | None = None) -> list[Mode]:
    """The reply modes for a conversation on `platform`, the customer's own visibility checked.

    With `comment` (Facebook and Instagram), the private reply to it is offered, disabled with the
    reason when it may not be sent."""
    if platform == "email":
        return [Mode("private", "Email", "to the customer's address, in the same e-mail thread", True)]
    found = [Mode("public", "Public reply", "anyone on the channel can read it")]
    if platform not in PUBLIC_ONLY:
        warning = window_refusal(platform, "private", last_private_at, now)
        found.append(Mode("private", PRIVATE_NAMES.get(platform, "Private message"),
                          warning or "only the customer reads it"))
    if comment is not None and platform in INBOXES:
        found.append(_private_reply_mode(platform, comment, now))
    usable = [m for m in found if not m.disabled]
    chosen = default_visibility if any(m.value == default_visibility for m in usable) else found[0].value
    return [Mode(m.value, m.label, m.hint, m.value == chosen, m.disabled) for m in found]


def _private_reply_mode(platform: str, comment: CommentFacts, now: datetime) -> Mode:
    label = "Private reply to this comment"
    if comment.refusal:
        return Mode(PRIVATE_REPLY, label, comment.refusal, disabled=True)
    left = comment.created_at + PRIVATE_REPLY_WINDOW - now
    hours = max(0, int(left.total_seconds() // 3600))
    remaining = f"{hours // 24} days {hours % 24} hours left" if hours >= 24 else f"{hours} hours left"
    return Mode(PRIVATE_REPLY, label,
                f"only the commenter reads it, in {INBOXES[platform]}; one per comment, within 7 days of it "
                f"({remaining}); they can answer and the chat goes on privately")
