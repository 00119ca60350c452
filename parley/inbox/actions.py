"""Every write to the inbox goes through a named action here.

Web views, API views, CLI commands and tasks call these; each one validates,
writes in one transaction and records its audit event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Sequence
from functools import partial
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from parley.accounts.models import Brand, Team
from parley.platforms.models import ChannelAccount

from . import signals
from . import threading as policy
from .access import visible_conversations, can_write
from .audit import record
from .ingest import IncomingPost, id_forms, validate
from .models import ACTIVE_STATUSES, Conversation, Customer, Identity, Note, Post, Status, Tag
from .timeline import PostMoment, summarise


class ActionError(ValueError):
    """A request that cannot be carried out; the message is shown to the user."""


class InvalidPost(ActionError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class IngestResult:
    post: Post
    created: bool

    @property
    def conversation(self) -> Conversation:
        return self.post.conversation


def _touch(obj, *fields: str) -> None:
    obj.save(update_fields=[*fields, "updated_at"])


def reopen_window(brand: Brand) -> timedelta:
    hours = brand.setting("reopen_window_hours", settings.PARLEY_REOPEN_WINDOW_HOURS)
    return timedelta(hours=int(hours))


# --- customers and identities ---------------------------------------------------------


def upsert_identity(brand: Brand, platform: str, author) -> Identity:
    """The identity for `author`, created with a new customer when first seen.

    Profile fields only ever fill in or refresh; an empty value never erases a known one.
    """
    return _upsert_identity(brand, platform, author)[0]


def _upsert_identity(brand: Brand, platform: str, author) -> tuple[Identity, bool]:
    """upsert_identity, and whether its customer is new (so has no conversation yet)."""
    try:  # unique (identity_unique_per_platform): get(), no ORDER BY to build
        identity = Identity.objects.select_related("customer").get(
            brand=brand, platform=platform, platform_user_id=author.platform_user_id
        )
    except Identity.DoesNotExist:
        identity = None
    if identity is None:
        customer = Customer.objects.create(
            brand=brand, display_name=author.display_name or author.handle or author.platform_user_id
        )
        try:
            with transaction.atomic():
                identity = Identity.objects.create(
                    brand=brand,
                    customer=customer,
                    original_customer=customer,
                    platform=platform,
                    platform_user_id=author.platform_user_id,
                    handle=author.handle,
                    display_name=author.display_name,
                    first_name=author.first_name,
                    followers=author.followers or 0,
                    verified=bool(author.verified),
                )
            return identity, True
        except IntegrityError:  # created concurrently
            customer.delete()
            return Identity.objects.select_related("customer").get(
                brand=brand, platform=platform, platform_user_id=author.platform_user_id
            ), False
    changed = []
    for name in ("handle", "display_name", "first_name"):
        value = getattr(author, name)
        if value and getattr(identity, name) != value:
            setattr(identity, name, value)
            changed.append(name)
    if author.followers is not None and author.followers != identity.followers:
        identity.followers = author.followers
        changed.append("followers")
    if author.verified is not None and bool(author.verified) != identity.verified:
        identity.verified = bool(author.verified)
        changed.append("verified")
    if changed:
        identity.save(update_fields=[*changed, "updated_at"])
    return identity, False


# --- ingestion ------------------------------------------------------------------------


def _live(conversation: Conversation | None) -> Conversation | None:
    """Follow merges to the conversation that holds the posts now."""
    seen = set()
    while conversation is not None and conversation.status == Status.MERGED and conversation.merged_into_id:
        if conversation.pk in seen:
            break
        seen.add(conversation.pk)
        conversation = conversation.merged_into
    return conversation


def _ref(conversation: Conversation | None) -> policy.ConversationRef | None:
    if conversation is None:
        return None
    return policy.ConversationRef(
        conversation.pk, conversation.status, conversation.resolved_at, conversation.created_at
    )


def refresh_times(conversation: Conversation) -> None:
    rows = Post.objects.filter(conversation=conversation).values_list("direction", "created_at", "delivery_status")
    times = summarise([PostMoment(d == "in", t, s != Post.Delivery.FAILED) for d, t, s in rows])
    conversation.last_post_at = times.last_post_at or conversation.last_post_at
    conversation.last_inbound_at = times.last_inbound_at
    conversation.waiting_since = times.waiting_since
    conversation.first_response_at = times.first_response_at
    _touch(conversation, "last_post_at", "last_inbound_at", "waiting_since", "first_response_at")


def ingest_post(
    brand: Brand,
    channel: ChannelAccount | None,
    incoming: IncomingPost,
    *,
    actor="ingest",
    received_at: datetime | None = None,
) -> IngestResult:
    """Store one arriving post and thread it. Idempotent on (brand, platform, platform id)."""
    problems = validate(incoming, settings.PARLEY_MAX_POST_CHARS)
    if problems:
        raise InvalidPost(problems)
    existing = Post.objects.filter(
        brand=brand, platform=incoming.platform, platform_id__in=id_forms(incoming.platform_id)
    ).select_related("conversation").first()
    if existing is not None:
        return IngestResult(existing, False)
    try:
        with transaction.atomic():
            post = _ingest_new(brand, channel, incoming, actor, received_at)
            transaction.on_commit(partial(signals.post_ingested, post.pk))
            return IngestResult(post, True)
    except IntegrityError:
        existing = Post.objects.filter(
            brand=brand, platform=incoming.platform, platform_id=incoming.platform_id
        ).select_related("conversation").first()
        if existing is None:
            raise
        return IngestResult(existing, False)


def _ingest_new(brand, channel, incoming: IncomingPost, actor, received_at) -> Post:
    now = received_at or timezone.now()
    identity, new_customer = _upsert_identity(brand, incoming.platform, incoming.author) if incoming.author else (None, False)
    platform_posts = Post.objects.filter(brand=brand, platform=incoming.platform)

    # Posts named by the arriving one (the post it replies to, its thread's root) in one query.
    named = {incoming.in_reply_to_id, incoming.platform_conversation_id} - {""}
    by_id = {p.platform_id: p for p in platform_posts.filter(platform_id__in=named).select_related("conversation")}
    parent = by_id.get(incoming.in_reply_to_id) if incoming.in_reply_to_id else None
    thread = None
    if incoming.platform_conversation_id:
        thread_post = (
            platform_posts.filter(platform_conversation_id=incoming.platform_conversation_id)
            .select_related("conversation")
            .order_by("-created_at")
            .first()
        ) or by_id.get(incoming.platform_conversation_id)
        thread = thread_post.conversation if thread_post else None
    author_latest = None
    if incoming.inbound and identity is not None and not new_customer:
        author_latest = (
            Conversation.objects.filter(brand=brand, customer=identity.customer, channel=channel)
            .exclude(status=Status.MERGED)
            .order_by("-last_post_at")
            .first()
        )
    # Posts that arrived before this one and answer it or name it as their thread (out of order).
    waiting = list(
        platform_posts.filter(
            Q(in_reply_to_id=incoming.platform_id) | Q(platform_conversation_id=incoming.platform_id)
        ).values_list("conversation_id", "in_reply_to_id", "parent_id")
    )
    orphans = [_live(c) for c in Conversation.objects.filter(pk__in={row[0] for row in waiting})] if waiting else []
    parent_thread, thread = (_live(parent.conversation) if parent else None), _live(thread)
    known = {c.pk: c for c in (parent_thread, thread, author_latest, *orphans) if c is not None}

    decision = policy.decide(
        policy.Arrival(incoming.inbound, incoming.created_at),
        policy.Candidates(
            parent=_ref(parent_thread),
            platform_thread=_ref(thread),
            author_latest=_ref(author_latest),
            orphans=tuple(_ref(c) for c in orphans if c is not None),
        ),
        reopen_window(brand),
    )

    first_times = None
    if decision.action == policy.NEW and not decision.merge_ids:
        # The post is the conversation's only one: its times need no second look at the database.
        first_times = summarise([PostMoment(incoming.inbound, incoming.created_at)])
    if decision.action == policy.NEW:
        times = first_times or summarise([])
        conversation = Conversation.objects.create(
            brand=brand,
            customer=identity.customer if identity and incoming.inbound else None,
            channel=channel,
            platform=incoming.platform,
            status=Status.NEW,
            subject=incoming.text[:200],
            started_public=incoming.visibility == "public",
            created_at=incoming.created_at,
            last_post_at=incoming.created_at,
            last_inbound_at=times.last_inbound_at,
            waiting_since=times.waiting_since,
            first_response_at=times.first_response_at,
        )
        record(brand, actor, "conversation.created", conversation, conversation, reason=decision.reason)
    else:
        conversation = known.get(decision.conversation_id) or Conversation.objects.get(pk=decision.conversation_id)
        if decision.action == policy.REOPEN:
            conversation.status = Status.OPEN
            conversation.resolved_at = None
            conversation.reopened_count += 1
            _touch(conversation, "status", "resolved_at", "reopened_count")
            record(brand, actor, "conversation.reopened", conversation, conversation, reason=decision.reason)
        elif incoming.inbound and conversation.status == Status.PENDING_CUSTOMER:
            conversation.status = Status.OPEN
            _touch(conversation, "status")
        if conversation.customer_id is None and identity is not None and incoming.inbound:
            conversation.customer = identity.customer
            conversation.subject = conversation.subject or incoming.text[:200]
            _touch(conversation, "customer", "subject")
    for source_id in decision.merge_ids:
        source = Conversation.objects.get(pk=source_id)
        _merge_conversation_into(source, conversation, actor, reason="out-of-order reply chain")

    post = Post.objects.create(
        brand=brand,
        conversation=conversation,
        channel=channel,
        platform=incoming.platform,
        platform_id=incoming.platform_id,
        kind=incoming.kind,
        direction=incoming.direction,
        visibility=incoming.visibility,
        text=incoming.text,
        language=incoming.language,
        author=identity,
        parent=parent,
        in_reply_to_id=incoming.in_reply_to_id,
        platform_conversation_id=incoming.platform_conversation_id,
        url=incoming.url,
        created_at=incoming.created_at,
        received_at=now,
        likes=incoming.likes,
        reposts=incoming.reposts,
        replies=incoming.replies,
        raw=incoming.raw,
        delivery_status=Post.Delivery.SENT if not incoming.inbound else Post.Delivery.NONE,
    )
    if any(reply_to == incoming.platform_id and parent_id is None for _, reply_to, parent_id in waiting):
        platform_posts.filter(in_reply_to_id=incoming.platform_id, parent__isnull=True).update(parent=post)
    if conversation.created_at > post.created_at:
        conversation.created_at = post.created_at
        _touch(conversation, "created_at")
    if first_times is None:
        refresh_times(conversation)
    return post


# --- conversations --------------------------------------------------------------------


def _merge_conversation_into(source: Conversation, target: Conversation, actor, reason: str) -> None:
    if source.pk == target.pk or source.status == Status.MERGED:
        return
    Post.objects.filter(conversation=source).update(conversation=target)
    signals.posts_moved([source.pk, target.pk])
    Note.objects.filter(conversation=source).update(conversation=target)
    target.tags.add(*source.tags.all())
    if target.customer_id is None and source.customer_id is not None:
        target.customer_id = source.customer_id
        target.subject = source.subject
        _touch(target, "customer", "subject")
    if source.created_at < target.created_at:
        target.created_at = source.created_at
        _touch(target, "created_at")
    source.status = Status.MERGED
    source.merged_into = target
    _touch(source, "status", "merged_into")
    record(source.brand, actor, "conversation.merged", source, target, into=target.pk, reason=reason)
    refresh_times(target)


def merge_conversations(source: Conversation, target: Conversation, actor) -> Conversation:
    if source.brand_id != target.brand_id:
        raise ActionError("Conversations of different brands cannot be merged")
    if source.pk == target.pk:
        raise ActionError("A conversation cannot be merged into itself")
    if Status.MERGED in (source.status, target.status):
        raise ActionError("That conversation was already merged")
    with transaction.atomic():
        _merge_conversation_into(source, target, actor, reason="merged by hand")
    return target


_ALLOWED = {
    Status.NEW: set(ACTIVE_STATUSES) | {Status.RESOLVED, Status.CLOSED},
    Status.OPEN: set(ACTIVE_STATUSES) | {Status.RESOLVED, Status.CLOSED},
    Status.PENDING_CUSTOMER: set(ACTIVE_STATUSES) | {Status.RESOLVED, Status.CLOSED},
    Status.PENDING_INTERNAL: set(ACTIVE_STATUSES) | {Status.RESOLVED, Status.CLOSED},
    Status.RESOLVED: {Status.OPEN, Status.CLOSED},
    Status.CLOSED: {Status.OPEN},
    Status.MERGED: set(),
}


def next_statuses(status: str) -> list[str]:
    """The statuses a conversation in `status` may move to, in lifecycle order."""
    allowed = _ALLOWED.get(Status(status), set()) if status in Status.values else set()
    return [s for s in Status.values if s in allowed and s != status]


def set_status(conversation: Conversation, status: str, actor, now: datetime | None = None) -> Conversation:
    now = now or timezone.now()
    if status not in Status.values or status == Status.MERGED:
        raise ActionError(f"Unknown status {status!r}")
    old = conversation.status
    if status == old:
        return conversation
    if status not in _ALLOWED[Status(old)]:
        raise ActionError(
            f"A {Status(old).label.lower()} conversation cannot become {Status(status).label.lower()}"
        )
    with transaction.atomic():
        conversation.status = status
        fields = ["status"]
        if status == Status.RESOLVED:
            conversation.resolved_at = now
            fields.append("resolved_at")
        elif status == Status.CLOSED:
            conversation.closed_at = now
            conversation.resolved_at = conversation.resolved_at or now
            fields += ["closed_at", "resolved_at"]
        elif old in (Status.RESOLVED, Status.CLOSED):  # reopened by hand
            conversation.resolved_at = None
            conversation.closed_at = None
            conversation.reopened_count += 1
            fields += ["resolved_at", "closed_at", "reopened_count"]
        _touch(conversation, *fields)
        reopening = old in (Status.RESOLVED, Status.CLOSED) and status in ACTIVE_STATUSES
        verb = "conversation.reopened" if reopening else "conversation.status"
        record(conversation.brand, actor, verb, conversation, conversation, old=old, new=status)
    return conversation


def resolve(conversation: Conversation, actor, now: datetime | None = None) -> Conversation:
    return set_status(conversation, Status.RESOLVED, actor, now)


def assign(conversation: Conversation, assignee, actor) -> Conversation:
    """Assign to `assignee` (a user) or unassign with None."""
    brand = conversation.brand
    if assignee is not None:
        if not can_write(assignee, brand):
            raise ActionError(f"{assignee.get_username()} cannot take conversations in {brand.name}")
        if not visible_conversations(assignee, brand).filter(pk=conversation.pk).exists():
            raise ActionError(f"{assignee.get_username()} is not on this conversation's team")
    old = conversation.assignee
    if (old.pk if old else None) == (assignee.pk if assignee else None):
        return conversation
    with transaction.atomic():
        conversation.assignee = assignee
        _touch(conversation, "assignee")
        record(
            brand,
            actor,
            "conversation.assigned" if assignee else "conversation.unassigned",
            conversation,
            conversation,
            old=old.get_username() if old else None,
            new=assignee.get_username() if assignee else None,
        )
    return conversation


def set_team(conversation: Conversation, team: Team | None, actor) -> Conversation:
    if team is not None and team.brand_id != conversation.brand_id:
        raise ActionError("That team belongs to another brand")
    if conversation.team_id == (team.pk if team else None):
        return conversation
    with transaction.atomic():
        old = conversation.team
        conversation.team = team
        _touch(conversation, "team")
        assignee = conversation.assignee
        if assignee is not None and not visible_conversations(assignee, conversation.brand).filter(
            pk=conversation.pk
        ).exists():
            # The assignee cannot see the conversation any more: hand it back to the queue.
            conversation.assignee = None
            _touch(conversation, "assignee")
        record(
            conversation.brand, actor, "conversation.team", conversation, conversation,
            old=old.name if old else None, new=team.name if team else None,
        )
    return conversation


def set_priority(conversation: Conversation, priority: int, actor) -> Conversation:
    if not isinstance(priority, int) or not 0 <= priority <= 100:
        raise ActionError("Priority is a whole number from 0 to 100")
    with transaction.atomic():
        old = conversation.priority
        conversation.priority = priority
        _touch(conversation, "priority")
        record(conversation.brand, actor, "conversation.priority", conversation, conversation, old=old, new=priority)
    return conversation


def _tag_name(name: str) -> str:
    name = " ".join(str(name or "").split())[:60]
    if not name:
        raise ActionError("A tag needs a name")
    return name


def add_tag(conversation: Conversation, name: str, actor) -> Tag:
    name = _tag_name(name)
    with transaction.atomic():
        tag, _ = Tag.objects.get_or_create(brand=conversation.brand, name=name)
        if not conversation.tags.filter(pk=tag.pk).exists():
            conversation.tags.add(tag)
            _touch(conversation)
            record(conversation.brand, actor, "conversation.tagged", conversation, conversation, tag=name)
    return tag


def remove_tag(conversation: Conversation, name: str, actor) -> None:
    name = _tag_name(name)
    with transaction.atomic():
        tag = Tag.objects.filter(brand=conversation.brand, name=name).first()
        if tag and conversation.tags.filter(pk=tag.pk).exists():
            conversation.tags.remove(tag)
            _touch(conversation)
            record(conversation.brand, actor, "conversation.untagged", conversation, conversation, tag=name)


MAX_NOTE_CHARS = 10_000


def add_note(conversation: Conversation, text: str, actor) -> Note:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ActionError("A note cannot be empty")
    if len(text) > MAX_NOTE_CHARS:
        raise ActionError(f"A note is at most {MAX_NOTE_CHARS:,} characters")
    with transaction.atomic():
        note = Note.objects.create(conversation=conversation, author=actor if getattr(actor, "pk", None) else None, text=text)
        _touch(conversation)
        record(conversation.brand, actor, "note.added", note, conversation)
    return note


MAX_REPLY_CHARS = 10_000


def clean_reply_text(text: str) -> str:
    """A reply's text as stored: NULs dropped, trimmed; empty or too long is refused."""
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ActionError("A reply cannot be empty")
    if len(text) > MAX_REPLY_CHARS:
        raise ActionError(f"A reply is at most {MAX_REPLY_CHARS:,} characters")
    return text


