"""A deleted post's words leave the raw copies the connectors keep (redact.py decides what goes).

Called inside the deleting transaction: by the inbox's post-deleted listener (a stored post was
deleted) and by processing (a deletion arrived before its post; a delivery that carries a post
already deleted). Webhook bodies keep their row, their key (the hash of the bytes as received, so
a redelivery of the original is still recognised and never stored again) and their state: a dead
letter stays a dead letter, and replays into the empty, deleted post.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from . import redact
from .models import WebhookDelivery

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


def deliveries_naming(platform: str, platform_id: str, since: datetime):
    """Stored bodies that may carry the post: of its platform's family, naming its id, received since
    `since` (or waiting: queued and dead letters, whenever received)."""
    family = FAMILIES.get(platform)
    if family is None or not platform_id:
        return WebhookDelivery.objects.none()
    return (
        WebhookDelivery.objects.filter(Q(platform=family) | Q(platform__startswith=f"{family}:"))
        .filter(Q(received_at__gte=since) | Q(state__in=[WebhookDelivery.State.QUEUED, WebhookDelivery.State.DEAD]))
        .annotate(names_it=_holds("body", platform_id.encode()))
        .filter(names_it__gt=0)
    )


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
    for delivery in deliveries_naming(platform, platform_id, since).only("pk", "body", "summary").iterator(chunk_size=100):
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
