"""Triage a stored post and keep the result (Django side; the logic is in pipeline and priority)."""

from __future__ import annotations

import json
import logging
from functools import partial
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from parley.inbox import actions
from parley.inbox.models import Post

from . import priority as prio
from .models import PostTriage
from .pipeline import FIELDS, Options, Triager
from .topics import TopicSet

log = logging.getLogger(__name__)

ACTOR = "triage"
STORED = FIELDS + ("private_data_spans",)


def profile() -> str:
    return settings.PARLEY_TRIAGE_PROFILE


_topic_sets: dict[str, TopicSet] = {}


def _topics(config) -> TopicSet:
    """Compiled topics for a brand's configuration (None: the defaults), cached by content."""
    key = json.dumps(config, sort_keys=True, default=str) if isinstance(config, dict) else ""
    if key not in _topic_sets:
        if len(_topic_sets) > 64:
            _topic_sets.clear()
        _topic_sets[key] = TopicSet(config if isinstance(config, dict) else None)
    return _topic_sets[key]


def triager_for(brand=None, profile_name: str | None = None) -> Triager:
    """A triager with the brand's topics (brand setting `triage_topics`)."""
    config = brand.setting("triage_topics", None) if brand is not None else None
    topics = _topics(config)
    options = Options(profile=profile_name or profile(), phone_region=settings.PARLEY_TRIAGE_PHONE_REGION)
    return Triager(options, topics=topics)


def backoff(attempts: int) -> timedelta:
    """Wait before retry number `attempts` (1, 2, ...): 30 s, 2 min, 8 min, ... capped at 1 h."""
    return timedelta(seconds=min(3600, 30 * 4 ** max(0, attempts - 1)))


def conversation_facts(post: Post) -> prio.ConversationFacts:
    conversation = post.conversation
    customer_identity = post.author_id
    others = (
        Post.objects.filter(conversation=conversation, direction=Post.Direction.INBOUND)
        .exclude(author_id=customer_identity)
        .exclude(author__isnull=True)
        .values("author_id")
        .distinct()
        .count()
    )
    return prio.ConversationFacts(waiting_since=conversation.waiting_since, other_authors=others)


def post_facts(post: Post, triage: PostTriage) -> prio.PostFacts:
    author = post.author
    customer = author.customer if author is not None else None
    return prio.PostFacts(
        intent=triage.intent or None, severity=triage.severity, anger=triage.anger, troll=triage.troll,
        public=post.visibility == Post.Visibility.PUBLIC, created_at=post.created_at, likes=post.likes,
        reposts=post.reposts, replies=post.replies, followers=author.followers if author else 0,
        verified=bool(author and author.verified), vip=bool(customer and customer.is_vip),
    )


def store(post: Post, result: dict, now: datetime) -> PostTriage:
    triage = _loaded_triage(post)
    if triage is None:
        triage, _ = PostTriage.objects.get_or_create(post=post)
    for name in STORED:
        value = result.get(name)
        field = PostTriage._meta.get_field(name)
        if value is None and not field.null:
            value = field.get_default()
        setattr(triage, name, value)
    triage.status = PostTriage.Status.TRIAGED if result["status"] == "triaged" else PostTriage.Status.NOT_TRIAGED
    triage.reason = result.get("reason", "")
    triage.model_version = result.get("model_version", "")
    triage.profile = result.get("profile", "")
    triage.triaged_at = now
    triage.next_attempt_at = None
    return triage


def _loaded_triage(post: Post) -> PostTriage | None:
    """The post's triage row when it was read with the post (select_related("triage")), else None."""
    if not Post.triage.is_cached(post):
        return None
    try:
        return post.triage
    except PostTriage.DoesNotExist:
        return None


def triage_post_now(post: Post, now: datetime | None = None, triager: Triager | None = None) -> PostTriage:
    """Triage `post`, store the result and raise its conversation's priority when warranted."""
    now = now or timezone.now()
    triager = triager or triager_for(post.brand)
    result = triager.triage(post.text)
    return _apply(post, result, now)


def mark_failed(post_id: int, reason: str, now: datetime) -> PostTriage | None:
    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        return None
    triage, _ = PostTriage.objects.get_or_create(post=post)
    triage.attempts += 1
    triage.status = PostTriage.Status.FAILED
    triage.reason = reason[:2000]
    if triage.attempts < settings.PARLEY_TRIAGE_MAX_ATTEMPTS:
        triage.next_attempt_at = now + backoff(triage.attempts)
    else:
        triage.next_attempt_at = None
    triage.save()
    return triage


