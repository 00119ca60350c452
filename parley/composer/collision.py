"""Collision detection for replies: a second reply cannot be sent unawares.

The reply form carries the id of the newest post the agent had on screen (`seen_post_id`). When a
reply is sent, every post of the conversation with a larger id arrived since: another agent's
reply, or a new message from the customer. `judge` decides, as a pure function of those facts:

- nothing arrived: send;
- something arrived the agent has not reviewed: refuse, saying what arrived;
- the agent reviewed it ("send anyway", `reviewed_through` = the newest id shown in the warning):
  send, and the caller audits the override. Anything newer than what was reviewed is refused again.

A form without `seen_post_id` (older API clients) is not checked: the field is optional.
Post ids grow with each insert; the send path locks the conversation row while it checks and
stores (composer.actions), so two agents sending at once are serialised and the second one sees
the first one's reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Arrived:
    """One post that arrived after the agent's `seen_post_id` (plain facts for the message)."""

    id: int
    direction: str  # "in" (the customer) or "out" (the brand)
    visibility: str
    who: str  # the customer's name or the agent's
    text: str
    created_at: datetime

    def as_dict(self) -> dict:
        return {"id": self.id, "direction": self.direction, "visibility": self.visibility, "who": self.who,
                "text": self.text, "created_at": self.created_at.isoformat()}

    @property
    def label(self) -> str:
        what = "the customer" if self.direction == "in" else "a colleague"
        return f"{self.who or what} ({'message' if self.direction == 'in' else 'reply'}, {self.visibility})"


@dataclass(frozen=True)
class Verdict:
    arrived: tuple[Arrived, ...]  # everything after seen_post_id, oldest first
    unreviewed: tuple[Arrived, ...]  # the part the agent has not reviewed: refuse when non-empty

    @property
    def refused(self) -> bool:
        return bool(self.unreviewed)

    @property
    def overridden(self) -> bool:
        """Sent although something arrived: the agent reviewed it and chose to send anyway."""
        return bool(self.arrived) and not self.unreviewed


def judge(seen_post_id: int | None, reviewed_through: int | None, arrived: list[Arrived]) -> Verdict:
    """The verdict for a reply whose form saw posts up to `seen_post_id`.

    `arrived` holds the conversation's posts with an id above `seen_post_id` (any order);
    `reviewed_through` is the newest id the agent reviewed in a collision warning, or None.
    """
    if seen_post_id is None:
        return Verdict((), ())
    after = tuple(sorted((a for a in arrived if a.id > seen_post_id), key=lambda a: a.id))
    through = max(seen_post_id, reviewed_through or 0)
    return Verdict(after, tuple(a for a in after if a.id > through))


def message(verdict: Verdict) -> str:
    """The refusal shown to the agent, naming what arrived."""
    items = verdict.unreviewed
    first = items[0]
    more = f" and {len(items) - 1} more" if len(items) > 1 else ""
    return (f"Not sent: while you were writing, {first.label} arrived{more}. "
            "Read it, then send anyway if your reply still fits.")
