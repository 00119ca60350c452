"""Reply templates (macros): a brand's library, scoped by team, channel, intent and outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from parley.accounts.models import Brand, Team


class Template(models.Model):
    class Visibility(models.TextChoices):
        ANY = "", "Public or private"
        PUBLIC = "public", "Public replies"
        PRIVATE = "private", "Private messages"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="reply_templates")
    name = models.CharField(max_length=120)
    # What an agent types after "/" to find it.
    shortcut = models.SlugField(max_length=60)
    body = models.TextField()
    # Scopes: empty means "any".
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="reply_templates")
    channel = models.CharField(max_length=20, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, blank=True)
    intent = models.CharField(max_length=12, blank=True)
    desired_outcome = models.CharField(max_length=16, blank=True)
    is_active = models.BooleanField(default=True)
    usage_count = models.PositiveIntegerField(default=0)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "shortcut"], name="composer_template_unique_shortcut"),
        ]
        indexes = [models.Index(fields=["brand", "is_active"], name="composer_template_brand_active")]

    def __str__(self) -> str:
        return f"/{self.shortcut} {self.name}"


class ReplyCheck(models.Model):
    """The guardrail findings a sent reply had, and who overrode a block (and why)."""

    post = models.OneToOneField("inbox.Post", on_delete=models.CASCADE, primary_key=True, related_name="guardrail_check")
    findings = models.JSONField(default=list, blank=True)
    blocked = models.BooleanField(default=False)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_reason = models.TextField(blank=True)
    template = models.ForeignKey(Template, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"check of post {self.post_id}: {len(self.findings)} findings"


class Approval(models.Model):
    """A reply waiting for a supervisor: approved (possibly edited) and sent, or rejected."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved and sent"
        REJECTED = "rejected", "Rejected"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey("inbox.Conversation", on_delete=models.CASCADE, related_name="approvals")
    text = models.TextField()
    visibility = models.CharField(max_length=10)
    reasons = models.JSONField(default=list, blank=True)
    findings = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    post = models.OneToOneField("inbox.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["brand", "status", "created_at"], name="composer_approval_queue")]

    def __str__(self) -> str:
        return f"approval {self.pk} ({self.status})"


class OutcomeShare(models.Model):
    """A shareable summary of a resolved case with a happy customer, for PR/comms to copy or queue.

    The customer's words are quoted only with their consent; otherwise the handle is anonymised.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Copied (draft)"
        QUEUED = "queued", "Queued as a public post draft"
        # Decided on the outcome drafts page by comms/PR (praise_actions.decide_outcome_share).
        USED = "used", "Used by comms"
        DISCARDED = "discarded", "Discarded"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey("inbox.Conversation", on_delete=models.CASCADE, related_name="outcome_shares")
    quote = models.TextField(blank=True)
    quote_post = models.ForeignKey("inbox.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    consent = models.BooleanField(default=False)
    shown_handle = models.CharField(max_length=130)
    outcome = models.CharField(max_length=300)
    text = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["brand", "status", "created_at"], name="composer_share_queue")]

    def __str__(self) -> str:
        return f"outcome share {self.pk} of {self.conversation_id} ({self.status})"


class Presence(models.Model):
    """Who has a conversation open, and who is writing in it: one row per agent and conversation,
    refreshed by the page's heartbeat; a row older than PARLEY_PRESENCE_TTL_SECONDS means gone."""

    conversation = models.ForeignKey("inbox.Conversation", on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()
    typing_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="composer_presence_once")]

    def __str__(self) -> str:
        return f"presence of {self.user_id} in {self.conversation_id}"
