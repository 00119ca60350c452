"""Routing rules, agents' availability and skills, and what routing did to each post."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from parley.accounts.models import Brand
from parley.inbox.models import Conversation, Post

from .rules import RuleError, compile_rule


class RoutingRule(models.Model):
    """One ordered rule of a brand (see rules.py for the JSON of conditions and actions)."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="routing_rules")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=120)
    enabled = models.BooleanField(default=True)
    conditions = models.JSONField(default=dict, blank=True)
    actions = models.JSONField(default=list)
    stop = models.BooleanField(default=False, help_text="Stop processing later rules when this one matches")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["brand", "position", "id"]
        indexes = [models.Index(fields=["brand", "enabled", "position"], name="routing_rule_order")]

    def __str__(self) -> str:
        return self.name

    def as_config(self) -> dict:
        return {"name": self.name, "conditions": self.conditions, "actions": self.actions, "stop": self.stop}

    def compiled(self):
        return compile_rule(self.as_config(), self.pk)

    def clean(self):
        try:
            self.compiled()
        except RuleError as exc:
            raise ValidationError(str(exc)) from None

    def save(self, *args, **kwargs):
        self.clean()  # invalid JSON never reaches the table
        super().save(*args, **kwargs)


class AgentAvailability(models.Model):
    """An agent's presence, skills and shift in one brand (used by automatic assignment)."""

    class State(models.TextChoices):
        ONLINE = "online", "Online"
        AWAY = "away", "Away"
        OFFLINE = "offline", "Offline"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability")
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="agent_availability")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OFFLINE)
    # Skills: language codes ("en", "de") and platforms ("x", "facebook"); empty means any.
    languages = models.JSONField(default=list, blank=True)
    platforms = models.JSONField(default=list, blank=True)
    # Weekly shift as a calendar config (sla.calendar): {"timezone": ..., "hours": {...}}; empty = always.
    shift = models.JSONField(default=dict, blank=True)
    last_assigned_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "agent availability"
        constraints = [models.UniqueConstraint(fields=["user", "brand"], name="availability_unique_user_brand")]

    def __str__(self) -> str:
        return f"{self.user} in {self.brand}: {self.state}"

    def clean(self):
        from parley.sla.calendar import Calendar, CalendarError

        for name in ("languages", "platforms"):
            value = getattr(self, name)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValidationError(f"{name} is a list of codes")
        if self.shift:
            try:
                Calendar.from_config(self.shift)
            except CalendarError as exc:
                raise ValidationError(f"shift: {exc}") from None

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)


class RoutingResult(models.Model):
    """Routing ran for this inbound post (once): what the rules decided and what was applied."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, primary_key=True, related_name="routing")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="routing_results")
    decision = models.JSONField(default=dict)
    applied = models.JSONField(default=list)
    routed_at = models.DateTimeField()


class Acknowledgement(models.Model):
    """The one automatic acknowledgement a conversation got (never repeated into the same thread)."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="acknowledgement")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=20)  # "rule" or "off_hours"
    sent_at = models.DateTimeField()
