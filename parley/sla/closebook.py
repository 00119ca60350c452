"""Close the book: the named actions (each audited) and the reads behind the conversation page.

- `record_resolution`: each resolution of a conversation is a Resolution row; for a case that
  began in public it carries a survey and the proposal of a public closing reply (closing.py);
- `send_closing` sends the proposal (edited or not) through the composer's checked path
  (guardrails, approval rules, outbox); `dismiss_closing` records that the agent chose not to;
- `record_implicit_feedback`: the customer's next message after a resolution or a reply, read as
  thanks or renewed anger (feedback.py), stored on the conversation and the agent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from parley.inbox.access import can_write
from parley.inbox.actions import ActionError
from parley.inbox.audit import record
from parley.inbox.models import Conversation, Post, Status

from . import feedback
from .closing import proposal
from .csat import create_survey, survey_path
from .models import ImplicitFeedback, Resolution

log = logging.getLogger(__name__)


def record_resolution(conversation: Conversation, now: datetime, actor="system") -> Resolution:
    """A conversation was resolved (or closed) at `now`: one Resolution, with a closing proposal and
    a survey when the case began in public."""
    with transaction.atomic():
        item = Resolution.objects.create(brand=conversation.brand, conversation=conversation, resolved_at=now,
                                         agent_id=conversation.assignee_id)
        if conversation.started_public and conversation.posts.filter(direction="in", visibility="public").exists():
            item.survey = create_survey(conversation, actor, now)
            item.proposal = Resolution.Proposal.OFFERED
            item.save(update_fields=["survey", "proposal"])
        record(conversation.brand, actor, "closing.proposed" if item.proposal else "conversation.resolution_recorded",
               item, conversation)
    return item


def conversation_resolved(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """post_save on Conversation: a save that set resolved_at records the resolution (never blocks it)."""
    if created or not update_fields or "resolved_at" not in update_fields or instance.resolved_at is None:
        return
    if instance.status not in (Status.RESOLVED, Status.CLOSED):
        return
    if Resolution.objects.filter(conversation=instance, resolved_at=instance.resolved_at).exists():
        return  # closing a resolved case keeps its resolution
    try:
        with transaction.atomic():
            record_resolution(instance, instance.resolved_at)
    except Exception:  # the resolution itself must never fail because of its proposal
        log.exception("recording the resolution of conversation %s failed", instance.pk)


def closing_text(item: Resolution, base_url: str) -> str:
    """The proposed public closing reply, with the survey link made absolute with `base_url`."""
    conversation = item.conversation
    first_name = conversation.customer.first_name if conversation.customer_id else ""
    agent = item.agent or conversation.assignee
    profile = getattr(agent, "agent_profile", None) if agent is not None else None
    signature = f"^{profile.signature}" if profile and profile.signature else (
        f"– {profile.shown_name}" if profile else "")
    url = base_url.rstrip("/") + survey_path(item.survey)
    return proposal(first_name, signature, url, conversation.brand.setting("closing_template", None))


def open_proposal(conversation: Conversation) -> Resolution | None:
    return (Resolution.objects.filter(conversation=conversation, proposal=Resolution.Proposal.OFFERED,
                                      survey__isnull=False)
            .select_related("survey", "agent__agent_profile").order_by("-resolved_at").first())


def _decidable(item: Resolution, actor) -> None:
    if not can_write(actor, item.brand):
        raise PermissionDenied("Your role in this brand is read-only")
    if item.proposal != Resolution.Proposal.OFFERED:
        raise ActionError("This closing reply was already sent or dismissed")


def send_closing(item: Resolution, text: str, actor, *, override_reason: str = "", now: datetime | None = None):
    """Send the closing reply publicly through the composer (guardrails, approvals, outbox)."""
    from parley.composer.actions import send_checked_reply

    _decidable(item, actor)
    now = now or timezone.now()
    # The composer's action stores (or blocks, audited) the reply; the key makes a second click the same reply.
    sent = send_checked_reply(item.conversation, text, actor, visibility="public", override_reason=override_reason,
                              now=now, idempotency_key=f"closing:{item.pk}")
    with transaction.atomic():
        updated = Resolution.objects.filter(pk=item.pk, proposal=Resolution.Proposal.OFFERED).update(
            proposal=Resolution.Proposal.SENT, reply=sent.post, decided_by=_user(actor), decided_at=now)
        if updated:
            record(item.brand, actor, "closing.sent", item, item.conversation,
                   post=sent.post.pk if sent.post else None, approval=sent.approval.pk if sent.approval else None)
    item.refresh_from_db()
    return sent


def dismiss_closing(item: Resolution, actor, now: datetime | None = None) -> Resolution:
    _decidable(item, actor)
    now = now or timezone.now()
    with transaction.atomic():
        updated = Resolution.objects.filter(pk=item.pk, proposal=Resolution.Proposal.OFFERED).update(
            proposal=Resolution.Proposal.DISMISSED, decided_by=_user(actor), decided_at=now)
        if not updated:
            raise ActionError("This closing reply was decided meanwhile")
        record(item.brand, actor, "closing.dismissed", item, item.conversation)
    item.refresh_from_db()
    return item


def closing_proposals(brand, since: datetime, until: datetime) -> dict[str, int]:
    """How the proposed closing replies of resolutions in [since, until) fared: offered (still
    waiting), sent, dismissed (beside public_closure_rate)."""
    rows = (Resolution.objects.filter(brand=brand, resolved_at__gte=since, resolved_at__lt=until)
            .exclude(proposal="").values("proposal").annotate(n=Count("id")))
    out = {p: 0 for p in ("offered", "sent", "dismissed")}
    out.update({row["proposal"]: row["n"] for row in rows})
    return out


# --- implicit feedback ---------------------------------------------------------------------


def _triage_signals(post: Post) -> feedback.TriageSignals | None:
    triage = getattr(post, "triage", None) if hasattr(post, "triage") else None
    if triage is None or triage.status != "triaged":
        return None
    return feedback.TriageSignals(triage.intent or "", triage.sentiment or "", triage.emotion or "", triage.anger)


def answered_before(conversation_id: int, created_at: datetime) -> tuple:
    """(last reply, last resolution) of the conversation before a message at `created_at`: the
    reply as (created_at, author_user_id), the resolution as (resolved_at, agent_id), each None when
    there is none."""
    before = Post.objects.filter(conversation_id=conversation_id, created_at__lt=created_at)
    last_reply = (before.filter(direction=Post.Direction.OUTBOUND).exclude(delivery_status=Post.Delivery.FAILED)
                  .order_by("-created_at").values_list("created_at", "author_user_id").first())
    resolution = (Resolution.objects.filter(conversation_id=conversation_id, resolved_at__lte=created_at)
                  .order_by("-resolved_at").values_list("resolved_at", "agent_id").first())
    return last_reply, resolution


def record_implicit_feedback(post: Post, actor="feedback", anchors: tuple | None = None) -> ImplicitFeedback | None:
    """Read the customer's message as implicit feedback when it is their next one after a
    resolution or a reply; store it once (safe to repeat). `anchors` is answered_before() of the
    post when the caller has it already."""
    if post.direction != Post.Direction.INBOUND or post.conversation_id is None:
        return None
    before = Post.objects.filter(conversation_id=post.conversation_id, created_at__lt=post.created_at)
    last_reply, resolution = anchors if anchors is not None else answered_before(post.conversation_id,
                                                                                 post.created_at)
    if last_reply is None and resolution is None:
        return None  # nothing to answer yet (most new conversations): two look-ups, not four
    if ImplicitFeedback.objects.filter(post=post).exists():
        return None
    previous_in = before.filter(direction=Post.Direction.INBOUND).order_by("-created_at").values_list(
        "created_at", flat=True).first()
    after = feedback.anchor(post.created_at, last_reply[0] if last_reply else None,
                            resolution[0] if resolution else None, previous_in)
    if after is None:
        return None
    kind, signals = feedback.read(post.text, _triage_signals(post))
    if kind is None:
        return None
    conversation = post.conversation
    agent_id = (resolution[1] if after == feedback.RESOLUTION and resolution else
                (last_reply[1] if last_reply else None)) or conversation.assignee_id
    with transaction.atomic():
        item, created = ImplicitFeedback.objects.get_or_create(post=post, defaults={
            "brand": post.brand, "conversation": conversation, "agent_id": agent_id, "kind": kind, "after": after,
            "signals": signals, "created_at": post.created_at,
        })
        if created:
            record(post.brand, actor, "feedback.implicit", item, conversation, kind=kind, after=after,
                   signals=signals)
    return item if created else None


@dataclass(frozen=True)
class ImplicitSummary:
    thanks: int
    anger: int
    by_agent: dict


def implicit_summary(brand, since: datetime | None = None) -> ImplicitSummary:
    """Implicit feedback counted beside CSAT: thanks and renewed anger, per brand and per agent."""
    rows = ImplicitFeedback.objects.filter(brand=brand)
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    totals = rows.aggregate(t=Count("id", filter=Q(kind="thanks")), a=Count("id", filter=Q(kind="anger")))
    by_agent = {
        (row["agent__username"] or "unassigned"): {"thanks": row["t"], "anger": row["a"]}
        for row in rows.values("agent__username").annotate(t=Count("id", filter=Q(kind="thanks")),
                                                          a=Count("id", filter=Q(kind="anger")))
    }
    return ImplicitSummary(totals["t"], totals["a"], by_agent)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
