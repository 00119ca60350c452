"""Writes to triage: an agent corrects one field (kept as training data); priorities follow the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from parley.inbox.actions import ActionError
from parley.inbox.audit import record
from parley.inbox.models import Conversation, Post
from parley.inbox.signals import conversations_changed

from .labels import EMOTIONS, INTENTS, OUTCOMES, SENTIMENTS
from .models import PostTriage, TriageCorrection

CORRECTABLE = {
    "intent": INTENTS,
    "sentiment": SENTIMENTS,
    "emotion": EMOTIONS,
    "desired_outcome": OUTCOMES,
    "severity": (0, 1, 2, 3, 4),
    "complaint": (True, False),
    "offensive": (True, False),
    "hate": (True, False),
    "troll": (True, False),
}
# Probability fields are stored as 1.0 / 0.0 once a person has said yes or no.
_PROBABILITIES = ("complaint", "offensive", "hate", "troll")
# Fields the priority reads: correcting one recomputes the post's priority.
_PRIORITY_FIELDS = ("intent", "severity", "troll")
# The actor named in the audit log for priority changes the clock makes.
CLOCK = "priority-clock"


def correct_triage(post, field: str, value, user, now: datetime | None = None) -> TriageCorrection:
    """Set one triage field of `post` to what an agent says it is, and keep the correction.

    When the field feeds the priority (intent, severity, troll), the post's
    priority is recomputed; its conversation follows when its priority came from
    triage (it equals the post's old score) or when the new score is higher.
    """
    if field not in CORRECTABLE:
        raise ActionError(f"{field!r} cannot be corrected (one of: {', '.join(CORRECTABLE)})")
    if value not in CORRECTABLE[field] or (field == "severity" and isinstance(value, bool)):
        raise ActionError(f"{value!r} is not a valid {field}")
    if getattr(post, "direction", Post.Direction.INBOUND) != Post.Direction.INBOUND:
        raise ActionError("Only the customer's posts are triaged")
    with transaction.atomic():
        triage, _ = PostTriage.objects.select_for_update().get_or_create(post=post)
        old = getattr(triage, field)
        new = (1.0 if value else 0.0) if field in _PROBABILITIES else value
        setattr(triage, field, new)
        triage.save(update_fields=[field, "updated_at"])
        correction = TriageCorrection.objects.create(
            post=post, field=field, old_value=old, new_value=value,
            user=user if getattr(user, "pk", None) else None,
        )
        record(post.brand, user, "triage.corrected", post, post.conversation, field=field, old=old, new=value)
        if field in _PRIORITY_FIELDS and triage.status == PostTriage.Status.TRIAGED:
            _rescore(post, triage, user, now or timezone.now())
    return correction


def _rescore(post, triage: PostTriage, user, now: datetime) -> None:
    from parley.inbox import actions as inbox_actions

    from . import priority as prio
    from .service import conversation_facts, post_facts

    old_score = triage.priority
    score, factors = prio.priority(post_facts(post, triage), conversation_facts(post), now)
    triage.priority = score
    triage.priority_breakdown = [f.as_dict() for f in factors]
    triage.save(update_fields=["priority", "priority_breakdown", "updated_at"])
    conversation = Conversation.objects.select_for_update().get(pk=post.conversation_id)
    if not conversation.is_active or score == conversation.priority:
        return
    if conversation.priority == old_score or score > conversation.priority:
        inbox_actions.set_priority(conversation, score, user)


# --- priority as waiting grows (run periodically; see parley/triage/periodic.py) ----------


def band(score: int) -> str:
    """The label an agent sees for a priority (inbox_format.priority_label)."""
    return "urgent" if score >= 75 else "high" if score >= 50 else "normal" if score >= 25 else "low"


@dataclass
class RefreshSummary:
    conversations: int = 0  # waiting conversations looked at
    raised: int = 0  # conversations whose priority went up
    audited: int = 0  # of those, how many crossed into a higher band (one audit event each)
    triage_updated: int = 0  # stored post scores and breakdowns brought up to date


def refresh_priorities(now: datetime, batch_size: int = 500, brand=None) -> RefreshSummary:
    """Recompute the priority of every conversation whose customer waits, as of `now`.

    Only active conversations whose customer waits and whose priority can still
    rise are read (recompute.candidates: waiting under two hours, when the
    waiting points stop growing, or not refreshed since), in batches of
    `batch_size` (four queries each); stale post scores are written with one
    bulk update per batch, and each raised conversation with one conditional
    update (still waiting, still lower). A conversation's priority only ever goes up here (an
    agent's higher priority is kept; answering the customer stops the clock).

    Audit: the clock writes no event for a score that moves within its band
    (that would flood the log every minute); it writes one
    `conversation.priority` event, actor "priority-clock", when a conversation
    crosses into a higher band (low → normal → high → urgent).
    """
    from .recompute import WAITING_HORIZON, changes_for, waiting_batches

    summary = RefreshSummary()
    for ids in waiting_batches(now, batch_size, brand):
        changes = changes_for(ids, now)
        summary.conversations += len(ids)
        with transaction.atomic():
            stale = [c for c in changes if c.triage_changed]
            for c in stale:
                c.triage.priority, c.triage.priority_breakdown, c.triage.updated_at = c.score, c.breakdown, now
            PostTriage.objects.bulk_update([c.triage for c in stale], ["priority", "priority_breakdown", "updated_at"])
            summary.triage_updated += len(stale)
            raised = [c for c in changes if c.raises]
            for c in raised:
                conversation = c.conversation
                old = conversation.priority
                conversation.priority, conversation.updated_at = c.score, now
                if band(c.score) != band(old):
                    record(conversation.brand, CLOCK, "conversation.priority", conversation,
                           conversation, old=old, new=c.score, reason="waiting")
                    summary.audited += 1
            # Only rows still waiting and still lower are raised (an agent may have acted meanwhile).
            for c in raised:
                Conversation.objects.filter(
                    pk=c.conversation.pk, waiting_since__isnull=False, priority__lt=c.score
                ).update(priority=c.score, updated_at=now)
            conversations_changed([c.conversation.pk for c in raised])  # the stored SLA due times
            summary.raised += len(raised)
            # Conversations past the waiting horizon are read once more, then marked as seen
            # (recompute.candidates); raised ones were marked just above.
            done = [i for i in ids if i not in {c.conversation.pk for c in raised}]
            Conversation.objects.filter(
                pk__in=done, waiting_since__lte=now - WAITING_HORIZON, updated_at__lt=now
            ).update(updated_at=now)
    return summary
