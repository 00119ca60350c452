"""Writes to triage that people make: an agent corrects one field (kept as training data)."""

from __future__ import annotations

from django.db import transaction

from parley.inbox.actions import ActionError
from parley.inbox.audit import record

from .labels import EMOTIONS, INTENTS, OUTCOMES, SENTIMENTS
from .models import PostTriage, TriageCorrection

CORRECTABLE = {
    "intent": INTENTS,
    "sentiment": SENTIMENTS,
    "emotion": EMOTIONS,
    "desired_outcome": OUTCOMES,
    "severity": (0, 1, 2, 3, 4),
    "complaint": (True, False),
    "offensive": (True, False),
    "hate": (True, False),
    "troll": (True, False),
}
# Probability fields are stored as 1.0 / 0.0 once a person has said yes or no.
_PROBABILITIES = ("complaint", "offensive", "hate", "troll")


def correct_triage(post, field: str, value, user) -> TriageCorrection:
    """Set one triage field of `post` to what an agent says it is, and keep the correction."""
    if field not in CORRECTABLE:
        raise ActionError(f"{field!r} cannot be corrected (one of: {', '.join(CORRECTABLE)})")
    if value not in CORRECTABLE[field] or (field == "severity" and isinstance(value, bool)):
        raise ActionError(f"{value!r} is not a valid {field}")
    with transaction.atomic():
        triage, _ = PostTriage.objects.select_for_update().get_or_create(post=post)
        old = getattr(triage, field)
        new = (1.0 if value else 0.0) if field in _PROBABILITIES else value
        setattr(triage, field, new)
        triage.save(update_fields=[field, "updated_at"])
        correction = TriageCorrection.objects.create(
            post=post, field=field, old_value=old, new_value=value,
            user=user if getattr(user, "pk", None) else None,
        )
        record(post.brand, user, "triage.corrected", post, post.conversation, field=field, old=old, new=value)
    return correction
