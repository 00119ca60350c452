"""The bulk import path: one transaction per batch, a few queries in, bulk writes out.

For each batch: look up what the database knows about the batch's posts,
authors and conversations with a handful of IN queries, thread every record in
memory with the live policy (`state.BatchThreader`), then write customers,
identities, conversations, posts and audit events a table at a time
(`tables.Table`: multi-row inserts on SQLite, COPY on PostgreSQL, keys chosen
first). A batch is all or nothing; if a concurrent writer makes it collide (a
unique constraint), it is retried from scratch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from parley.accounts.models import Brand
from parley.inbox import signals
from parley.inbox.actions import reopen_window
from parley.inbox.models import AuditEvent, Conversation, Customer, Identity, Note, Post
from parley.inbox.timeline import PostMoment
from parley.platforms.models import channel_for

from .records import Record
from .state import MERGED, BatchThreader, ConvState, live
from .tables import Table

RETRIES = 3
# SQLite's page cache for the importing connection, in KiB (the default is 2 MiB):
# a post touches a dozen indexes, and a small cache turns that into disk reads.
SQLITE_CACHE_KIB = 128 * 1024
# Pages written to the WAL before SQLite copies them back into the database
# (default 1,000): fewer, larger checkpoints while a batch writes thousands of pages.
WAL_CHECKPOINT_PAGES = 16_384
_POST_FIELDS = ("id", "platform_id", "conversation_id", "created_at", "parent_id", "in_reply_to_id",
                "platform_conversation_id")
_CONVERSATION_UPDATE = ["status", "resolved_at", "reopened_count", "customer_id", "subject", "created_at",
                        "merged_into_id", "last_post_at", "last_inbound_at", "waiting_since", "first_response_at",
                        "updated_at"]
_IDENTITY_UPDATE = ["handle", "display_name", "first_name", "followers", "verified", "updated_at"]
_IDENTITY_FIELDS = ["platform", "platform_user_id", "handle", "display_name", "first_name", "followers", "verified"]
_NEW_CONVERSATION_FIELDS = [
    "id", "brand_id", "customer_id", "channel_id", "platform", "status", "subject", "started_public", "created_at",
    "last_post_at", "last_inbound_at", "waiting_since", "first_response_at", "resolved_at", "reopened_count",
]
_NEW_POST_FIELDS = [
    "id", "brand_id", "conversation_id", "channel_id", "platform", "platform_id", "kind", "direction", "visibility",
    "text", "language", "author_id", "parent_id", "in_reply_to_id", "platform_conversation_id", "url", "created_at",
    "received_at", "likes", "reposts", "replies", "raw", "delivery_status",
]


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


@contextmanager
def import_tuning() -> Iterator[None]:
    """A larger SQLite page cache and rarer checkpoints while importing; nothing to do elsewhere."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        cursor.execute("PRAGMA wal_autocheckpoint")
        checkpoint = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint)}")


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
            self._in_size = in_list_size()
        channel_ids = [self.channels.resolve(r.post.platform, r.channel) for r in records]
        _, created = thread_and_write(self.brand.pk, self.window, list(zip(records, channel_ids)), self.actor,
                                      self.received_at, self._in_size)
        imported = sum(created)
        return imported, len(records) - imported


def in_list_size() -> int:
    """How many values one IN (...) may hold on this database (read once per process)."""
    global _IN_SIZE
    if _IN_SIZE is None:
        _IN_SIZE = _in_list_size()
    return _IN_SIZE


_IN_SIZE: int | None = None


def thread_and_write(
    brand_id: int, window, placed: list[tuple[Record, int | None]], actor: str, received_at: datetime, in_size: int
) -> tuple[BatchThreader, list[bool]]:
    """Thread `placed` (records with their channel ids, in arrival order) and write the outcome.

    Call it inside a transaction. Returns the threader (its `new_posts` carry their keys once
    written, `stored_merges` the stored conversations merged away) and, for each record, whether it
    was new (False: already stored, or repeated earlier in `placed`).
    """
    if connection.vendor == "sqlite":
        # Take the write lock before reading, whatever the transaction mode:
        # the keys chosen for new rows follow the largest ones read.
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {connection.ops.quote_name(Brand._meta.db_table)} SET id = id WHERE id < 0")
    threader = BatchThreader(brand_id, window)
    _Loader(threader, brand_id, in_size).load([record for record, _ in placed])
    created = [threader.place(record, channel_id) for record, channel_id in placed]
    threader.finish()
    _Writer(threader, brand_id, actor, received_at).write()
    return threader, created


STORED_CONVERSATION_FIELDS = (
    "id", "customer_id", "channel_id", "platform", "status", "resolved_at", "created_at", "subject",
    "started_public", "reopened_count", "last_post_at", "last_inbound_at", "waiting_since", "first_response_at",
    "merged_into_id",
)
STORED_IDENTITY_FIELDS = ("id", "customer_id", "platform", "platform_user_id", "handle", "display_name",
                          "first_name", "followers", "verified")