def mark_pending(post_ids) -> None:
    existing = set(PostTriage.objects.filter(post_id__in=post_ids).values_list("post_id", flat=True))
    PostTriage.objects.bulk_create(
        [PostTriage(post_id=pid) for pid in post_ids if pid not in existing], ignore_conflicts=True
    )


def _apply(post: Post, result: dict, now: datetime) -> PostTriage:
    with transaction.atomic():
        # Deleted on the platform while the model read it: keep no phrase quoted from it (the row
        # lock waits for a deletion in flight; mark_post_deleted erases under the same lock).
        if Post.objects.select_for_update().filter(pk=post.pk, is_deleted=True).values_list("pk").first():
            result = {**result, "explanation": {}, "private_data_spans": []}
        triage = store(post, result, now)
        triage.attempts += 1
        score, factors = prio.priority(post_facts(post, triage), conversation_facts(post), now)
        triage.priority = score
        triage.priority_breakdown = [f.as_dict() for f in factors]
        triage.save()
        conversation = post.conversation
        if conversation.brand_id == post.brand_id:
            conversation.brand = post.brand  # the same row, already loaded with the post: not read again
        if post.direction == Post.Direction.INBOUND and conversation.is_active and score > conversation.priority:
            actions.set_priority(conversation, score, ACTOR)
    return triage


def triage_posts(posts: list[Post], now: datetime, profile_name: str | None = None, *, with_rows: bool = False) -> list:
    """Triage many stored posts at once (one model call per brand), writing the results in bulk.

    Returns each post's status, in the order of `posts` (with `with_rows`, its PostTriage row; None
    when even the failure could not be recorded). One post that fails to store is marked failed
    and never stops the others.

    The results end exactly as `triage_post_now` one post at a time, in the same order, would leave
    them. The posts are taken in segments in which no conversation appears twice (a post whose
    conversation an earlier post of the segment touched starts the next segment, so it sees what
    that post's triage and routing did). A segment is stored in one transaction by `_apply_many`
    (a few statements: the triage rows, the conversations' priority, their audit events, the
    triage summary), then routed, read for implicit feedback and offered to auto-like, in order
    (`_after_commit`: what the PostTriage post_save receivers do one post at a time). When the
    segment's writes fail, its posts are applied one at a time (`_apply`), so a bad post is marked
    failed alone.
    """
    out: list = [None] * len(posts)
    results: dict[int, dict] = {}
    order: list[int] = []
    by_brand: dict[int, list[int]] = {}
    for i, post in enumerate(posts):
        by_brand.setdefault(post.brand_id, []).append(i)
    for group in by_brand.values():
        triager = triager_for(posts[group[0]].brand, profile_name)
        for i, result in zip(group, triager.triage_many([posts[i].text for i in group])):
            results[i] = result
        order.extend(group)
    # One object per conversation: a post sees what an earlier post of the batch did to it.
    shared: dict[int, object] = {}
    for post in posts:
        if post.conversation_id is not None:
            post.conversation = shared.setdefault(post.conversation_id, post.conversation)
    seen: set[int] = set()  # conversations an earlier segment (its triage, its routing) may have changed
    while order:
        _reload([shared[c] for c in {posts[i].conversation_id for i in order} & seen])
        taken, triages = _store_segment([posts[i] for i in order], [results[i] for i in order], now)
        for i, triage in zip(order[:taken], triages):
            out[i] = triage if with_rows else (triage.status if triage is not None else PostTriage.Status.FAILED)
        seen.update(posts[i].conversation_id for i in order[:taken])
        order = order[taken:]
    return out


def _reload(conversations) -> None:
    """refresh_from_db() for many conversations, in one query."""
    from parley.inbox.models import Conversation

    if not conversations:
        return
    fresh = Conversation.objects.in_bulk([c.pk for c in conversations])
    for conversation in conversations:
        row = fresh.get(conversation.pk)
        if row is None:
            conversation.refresh_from_db()  # gone: raises as one at a time would, in the post's own try
            continue
        for field in Conversation._meta.concrete_fields:
            value = getattr(row, field.attname)
            if field.is_relation and getattr(conversation, field.attname) != value and field.is_cached(conversation):
                field.delete_cached_value(conversation)
            setattr(conversation, field.attname, value)


