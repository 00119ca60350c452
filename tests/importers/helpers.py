"""Shared by the importer tests: fixture paths, the live path, comparable snapshots."""

from __future__ import annotations

from pathlib import Path

from parley.inbox import actions
from parley.inbox.importers import Record, arrival_order, open_file
from parley.inbox.models import Conversation, Identity, Post, Status
from parley.platforms.models import channel_for

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def fixture(name: str) -> Path:
    return FIXTURES / name


def records_of(path, brand, fmt="auto") -> list[Record]:
    return [item for item in open_file(path, fmt, brand).records() if isinstance(item, Record)]


def processing_order(records: list[Record], window: int) -> list[Record]:
    """The order the importer threads records in, given its sorting window."""
    ordered = []
    for start in range(0, len(records), window):
        ordered.extend(arrival_order(records[start : start + window]))
    return ordered


def ingest_one_by_one(brand, records: list[Record], received_at=None) -> None:
    """The live path: actions.ingest_post per record, in the order given."""
    for record in records:
        channel = channel_for(brand, record.post.platform, record.channel)
        actions.ingest_post(brand, channel, record.post, actor="import", received_at=received_at)


def _customer_key(customer_id, names):
    return names.get(customer_id)


def snapshot(brand) -> dict:
    """Everything threading decides, keyed by platform ids so two brands compare."""
    customers = {}
    for customer_id, platform, user_id in Identity.objects.filter(brand=brand).values_list(
        "customer_id", "platform", "platform_user_id"
    ):
        customers.setdefault(customer_id, set()).add(f"{platform}:{user_id}")
    names = {cid: tuple(sorted(ids)) for cid, ids in customers.items()}
    posts_by_conversation: dict[int, list[str]] = {}
    post_rows = {}
    for row in Post.objects.filter(brand=brand).values(
        "conversation_id", "platform", "platform_id", "parent__platform_id", "author__platform_user_id",
        "channel__handle", "kind", "direction", "visibility", "text", "delivery_status", "created_at",
        "in_reply_to_id", "platform_conversation_id",
    ):
        key = f"{row['platform']}:{row['platform_id']}"
        posts_by_conversation.setdefault(row["conversation_id"], []).append(key)
        row = dict(row)
        row.pop("conversation_id")
        post_rows[key] = row
    conversations = {}
    for conv in Conversation.objects.filter(brand=brand).exclude(status=Status.MERGED).select_related("channel"):
        members = tuple(sorted(posts_by_conversation.get(conv.pk, [])))
        conversations[members] = {
            "status": conv.status,
            "customer": _customer_key(conv.customer_id, names),
            "channel": conv.channel.handle if conv.channel else None,
            "platform": conv.platform,
            "subject": conv.subject,
            "started_public": conv.started_public,
            "created_at": conv.created_at,
            "last_post_at": conv.last_post_at,
            "last_inbound_at": conv.last_inbound_at,
            "waiting_since": conv.waiting_since,
            "first_response_at": conv.first_response_at,
            "resolved_at": conv.resolved_at,
            "reopened_count": conv.reopened_count,
        }
    merged_holding_posts = Conversation.objects.filter(brand=brand, status=Status.MERGED, posts__isnull=False)
    assert not merged_holding_posts.exists(), "a merged conversation still holds posts"
    return {
        "conversations": conversations,
        "posts": post_rows,
        "customers": sorted(names.values()),
    }


def partition(brand) -> set[frozenset[str]]:
    """The platform ids of each live conversation's posts."""
    groups: dict[int, set[str]] = {}
    for conv_id, pid in Post.objects.filter(brand=brand).values_list("conversation_id", "platform_id"):
        groups.setdefault(conv_id, set()).add(pid)
    return {frozenset(g) for g in groups.values()}
