"""Triage stored beside each post, and agents' corrections kept as training data."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from parley.inbox.models import Conversation, Post


class PostTriage(models.Model):
    """What triage understood of one post (fields named as in the issue)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        TRIAGED = "triaged", "Triaged"
        NOT_TRIAGED = "not_triaged", "Not triaged"
        FAILED = "failed", "Failed"

    post = models.OneToOneField(Post, on_delete=models.CASCADE, primary_key=True, related_name="triage")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    model_version = models.CharField(max_length=40, blank=True)
    profile = models.CharField(max_length=12, blank=True)

    intent = models.CharField(max_length=12, blank=True)
    intent_scores = models.JSONField(default=dict, blank=True)
    complaint = models.FloatField(null=True, blank=True)
    sentiment = models.CharField(max_length=10, blank=True)
    sentiment_scores = models.JSONField(default=dict, blank=True)
    emotion = models.CharField(max_length=10, blank=True)
    emotion_scores = models.JSONField(default=dict, blank=True)
    severity = models.PositiveSmallIntegerField(null=True, blank=True)
    anger = models.FloatField(null=True, blank=True)
    offensive = models.FloatField(null=True, blank=True)
    hate = models.FloatField(null=True, blank=True)
    troll = models.FloatField(null=True, blank=True)
    desired_outcome = models.CharField(max_length=16, blank=True)
    desired_outcome_scores = models.JSONField(default=dict, blank=True)
    outcome_unclear = models.BooleanField(null=True, blank=True)
    needs_response = models.FloatField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    topics = models.JSONField(default=list, blank=True)
    private_data_posted = models.JSONField(default=list, blank=True)
    private_data_spans = models.JSONField(default=list, blank=True)
    explanation = models.JSONField(default=dict, blank=True)
    # The priority computed with this triage, and its readable breakdown.
    priority = models.PositiveSmallIntegerField(null=True, blank=True)
    priority_breakdown = models.JSONField(default=list, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="triage_status_next"),
            models.Index(fields=["intent"], name="triage_intent"),
        ]

    def __str__(self) -> str:
        return f"triage of post {self.post_id}: {self.status} {self.intent}"


class TriageCorrection(models.Model):
    """An agent changed one triage field; kept to retrain (`parley train --with-corrections`)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="triage_corrections")
    field = models.CharField(max_length=30)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["field", "created_at"], name="triage_corr_field")]


class ConversationTriageFlag(models.Model):
    """One triage value that some customer post of a conversation has (the conversation's triage summary).

    The inbox's triage filters read these instead of every post's triage, so a rare
    flag (troll, private data, a topic, severity 3+) finds its few conversations
    through one index. Kept by parley.triage.summary whenever triage is stored or
    corrected and when posts move between conversations; `parley triage_summary`
    rebuilds them. Values: see summary.flags_of.
    """

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+", db_index=False)
    flag = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "flag"], name="triage_flag_unique")]
        indexes = [models.Index(fields=["flag", "conversation"], name="triage_flag_conv")]

    def __str__(self) -> str:
        return f"conversation {self.conversation_id}: {self.flag}"