def create_reply(
    conversation: Conversation,
    text: str,
    actor,
    *,
    visibility: str = "",
    now: datetime | None = None,
    idempotency_key: str | None = None,
) -> Post:
    """Store an outbound reply pending delivery; a connector sends it later.

    Visibility defaults to the visibility of the customer's latest post. The
    reply answers that post. Idempotent on `idempotency_key` when given.
    """
    now = now or timezone.now()
    text = clean_reply_text(text)
    if conversation.status == Status.MERGED:
        raise ActionError("This conversation was merged into another; reply there")
    if idempotency_key:
        existing = _reply_with_key(conversation, idempotency_key)
        if existing is not None:
            return existing
    try:
        return _create_reply(conversation, text, actor, visibility, now, idempotency_key)
    except IntegrityError:
        # The same key was stored concurrently by another request: answer with that reply.
        existing = _reply_with_key(conversation, idempotency_key) if idempotency_key else None
        if existing is None:
            raise
        return existing


def _reply_with_key(conversation: Conversation, key: str) -> Post | None:
    existing = Post.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.conversation_id != conversation.pk:
        raise ActionError("That idempotency key was used for another conversation")
    return existing


def _create_reply(conversation, text, actor, visibility, now, idempotency_key) -> Post:
    last_inbound = (
        Post.objects.filter(conversation=conversation, direction=Post.Direction.INBOUND)
        .order_by("-created_at")
        .first()
    )
    visibility = visibility or (last_inbound.visibility if last_inbound else "public")
    if visibility not in Post.Visibility.values:
        raise ActionError("Visibility is public or private")
    kind = Post.Kind.REPLY if visibility == "public" else Post.Kind.DM
    if conversation.platform == "email":
        kind = Post.Kind.EMAIL
    with transaction.atomic():
        post = Post.objects.create(
            brand=conversation.brand,
            conversation=conversation,
            channel=conversation.channel,
            platform=conversation.platform,
            platform_id=None,
            kind=kind,
            direction=Post.Direction.OUTBOUND,
            visibility=visibility,
            text=text,
            author_user=actor if getattr(actor, "pk", None) else None,
            parent=last_inbound if (last_inbound and last_inbound.visibility == visibility) else None,
            in_reply_to_id=(last_inbound.platform_id or "") if (last_inbound and last_inbound.visibility == visibility) else "",
            created_at=now,
            received_at=now,
            delivery_status=Post.Delivery.PENDING,
            idempotency_key=idempotency_key or uuid.uuid4().hex,
        )
        if conversation.status == Status.NEW:
            conversation.status = Status.OPEN
            _touch(conversation, "status")
        refresh_times(conversation)
        record(conversation.brand, actor, "reply.created", post, conversation, visibility=visibility)
    return post


