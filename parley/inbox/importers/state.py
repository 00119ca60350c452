"""Threading one import batch in memory, exactly as `actions.ingest_post` would.

`bulk.py` loads what the database already knows about the batch (posts it
names, their conversations and posts' times, the authors' identities and
their conversations), `BatchThreader.place` threads each record in turn with
`parley.inbox.threading.decide`, and `bulk.py` writes the outcome. The steps of
`place` follow `actions._ingest_new` one for one: identity upsert, candidates
(reply chain, platform thread, the author's latest conversation on the
channel, orphans), decision, new/join/reopen, merges, the post, parents for
replies that arrived first, conversation times.

One difference, invisible to anyone: a conversation created and merged away
within the same batch is never written (nothing outside the batch's
transaction could have seen it), nor its audit events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import chain

from parley.inbox import threading as policy
from parley.inbox.ingest import AuthorData
from parley.inbox.models import Status
from parley.inbox.timeline import PostMoment, summarise

from .records import Record

MERGED = Status.MERGED.value
NEW = Status.NEW.value
OPEN = Status.OPEN.value
PENDING_CUSTOMER = Status.PENDING_CUSTOMER.value
# Keys of conversations created in a batch sort after every stored primary key,
# in creation order, as their real keys will.
TEMP_BASE = 10**15


class ConvState:
    """A conversation during the batch: its fields, its posts' times, where it merged to.

    Stored conversations have `pk`; new ones get theirs when written.
    """

    __slots__ = (
        "key", "pk", "ckey", "channel_id", "platform", "status", "resolved_at", "created_at", "subject",
        "started_public", "reopened_count", "last_post_at", "last_inbound_at", "waiting_since",
        "first_response_at", "merged_into", "merged_into_id", "moments", "counted_max", "dirty",
    )

    def __init__(self, key: int, pk: int | None, moments: list[PostMoment], **fields):
        self.key = key
        self.pk = pk
        self.ckey = None  # customer key: a stored customer's pk, or a negative number for a new one
        self.merged_into: ConvState | None = None
        self.merged_into_id = None
        self.resolved_at = None
        self.reopened_count = 0
        self.last_inbound_at = self.waiting_since = self.first_response_at = None
        for name, value in fields.items():
            setattr(self, name, value)
        self.moments = moments
        counted = [m.created_at for m in moments if m.counts]
        self.counted_max = max(counted) if counted else None
        self.dirty = False

    @property
    def stored(self) -> bool:
        return self.key < TEMP_BASE

    def ref(self) -> policy.ConversationRef:
        return policy.ConversationRef(self.key, self.status, self.resolved_at, self.created_at)

    def add_moment(self, moment: PostMoment) -> None:
        self.moments.append(moment)
        if moment.counts and (self.counted_max is None or moment.created_at > self.counted_max):
            self.counted_max = moment.created_at

    def refresh_last_post(self) -> None:
        if self.counted_max is not None:
            self.last_post_at = self.counted_max

    def summarise(self) -> None:
        """Final times from every post, as actions.refresh_times computes them."""
        times = summarise(self.moments)
        self.last_post_at = times.last_post_at or self.last_post_at
        self.last_inbound_at = times.last_inbound_at
        self.waiting_since = times.waiting_since
        self.first_response_at = times.first_response_at


def live(conv: ConvState | None) -> ConvState | None:
    """Follow merges to the conversation that holds the posts now (actions._live)."""
    if conv is None or conv.status != MERGED:
        return conv
    seen = set()
    while conv is not None and conv.status == MERGED and conv.merged_into is not None:
        if conv.key in seen:
            break
        seen.add(conv.key)
        conv = conv.merged_into
    return conv


class PostState:
    """A post the batch knows of: stored (pk set) or new (record set)."""

    __slots__ = ("pid", "conv", "created_at", "pk", "stored", "has_parent", "parent", "record", "identity",
                 "channel_id")

    def __init__(self, pid, conv, created_at, *, pk=None, has_parent=False, record=None, identity=None,
                 channel_id=None, parent=None):
        self.pid = pid
        self.conv = conv
        self.created_at = created_at
        self.pk = pk  # new posts get theirs when written
        self.stored = pk is not None
        self.has_parent = has_parent
        self.parent: PostState | None = parent
        self.record: Record | None = record
        self.identity: IdentityState | None = identity
        self.channel_id = channel_id


class IdentityState:
    """An author's identity: `fields` by column name; `pk` None until a new one is written."""

    __slots__ = ("pk", "fields", "ckey", "new", "dirty")

    def __init__(self, pk: int | None, fields: dict, ckey, new: bool):
        self.pk = pk
        self.fields = fields
        self.ckey = ckey
        self.new = new
        self.dirty = False


