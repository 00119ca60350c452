"""Presence: who else has this conversation open, and who is writing in it (pure).

The conversation page sends a heartbeat (composer.views.presence) every
PARLEY_PRESENCE_HEARTBEAT_SECONDS while it is open, and at once when the agent starts or stops
typing; each heartbeat stores the agent's row (actions.note_presence) and answers with the others.
A row older than the TTL is someone who left (closed the tab, lost the network) and is not shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

VIEWING, TYPING, LEFT = "viewing", "typing", "left"
STATES = (VIEWING, TYPING, LEFT)


@dataclass(frozen=True)
class Beat:
    user_id: int
    name: str
    seen_at: datetime
    typing_at: datetime | None


@dataclass(frozen=True)
class Other:
    user_id: int
    name: str
    state: str  # viewing or typing

    @property
    def sentence(self) -> str:
        return f"{self.name} is {self.state}"

    def as_dict(self) -> dict:
        return {"user_id": self.user_id, "name": self.name, "state": self.state, "text": self.sentence}


def others(beats: list[Beat], me: int, now: datetime, ttl: timedelta, typing_ttl: timedelta) -> list[Other]:
    """The other agents present at `now`, typists first, then by name."""
    shown = []
    for beat in beats:
        if beat.user_id == me or now - beat.seen_at > ttl:
            continue
        typing = beat.typing_at is not None and now - beat.typing_at <= typing_ttl
        shown.append(Other(beat.user_id, beat.name, TYPING if typing else VIEWING))
    return sorted(shown, key=lambda o: (o.state != TYPING, o.name.lower(), o.user_id))
