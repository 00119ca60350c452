"""The ways an agent can answer in a conversation, by channel and visibility (pure).

A reply form offers one radio per mode; each mode maps to the visibility the reply is stored
with (the platform connector then sends a public reply, a direct message or an e-mail).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from parley.platforms.policy import window_refusal

# Platforms where the brand cannot write to the customer privately (YouTube has no messages).
PUBLIC_ONLY = ("youtube",)
PRIVATE_NAMES = {"x": "Direct message", "facebook": "Messenger message", "instagram": "Direct message"}


@dataclass(frozen=True)
class Mode:
    value: str  # the visibility sent with the form: public or private
    label: str
    hint: str  # who reads it, or why it may fail on delivery
    checked: bool = False


def modes(platform: str, default_visibility: str, last_private_at: datetime | None, now: datetime) -> list[Mode]:
    """The reply modes for a conversation on `platform`, the customer's own visibility checked."""
    if platform == "email":
        return [Mode("private", "Email", "to the customer's address, in the same e-mail thread", True)]
    found = [Mode("public", "Public reply", "anyone on the channel can read it")]
    if platform not in PUBLIC_ONLY:
        warning = window_refusal(platform, "private", last_private_at, now)
        found.append(Mode("private", PRIVATE_NAMES.get(platform, "Private message"),
                          warning or "only the customer reads it"))
    chosen = default_visibility if any(m.value == default_visibility for m in found) else found[0].value
    return [Mode(m.value, m.label, m.hint, m.value == chosen) for m in found]