# --- customers --------------------------------------------------------------------------


def merge_customers(source: Customer, target: Customer, actor) -> Customer:
    """Move `source`'s identities and conversations to `target`."""
    if source.brand_id != target.brand_id:
        raise ActionError("Customers of different brands cannot be merged")
    if source.pk == target.pk:
        raise ActionError("A customer cannot be merged into itself")
    if source.merged_into_id or target.merged_into_id:
        raise ActionError("That customer was already merged")
    with transaction.atomic():
        identities = list(source.identities.values_list("pk", flat=True))
        Identity.objects.filter(pk__in=identities).update(customer=target)
        moved = list(Conversation.objects.filter(customer=source).values_list("pk", flat=True))
        Conversation.objects.filter(pk__in=moved).update(customer=target, updated_at=timezone.now())
        signals.conversations_changed(moved)
        source.merged_into = target
        source.save(update_fields=["merged_into"])
        record(target.brand, actor, "customer.merged", source, None, into=target.pk, identities=identities)
    return target


def unmerge_identity(identity: Identity, actor) -> Customer:
    """Give an identity back its own customer, with the conversations it started."""
    current = identity.customer
    original = identity.original_customer
    if original is None or original.pk == current.pk:
        if current.identities.count() <= 1:
            raise ActionError("This identity is the customer's only one; there is nothing to unmerge")
        original = Customer.objects.create(brand=identity.brand, display_name=identity.display_name or identity.handle)
    with transaction.atomic():
        if original.merged_into_id:
            original.merged_into = None
            original.save(update_fields=["merged_into"])
        identity.customer = original
        if identity.original_customer_id is None:
            identity.original_customer = original
        identity.save(update_fields=["customer", "original_customer", "updated_at"])
        started = [
            c.pk for c in Conversation.objects.filter(customer=current)
            if Post.objects.filter(conversation=c, direction="in").order_by("created_at").values_list(
                "author_id", flat=True
            ).first() == identity.pk
        ]
        Conversation.objects.filter(pk__in=started).update(customer=original, updated_at=timezone.now())
        signals.conversations_changed(started)
        record(identity.brand, actor, "customer.unmerged", identity, None, from_customer=current.pk, to=original.pk)
    return original


