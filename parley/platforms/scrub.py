"""A deleted post's words leave the raw copies the connectors keep (redact.py decides what goes).

Called inside the deleting transaction: by the inbox's post-deleted listener (a stored post was
deleted) and by processing (a deletion arrived before its post; a delivery that carries a post
already deleted). Webhook bodies keep their row, their key (the hash of the bytes as received, so
a redelivery of the original is still recognised and never stored again) and their state: a dead
letter stays a dead letter, and replays into the empty, deleted post.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Iterable

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL

from parley.inbox.ingest import MAX_ID_CHARS, id_forms

from . import redact
from .models import CarriedPost, WebhookDelivery

# The webhook family whose bodies may carry a post of each platform.
FAMILIES = {"x": "x", "facebook": "meta", "instagram": "meta", "email": "email"}
# Bodies received this long before the post's own time may still carry it (clocks differ).
SKEW = timedelta(days=1)


def _holds(column: str, needle):
    """An expression > 0 where `column` (bytes, or JSON stored as text) holds `needle`."""
    if connection.vendor == "postgresql":
        if isinstance(needle, bytes):
            return RawSQL(f"position(%s::bytea in {column})", [needle])
        return RawSQL(f"strpos({column}::text, %s)", [needle])
    return RawSQL(f"instr({column}, %s)", [needle])


def hold(posts: Iterable[tuple[int, str, str]]) -> None:
    """Take, until the transaction ends, the locks that a post's write and its deletion both take:
    one per (brand id, platform, platform id) of `posts`.

    Without them two workers on PostgreSQL could each miss the other's uncommitted row: one checks
    for a tombstone (none yet) and writes the post, the other writes the tombstone and looks for the
    post (not there yet), and the words stay. Holding the lock, the second waits for the first to
    commit and then sees its row. They are taken in one order (sorted), so two batches cannot wait
    for each other. SQLite needs none: its transactions (IMMEDIATE) take the database's write lock
    when they begin, so writers run one at a time."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({_lock_key(brand_id, platform, form) for brand_id, platform, platform_id in posts
                   for form in id_forms(str(platform_id))})
    if keys:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT unnest(%s::bigint[]) AS k ORDER BY 1) s",
                           [keys])


