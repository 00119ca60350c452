"""Suggestions for a conversation, from the project's own database.

The index of past pairs (an inbound post and the reply that answered it: an outbound post whose
parent is that inbound post) is built per brand on first use and kept in this process; it is
rebuilt when it is older than PARLEY_COMPOSER_SUGGESTION_REFRESH_SECONDS. Building reads the
newest PARLEY_COMPOSER_SUGGESTION_HISTORY replies.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from parley.accounts.models import Brand
from parley.inbox.models import Conversation, Post, Status

from ..context import context_for, first_name, latest_triage
from ..models import Template
from ..rendering import TemplateError, render
from ..scoping import Situation as TemplateSituation, rank, specificity
from . import drafting
from .ranking import Situation, Suggestion, suggest
from .retrieval import Pair, ReplyIndex

_CACHE: dict[int, tuple[float, ReplyIndex]] = {}
_LOCK = threading.Lock()
_DONE = (Status.RESOLVED, Status.CLOSED)


def past_pairs(brand: Brand, limit: int | None = None) -> list[Pair]:
    limit = limit or settings.PARLEY_COMPOSER_SUGGESTION_HISTORY
    rows = (
        Post.objects.filter(brand=brand, direction=Post.Direction.OUTBOUND, parent__isnull=False,
                            parent__direction=Post.Direction.INBOUND)
        .exclude(delivery_status=Post.Delivery.FAILED)
        .order_by("-created_at")
        .values_list("text", "parent__text", "conversation_id", "conversation__status", "parent__author__first_name")
    )[:limit]
    return [Pair(inbound or "", reply or "", conv, first or "", status in _DONE)
            for reply, inbound, conv, status, first in rows if inbound and reply]


def index_for(brand: Brand, *, refresh: bool = False) -> ReplyIndex:
    now = time.monotonic()
    with _LOCK:
        cached = _CACHE.get(brand.pk)
        if cached and not refresh and now - cached[0] < settings.PARLEY_COMPOSER_SUGGESTION_REFRESH_SECONDS:
            return cached[1]
    index = ReplyIndex(past_pairs(brand))
    with _LOCK:
        _CACHE[brand.pk] = (time.monotonic(), index)
    return index


def forget(brand: Brand | None = None) -> None:
    with _LOCK:
        if brand is None:
            _CACHE.clear()
        else:
            _CACHE.pop(brand.pk, None)


def suggestions_for(conversation: Conversation, agent, *, visibility: str = "", eta: str = "",
                    now: datetime | None = None, limit: int = 5) -> list[Suggestion]:
    """Ranked, personalised, guardrail-checked suggestions for the next reply in `conversation`."""
    from ..actions import _default_visibility, template_values

    now = now or timezone.now()
    visibility = visibility or _default_visibility(conversation)
    inbound = (
        Post.objects.filter(conversation=conversation, direction=Post.Direction.INBOUND)
        .order_by("-created_at").values_list("text", flat=True)[:3]
    )
    query = " ".join(reversed(list(inbound)))
    triage = latest_triage(conversation)
    profile = getattr(agent, "agent_profile", None)
    situation = Situation(
        customer_first_name=first_name(conversation),
        agent_first_name=profile.shown_name if profile else "",
        intent=getattr(triage, "intent", "") or "",
        desired_outcome=getattr(triage, "desired_outcome", "") or "",
        outcome_unclear=bool(getattr(triage, "outcome_unclear", False)),
        troll=(getattr(triage, "troll", None) or 0) >= 0.5,
        anger=getattr(triage, "anger", None) or 0.0,
    )
    templates = rank(
        list(Template.objects.filter(brand=conversation.brand, is_active=True)),
        TemplateSituation(conversation.team_id, conversation.platform, visibility, situation.intent,
                          situation.desired_outcome),
    )
    values = template_values(conversation, agent, eta) if templates else {}
    rendered = []
    for template in templates[:5]:
        try:
            rendered.append((template.pk, render(template.body, values), specificity(template)))
        except TemplateError:
            continue  # a template needing a value this conversation lacks (e.g. {eta}) is skipped
    hits = index_for(conversation.brand).query(query, k=20) if query.strip() else []
    hits = [h for h in hits if h.pair.conversation_id != conversation.pk]
    context = context_for(conversation, agent, visibility, now, triage=triage)
    extra = []
    if drafting.enabled():
        posts = list(
            Post.objects.filter(conversation=conversation).order_by("-created_at")
            .values_list("direction", "text")[:6]
        )[::-1]
        text = drafting.draft(drafting.messages_for(conversation.brand.name, conversation.get_platform_display(),
                                                    visibility, situation.customer_first_name, posts))
        if text:
            extra.append(Suggestion("draft", text, 0.75, "Drafted by the configured drafting backend."))
    return suggest(situation, hits, rendered, context, limit=limit, extra=extra)
