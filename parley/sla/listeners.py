"""Follow-ups from promises: when an agent's reply is stored, its promises become follow-ups.

Hook: Django's post_save on inbox.Post for a new outbound post written in Parley
(author_user set: create_reply), run once the transaction commits. Replies imported
from a platform's history are not scanned (their promises are long past).
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

log = logging.getLogger(__name__)


def _scan(post_id: int) -> None:
    from parley.inbox.models import Post

    from .actions import follow_ups_from_reply

    try:
        post = Post.objects.select_related("conversation", "brand").filter(pk=post_id).first()
        if post is not None:
            follow_ups_from_reply(post)
    except Exception:  # a detector failure must never lose or block a reply
        log.exception("promise detection failed for post %s", post_id)


def post_saved(sender, instance, created=False, **kwargs) -> None:
    if created and instance.direction == "out" and instance.author_user_id:
        transaction.on_commit(partial(_scan, instance.pk))


def post_ingested(post_id: int) -> None:
    """A customer's private message arrived: they came to the private channel (closes handoff waits).

    Most posts are public, or land where no handoff waits: two narrow look-ups tell, and the post
    itself is loaded only when there is a handoff to close."""
    from parley.inbox.models import Post

    from .actions import customer_arrived
    from .models import FollowUp

    try:
        row = next(iter(Post.objects.filter(pk=post_id).values_list("direction", "visibility", "conversation_id")),
                   None)  # by primary key: no ORDER BY, no LIMIT to build
        if row is None or row[0] != Post.Direction.INBOUND or row[1] != Post.Visibility.PRIVATE or row[2] is None:
            return
        if not FollowUp.objects.filter(conversation_id=row[2], kind=FollowUp.Kind.HANDOFF,
                                       state__in=[FollowUp.State.OPEN, FollowUp.State.SNOOZED]).exists():
            return
        post = Post.objects.select_related("conversation", "brand").get(pk=post_id)
        customer_arrived(post)
    except Exception:  # never block ingestion
        log.exception("handoff check failed for post %s", post_id)


def _implicit_feedback(post_id: int) -> None:
    """Implicit feedback of a customer's message. Most messages answer nothing yet (no reply, no
    resolution before them): that is told from a narrow row of the post, before loading it whole."""
    from parley.inbox.models import Post

    from .closebook import answered_before, record_implicit_feedback

    try:
        row = next(iter(Post.objects.filter(pk=post_id).values_list("direction", "conversation_id", "created_at")),
                   None)
        if row is None or row[0] != Post.Direction.INBOUND or row[1] is None:
            return
        anchors = answered_before(row[1], row[2])
        if anchors == (None, None):
            return
        post = Post.objects.select_related("conversation", "brand", "triage").get(pk=post_id)
        record_implicit_feedback(post, anchors=anchors)
    except Exception:  # never block ingestion or triage
        log.exception("implicit feedback failed for post %s", post_id)


def implicit_feedback_many(post_ids: list[int]) -> None:
    """`_implicit_feedback` of each post, in order, for triage stored in bulk (the triage batch calls it
    after committing). Most messages answer nothing: two queries over all the posts' conversations (their
    first reply, their first resolution) tell which could, and only those are read one at a time."""
    from django.db.models import Min

    from parley.inbox.models import Post

    from .models import Resolution

    try:
        rows = [row for row in Post.objects.filter(pk__in=list(post_ids))
                .values_list("pk", "direction", "conversation_id", "created_at")
                if row[1] == Post.Direction.INBOUND and row[2] is not None]
        conversations = {row[2] for row in rows}
        first_reply = dict(Post.objects.filter(conversation_id__in=conversations, direction=Post.Direction.OUTBOUND)
                           .exclude(delivery_status=Post.Delivery.FAILED).order_by()
                           .values("conversation_id").annotate(at=Min("created_at")).values_list("conversation_id", "at"))
        first_resolution = dict(Resolution.objects.filter(conversation_id__in=conversations).order_by()
                                .values("conversation_id").annotate(at=Min("resolved_at"))
                                .values_list("conversation_id", "at"))
    except Exception:  # never block ingestion or triage
        log.exception("implicit feedback failed for %s posts", len(post_ids))
        return
    by_id = {row[0]: row for row in rows}
    for pk in post_ids:
        row = by_id.get(pk)
        if row is None:
            continue
        reply, resolution = first_reply.get(row[2]), first_resolution.get(row[2])
        # closebook.answered_before finds a reply before the message or a resolution at or before it
        if (reply is not None and reply < row[3]) or (resolution is not None and resolution <= row[3]):
            _implicit_feedback(pk)


def post_ingested_feedback(post_id: int) -> None:
    """Triage off: read the customer's message from its words alone, once it is stored."""
    from django.conf import settings

    if not settings.PARLEY_TRIAGE_ENABLED:
        _implicit_feedback(post_id)


def triage_saved_feedback(sender, instance, created=False, **kwargs) -> None:
    """Triage on: read the message once its triage is final (sentiment, intent, emotion known)."""
    final = instance.status in ("triaged", "not_triaged") or (
        instance.status == "failed" and instance.next_attempt_at is None
    )
    if final:
        transaction.on_commit(partial(_implicit_feedback, instance.post_id))


DELETED_PROMISE = "(the reply that made this promise was deleted on the platform)"


def post_deleted(post, words: list[str]) -> None:
    """A reply deleted on the platform: its follow-ups stay (the promise was made), its words go."""
    from .models import FollowUp

    from .actions import erase_promise_quotes

    mine = FollowUp.objects.filter(source_post_id=post.pk)
    mine.exclude(text=DELETED_PROMISE).update(text=DELETED_PROMISE)
    erase_promise_quotes(mine.values_list("pk", flat=True))
