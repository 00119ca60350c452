"""The bulk import path: one transaction per batch, a few queries in, bulk writes out.

For each batch: look up what the database knows about the batch's posts,
authors and conversations with a handful of IN queries, thread every record in
memory with the live policy (`state.BatchThreader`), then write customers,
identities, conversations, posts and audit events with bulk_create and
bulk_update. A batch is all or nothing; if a concurrent writer makes it
collide (a unique constraint), it is retried from scratch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from parley.accounts.models import Brand
from parley.inbox.actions import reopen_window
from parley.inbox.models import AuditEvent, Conversation, Identity, Note, Post, Status
from parley.inbox.timeline import PostMoment
from parley.platforms.models import channel_for

from .records import Record
from .state import MERGED, BatchThreader, ConvState, PostState, live

RETRIES = 3
# Inserting posts parent-first takes one statement per generation; chains
# deeper than this (or cycles) are linked by an update afterwards.
MAX_GENERATIONS = 12
_POST_FIELDS = ("pk", "platform_id", "conversation_id", "created_at", "parent_id", "in_reply_to_id",
                "platform_conversation_id")
_CONVERSATION_UPDATE = ["status", "resolved_at", "reopened_count", "customer", "subject", "created_at",
                        "merged_into", "last_post_at", "last_inbound_at", "waiting_since", "first_response_at",
                        "updated_at"]
_IDENTITY_UPDATE = ["handle", "display_name", "first_name", "followers", "verified", "updated_at"]


def _in_list_size() -> int:
    """How many values one IN (...) may hold on this database."""
    if connection.vendor == "sqlite":
        try:
            import sqlite3

            connection.ensure_connection()
            limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except Exception:  # an older driver without getlimit
            limit = 999
        return max(100, min(limit - 50, 20_000))
    return 20_000


def _chunks(values: Iterable, size: int):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


class ChannelCache:
    """The brand's channel account ids by (platform, reference), created when new."""

    def __init__(self, brand: Brand):
        self.brand = brand
        self._ids: dict[tuple[str, str], int | None] = {}

    def resolve(self, platform: str, ref: str) -> int | None:
        key = (platform, ref.strip().lstrip("@").lower())
        if key in self._ids:
            return self._ids[key]
        channel = channel_for(self.brand, platform, ref)
        if key[1] and self._ids.get((platform, "")) is None:
            self._ids.pop((platform, ""), None)  # "the first account" may exist now
        self._ids[key] = channel.pk if channel is not None else None
        return self._ids[key]

    def clear(self) -> None:
        self._ids.clear()


class BulkImporter:
    """Imports batches of records into one brand."""

    def __init__(self, brand: Brand, *, actor: str = "import", received_at: datetime | None = None):
        self.brand = brand
        self.actor = actor
        self.received_at = received_at or timezone.now()
        self.window = reopen_window(brand)
        self.channels = ChannelCache(brand)
        self._in_size = None

    def ingest(self, records: list[Record]) -> tuple[int, int]:
        """Import one batch in one transaction; (imported, duplicates)."""
        for attempt in range(RETRIES):
            try:
                with transaction.atomic():
                    return self._ingest(records)
            except IntegrityError:
                self.channels.clear()
                if attempt == RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _ingest(self, records: list[Record]) -> tuple[int, int]:
        if self._in_size is None:
            self._in_size = _in_list_size()
        channel_ids = [self.channels.resolve(r.post.platform, r.channel) for r in records]
        threader = BatchThreader(self.brand.pk, self.window)
        _Loader(threader, self.brand.pk, self._in_size).load(records)
        imported = 0
        for record, channel_id in zip(records, channel_ids):
            if threader.place(record, channel_id):
                imported += 1
        threader.finish()
        _Writer(threader, self.brand.pk, self.actor, self.received_at).write()
        return imported, len(records) - imported


