"""Customers, their identities, posts, conversations (cases), notes, tags and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.lookups import IsNull

from parley.accounts.models import Brand, Team
from parley.platforms.models import ChannelAccount, Platform

from . import signals


class Customer(models.Model):
    """A person the brand talks to; may hold identities on several platforms."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="customers")
    display_name = models.CharField(max_length=200, blank=True)
    is_vip = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    # Set when this customer was merged into another; its identities and
    # conversations then live on the target.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.display_name or f"Customer {self.pk}"

    @property
    def first_name(self) -> str:
        for identity in self.identities.all():
            if identity.first_name:
                return identity.first_name
        return ""


class Identity(models.Model):
    """One account of a customer on one platform."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="identities")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identities")
    # The customer this identity was first created with; unmerging returns it there.
    original_customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="original_identities"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    platform_user_id = models.CharField(max_length=128)
    handle = models.CharField(max_length=128, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    first_name = models.CharField(max_length=80, blank=True)
    followers = models.PositiveIntegerField(default=0)
    verified = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "identities"
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "platform", "platform_user_id"], name="identity_unique_per_platform"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.handle or self.platform_user_id}"

    @property
    def label(self) -> str:
        if self.handle:
            return self.handle if self.handle.startswith("@") or self.platform == "email" else f"@{self.handle}"
        return self.display_name or self.platform_user_id


class Tag(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["brand", "name"], name="tag_unique_per_brand")]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    PENDING_CUSTOMER = "pending_customer", "Pending customer"
    PENDING_INTERNAL = "pending_internal", "Pending internal"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"
    MERGED = "merged", "Merged"


# Statuses in which a conversation still needs the team's attention.
ACTIVE_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING_CUSTOMER, Status.PENDING_INTERNAL)
# Statuses of finished conversations, and every status the inbox lists (merged ones live on in their target).
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED)
LISTED_STATUSES = ACTIVE_STATUSES + DONE_STATUSES


# "waiting_since NULLS LAST" as a sort key after the first one: SQLite keeps NULLs first in an index
# and can serve NULLS LAST only on the first ORDER BY term, so a later NULLS LAST term costs a sort of
# every tie (USE TEMP B-TREE FOR RIGHT PART OF ORDER BY). Sorting by "waiting_since IS NULL", then
# waiting_since, gives the same order on both databases and an index on that expression serves it.
WAITING_IS_NULL = IsNull(models.F("waiting_since"), True)


def _partial_indexes(group: str, statuses, tail: list[str], recent: bool) -> list[models.Index]:
    """Indexes for the inbox sorts (queries.SORTS) over conversations in `statuses`."""
    orders = {
        "wait": ["waiting_since", "last_post_at", "id"],
        "prio": ["-priority", "waiting_since", "id"],
        "recent": ["last_post_at", "id"] if recent else None,
        # Least SLA time left first (the stored next due time; queries.SORTS["sla"]), active only.
        "sla": ["sla_due_at", WAITING_IS_NULL, "waiting_since", "last_post_at", "id"] if group == "active" else None,
    }
    out = []
    for sort, order in orders.items():
        if not order:
            continue
        columns = ["brand", *order, *[f for f in tail if f not in order and f"-{f}" not in order]]
        condition, name = models.Q(status__in=statuses), f"conv_{group}_{sort}"
        if all(isinstance(c, str) for c in columns):
            out.append(models.Index(fields=columns, condition=condition, name=name))
        else:  # an expression index (its plain columns as F())
            out.append(models.Index(*[models.F(c) if isinstance(c, str) else c for c in columns],
                                    condition=condition, name=name))
    return out


# Columns the inbox filters and access scopes test; carried in every list index.
_FILTERED = ["team", "assignee", "priority", "platform", "channel"]


class Conversation(models.Model):
    """A case: one customer's matter across the public thread and private messages."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="conversations")
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    channel = models.ForeignKey(
        ChannelAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned"
    )
    # 0-100; triage computes it, agents may raise it.
    priority = models.PositiveSmallIntegerField(default=0)
    tags = models.ManyToManyField(Tag, blank=True, related_name="conversations")
    subject = models.CharField(max_length=200, blank=True)
    # True when the matter began in public (a public reply is then due at the close).
    started_public = models.BooleanField(default=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    last_post_at = models.DateTimeField()
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    # When the customer started waiting for us; null when the brand spoke last.
    waiting_since = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopened_count = models.PositiveIntegerField(default=0)
    # Stored by parley.sla.stored from the brand's SLA policy and calendar (sla.policy.next_due): when
    # the first running timer is breached, and when the first is near breach; null when no timer runs.
    # Kept on every save that changes what they depend on; the inbox's SLA filters and sort and the
    # SLA sweep read them. Bulk writes that bypass save() call inbox.signals.conversations_changed.
    sla_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    sla_warn_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["brand", "last_post_at"], name="conv_brand_last_post"),
            models.Index(fields=["team", "status", "waiting_since"], name="conv_team_status_wait"),
            models.Index(fields=["assignee", "status"], name="conv_assignee_status"),
            models.Index(fields=["customer", "channel", "status"], name="conv_customer_channel"),
            # The inbox lists: per status group, one partial index per sort order, so a
            # page reads 50 index entries in order instead of sorting a brand's history
            # (the "all" view sorted by recency uses conv_brand_last_post). The filtered
            # columns ride along, so access scopes, filters and counts are answered from
            # the index. SQLite uses a partial index only when the query repeats its
            # condition with literal values: filter with queries.ACTIVE / DONE /
            # NOT_MERGED rather than status__in=...
            *_partial_indexes("active", ACTIVE_STATUSES, _FILTERED, recent=True),
            *_partial_indexes("done", DONE_STATUSES, ["status", *_FILTERED], recent=True),
            *_partial_indexes("listed", LISTED_STATUSES, _FILTERED, recent=False),
            # The SLA sweep's candidates: active conversations with a timer near breach by now.
            models.Index(fields=["sla_warn_at"], condition=models.Q(status__in=ACTIVE_STATUSES),
                         name="conv_active_sla_warn"),
        ]

    def save(self, *args, **kwargs):
        # Derived columns (the stored SLA due times) are refreshed by listeners and written in
        # the same statement (signals.conversation_saving).
        kwargs["update_fields"] = signals.conversation_saving(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.ref} {self.subject[:40]}"

    @property
    def ref(self) -> str:
        return f"C-{self.pk:06d}" if self.pk else "C-new"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class Post(models.Model):
    class Kind(models.TextChoices):
        POST = "post", "Public post"
        COMMENT = "comment", "Comment"
        REPLY = "reply", "Reply"
        MENTION = "mention", "Mention"
        QUOTE = "quote", "Quote"
        DM = "dm", "Direct message"
        REVIEW = "review", "Review"
        EMAIL = "email", "Email"

    class Direction(models.TextChoices):
        INBOUND = "in", "Inbound"
        OUTBOUND = "out", "Outbound"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        PRIVATE = "private", "Private"

    class Delivery(models.TextChoices):
        NONE = "", "Not applicable"
        PENDING = "pending", "Pending delivery"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="posts")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="posts")
    channel = models.ForeignKey(
        ChannelAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    # The platform's id; null for an outbound reply not yet delivered.
    platform_id = models.CharField(max_length=512, null=True, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.POST)
    direction = models.CharField(max_length=3, choices=Direction.choices, default=Direction.INBOUND)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    text = models.TextField(blank=True)
    language = models.CharField(max_length=16, blank=True)
    author = models.ForeignKey(Identity, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts")
    # The agent who wrote an outbound post in Parley.
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    # Platform id of the post this one answers; kept so that a reply stored
    # before its parent is linked when the parent arrives.
    in_reply_to_id = models.CharField(max_length=512, blank=True, default="")
    platform_conversation_id = models.CharField(max_length=512, blank=True, default="")
    url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    received_at = models.DateTimeField()
    likes = models.PositiveIntegerField(default=0)
    reposts = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    raw = models.JSONField(null=True, blank=True)
    is_edited = models.BooleanField(default=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    delivery_status = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.NONE, blank=True)
    delivery_error = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "platform", "platform_id"], name="post_unique_platform_id"
            )
        ]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="post_conv_created"),
            models.Index(fields=["brand", "platform", "in_reply_to_id"], name="post_in_reply_to"),
            models.Index(fields=["brand", "platform", "platform_conversation_id"], name="post_platform_conv"),
            models.Index(fields=["brand", "received_at"], name="post_brand_received"),
            # The inbox and reports: a brand's inbound (or outbound) posts by time.
            models.Index(fields=["brand", "direction", "created_at"], name="post_brand_dir_created"),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.platform_id} {self.text[:40]}"

    @property
    def shown_text(self) -> str:
        """The text as it may be displayed: nothing once the platform deleted it."""
        return "" if self.is_deleted else self.text


class Note(models.Model):
    """An internal note on a conversation; never sent to the customer."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: D102
        raise PermissionError("audit events are append-only")

    def delete(self):  # noqa: D102
        raise PermissionError("audit events are append-only")


class AuditEvent(models.Model):
    """Who did what, when, on what. Append-only."""

    brand = models.ForeignKey(Brand, null=True, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # "system", "import", "api:<user>", ... for actions no person took.
    actor_label = models.CharField(max_length=120, blank=True)
    verb = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit events are append-only")
