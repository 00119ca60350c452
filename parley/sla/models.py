"""Business-hours calendars, SLA policies, SLA alerts and follow-ups (promises kept)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from parley.accounts.models import Brand, Team
from parley.inbox.models import Conversation, Post

from .calendar import Calendar, CalendarError
from .policy import KINDS, PolicyError, policy_from_config


class BusinessCalendar(models.Model):
    """Opening hours of a team (or of the brand when team is empty): see calendar.py for the config."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="calendars")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="calendars")
    name = models.CharField(max_length=120)
    # {"timezone": "Europe/Berlin", "hours": {"mon": [["09:00", "17:00"]], ...}, "holidays": ["2026-12-25"]}
    config = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["brand", "team"], name="calendar_unique_team"),
            models.UniqueConstraint(
                fields=["brand"], condition=models.Q(team__isnull=True), name="calendar_unique_brand_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def calendar(self) -> Calendar:
        return Calendar.from_config(self.config)

    def clean(self):
        try:
            self.calendar()
        except CalendarError as exc:
            raise ValidationError(str(exc)) from None
        if self.team_id and self.team.brand_id != self.brand_id:
            raise ValidationError("That team belongs to another brand")

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)


class SlaPolicy(models.Model):
    """Response and resolution targets for the conversations it applies to (first match in order)."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="sla_policies")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=120)
    enabled = models.BooleanField(default=True)
    first_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    next_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)
    business_hours = models.BooleanField(default=True, help_text="Count targets in the team's business hours")
    min_priority = models.PositiveSmallIntegerField(default=0)
    platforms = models.JSONField(default=list, blank=True)
    vip = models.BooleanField(null=True, blank=True, help_text="Only VIPs (yes), only others (no), or all")
    warn_at = models.FloatField(default=0.75, help_text="Near breach once this fraction of the target passed")

    class Meta:
        ordering = ["brand", "position", "id"]
        verbose_name_plural = "SLA policies"

    def __str__(self) -> str:
        return self.name

    def policy(self):
        return policy_from_config(self.pk, {
            "name": self.name, "first_response_minutes": self.first_response_minutes,
            "next_response_minutes": self.next_response_minutes, "resolution_minutes": self.resolution_minutes,
            "business_hours": self.business_hours, "min_priority": self.min_priority,
            "platforms": self.platforms, "vip": self.vip, "warn_at": self.warn_at,
        })

    def clean(self):
        if not isinstance(self.platforms, list):
            raise ValidationError("platforms is a list")
        try:
            self.policy()
        except PolicyError as exc:
            raise ValidationError(str(exc)) from None

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)


class SlaAlert(models.Model):
    """An in-app notification that a conversation's timer is near breach or breached (once per timer)."""

    class Level(models.TextChoices):
        NEAR = "near", "Near breach"
        BREACHED = "breached", "Breached"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="sla_alerts")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="sla_alerts")
    kind = models.CharField(max_length=20, choices=[(k, k.replace("_", " ")) for k in KINDS])
    level = models.CharField(max_length=10, choices=Level.choices)
    policy = models.ForeignKey(SlaPolicy, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField()
    created_at = models.DateTimeField()
    emailed = models.BooleanField(default=False)
    seen = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "kind", "level", "started_at"], name="sla_alert_once")
        ]
        indexes = [models.Index(fields=["brand", "seen", "created_at"], name="sla_alert_brand_seen")]


class FollowUp(models.Model):
    """Something promised to a customer, to be done by `due_at` (from a promise in a reply, or by hand)."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        SNOOZED = "snoozed", "Snoozed"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    class Kind(models.TextChoices):
        PROMISE = "promise", "Promise in a reply"
        MANUAL = "manual", "Set by hand"
        HANDOFF = "handoff", "Waiting for the customer in private"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="follow_ups")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="follow_ups")
    source_post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="follow_ups")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROMISE)
    text = models.CharField(max_length=500)
    # Character offsets of the promise in the source post's text (null for a manual follow-up).
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    due_at = models.DateTimeField()
    # True when the reply named the time; False when the default delay was used.
    due_stated = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["brand", "state", "due_at"], name="followup_brand_state_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_post", "kind", "span_start"], condition=models.Q(source_post__isnull=False),
                name="followup_once_per_promise",
            )
        ]

    def __str__(self) -> str:
        return f"{self.text[:40]} (due {self.due_at:%Y-%m-%d %H:%M})"


class Survey(models.Model):
    """A one-question satisfaction survey (1-5 and a comment) for one conversation, answered by link."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="surveys")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="surveys")
    # The agent the answer is about: the conversation's assignee when the survey was made.
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="surveys")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["brand", "answered_at"], name="survey_brand_answered")]

    def __str__(self) -> str:
        return f"survey of {self.conversation_id}: {self.score or '-'}"


class Callback(models.Model):
    """A phone callback the customer asked for: number (encrypted at rest, never shown in public),
    preferred time and outcome. Its follow-up puts it in the overdue list when the time passes."""

    class State(models.TextChoices):
        REQUESTED = "requested", "Requested"
        DONE = "done", "Called"
        NO_ANSWER = "no_answer", "No answer"
        CANCELLED = "cancelled", "Cancelled"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="callbacks")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="callbacks")
    phone_encrypted = models.TextField()
    phone_last_digits = models.CharField(max_length=4)
    preferred_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    outcome = models.TextField(blank=True)
    follow_up = models.OneToOneField(FollowUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="callback")
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"callback {self.masked_phone} at {self.preferred_at:%Y-%m-%d %H:%M}"

    @property
    def masked_phone(self) -> str:
        return f"•••• {self.phone_last_digits}"


class Resolution(models.Model):
    """One resolution of a conversation ("the book"), and for a case that began in public the
    proposed public closing reply with its feedback request: offered, sent or dismissed."""

    class Proposal(models.TextChoices):
        NONE = "", "No public closing (the case began in private)"
        OFFERED = "offered", "Closing reply proposed"
        SENT = "sent", "Closing reply sent"
        DISMISSED = "dismissed", "Closing reply dismissed"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="resolutions")
    resolved_at = models.DateTimeField()
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    proposal = models.CharField(max_length=10, choices=Proposal.choices, blank=True, default="")
    survey = models.OneToOneField(Survey, null=True, blank=True, on_delete=models.SET_NULL, related_name="resolution")
    reply = models.ForeignKey("inbox.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-resolved_at", "-id"]
        indexes = [models.Index(fields=["conversation", "resolved_at"], name="resolution_conv_at"),
                   models.Index(fields=["brand", "resolved_at"], name="resolution_brand_at")]

    def __str__(self) -> str:
        return f"resolution of {self.conversation_id} at {self.resolved_at:%Y-%m-%d %H:%M}"


class ImplicitFeedback(models.Model):
    """The customer's next message after a resolution or a reply read as thanks or renewed anger."""

    class Kind(models.TextChoices):
        THANKS = "thanks", "Thanks"
        ANGER = "anger", "Renewed anger"

    class After(models.TextChoices):
        RESOLUTION = "resolution", "After the resolution"
        REPLY = "reply", "After a reply"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="implicit_feedback")
    post = models.OneToOneField("inbox.Post", on_delete=models.CASCADE, related_name="implicit_feedback")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="implicit_feedback")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    after = models.CharField(max_length=10, choices=After.choices)
    # What read it so: "phrase" and/or triage fields (intent, sentiment, emotion, anger).
    signals = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["brand", "created_at"], name="implicit_fb_brand_at")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.conversation_id} ({self.after})"