class _Loader:
    """Reads what the database already holds about a batch into the threader."""

    def __init__(self, threader: BatchThreader, brand_id: int, in_size: int):
        self.threader = threader
        self.brand_id = brand_id
        self.in_size = in_size

    def load(self, records: list[Record]) -> None:
        wanted: dict[str, tuple[set, set, set, set]] = defaultdict(lambda: (set(), set(), set(), set()))
        for record in records:
            post = record.post
            ids, replies, threads, authors = wanted[post.platform]
            ids.add(post.platform_id)
            if post.in_reply_to_id:
                replies.add(post.in_reply_to_id)
            if post.platform_conversation_id:
                threads.add(post.platform_conversation_id)
            if post.author is not None:
                authors.add(post.author.platform_user_id)

        post_rows: dict[int, tuple] = {}
        identities: list[Identity] = []
        for platform, (ids, replies, threads, authors) in wanted.items():
            posts = Post.objects.filter(brand_id=self.brand_id, platform=platform)
            for lookup, values in (
                ("platform_id__in", ids | replies | threads),
                ("in_reply_to_id__in", ids),
                ("platform_conversation_id__in", ids | threads),
            ):
                for chunk in _chunks(values, self.in_size):
                    for row in posts.filter(**{lookup: chunk}).values_list(*_POST_FIELDS):
                        post_rows[row[0]] = (platform, *row)
            for chunk in _chunks(authors, self.in_size):
                identities.extend(
                    Identity.objects.filter(brand_id=self.brand_id, platform=platform, platform_user_id__in=chunk)
                )

        conversations = self._conversations(
            {row[3] for row in post_rows.values()}, {identity.customer_id for identity in identities}
        )
        moments = self._moments([c.pk for c in conversations.values() if c.status != MERGED])
        threader = self.threader
        for conversation in conversations.values():
            threader.add_stored_conversation(conversation, moments.get(conversation.pk, []))
        threader.link_stored_merges()
        for platform, pk, pid, conversation_id, created_at, parent_id, in_reply_to, thread in post_rows.values():
            threader.add_stored_post(platform, pk, pid, conversation_id, created_at, parent_id is not None,
                                     in_reply_to, thread)
        for identity in identities:
            threader.add_stored_identity(identity)

    def _conversations(self, ids: set[int], customers: set[int]) -> dict[int, Conversation]:
        found: dict[int, Conversation] = {}
        for chunk in _chunks(customers, self.in_size):
            for conversation in Conversation.objects.filter(brand_id=self.brand_id, customer_id__in=chunk).exclude(
                status=MERGED
            ):
                found[conversation.pk] = conversation
        missing = ids - found.keys()
        while missing:  # and the conversations merged ones point to, until none is missing
            more = []
            for chunk in _chunks(missing, self.in_size):
                more.extend(Conversation.objects.filter(pk__in=chunk))
            for conversation in more:
                found[conversation.pk] = conversation
            missing = {c.merged_into_id for c in more if c.merged_into_id} - found.keys()
        return found

    def _moments(self, conversation_ids: list[int]) -> dict[int, list[PostMoment]]:
        moments: dict[int, list[PostMoment]] = defaultdict(list)
        failed = Post.Delivery.FAILED
        for chunk in _chunks(conversation_ids, self.in_size):
            rows = Post.objects.filter(conversation_id__in=chunk).values_list(
                "conversation_id", "direction", "created_at", "delivery_status"
            )
            for conversation_id, direction, created_at, delivery in rows:
                moments[conversation_id].append(PostMoment(direction == "in", created_at, delivery != failed))
        return moments