class _Loader:
    """Reads what the database already holds about a batch into the threader."""

    def __init__(self, threader: BatchThreader, brand_id: int, in_size: int):
        self.threader = threader
        self.brand_id = brand_id
        self.in_size = in_size

    def load(self, records: list[Record]) -> None:
        by_platform: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            by_platform[record.post.platform].append(record)
        post_rows: dict[int, tuple] = {}
        identities: list[dict] = []
        posts, identity_table = _table(Post), _table(Identity)
        for platform, batch in by_platform.items():
            scope = {"brand_id": self.brand_id, "platform": platform}

            def fetch(among: str, values: set[str], needed: bool = True) -> None:
                for row in posts.select_in(_POST_FIELDS, scope, among, values, self.in_size):
                    known = post_rows.get(row[0])
                    post_rows[row[0]] = (platform, needed or (known is not None and known[1]), *row)

            # Posts already stored are duplicates: nothing else about them matters
            # unless a new post of the batch names them.
            ids = {record.post.platform_id for record in batch}
            fetch("platform_id", ids, needed=False)
            stored = {row[3] for row in post_rows.values() if row[0] == platform}
            fresh = [record.post for record in batch if record.post.platform_id not in stored]
            fresh_ids = {post.platform_id for post in fresh}
            replies = {post.in_reply_to_id for post in fresh if post.in_reply_to_id}
            threads = {post.platform_conversation_id for post in fresh if post.platform_conversation_id}
            authors = {post.author.platform_user_id for post in fresh if post.author is not None}
            fetch("platform_id", replies | threads)
            fetch("in_reply_to_id", fresh_ids)
            fetch("platform_conversation_id", fresh_ids | threads)
            for row in identity_table.select_in(STORED_IDENTITY_FIELDS, scope, "platform_user_id", authors,
                                                self.in_size):
                identities.append(dict(zip(STORED_IDENTITY_FIELDS, row)))

        conversations = self._conversations(
            {row[4] for row in post_rows.values() if row[1]}, {identity["customer_id"] for identity in identities}
        )
        moments = self._moments([pk for pk, c in conversations.items() if c["status"] != MERGED])
        threader = self.threader
        for pk, conversation in conversations.items():
            threader.add_stored_conversation(conversation, moments.get(pk, []))
        threader.link_stored_merges()
        for platform, needed, pk, pid, conversation_id, created_at, parent_id, in_reply_to, thread in post_rows.values():
            if needed:
                threader.add_stored_post(platform, pk, pid, conversation_id, created_at, parent_id is not None,
                                         in_reply_to, thread)
            else:
                threader.add_duplicate(platform, pid)
        for identity in identities:
            threader.add_stored_identity(identity)

    def _conversations(self, ids: set[int], customers: set[int]) -> dict[int, dict]:
        """The conversations the batch may touch, locked against concurrent changes where the database can."""
        table = _table(Conversation)
        found: dict[int, dict] = {}
        # By customer alone, so that the database uses the customer index (a
        # customer belongs to one brand; the brand is checked here all the same).
        names = [*STORED_CONVERSATION_FIELDS, "brand_id"]
        for row in table.select_in(names, {}, "customer_id", customers, self.in_size, True):
            row = dict(zip(names, row))
            if row.pop("brand_id") == self.brand_id and row["status"] != MERGED:
                found[row["id"]] = row
        missing = ids - found.keys()
        while missing:  # and the conversations merged ones point to, until none is missing
            more = [
                dict(zip(STORED_CONVERSATION_FIELDS, row))
                for row in table.select_in(STORED_CONVERSATION_FIELDS, {}, "id", missing, self.in_size, True)
            ]
            for row in more:
                row.pop("brand_id", None)
                found[row["id"]] = row
            missing = {row["merged_into_id"] for row in more if row["merged_into_id"]} - found.keys()
        return found

    def _moments(self, conversation_ids: list[int]) -> dict[int, list[PostMoment]]:
        moments: dict[int, list[PostMoment]] = defaultdict(list)
        failed = Post.Delivery.FAILED
        fields = ["conversation_id", "direction", "created_at", "delivery_status"]
        for conversation_id, direction, created_at, delivery in _table(Post).select_in(
            fields, {}, "conversation_id", conversation_ids, self.in_size
        ):
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
        self.customer_ids: dict[int, int] = {}

    def write(self) -> None:
        self._customers_and_identities()
        self._conversations()
        self._stored_merges()
        self._posts()
        self._events()

    def _customer_id(self, ckey) -> int | None:
        if ckey is None:
            return None
        return ckey if ckey > 0 else self.customer_ids[ckey]

    def _customers_and_identities(self) -> None:
        t, now, brand_id = self.t, self.now, self.brand_id
        customers = _table(Customer)
        keys = customers.allocate(len(t.new_customers))
        rows = []
        for pk, (ckey, name) in zip(keys, t.new_customers.items()):
            self.customer_ids[ckey] = pk
            rows.append((pk, brand_id, name[:200]))
        customers.insert(["id", "brand_id", "display_name"], rows, now)

        new = [state for state in t.identities.values() if state.new]
        identities = _table(Identity)
        rows = []
        for pk, state in zip(identities.allocate(len(new)), new):
            state.pk = pk
            customer_id = self.customer_ids[state.ckey]
            fields = state.fields
            rows.append((pk, brand_id, customer_id, customer_id, *(fields[name] for name in _IDENTITY_FIELDS)))
        identities.insert(["id", "brand_id", "customer_id", "original_customer_id", *_IDENTITY_FIELDS], rows, now)
        changed = [
            (*(state.fields[name] for name in _IDENTITY_UPDATE[:-1]), now, state.pk)
            for state in t.identities.values()
            if state.dirty
        ]
        identities.update(_IDENTITY_UPDATE, changed)

    def _conversations(self) -> None:
        t = self.t
        new, changed = [], []
        for conv in t.convs.values():
            if t.transient(conv):
                continue
            if not conv.stored:
                new.append(conv)
            elif conv.dirty:
                changed.append(conv)
        table = _table(Conversation)
        for pk, conv in zip(table.allocate(len(new)), new):
            conv.pk = pk
        rows = [
            (
                conv.pk, self.brand_id, self._customer_id(conv.ckey), conv.channel_id, conv.platform, conv.status,
                conv.subject, conv.started_public, conv.created_at, conv.last_post_at, conv.last_inbound_at,
                conv.waiting_since, conv.first_response_at, conv.resolved_at, conv.reopened_count,
            )
            for conv in new
        ]
        table.insert(_NEW_CONVERSATION_FIELDS, rows, self.now)
        updates = []
        for conv in changed:
            merged_into = _written(conv.merged_into).pk if conv.status == MERGED and conv.merged_into else (
                conv.merged_into_id
            )
            updates.append((
                conv.status, conv.resolved_at, conv.reopened_count, self._customer_id(conv.ckey), conv.subject,
                conv.created_at, merged_into, conv.last_post_at, conv.last_inbound_at, conv.waiting_since,
                conv.first_response_at, self.now, conv.pk,
            ))
        table.update(_CONVERSATION_UPDATE, updates)
        # Derived columns (the stored SLA due times) of what was written without save().
        signals.conversations_changed([conv.pk for conv in new] + [row[-1] for row in updates])

    def _stored_merges(self) -> None:
        """Posts, notes and tags of stored conversations that were merged move to where they went."""
        if not self.t.stored_merges:
            return
        by_target: dict[int, list[int]] = defaultdict(list)
        for source in self.t.stored_merges:
            by_target[live(source).pk].append(source.pk)
        through = Conversation.tags.through
        for target, sources in by_target.items():
            Post.objects.filter(conversation_id__in=sources).update(conversation_id=target)
            Note.objects.filter(conversation_id__in=sources).update(conversation_id=target)
            tags = through.objects.filter(conversation_id__in=sources).values_list("tag_id", flat=True)
            through.objects.bulk_create(
                [through(conversation_id=target, tag_id=tag) for tag in set(tags)], ignore_conflicts=True
            )

    def _posts(self) -> None:
        new = self.t.new_posts
        table = _table(Post)
        for pk, post in zip(table.allocate(len(new)), new):
            post.pk = pk
        brand_id, received_at = self.brand_id, self.received_at
        sent, none = Post.Delivery.SENT.value, Post.Delivery.NONE.value
        rows = []
        for state in new:
            post = state.record.post
            rows.append((
                state.pk, brand_id, live(state.conv).pk, state.channel_id, post.platform, post.platform_id,
                post.kind, post.direction, post.visibility, post.text, post.language,
                state.identity.pk if state.identity is not None else None,
                state.parent.pk if state.parent is not None else None,
                post.in_reply_to_id, post.platform_conversation_id, post.url, post.created_at, received_at,
                post.likes, post.reposts, post.replies, post.raw, none if post.direction == "in" else sent,
            ))
        table.insert(_NEW_POST_FIELDS, rows, self.now)
        table.update(["parent"], [(parent.pk, child.pk) for child, parent in self.t.parent_links])

    def _events(self) -> None:
        rows = []
        for verb, subject, conv, data in self.t.events:
            if self.t.transient(subject):
                continue
            target = _written(conv)
            if verb == "conversation.merged":
                data = {"into": target.pk, **data}
            rows.append([None, self.brand_id, self.actor, verb, "conversation", str(subject.pk), target.pk, data])
        table = _table(AuditEvent)
        for pk, row in zip(table.allocate(len(rows)), rows):
            row[0] = pk
        table.insert(["id", "brand_id", "actor_label", "verb", "object_type", "object_id", "conversation_id", "data"],
                     rows, self.now)


_TABLES: dict[tuple[str, type], Table] = {}


def _table(model) -> Table:
    key = (connection.vendor, model)
    if key not in _TABLES:
        _TABLES[key] = Table(model)
    return _TABLES[key]


def _written(conv: ConvState) -> ConvState:
    """The conversation itself, or where it went if it was never written."""
    while not conv.stored and conv.status == MERGED and conv.merged_into is not None:
        conv = conv.merged_into
    return conv