@dataclass
class PlatformIndex:
    """The batch's view of one platform's posts: by id, by parent id, by thread id."""

    posts: dict
    replies: dict
    threads: dict


def _by_created(post: PostState):
    return post.created_at


class BatchThreader:
    def __init__(self, brand_id: int, reopen_window: timedelta, temp_start: int = TEMP_BASE):
        self.brand_id = brand_id
        self.window = reopen_window
        self.indexes: dict[str, PlatformIndex] = {}
        self.convs: dict[int, ConvState] = {}
        self.identities: dict[tuple[str, str], IdentityState] = {}
        self.by_author: dict[tuple, list[ConvState]] = {}
        self.new_customers: dict[int, str] = {}  # customer key -> display name
        self.new_posts: list[PostState] = []
        self.parent_links: list[tuple[PostState, PostState]] = []  # (stored child, new parent)
        self.stored_merges: list[ConvState] = []
        self.events: list[tuple[str, ConvState, ConvState, dict]] = []
        self._next_key = temp_start
        self._next_customer = -1

    # --- what the database knows ------------------------------------------------------

    def index(self, platform: str) -> PlatformIndex:
        found = self.indexes.get(platform)
        if found is None:
            found = self.indexes[platform] = PlatformIndex({}, {}, {})
        return found

    def add_stored_conversation(self, row: dict, moments: list[PostMoment]) -> ConvState:
        """A conversation row (a dict of STORED_CONVERSATION_FIELDS)."""
        fields = dict(row)
        pk = fields.pop("id")
        customer_id = fields.pop("customer_id")
        conv = ConvState(pk, pk, moments, **fields)
        conv.ckey = customer_id
        self.convs[pk] = conv
        if customer_id is not None and conv.status != MERGED:
            self.by_author.setdefault((customer_id, conv.channel_id), []).append(conv)
        return conv

    def link_stored_merges(self) -> None:
        for conv in self.convs.values():
            if conv.status == MERGED and conv.merged_into_id is not None:
                conv.merged_into = self.convs.get(conv.merged_into_id)

    def add_stored_post(self, platform, pk, pid, conversation_id, created_at, has_parent, in_reply_to, thread) -> None:
        index = self.index(platform)
        post = PostState(pid, self.convs[conversation_id], created_at, pk=pk, has_parent=has_parent)
        if pid is not None:
            index.posts[pid] = post
        if in_reply_to:
            index.replies.setdefault(in_reply_to, []).append(post)
        if thread:
            index.threads.setdefault(thread, []).append(post)

    def add_duplicate(self, platform: str, pid: str) -> None:
        """A stored post the batch repeats and no new post names: known only as taken."""
        self.index(platform).posts[pid] = None

    def add_stored_identity(self, row: dict) -> None:
        """An identity row (a dict of STORED_IDENTITY_FIELDS)."""
        fields = dict(row)
        pk = fields.pop("id")
        customer_id = fields.pop("customer_id")
        self.identities[(fields["platform"], fields["platform_user_id"])] = IdentityState(pk, fields, customer_id, False)

    # --- threading ------------------------------------------------------------------------

    def place(self, record: Record, channel_id: int | None) -> bool:
        """Thread one record; False when the post is already stored (a duplicate)."""
        post = record.post
        index = self.index(post.platform)
        pid = post.platform_id
        if pid in index.posts:
            return False
        identity = self._upsert_identity(post.platform, post.author) if post.author is not None else None
        inbound = post.direction == "in"

        parent = index.posts.get(post.in_reply_to_id) if post.in_reply_to_id else None
        thread = None
        thread_id = post.platform_conversation_id
        if thread_id:
            holders = index.threads.get(thread_id)
            holder = max(holders, key=_by_created) if holders else index.posts.get(thread_id)
            thread = live(holder.conv) if holder is not None else None
        latest = self._author_latest(identity.ckey, channel_id) if inbound and identity is not None else None
        orphans = {}
        for holder in chain(index.replies.get(pid, ()), index.threads.get(pid, ())):
            conv = live(holder.conv)
            orphans[conv.key] = conv

        decision = policy.decide(
            policy.Arrival(inbound, post.created_at),
            policy.Candidates(
                parent=live(parent.conv).ref() if parent is not None else None,
                platform_thread=thread.ref() if thread is not None else None,
                author_latest=latest.ref() if latest is not None else None,
                orphans=tuple(c.ref() for c in orphans.values()),
            ),
            self.window,
        )

        if decision.action == policy.NEW:
            conv = self._new_conversation(record, channel_id, identity.ckey if identity and inbound else None)
            self.events.append(("conversation.created", conv, conv, {"reason": decision.reason}))
        else:
            conv = self.convs[decision.conversation_id]
            if decision.action == policy.REOPEN:
                conv.status = OPEN
                conv.resolved_at = None
                conv.reopened_count += 1
                self.events.append(("conversation.reopened", conv, conv, {"reason": decision.reason}))
            elif inbound and conv.status == PENDING_CUSTOMER:
                conv.status = OPEN
            if conv.ckey is None and identity is not None and inbound:
                self._set_customer(conv, identity.ckey)
                conv.subject = conv.subject or post.text[:200]
        for source_id in decision.merge_ids:
            self._merge(self.convs[source_id], conv)

        new = PostState(pid, conv, post.created_at, record=record, identity=identity, channel_id=channel_id,
                        parent=parent)
        index.posts[pid] = new
        if post.in_reply_to_id:
            index.replies.setdefault(post.in_reply_to_id, []).append(new)
        if thread_id:
            index.threads.setdefault(thread_id, []).append(new)
        for child in index.replies.get(pid, ()):
            if not child.stored:
                if child.parent is None:
                    child.parent = new
            elif not child.has_parent:
                child.has_parent = True
                self.parent_links.append((child, new))
        self.new_posts.append(new)

        conv.add_moment(PostMoment(inbound, post.created_at, True))
        if conv.created_at > post.created_at:
            conv.created_at = post.created_at
        conv.refresh_last_post()
        conv.dirty = True
        return True

    def _upsert_identity(self, platform: str, author: AuthorData) -> IdentityState:
        """actions.upsert_identity, in memory."""
        key = (platform, author.platform_user_id)
        state = self.identities.get(key)
        if state is None:
            ckey = self._next_customer
            self._next_customer -= 1
            self.new_customers[ckey] = author.display_name or author.handle or author.platform_user_id
            fields = {
                "platform": platform,
                "platform_user_id": author.platform_user_id,
                "handle": author.handle,
                "display_name": author.display_name,
                "first_name": author.first_name,
                "followers": author.followers or 0,
                "verified": bool(author.verified),
            }
            state = self.identities[key] = IdentityState(None, fields, ckey, True)
            return state
        fields = state.fields
        changed = False
        for name in ("handle", "display_name", "first_name"):
            value = getattr(author, name)
            if value and fields[name] != value:
                fields[name] = value
                changed = True
        if author.followers is not None and author.followers != fields["followers"]:
            fields["followers"] = author.followers
            changed = True
        if author.verified is not None and bool(author.verified) != fields["verified"]:
            fields["verified"] = bool(author.verified)
            changed = True
        if changed and not state.new:
            state.dirty = True
        return state

    def _author_latest(self, ckey, channel_id) -> ConvState | None:
        best = None
        for conv in self.by_author.get((ckey, channel_id), ()):
            if conv.status == MERGED:
                continue
            if best is None or (conv.last_post_at, conv.key) > (best.last_post_at, best.key):
                best = conv
        return best

    def _set_customer(self, conv: ConvState, ckey) -> None:
        conv.ckey = ckey
        self.by_author.setdefault((ckey, conv.channel_id), []).append(conv)
        conv.dirty = True

    def _new_conversation(self, record: Record, channel_id, ckey) -> ConvState:
        post = record.post
        conv = ConvState(
            self._next_key,
            None,
            [],
            channel_id=channel_id,
            platform=post.platform,
            status=NEW,
            subject=post.text[:200],
            started_public=post.visibility == "public",
            created_at=post.created_at,
            last_post_at=post.created_at,
        )
        self._next_key += 1
        self.convs[conv.key] = conv
        if ckey is not None:
            self._set_customer(conv, ckey)
        return conv

    def _merge(self, source: ConvState, target: ConvState) -> None:
        """actions._merge_conversation_into, in memory."""
        if source is target or source.status == MERGED:
            return
        for moment in source.moments:
            target.add_moment(moment)
        source.moments = []
        if source.stored:
            self.stored_merges.append(source)
        if target.ckey is None and source.ckey is not None:
            self._set_customer(target, source.ckey)
            target.subject = source.subject
        if source.created_at < target.created_at:
            target.created_at = source.created_at
        source.status = MERGED
        source.merged_into = target
        source.dirty = target.dirty = True
        self.events.append(("conversation.merged", source, target, {"reason": "out-of-order reply chain"}))
        target.refresh_last_post()

    # --- outcome ----------------------------------------------------------------------------

    def finish(self) -> None:
        """Final conversation times (after every record of the batch)."""
        for conv in self.convs.values():
            if conv.dirty and conv.status != MERGED:
                conv.summarise()

    @staticmethod
    def transient(conv: ConvState) -> bool:
        """Created and merged away within this batch: never written."""
        return not conv.stored and conv.status == MERGED
