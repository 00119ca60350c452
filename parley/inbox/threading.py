"""Threading policy: which conversation an arriving post belongs to.

Pure: the caller looks up the candidate conversations and passes them in; this
module decides. The same policy serves live ingestion and bulk import.

Order of evidence, strongest first:
1. the reply chain (the conversation holding the post's parent);
2. the platform's own conversation id (X conversation_id, a DM thread id);
3. for inbound posts, the author's latest conversation on the same channel
   account, public or private ("by participant");
4. otherwise a new conversation.

A conversation that is still active is joined. A resolved one is reopened when
the new inbound post arrives within the reopen window after resolution, and is
passed over (so a new conversation starts) after it. Closed and merged
conversations are never reopened. Outbound posts (the brand's own replies)
join the conversation of their parent or platform thread whatever its status
and never reopen it.

Posts can arrive out of order. When a post arrives whose replies were stored
first ("orphans": they named this post as parent), the conversations holding
those replies are merged into the one this post joins; if this post has no
stronger evidence it joins the earliest orphan conversation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

ACTIVE = frozenset({"new", "open", "pending_customer", "pending_internal"})

JOIN = "join"
REOPEN = "reopen"
NEW = "new"


@dataclass(frozen=True)
class ConversationRef:
    """What the policy needs to know about a candidate conversation."""

    id: int
    status: str
    resolved_at: datetime | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class Arrival:
    """The arriving post, reduced to what threading depends on."""

    inbound: bool
    created_at: datetime


@dataclass(frozen=True)
class Candidates:
    parent: ConversationRef | None = None
    platform_thread: ConversationRef | None = None
    author_latest: ConversationRef | None = None
    orphans: tuple[ConversationRef, ...] = ()


@dataclass(frozen=True)
class Decision:
    action: str  # JOIN, REOPEN or NEW
    conversation_id: int | None
    merge_ids: tuple[int, ...] = field(default_factory=tuple)
    reason: str = ""


def _usable(conv: ConversationRef, arrival: Arrival, reopen_window: timedelta) -> str | None:
    """JOIN, REOPEN, or None when the conversation must not take this post."""
    if conv.status in ACTIVE:
        return JOIN
    if not arrival.inbound:
        # The brand's own reply belongs where it was written, whatever the status.
        return JOIN if conv.status != "merged" else None
    if conv.status == "resolved":
        if conv.resolved_at is None or arrival.created_at - conv.resolved_at <= reopen_window:
            return REOPEN
    return None


def decide(arrival: Arrival, candidates: Candidates, reopen_window: timedelta) -> Decision:
    """Choose the conversation for an arriving post."""
    evidence = [("reply chain", candidates.parent), ("platform thread", candidates.platform_thread)]
    if arrival.inbound:
        evidence.append(("same author on this channel", candidates.author_latest))

    orphans = tuple(
        sorted({o.id: o for o in candidates.orphans}.values(), key=lambda o: (o.created_at or datetime.min, o.id))
    )

    for reason, conv in evidence:
        if conv is None:
            continue
        action = _usable(conv, arrival, reopen_window)
        if action is not None:
            merge = tuple(o.id for o in orphans if o.id != conv.id)
            return Decision(action, conv.id, merge, reason)

    if orphans:
        # The post is older than the replies already stored: it is context for
        # their conversation and changes nothing about its status.
        first = orphans[0]
        return Decision(JOIN, first.id, tuple(o.id for o in orphans[1:]), "replies arrived first")

    return Decision(NEW, None, (), "no earlier conversation")
