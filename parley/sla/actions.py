"""Every write to follow-ups goes through a named action here (each audited)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from parley.inbox.actions import ActionError
from parley.inbox.audit import record
from parley.inbox.models import Conversation, Post

from .models import FollowUp
from .promises import detect

ACTOR = "promises"


def default_delay(brand) -> timedelta:
    return timedelta(hours=int(brand.setting("followup_default_hours", settings.PARLEY_FOLLOWUP_DEFAULT_HOURS)))


def follow_ups_from_reply(post: Post, actor=ACTOR) -> list[FollowUp]:
    """Create one follow-up per promise in an outbound reply (once per promise; safe to repeat)."""
    if post.direction != Post.Direction.OUTBOUND or not post.text:
        return []
    conversation = post.conversation
    created = []
    handoff = handoff_from_reply(post, actor)
    if handoff is not None:
        created.append(handoff)
    for promise in detect(post.text, post.created_at):
        due = promise.due or post.created_at + default_delay(post.brand)
        try:
            with transaction.atomic():
                follow_up = FollowUp.objects.create(
                    brand=post.brand, conversation=conversation, source_post=post,
                    assignee_id=post.author_user_id or conversation.assignee_id, text=promise.text[:500],
                    span_start=promise.start, span_end=promise.end, due_at=due, due_stated=promise.due is not None,
                    created_at=post.created_at,
                )
                # The promise's words stay on the follow-up (erased with the reply if it is deleted
                # on the platform); the append-only event names where they were, never what.
                record(post.brand, actor, "followup.created", follow_up, conversation, due=due.isoformat(),
                       span=[promise.start, promise.end])
        except IntegrityError:  # already made from this promise
            continue
        created.append(follow_up)
    return created


def handoff_wait(brand) -> timedelta:
    return timedelta(hours=int(brand.setting("handoff_wait_hours", settings.PARLEY_HANDOFF_WAIT_HOURS)))


def handoff_from_reply(post: Post, actor=ACTOR) -> FollowUp | None:
    """A public reply inviting the customer to DM, email, phone or chat: wait for them there, and remind
    the agent to come back to the public thread if they have not arrived in time."""
    from .handoff import invites_private

    if post.visibility != Post.Visibility.PUBLIC:
        return None
    invitation = invites_private(post.text)
    if invitation is None:
        return None
    conversation = post.conversation
    text = (f"Invited the customer to continue by {invitation.channel}; if they have not written, "
            "follow up in the public thread")
    try:
        with transaction.atomic():
            follow_up = FollowUp.objects.create(
                brand=post.brand, conversation=conversation, source_post=post, kind=FollowUp.Kind.HANDOFF,
                assignee_id=post.author_user_id or conversation.assignee_id, text=text,
                span_start=invitation.start, span_end=invitation.end, due_at=post.created_at + handoff_wait(post.brand),
                due_stated=False, created_at=post.created_at,
            )
            record(post.brand, actor, "followup.created", follow_up, conversation, kind="handoff",
                   channel=invitation.channel)
    except IntegrityError:
        return None
    return follow_up


def customer_arrived(post: Post, actor="handoff") -> int:
    """An inbound private message closes the conversation's open handoff follow-ups. Returns how many."""
    if post.direction != Post.Direction.INBOUND or post.visibility != Post.Visibility.PRIVATE:
        return 0
    waiting = FollowUp.objects.filter(conversation=post.conversation, kind=FollowUp.Kind.HANDOFF,
                                      state__in=[FollowUp.State.OPEN, FollowUp.State.SNOOZED])
    count = 0
    for follow_up in waiting:
        with transaction.atomic():
            follow_up.state = FollowUp.State.DONE
            follow_up.done_at = post.created_at
            follow_up.save(update_fields=["state", "done_at"])
            record(post.brand, actor, "followup.customer_arrived", follow_up, post.conversation)
        count += 1
    return count