class _Writer:
    """Writes a threaded batch: customers, identities, conversations, posts, audit events."""

    def __init__(self, threader: BatchThreader, brand_id: int, actor: str, received_at: datetime):
        self.t = threader
        self.brand_id = brand_id
        self.actor = actor
        self.received_at = received_at
        self.now = timezone.now()

    def write(self) -> None:
        self._identities()
        self._conversations()
        self._stored_merges()
        self._posts()
        self._events()

    def _customer_id(self, ckey) -> int | None:
        if ckey is None:
            return None
        return ckey if ckey > 0 else self.t.new_customers[ckey].pk

    def _identities(self) -> None:
        from parley.inbox.models import Customer

        Customer.objects.bulk_create(list(self.t.new_customers.values()))
        new, changed = [], []
        for state in self.t.identities.values():
            if state.new:
                customer_id = self._customer_id(state.ckey)
                state.obj.customer_id = customer_id
                state.obj.original_customer_id = customer_id
                new.append(state.obj)
            elif state.dirty:
                state.obj.updated_at = self.now
                changed.append(state.obj)
        Identity.objects.bulk_create(new)
        if changed:
            Identity.objects.bulk_update(changed, _IDENTITY_UPDATE)

    def _conversations(self) -> None:
        new, changed = [], []
        for conv in self.t.convs.values():
            if self.t.transient(conv):
                continue
            if not conv.stored:
                conv.obj.customer_id = self._customer_id(conv.ckey)
                new.append(conv.obj)
            elif conv.dirty:
                changed.append(conv)
        Conversation.objects.bulk_create(new)
        for conv in changed:
            obj = conv.obj
            obj.customer_id = self._customer_id(conv.ckey)
            obj.updated_at = self.now
            if obj.status == MERGED and conv.merged_into is not None:
                obj.merged_into_id = _written(conv.merged_into).obj.pk
        if changed:
            Conversation.objects.bulk_update([c.obj for c in changed], _CONVERSATION_UPDATE)

    def _stored_merges(self) -> None:
        """Posts, notes and tags of stored conversations that were merged move to where they went."""
        if not self.t.stored_merges:
            return
        by_target: dict[int, list[int]] = defaultdict(list)
        for source in self.t.stored_merges:
            by_target[live(source).obj.pk].append(source.obj.pk)
        through = Conversation.tags.through
        for target, sources in by_target.items():
            Post.objects.filter(conversation_id__in=sources).update(conversation_id=target)
            Note.objects.filter(conversation_id__in=sources).update(conversation_id=target)
            tags = through.objects.filter(conversation_id__in=sources).values_list("tag_id", flat=True)
            through.objects.bulk_create(
                [through(conversation_id=target, tag_id=tag) for tag in set(tags)], ignore_conflicts=True
            )

    def _posts(self) -> None:
        """Insert new posts parents first, so each can name its parent's key."""
        remaining = self.t.new_posts
        deferred: list[PostState] = []
        generation = 0
        while remaining:
            generation += 1
            ready, waiting = [], []
            for post in remaining:
                parent = post.parent
                if parent is None or parent.pk is not None or parent.obj is not None:
                    ready.append(post)
                else:
                    waiting.append(post)
            late: list[PostState] = []
            if not ready or generation >= MAX_GENERATIONS:  # a cycle, or a very long chain
                late, waiting = waiting, []
            batch = ready + late
            rows = [self._row(post, True) for post in ready] + [self._row(post, False) for post in late]
            Post.objects.bulk_create(rows)
            for post, row in zip(batch, rows):
                post.obj = row
            deferred.extend(late)
            remaining = waiting
        links = []
        for post in deferred:
            post.obj.parent_id = _post_pk(post.parent)
            links.append(post.obj)
        for child, parent in self.t.parent_links:
            links.append(Post(pk=child.pk, parent_id=parent.obj.pk))
        if links:
            Post.objects.bulk_update(links, ["parent"])

    def _row(self, state: PostState, link_parent: bool) -> Post:
        post = state.record.post
        parent = state.parent
        return Post(
            brand_id=self.brand_id,
            conversation_id=live(state.conv).obj.pk,
            channel_id=state.channel_id,
            platform=post.platform,
            platform_id=post.platform_id,
            kind=post.kind,
            direction=post.direction,
            visibility=post.visibility,
            text=post.text,
            language=post.language,
            author_id=state.identity.obj.pk if state.identity is not None else None,
            parent_id=_post_pk(parent) if (parent is not None and link_parent) else None,
            in_reply_to_id=post.in_reply_to_id,
            platform_conversation_id=post.platform_conversation_id,
            url=post.url,
            created_at=post.created_at,
            received_at=self.received_at,
            likes=post.likes,
            reposts=post.reposts,
            replies=post.replies,
            raw=post.raw,
            delivery_status=Post.Delivery.NONE if post.direction == "in" else Post.Delivery.SENT,
        )

    def _events(self) -> None:
        events = []
        for verb, subject, conv, data in self.t.events:
            if self.t.transient(subject):
                continue
            target = _written(conv)
            if verb == "conversation.merged":
                data = {"into": target.obj.pk, **data}
            events.append(
                AuditEvent(
                    brand_id=self.brand_id,
                    actor_label=self.actor,
                    verb=verb,
                    object_type="conversation",
                    object_id=str(subject.obj.pk),
                    conversation_id=target.obj.pk,
                    data=data,
                )
            )
        AuditEvent.objects.bulk_create(events)


def _written(conv: ConvState) -> ConvState:
    """The conversation itself, or where it went if it was never written."""
    while not conv.stored and conv.obj.status == Status.MERGED and conv.merged_into is not None:
        conv = conv.merged_into
    return conv


def _post_pk(post: PostState | None) -> int | None:
    if post is None:
        return None
    return post.pk if post.pk is not None else (post.obj.pk if post.obj is not None else None)
