"""Triage in the REST API, as serializers: a post's triage, a conversation's triage summary, a correction.

The views are in triage_views.py.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from parley.inbox.models import Post
from parley.triage.actions import CORRECTABLE
from parley.triage.labels import EMOTIONS, INTENTS, OUTCOMES, PRIVATE_KINDS, SENTIMENTS
from parley.triage.models import PostTriage
from parley.triage.queries import corrections_for

# Named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]: several label sets share values ("neutral").
TRIAGE_STATUSES = list(PostTriage.Status.choices)
TRIAGE_INTENTS = [(v, v) for v in INTENTS]
TRIAGE_SENTIMENTS = [(v, v) for v in SENTIMENTS]
TRIAGE_EMOTIONS = [(v, v) for v in EMOTIONS]
TRIAGE_OUTCOMES = [(v, v) for v in OUTCOMES]
CORRECTABLE_FIELDS = [(v, v) for v in CORRECTABLE]


class PriorityFactorSerializer(serializers.Serializer):
    factor = serializers.CharField(help_text="intent, severity, anger, reach, verified, vip, velocity, pile_on, "
                                             "public, waiting, sla or troll")
    points = serializers.IntegerField()
    why = serializers.CharField(help_text='Readable reason, e.g. "waiting 40 min".')


class ScoresField(serializers.DictField):
    child = serializers.FloatField()


class PostTriageSerializer(serializers.Serializer):
    """A post's triage, fields named as in docs/triage.md. Empty or null until triage ran."""

    post = serializers.IntegerField(source="post_id")
    status = serializers.ChoiceField(choices=TRIAGE_STATUSES)
    reason = serializers.CharField(help_text='Why a post is not triaged ("" when it is).')
    model_version = serializers.CharField()
    profile = serializers.CharField()
    intent = serializers.ChoiceField(choices=TRIAGE_INTENTS, allow_blank=True)
    intent_scores = ScoresField()
    complaint = serializers.FloatField(allow_null=True)
    sentiment = serializers.ChoiceField(choices=TRIAGE_SENTIMENTS, allow_blank=True)
    sentiment_scores = ScoresField()
    emotion = serializers.ChoiceField(choices=TRIAGE_EMOTIONS, allow_blank=True)
    emotion_scores = ScoresField()
    severity = serializers.IntegerField(allow_null=True, min_value=0, max_value=4)
    anger = serializers.FloatField(allow_null=True)
    offensive = serializers.FloatField(allow_null=True)
    hate = serializers.FloatField(allow_null=True)
    troll = serializers.FloatField(allow_null=True)
    desired_outcome = serializers.ChoiceField(choices=TRIAGE_OUTCOMES, allow_blank=True)
    desired_outcome_scores = ScoresField()
    outcome_unclear = serializers.BooleanField(allow_null=True)
    needs_response = serializers.FloatField(allow_null=True)
    language = serializers.CharField(help_text="ISO 639-1 code; empty when the post has no letters.")
    topics = serializers.ListField(child=serializers.CharField())
    private_data_posted = serializers.ListField(child=serializers.CharField(),
                                                help_text=f"Kinds: {', '.join(PRIVATE_KINDS)}.")
    explanation = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                        help_text="Per label, the words that drove it.")
    priority = serializers.IntegerField(allow_null=True, help_text="0-100, computed with this triage.")
    priority_breakdown = PriorityFactorSerializer(many=True)
    triaged_at = serializers.DateTimeField(allow_null=True)
    corrected = serializers.SerializerMethodField(
        help_text="The fields a person corrected, with the name of who did it last."
    )

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_corrected(self, triage) -> dict:
        corrections = self.context.get("corrections")
        if corrections is None:
            corrections = corrections_for([triage.post_id])
        return corrections.get(triage.post_id, {})


def triage_of(post: Post) -> PostTriage:
    """The stored triage of `post`, or an unsaved pending one."""
    return PostTriage.objects.filter(post=post).first() or PostTriage(post=post)


class CorrectionRequestSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=CORRECTABLE_FIELDS)
    value = serializers.JSONField(
        help_text="The right value: a label for intent, sentiment, emotion, desired_outcome; 0-4 for severity; "
        "true or false for complaint, offensive, hate and troll."
    )


class TriageSummarySerializer(serializers.Serializer):
    """The triage of the customer's latest post, as the inbox list shows it."""

    post = serializers.IntegerField(source="post_id")
    status = serializers.ChoiceField(choices=TRIAGE_STATUSES)
    reason = serializers.CharField()
    intent = serializers.ChoiceField(choices=TRIAGE_INTENTS, allow_blank=True)
    sentiment = serializers.ChoiceField(choices=TRIAGE_SENTIMENTS, allow_blank=True)
    severity = serializers.IntegerField(allow_null=True)
    anger = serializers.FloatField(allow_null=True)
    troll = serializers.FloatField(allow_null=True)
    offensive = serializers.FloatField(allow_null=True)
    desired_outcome = serializers.ChoiceField(choices=TRIAGE_OUTCOMES, allow_blank=True)
    outcome_unclear = serializers.BooleanField(allow_null=True)
    needs_response = serializers.FloatField(allow_null=True)
    language = serializers.CharField()
    topics = serializers.ListField(child=serializers.CharField())
    private_data_posted = serializers.ListField(child=serializers.CharField())
    priority = serializers.IntegerField(allow_null=True)
    priority_breakdown = PriorityFactorSerializer(many=True)