def _store_segment(posts: list[Post], results: list[dict], now: datetime) -> tuple[int, list]:
    """Store the triage of the first posts in bulk (as many as make a segment, see `_apply_many`), then
    run what follows a stored triage; one at a time when the bulk write fails. Returns (how many posts
    were taken, their triage rows)."""
    try:
        taken, triages, failed = _apply_many(posts, results, now)
    except Exception:  # noqa: BLE001 - the bulk write failed: each post alone finds the bad one
        taken = _segment_length(posts)
        log.exception("storing the triage of %s posts together failed; storing them one at a time", taken)
        _forget(posts)
        return taken, [_apply_alone(post, result, now) for post, result in zip(posts[:taken], results[:taken])]
    posts = posts[:taken]
    stored = [(post.pk, post.brand_id, triage.status) for post, triage in zip(posts, triages) if post.pk not in failed]
    transaction.on_commit(partial(_after_commit, stored))  # at once, unless the caller holds a transaction
    # A failed post ends its segment: marking it (its routing when no retry is left) comes after the others.
    return taken, [mark_failed(post.pk, failed[post.pk], now) if post.pk in failed else triage
                   for post, triage in zip(posts, triages)]


def _forget(posts: list[Post]) -> None:
    """After an undone bulk write: drop what it changed in memory (the triage rows read with the
    posts, the conversations' priority), so the posts are stored from what the database holds."""
    for post in posts:
        if Post.triage.is_cached(post):
            Post.triage.related.delete_cached_value(post)
    _reload(list({p.conversation_id: p.conversation for p in posts if p.conversation_id is not None}.values()))


def _apply_alone(post: Post, result: dict, now: datetime) -> PostTriage | None:
    """`_apply` of one post after its segment's bulk write was undone (its objects read afresh)."""
    try:
        return _apply(post, result, now)
    except Exception as exc:  # noqa: BLE001 - one bad post must not stop the batch
        log.exception("storing triage of post %s failed", post.pk)
        return mark_failed(post.pk, f"{type(exc).__name__}: {exc}", now)


# The columns a stored triage writes (store(), _apply()), all of them in one bulk UPDATE.
WRITTEN = (*STORED, "status", "reason", "model_version", "profile", "triaged_at", "next_attempt_at", "attempts",
           "priority", "priority_breakdown", "updated_at")


def update_rows(model, objects: list, names) -> None:
    """Write the fields `names` of each object by primary key: one UPDATE statement sent with
    executemany (Django's bulk_update builds a CASE per field and row, and spent more time
    compiling it than one-at-a-time saves took; see docs/benchmarks.md). No signals, no auto_now."""
    from django.db import connection

    if not objects:
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s"
    rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk] for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _other_authors(posts: list[Post]) -> dict[int, int]:
    """conversation_facts().other_authors of each post (by post id), from one query for all of them."""
    authors: dict[int, set[int]] = {}
    rows = (Post.objects.filter(conversation_id__in={p.conversation_id for p in posts},
                                direction=Post.Direction.INBOUND, author__isnull=False)
            .values_list("conversation_id", "author_id").distinct())
    for conversation_id, author_id in rows:
        authors.setdefault(conversation_id, set()).add(author_id)
    return {p.pk: len(authors.get(p.conversation_id, set()) - {p.author_id}) for p in posts}


def _segment_length(posts: list[Post]) -> int:
    """How many of the first posts have distinct conversations (the segment when routing is not foreseen)."""
    keys: set = set()
    for n, post in enumerate(posts):
        if post.conversation_id in keys:
            return n
        keys.add(post.conversation_id)
    return len(posts)


