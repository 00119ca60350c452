"""Priority as waiting grows: the facts of many conversations in a few queries, and what changes.

Priority is a pure function of a post, its conversation and `now`
(priority.py). The stored score goes stale as the customer waits; this module
reads, for a batch of conversations, what the function needs (the customer's
latest post with its triage and author, the people piling on) and works out the
new scores. Writing them is the `refresh_priorities` action (actions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import DateTimeField, ExpressionWrapper, F, OuterRef, Q, Subquery

from parley.inbox.models import Conversation, Post
from parley.inbox.queries import ACTIVE

from . import priority as prio
from .models import PostTriage
from .service import post_facts


@dataclass
class Change:
    conversation: Conversation
    triage: PostTriage
    score: int
    breakdown: list[dict]

    @property
    def raises(self) -> bool:
        """The conversation's priority goes up (it never goes down automatically)."""
        return self.score > self.conversation.priority

    @property
    def triage_changed(self) -> bool:
        return self.score != self.triage.priority or self.breakdown != (self.triage.priority_breakdown or [])


# The waiting factor grows one point per 8 minutes up to priority.MAX["waiting"] points;
# past this horizon it no longer changes. (No other factor rises with time: velocity
# only falls, and SLA times are not part of the facts yet; an SLA sweep would add them.)
WAITING_HORIZON = timedelta(minutes=8 * prio.MAX["waiting"] + 8)


def candidates(now: datetime, brand=None):
    """Active conversations whose customer waits and whose priority may still rise at `now`.

    Those waiting less than the horizon, plus those past it that nothing touched
    since they crossed it (their stored score predates the cap; after one more
    refresh their `updated_at` moves past it and they drop out).
    """
    qs = Conversation.objects.filter(ACTIVE, waiting_since__isnull=False, priority__lt=100).filter(
        Q(waiting_since__gt=now - WAITING_HORIZON)
        | Q(updated_at__lt=ExpressionWrapper(F("waiting_since") + WAITING_HORIZON, output_field=DateTimeField()))
    )
    return qs.filter(brand=brand) if brand is not None else qs


def waiting_batches(now: datetime, batch_size: int = 500, brand=None):
    """Ids of `candidates(now)`, in batches, by id."""
    qs = candidates(now, brand)
    last = 0
    while True:
        ids = list(qs.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def changes_for(conversation_ids, now: datetime) -> list[Change]:
    """The new priority of each conversation's latest triaged customer post, at `now`.

    Four queries per batch whatever its size. Conversations whose customer's
    latest post has no stored triage yet are skipped (triage computes it first).
    """
    ids = list(conversation_ids)
    latest = Post.objects.filter(conversation=OuterRef("pk"), direction=Post.Direction.INBOUND).order_by(
        "-created_at", "-id"
    )
    conversations = {
        c.pk: c
        for c in Conversation.objects.filter(pk__in=ids).select_related("brand")
        .annotate(latest_in=Subquery(latest.values("pk")[:1]))
    }
    post_ids = [c.latest_in for c in conversations.values() if c.latest_in]
    posts = {
        p.pk: p
        for p in Post.objects.filter(pk__in=post_ids, triage__isnull=False).select_related("triage", "author__customer")
    }
    authors: dict[int, set[int]] = {}
    rows = (
        Post.objects.filter(conversation_id__in=ids, direction=Post.Direction.INBOUND, author__isnull=False)
        .values_list("conversation_id", "author_id")
        .distinct()
    )
    for conversation_id, author_id in rows:
        authors.setdefault(conversation_id, set()).add(author_id)
    out = []
    for conversation in conversations.values():
        post = posts.get(conversation.latest_in)
        if post is None:
            continue
        others = len(authors.get(conversation.pk, set()) - {post.author_id})
        facts = prio.ConversationFacts(waiting_since=conversation.waiting_since, other_authors=others)
        score, factors = prio.priority(post_facts(post, post.triage), facts, now)
        out.append(Change(conversation, post.triage, score, [f.as_dict() for f in factors]))
    return out
