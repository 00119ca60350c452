"""Customer satisfaction: a one-question survey per conversation, answered through a link.

`create_survey` makes the link an agent puts in the feedback request; the customer answers on a
public page (no login; the unguessable token is the key, and the page shows no personal data);
`summary` gives the average per brand and per agent. Every write is audited.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count

from parley.inbox.actions import ActionError
from parley.inbox.audit import record
from parley.inbox.models import Conversation

from .models import Survey

MAX_COMMENT = 2000


def create_survey(conversation: Conversation, actor, now: datetime) -> Survey:
    """A new survey link for the conversation (about its current assignee)."""
    days = int(conversation.brand.setting("csat_valid_days", settings.PARLEY_CSAT_VALID_DAYS))
    with transaction.atomic():
        survey = Survey.objects.create(
            brand=conversation.brand, conversation=conversation, agent_id=conversation.assignee_id,
            token=secrets.token_urlsafe(32), created_at=now, expires_at=now + timedelta(days=days),
        )
        record(conversation.brand, actor, "csat.created", survey, conversation)
    return survey


def survey_path(survey: Survey) -> str:
    return f"/csat/{survey.token}/"


def answer(survey: Survey, score, comment: str, now: datetime) -> Survey:
    """Store the customer's answer (once; the link then says thanks)."""
    if survey.answered_at is not None:
        raise ActionError("This survey was already answered. Thank you!")
    if now >= survey.expires_at:
        raise ActionError("This survey has expired.")
    try:
        score = int(score)
    except (TypeError, ValueError):
        raise ActionError("Choose a score from 1 to 5") from None
    if not 1 <= score <= 5:
        raise ActionError("Choose a score from 1 to 5")
    comment = (comment or "").replace("\x00", "").strip()
    if len(comment) > MAX_COMMENT:
        raise ActionError(f"A comment is at most {MAX_COMMENT:,} characters")
    with transaction.atomic():
        updated = Survey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(
            score=score, comment=comment, answered_at=now)
        if not updated:  # answered concurrently
            raise ActionError("This survey was already answered. Thank you!")
        survey.refresh_from_db()
        record(survey.brand, "customer", "csat.answered", survey, survey.conversation, score=score)
    return survey


@dataclass(frozen=True)
class Summary:
    answered: int
    sent: int
    average: float | None
    satisfied_share: float | None  # answers of 4 or 5
    by_agent: dict


def summary(brand, since: datetime | None = None) -> Summary:
    surveys = Survey.objects.filter(brand=brand)
    if since is not None:
        surveys = surveys.filter(created_at__gte=since)
    answered = surveys.filter(answered_at__isnull=False)
    n = answered.count()
    avg = answered.aggregate(a=Avg("score"))["a"]
    satisfied = answered.filter(score__gte=4).count()
    by_agent = {
        (row["agent__username"] or "unassigned"): {"answered": row["n"], "average": round(row["a"], 2)}
        for row in answered.values("agent__username").annotate(n=Count("id"), a=Avg("score"))
    }
    return Summary(n, surveys.count(), round(avg, 2) if avg is not None else None,
                   round(satisfied / n, 3) if n else None, by_agent)
