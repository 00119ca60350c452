"""Waiting and response times of a conversation, derived from its posts (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PostMoment:
    inbound: bool
    created_at: datetime
    counts: bool = True  # False for a failed outbound reply: it answered nobody


@dataclass(frozen=True)
class Times:
    last_post_at: datetime | None
    last_inbound_at: datetime | None
    waiting_since: datetime | None
    first_response_at: datetime | None


def summarise(moments: list[PostMoment]) -> Times:
    """The customer waits from their first post after the brand last spoke."""
    ordered = sorted((m for m in moments if m.counts), key=lambda m: m.created_at)
    last_post = ordered[-1].created_at if ordered else None
    inbound = [m.created_at for m in ordered if m.inbound]
    last_inbound = inbound[-1] if inbound else None
    first_inbound = inbound[0] if inbound else None
    first_response = None
    last_outbound = None
    for m in ordered:
        if not m.inbound:
            last_outbound = m.created_at
            if first_response is None and first_inbound is not None and m.created_at >= first_inbound:
                first_response = m.created_at
    if last_outbound is None:
        waiting = first_inbound
    else:
        after = [t for t in inbound if t > last_outbound]
        waiting = after[0] if after else None
    return Times(last_post, last_inbound, waiting, first_response)