def _lock_key(brand_id: int, platform: str, platform_id: str) -> int:
    digest = hashlib.blake2b(f"{brand_id}:{platform}:{platform_id[:MAX_ID_CHARS]}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def carried_ids(body: bytes, event_ids: Iterable[str] = ()) -> set[str]:
    """The post ids a delivery's body names (redact.named_ids; none in a body that is not JSON), and
    `event_ids`, those its parsed events carry (a mail's Message-ID)."""
    try:
        ids = redact.named_ids(json.loads(body))
    except (ValueError, UnicodeDecodeError, RecursionError):
        ids = set()
    ids.update(str(i) for i in event_ids)
    return {i[:MAX_ID_CHARS] for i in ids if i}


def index_carried(listed: list[tuple[WebhookDelivery, set[str]]]) -> None:
    """List which posts each delivery carries (one INSERT for all); each is marked listed in memory,
    written with its finish (`actions.finish_deliveries`)."""
    rows = []
    for delivery, ids in listed:
        family = delivery.platform.partition(":")[0]
        rows += [CarriedPost(delivery_id=delivery.pk, family=family, platform_id=i) for i in sorted(ids)]
        delivery.carried_indexed = True
    CarriedPost.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def deliveries_naming(platform: str, platform_id: str, since: datetime) -> list[int]:
    """Ids of the stored bodies that may carry the post: those listed under its id (CarriedPost), and
    those not listed yet (stored before the list existed, queued, dead) of its platform's family
    that name its id, received since `since` (or waiting: queued and dead letters, whenever received).

    The scan runs first: a body a worker lists and finishes between the two statements is found by
    the second (on PostgreSQL each statement sees what was committed when it began)."""
    family = FAMILIES.get(platform)
    if family is None or not platform_id:
        return []
    of_family = Q(platform=family) | Q(platform__startswith=f"{family}:")
    found = set()
    # Two scans, each served by an index: unlisted since `since` (webhook_unlisted_received) and
    # waiting (webhook_state_received).
    for scope in (Q(carried_indexed=False, received_at__gte=since),
                  Q(state__in=[WebhookDelivery.State.QUEUED, WebhookDelivery.State.DEAD])):
        found.update(WebhookDelivery.objects.filter(scope).filter(of_family)
                     .annotate(names_it=_holds("body", platform_id.encode())).filter(names_it__gt=0)
                     .order_by().values_list("pk", flat=True))
    forms = {form[:MAX_ID_CHARS] for form in id_forms(platform_id)}
    found.update(CarriedPost.objects.filter(family=family, platform_id__in=forms).values_list("delivery_id", flat=True))
    return sorted(found)


def backfill_carried(chunk: int = 500, progress=None) -> int:
    """List the posts of processed and dead deliveries stored before the list existed, `chunk` a
    transaction; how many were listed. A body no parser reads is listed by the ids its JSON names."""
    from . import adapters
    from .base import ParseError

    done = 0
    while True:
        batch = list(WebhookDelivery.objects.filter(carried_indexed=False).exclude(state=WebhookDelivery.State.QUEUED)
                     .order_by("pk").only("pk", "platform", "body")[:chunk])
        if not batch:
            return done
        listed = []
        for delivery in batch:
            body = bytes(delivery.body)
            try:
                events = adapters.parser(delivery.platform.partition(":")[0])(body)
            except (ParseError, KeyError):
                events = []
            listed.append((delivery, carried_ids(body, event_ids(events))))
        with transaction.atomic():
            index_carried(listed)
            WebhookDelivery.objects.filter(pk__in=[d.pk for d in batch]).update(carried_indexed=True)
        done += len(batch)
        if progress is not None:
            progress(len(batch))


def event_ids(events) -> list[str]:
    """The ids of the posts parsed events name (new, edited, deleted, liked)."""
    out = []
    for event in events:
        post = getattr(event, "post", None)
        value = getattr(post, "platform_id", None) if post is not None else getattr(event, "platform_id", None)
        if value:
            out.append(str(value))
    return out


def redact_delivery(delivery: WebhookDelivery, ids: Iterable[str], words: Iterable[str]) -> bool:
    """Rewrite one stored body without the posts' words; True when it changed."""
    ids = sorted(set(ids))
    body = bytes(delivery.body)
    redacted = redact.redact_body(body, ids, words)
    if redacted == body:
        return False
    summary = dict(delivery.summary or {})
    summary["redacted_posts"] = sorted(set(summary.get("redacted_posts", [])) | set(ids))
    WebhookDelivery.objects.filter(pk=delivery.pk).update(body=redacted, summary=summary)
    delivery.body, delivery.summary = redacted, summary
    return True


def scrub_bodies(platform: str, platform_id: str, words: Iterable[str], since: datetime) -> int:
    """Every stored body that carries the post, redacted; how many changed."""
    words = list(words)
    changed = 0
    ids = deliveries_naming(platform, platform_id, since)
    for start in range(0, len(ids), 100):
        for delivery in WebhookDelivery.objects.filter(pk__in=ids[start:start + 100]).only("pk", "body", "summary"):
            changed += redact_delivery(delivery, [platform_id], words)
    return changed


def scrub_raw_copies(post, words: Iterable[str]) -> int:
    """Other posts' raw JSON that embeds the deleted one (a quote's quoted_status, say)."""
    from parley.inbox.models import Post

    words = list(words)
    others = (
        Post.objects.filter(brand_id=post.brand_id, platform=post.platform, created_at__gte=post.created_at - SKEW,
                            raw__isnull=False)
        .exclude(pk=post.pk)
        .annotate(names_it=_holds("raw", post.platform_id))
        .filter(names_it__gt=0)
    )
    changed = 0
    for pk, raw in others.values_list("pk", "raw").iterator(chunk_size=100):
        redacted = redact.redact_value(raw, [post.platform_id], words)
        if redacted != raw:
            Post.objects.filter(pk=pk).update(raw=redacted)
            changed += 1
    return changed


def post_deleted(post, words: list[str]) -> None:
    """The inbox's post-deleted listener: the connectors' copies of the post's words go."""
    if not post.platform_id:
        return
    scrub_bodies(post.platform, post.platform_id, words, post.created_at - SKEW)
    scrub_raw_copies(post, words)