def create_follow_up(conversation: Conversation, text: str, due_at: datetime, actor, assignee=None,
                     now: datetime | None = None) -> FollowUp:
    """A follow-up an agent sets by hand."""
    now = now or timezone.now()
    text = " ".join(str(text or "").split())
    if not text:
        raise ActionError("A follow-up needs a text")
    if len(text) > 500:
        raise ActionError("A follow-up is at most 500 characters")
    if due_at.tzinfo is None:
        raise ActionError("A due time needs a time zone")
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            brand=conversation.brand, conversation=conversation, kind=FollowUp.Kind.MANUAL, text=text,
            due_at=due_at, due_stated=True,
            assignee=assignee or conversation.assignee, created_at=now,
        )
        record(conversation.brand, actor, "followup.created", follow_up, conversation, due=due_at.isoformat())
    return follow_up


def complete(follow_up: FollowUp, actor, now: datetime | None = None) -> FollowUp:
    now = now or timezone.now()
    if follow_up.state == FollowUp.State.DONE:
        return follow_up
    with transaction.atomic():
        follow_up.state = FollowUp.State.DONE
        follow_up.done_at = now
        follow_up.save(update_fields=["state", "done_at"])
        record(follow_up.brand, actor, "followup.done", follow_up, follow_up.conversation)
    return follow_up


def snooze(follow_up: FollowUp, until: datetime, actor, now: datetime | None = None) -> FollowUp:
    now = now or timezone.now()
    if follow_up.state == FollowUp.State.DONE:
        raise ActionError("A done follow-up cannot be snoozed")
    if until.tzinfo is None or until <= now:
        raise ActionError("Snooze until a later time (with a time zone)")
    with transaction.atomic():
        follow_up.state = FollowUp.State.SNOOZED
        follow_up.snoozed_until = until
        follow_up.save(update_fields=["state", "snoozed_until"])
        record(follow_up.brand, actor, "followup.snoozed", follow_up, follow_up.conversation, until=until.isoformat())
    return follow_up


def overdue(brand, now: datetime, assignee=None):
    """Follow-ups past due: open ones past due_at, snoozed ones past both due_at and snoozed_until."""
    from django.db.models import Q

    qs = FollowUp.objects.filter(brand=brand, due_at__lte=now).filter(
        Q(state=FollowUp.State.OPEN) | Q(state=FollowUp.State.SNOOZED, snoozed_until__lte=now)
    )
    if assignee is not None:
        qs = qs.filter(assignee=assignee)
    return qs.select_related("conversation", "assignee").order_by("due_at", "id")


def remind_overdue(brand, now: datetime, actor="system") -> int:
    """Record a reminder (in-app, audited) for each overdue follow-up not reminded since it fell due."""
    count = 0
    for follow_up in overdue(brand, now):
        if follow_up.reminded_at and follow_up.reminded_at >= max(follow_up.due_at, follow_up.snoozed_until or
                                                                  follow_up.due_at):
            continue
        with transaction.atomic():
            follow_up.reminded_at = now
            follow_up.save(update_fields=["reminded_at"])
            record(brand, actor, "followup.overdue", follow_up, follow_up.conversation,
                   assignee=follow_up.assignee.get_username() if follow_up.assignee else None)
        count += 1
    return count


def erase_promise_quotes(follow_up_ids) -> int:
    """Take the promise's words out of the `followup.created` events of these follow-ups (events
    written before they stopped quoting it). Their reply was deleted on the platform: the event
    (who, when, which follow-up, due when) stays, the quote goes. Returns how many changed."""
    from django.db import models

    from parley.inbox.models import AuditEvent

    ids = [str(i) for i in follow_up_ids]
    if not ids:
        return 0
    events = AuditEvent.objects.filter(verb="followup.created", object_type="followup", object_id__in=ids,
                                       data__has_key="promise")
    plain = models.QuerySet(model=AuditEvent)  # bypasses the append-only manager, for erasure only
    changed = 0
    for pk, data in events.values_list("pk", "data"):
        plain.filter(pk=pk).update(data={k: v for k, v in data.items() if k != "promise"})
        changed += 1
    return changed


def mark_alerts_seen(alerts, actor, brand) -> int:
    """Mark SLA alerts seen (they leave the header's count); audited once per call. Returns how many."""
    from .models import SlaAlert

    ids = list(alerts.filter(seen=False).values_list("pk", flat=True)[:1000])
    if not ids:
        return 0
    with transaction.atomic():
        SlaAlert.objects.filter(pk__in=ids).update(seen=True)
        record(brand, actor, "sla.alerts_seen", brand, None, alerts=ids)
    return len(ids)
