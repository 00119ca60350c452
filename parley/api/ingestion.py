"""The generic ingestion endpoint's work: records in Parley's post format in, stored posts out.

Each record is parsed (parley.inbox.formats), validated before anything is
written, resolved to the brand's channel and handed to actions.ingest_post,
which is idempotent on (platform, platform id). Records are independent: one
malformed record is rejected with its reasons while the others are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings

from parley.accounts.models import Brand
from parley.inbox import actions
from parley.inbox.access import visible_conversations
from parley.inbox.formats import FormatError, post_from_dict
from parley.inbox.ingest import validate
from parley.inbox.models import Post
from parley.platforms.models import channel_for

MAX_BATCH = 500

CREATED = "created"
DUPLICATE = "duplicate"
REJECTED = "rejected"


class BadEnvelope(ValueError):
    """The body is neither one post nor {"posts": [...]}."""


@dataclass
class RecordResult:
    index: int
    status: str
    post: Post | None = None
    errors: list[str] = field(default_factory=list)
    # False when the post landed in a conversation the caller cannot see.
    visible: bool = False


def records_of(body: Any) -> tuple[list[Any], bool]:
    """The records in a request body and whether it was a batch."""
    if isinstance(body, dict) and "posts" in body:
        records = body["posts"]
        if not isinstance(records, list):
            raise BadEnvelope('"posts" must be a list of post objects')
        if not records:
            raise BadEnvelope('"posts" is empty')
        if len(records) > MAX_BATCH:
            raise BadEnvelope(f"at most {MAX_BATCH} posts per request ({len(records)} sent)")
        return records, True
    if isinstance(body, dict):
        return [body], False
    raise BadEnvelope('the body must be one post object or {"posts": [...]}')


def ingest_record(
    brand: Brand, index: int, data: Any, actor, now: datetime | None = None, channels: dict | None = None
) -> RecordResult:
    try:
        incoming, channel_ref = post_from_dict(data)
    except FormatError as exc:
        return RecordResult(index, REJECTED, errors=[str(exc)])
    # Validate before resolving the channel, which may create one: a rejected
    # record writes nothing.
    problems = validate(incoming, settings.PARLEY_MAX_POST_CHARS)
    if problems:
        return RecordResult(index, REJECTED, errors=problems)
    channels = {} if channels is None else channels
    key = (incoming.platform, channel_ref)
    if key not in channels:
        channels[key] = channel_for(brand, incoming.platform, channel_ref)
    channel = channels[key]
    try:
        result = actions.ingest_post(brand, channel, incoming, actor=actor, received_at=now)
    except actions.InvalidPost as exc:
        return RecordResult(index, REJECTED, errors=exc.problems)
    return RecordResult(index, CREATED if result.created else DUPLICATE, result.post)


def ingest_records(brand: Brand, user, records: list[Any], now: datetime | None = None) -> list[RecordResult]:
    """Store each record; mark which stored posts the user may see (a redelivery
    must not reveal a post of a conversation hidden from the caller)."""
    channels: dict = {}
    results = [ingest_record(brand, i, data, user, now, channels) for i, data in enumerate(records)]
    stored = [r for r in results if r.post is not None]
    if not stored:
        return results
    # Reload the posts at once with what their representation needs, and with
    # their current conversation (a later record may have merged an earlier one's).
    posts = Post.objects.select_related("author", "author_user__agent_profile").in_bulk(
        [r.post.pk for r in stored]
    )
    visible = set(
        visible_conversations(user, brand)
        .filter(pk__in={p.conversation_id for p in posts.values()})
        .values_list("pk", flat=True)
    )
    for r in stored:
        r.post = posts[r.post.pk]
        r.visible = r.post.conversation_id in visible
    return results


def batch_status(results: list[RecordResult]) -> int:
    """HTTP status of a batch: like a single post when all agree, 207 when mixed."""
    rejected = sum(r.status == REJECTED for r in results)
    if rejected == len(results):
        return 400
    if rejected:
        return 207
    return 201 if any(r.status == CREATED for r in results) else 200


def single_status(result: RecordResult) -> int:
    return {CREATED: 201, DUPLICATE: 200}.get(result.status, 400)
