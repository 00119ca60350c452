"""A brand's accounts on the platforms where customers speak."""

from __future__ import annotations

from django.db import models

from parley.accounts.models import Brand

from .crypto import decrypt_credentials, encrypt_credentials


class Platform(models.TextChoices):
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    YOUTUBE = "youtube", "YouTube"
    EMAIL = "email", "Email"
    OTHER = "other", "Other"


class ChannelAccount(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        NEEDS_REAUTH = "needs_reauth", "Needs re-authorisation"
        # The server's certificate or TLS failed (not the password): check the server and its certificate.
        TLS_FAILED = "tls_failed", "Secure connection failed"
        DISABLED = "disabled", "Disabled"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="channels")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    # The account's id on the platform (X user id, Page id, IG user id, YouTube channel id, mailbox).
    external_id = models.CharField(max_length=128)
    handle = models.CharField(max_length=128, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # Fernet-encrypted JSON; never rendered, never logged.
    credentials_encrypted = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Why the channel needs attention (token revoked, ...); shown as a banner.
    status_detail = models.CharField(max_length=300, blank=True, default="")
    # The platform asked us to wait (rate limit) until then; sends are deferred, never dropped.
    paused_until = models.DateTimeField(null=True, blank=True)
    # Messenger / Instagram: a person's reply may go out up to 7 days after the customer's last message,
    # tagged HUMAN_AGENT (Meta must have granted the app the Human Agent permission).
    human_agent = models.BooleanField(default=False)

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "platform", "external_id"], name="channel_unique_per_brand_platform"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.handle or self.display_name or self.external_id}"

    def set_credentials(self, values: dict) -> None:
        self.credentials_encrypted = encrypt_credentials(values)

    def get_credentials(self) -> dict:
        return decrypt_credentials(self.credentials_encrypted)

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials_encrypted)


def channel_for(brand: Brand, platform: str, ref: str) -> ChannelAccount | None:
    """The brand's channel account on `platform` named by id or handle, created when new.

    An empty `ref` means the brand's first account on that platform, if any.
    """
    ref = (ref or "").strip().lstrip("@")
    qs = ChannelAccount.objects.filter(brand=brand, platform=platform)
    if not ref:
        return qs.order_by("id").first()
    found = qs.filter(models.Q(external_id=ref) | models.Q(handle__iexact=ref)).order_by("id").first()
    if found is not None:
        return found
    channel, _ = ChannelAccount.objects.get_or_create(
        brand=brand, platform=platform, external_id=ref[:128], defaults={"handle": ref[:128]}
    )
    return channel


class WebhookDelivery(models.Model):
    """One signed webhook body exactly as received; unique, so a redelivery is recognised."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        DONE = "done", "Processed"
        DEAD = "dead", "Dead letter"

    platform = models.CharField(max_length=20)  # "x" or "meta"
    # SHA-256 of the body: the platforms resend the same bytes when they redeliver.
    key = models.CharField(max_length=64)
    body = models.BinaryField()
    received_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.TextField(blank=True, default="")
    # What processing found: counts per outcome, accounts that matched no channel.
    summary = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    # The posts it carries are listed in CarriedPost (written when it was processed, or by the
    # backfill of `parley webhooks scrub-deleted`); a deletion scans only bodies not listed yet.
    carried_indexed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [models.UniqueConstraint(fields=["platform", "key"], name="webhook_delivery_unique")]
        indexes = [
            models.Index(fields=["state", "received_at"], name="webhook_state_received"),
            # The bodies a deletion still scans: not listed in CarriedPost (few once listed).
            models.Index(fields=["received_at"], condition=models.Q(carried_indexed=False),
                         name="webhook_unlisted_received"),
        ]

    def __str__(self) -> str:
        return f"{self.platform} delivery {self.pk} ({self.state})"

    def text(self) -> str:
        return bytes(self.body).decode("utf-8", errors="replace")


class OutboxItem(models.Model):
    """One thing to do on a platform (send a reply or message, like, repost, hide), with its retries."""

    class Action(models.TextChoices):
        SEND = "send", "Send reply or message"
        LIKE = "like", "Like"
        REPOST = "repost", "Repost"
        HIDE = "hide", "Hide comment"
        DELETE = "delete", "Delete comment"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        RETRY = "retry", "Waiting to retry"
        SENT = "sent", "Done"
        FAILED = "failed", "Failed"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="outbox")
    channel = models.ForeignKey(ChannelAccount, on_delete=models.CASCADE, related_name="outbox")
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.SEND)
    # The outbound post to send, or the post acted on (like, repost, hide, delete).
    post = models.ForeignKey("inbox.Post", on_delete=models.CASCADE, related_name="outbox_items")
    key = models.CharField(max_length=80, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_state_next")]

    def __str__(self) -> str:
        return f"{self.action} post {self.post_id} ({self.state})"


class Tombstone(models.Model):
    """The platform reported a post deleted before we stored it: when it arrives it is hidden at once."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    platform = models.CharField(max_length=20)
    platform_id = models.CharField(max_length=512)
    deleted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["brand", "platform", "platform_id"], name="tombstone_unique")
        ]


class CarriedPost(models.Model):
    """A post whose words a stored webhook body may hold (the post itself, a like's or a quote's
    copy, an edit, a reply naming it): a deletion redacts exactly the bodies listed under its id."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="+")
    family = models.CharField(max_length=20)  # the delivery's webhook family: "x", "meta", "email"
    platform_id = models.CharField(max_length=512)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["family", "platform_id", "delivery"], name="carried_post_unique")
        ]


class PollState(models.Model):
    """Where polling of a channel stands: the newest time (YouTube) or id (X mentions) already seen."""

    channel = models.OneToOneField(ChannelAccount, on_delete=models.CASCADE, related_name="poll_state")
    cursor = models.DateTimeField(null=True, blank=True)
    # The newest id already seen, for APIs that page by id (X: since_id).
    cursor_id = models.CharField(max_length=128, blank=True, default="")
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")


class QuotaUsage(models.Model):
    """Units of a platform's daily quota spent (YouTube: per Google Cloud project, so per installation)."""

    api = models.CharField(max_length=20)
    day = models.DateField()
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["api", "day"], name="quota_usage_unique")]


class PrivateReply(models.Model):
    """The one private message a brand may send to the author of a comment (Meta's private replies).

    The unique comment makes "one per comment" hold in the database: two agents who both try commit
    one row; the second insert fails and is refused. A row stays once written (the platform allows no
    second try for a comment even when the first was refused), its post carries the delivery state.
    """

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    comment = models.OneToOneField("inbox.Post", on_delete=models.CASCADE, related_name="private_reply")
    post = models.OneToOneField("inbox.Post", on_delete=models.CASCADE, related_name="private_reply_to")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"private reply {self.post_id} to comment {self.comment_id}"
