"""Public-to-private handoff (pure): does a public reply invite the customer to a private channel?

"Publicly acknowledge, privately address": when an agent asks the customer to continue in a DM,
by email, on the phone or in chat, the conversation waits for them there. If they do not arrive,
the agent must come back to the public thread (docs/workflow.md, "Handoffs").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CHANNELS = [
    ("dm", r"\b(?:dm|d\.m\.|direct\s+message|private\s+message|pm)\b\s*(?:us|me)\b|"
           r"\b(?:send|shoot|drop|fire\s+over|pop)\s+(?:us|me)\s+(?:a\s+|an?\s+)?(?:quick\s+)?(?:dm|direct\s+message|"
           r"private\s+message|pm|message)\b|\b(?:in|via|by|over|through)\s+(?:a\s+)?(?:dm|direct\s+message|"
           r"private\s+message|pms?|dms)\b|\bmessage\s+us\b|\b(?:meet|join|follow)\s+us\s+(?:in|over\s+in)\s+dms?\b|"
           r"\bfollow\s+us\s+so\s+(?:that\s+)?we\s+can\s+dm\b|\bcheck\s+your\s+dms\b|\bsent\s+you\s+a\s+dm\b"),
    ("email", r"\b(?:e-?mail|write\s+to)\s+us\b|\bsend\s+us\s+an\s+e-?mail\b|\b(?:via|by|over)\s+e-?mail\b"),
    ("phone", r"\b(?:call|ring|phone)\s+us\b|\bgive\s+us\s+a\s+(?:call|ring)\b|\b(?:via|by|over)\s+(?:the\s+)?phone\b|"
              r"\brequest\s+a\s+call\s*back\b"),
    ("chat", r"\b(?:live\s+chat|chat\s+with\s+us|reach\s+(?:out\s+to\s+)?us\s+(?:via|by|on|through)\s+chat|"
             r"(?:via|by|on|through)\s+chat)\b"),
]
_PATTERN = re.compile("|".join(f"(?P<{name}>{body})" for name, body in _CHANNELS), re.IGNORECASE)
_NOT_AN_INVITE = re.compile(r"\b(?:don't|do\s+not|no\s+need\s+to|never)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)


@dataclass(frozen=True)
class Invitation:
    channel: str  # dm, email, phone, chat
    start: int
    end: int


def invites_private(text: str) -> Invitation | None:
    """The first invitation to a private channel in a reply, or None."""
    text = (text or "")[:10_000]
    for m in _PATTERN.finditer(text):
        if _NOT_AN_INVITE.search(text[max(0, m.start() - 40):m.start()]):
            continue
        return Invitation(m.lastgroup, m.start(), m.end())
    return None