# --- what the platform reports about a stored post -------------------------------------


def mark_post_edited(post: Post, text: str, actor="platform", now: datetime | None = None) -> Post:
    """The author edited `post` on the platform: keep the new text and say it was edited."""
    from .ingest import clean_text

    if post.is_deleted:
        raise ActionError("A deleted post cannot be edited")
    text, _ = clean_text(str(text or ""), settings.PARLEY_MAX_POST_CHARS)
    if text == post.text:
        return post
    with transaction.atomic():
        post.text = text
        post.is_edited = True
        post.edited_at = now or timezone.now()
        post.save(update_fields=["text", "is_edited", "edited_at"])
        record(post.brand, actor, "post.edited", post, post.conversation)
    return post


def mark_post_deleted(post: Post, actor="platform", now: datetime | None = None, words: Sequence[str] = ()) -> Post:
    """The author deleted `post` on the platform: it stays for the record (ids, times, author, the
    fact and time of the deletion, its audit events) but its words leave storage, in one transaction:
    the text, the raw payload, a subject copied from it, and every copy another app keeps (the
    post-deleted listeners: triage explanations, webhook bodies, other posts' raw JSON, quotes).

    `words` are texts of the post known elsewhere (an arriving copy that was never stored). Running
    it again on a deleted post erases again (nothing changes when nothing is left) but records once.
    """
    words = [w for w in {post.text, *words} if w]
    if post.is_deleted and not words and post.raw is None:
        return post
    with transaction.atomic():
        conversation = post.conversation
        if conversation.subject and any(conversation.subject == w[:200] for w in words):
            # The subject was copied from this post: the deleted text must not live on there.
            first = (
                Post.objects.filter(conversation=conversation, direction="in", is_deleted=False)
                .exclude(pk=post.pk)
                .order_by("created_at")
                .values_list("text", flat=True)
                .first()
            )
            conversation.subject = (first or "")[:200]
            _touch(conversation, "subject")
        newly = not post.is_deleted
        post.is_deleted = True
        post.deleted_at = post.deleted_at or now or timezone.now()
        post.text = ""
        post.raw = None
        post.save(update_fields=["is_deleted", "deleted_at", "text", "raw"])
        signals.post_deleted(post, words)
        if newly:
            record(post.brand, actor, "post.deleted", post, conversation)
    return post


def set_customer_vip(customer: Customer, is_vip: bool, actor) -> Customer:
    """Mark or unmark a customer as VIP (raises their conversations' priority in triage)."""
    if customer.is_vip == bool(is_vip):
        return customer
    with transaction.atomic():
        customer.is_vip = bool(is_vip)
        customer.save(update_fields=["is_vip"])
        Conversation.objects.filter(customer=customer).update(updated_at=timezone.now())
        record(customer.brand, actor, "customer.vip" if is_vip else "customer.not_vip", customer)
    return customer