def _apply_many(posts: list[Post], results: list[dict], now: datetime) -> tuple[int, list, dict[int, str]]:
    """`_apply` for the first posts of `posts`, in one transaction and a few statements.

    It takes posts in order until one belongs to a conversation whose routing (after an earlier
    post of the segment) would change it: that post must see the change, so it starts the next
    segment. Routing that only stores its result (rules that decide nothing: most posts) changes
    nothing, so a conversation's posts usually share a segment; their triage is chained in memory
    (one conversation object, its priority raised post by post, one audit event per raise).

    Returns (posts taken, their triage rows, {post id: reason} of posts whose triage could not be
    computed: not written here, the caller marks them failed). Raises when the writes fail (all of
    them undone).
    """
    from parley.routing.actions import routing_changes_nothing

    from parley.inbox.models import AuditEvent, Conversation
    from parley.inbox.signals import conversations_changed

    from . import summary

    triages: list = []
    failed: dict[int, str] = {}
    with transaction.atomic():
        # Deleted on the platform while the model read them: keep no phrase quoted from them (the row
        # locks wait for a deletion in flight; mark_post_deleted erases under the same lock).
        ids = [p.pk for p in posts]
        deleted = set(Post.objects.select_for_update().filter(pk__in=ids, is_deleted=True).values_list("pk", flat=True))
        missing = [p.pk for p in posts if _loaded_triage(p) is None]
        if missing:  # not marked pending before (a direct call): create the rows, read them once
            mark_pending(missing)
            rows = PostTriage.objects.in_bulk(missing)
            for p in posts:
                if p.pk in rows:
                    p.triage = rows[p.pk]
        others = _other_authors(posts)
        written = timezone.now()
        changed: dict[int, object] = {}
        events: list = []
        routed: set[int] = set()  # conversations whose routing, after a post taken, changes them
        taken = 0
        for post, result in zip(posts, results):
            if post.conversation_id in routed:
                break
            taken += 1
            try:
                if post.pk in deleted:
                    result = {**result, "explanation": {}, "private_data_spans": []}
                triage = store(post, result, now)
                facts = prio.ConversationFacts(waiting_since=post.conversation.waiting_since,
                                               other_authors=others[post.pk])
                score, factors = prio.priority(post_facts(post, triage), facts, now)
            except Exception as exc:  # noqa: BLE001 - this post is marked failed, the others stored
                log.exception("triage of post %s could not be stored", post.pk)
                failed[post.pk] = f"{type(exc).__name__}: {exc}"
                triages.append(None)
                break
            triage.attempts += 1
            triage.priority = score
            triage.priority_breakdown = [f.as_dict() for f in factors]
            triage.updated_at = written
            triages.append(triage)
            if not routing_changes_nothing(post, triage):
                routed.add(post.conversation_id)
            conversation = post.conversation
            if post.direction == Post.Direction.INBOUND and conversation.is_active and score > conversation.priority:
                # actions.set_priority, written for the whole segment below
                events.append(AuditEvent(  # as inbox.audit.record(brand, ACTOR, ...) writes it
                    brand_id=conversation.brand_id, actor=None, actor_label=ACTOR, verb="conversation.priority",
                    object_type="conversation", object_id=str(conversation.pk), conversation=conversation,
                    data={"old": conversation.priority, "new": score}))
                conversation.priority = score
                conversation.updated_at = written
                changed[conversation.pk] = conversation
        posts = posts[:taken]
        stored = [t for t in triages if t is not None]
        update_rows(PostTriage, stored, WRITTEN)
        changed = list(changed.values())
        if changed:
            update_rows(Conversation, changed, ("priority", "updated_at"))
            conversations_changed([c.pk for c in changed])  # the stored SLA due times follow the priority
            due = {pk: (at, warn) for pk, at, warn in Conversation.objects.filter(
                pk__in=[c.pk for c in changed]).values_list("pk", "sla_due_at", "sla_warn_at")}
            for conversation in changed:
                conversation.sla_due_at, conversation.sla_warn_at = due[conversation.pk]
            AuditEvent.objects.bulk_create(events)
        summary.refresh(p.conversation_id for p, t in zip(posts, triages) if t is not None)
    return taken, triages, failed


def _after_commit(stored: list[tuple[int, int, str]]) -> None:
    """What the PostTriage post_save receivers queue on commit, for a segment's stored (final) triage,
    in their order: routing (routing.listeners), implicit feedback (sla.listeners), auto-like (composer).
    Each reads the posts afresh, as the receivers' hooks do. `stored`: (post id, brand id, status).
    """
    from parley.composer.praise_actions import _auto_like_id
    from parley.routing.listeners import route_many
    from parley.sla.listeners import implicit_feedback_many

    post_ids = [pk for pk, _, _ in stored]
    route_many(post_ids)
    implicit_feedback_many(post_ids)
    for pk, brand_id, status in stored:
        if status == PostTriage.Status.TRIAGED:  # composer's triage_saved receiver
            _auto_like_id(pk, brand_id)
