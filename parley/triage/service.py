"""Triage a stored post and keep the result (Django side; the logic is in pipeline and priority)."""

from __future__ import annotations

import json
import logging
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
    """Triage many stored posts at once (one model call per brand).

    Returns each post's status, in the order of `posts` (with `with_rows`, its PostTriage row; None
    when even the failure could not be recorded). One post that fails to store is marked failed
    and never stops the others.
    """
    out: list = [None] * len(posts)
    seen: set[int] = set()  # conversations an earlier post of the batch (its triage, its routing) may have changed
    by_brand: dict[int, list[int]] = {}
    for i, post in enumerate(posts):
        by_brand.setdefault(post.brand_id, []).append(i)
    for group in by_brand.values():
        triager = triager_for(posts[group[0]].brand, profile_name)
        results = triager.triage_many([posts[i].text for i in group])
        for i, result in zip(group, results):
            post = posts[i]
            try:
                if post.conversation_id in seen:
                    post.conversation.refresh_from_db()
                seen.add(post.conversation_id)
                triage = _apply(post, result, now)
            except Exception as exc:  # noqa: BLE001 - one bad post must not stop the batch
                log.exception("storing triage of post %s failed", post.pk)
                triage = mark_failed(post.pk, f"{type(exc).__name__}: {exc}", now)
            out[i] = triage if with_rows else (triage.status if triage is not None else PostTriage.Status.FAILED)
    return out
