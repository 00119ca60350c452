"""What the conversation page's reply box (the composer) needs to render, read-only.

The inbox's conversation view adds this to its context; the box is the same form with or
without JavaScript (docs/composer.md): modes, the supervisor override, what a refused reply was
refused for (guardrail findings or a collision), replies waiting for approval, and phone callbacks.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from parley.inbox.access import can_manage
from parley.inbox.models import Conversation, Post
from parley.sla.models import Callback

from . import private_reply
from .actions import GuardrailBlocked, ReplyCollision, handoff_drafts
from .models import Approval
from .modes import CommentFacts, modes

RECENT_DECISIONS = timedelta(days=1)


def add_context(context: dict, conversation: Conversation, user, brand) -> None:
    """Fill the reply box's keys that the view did not set already (a refused reply keeps its own)."""
    now = timezone.now()
    last_private_at = (
        Post.objects.filter(conversation=conversation, direction=Post.Direction.INBOUND, visibility="private")
        .order_by("-created_at").values_list("created_at", flat=True).first()
    )
    approvals = (
        Approval.objects.filter(conversation=conversation)
        .filter(Q(status=Approval.Status.PENDING)
                | Q(status=Approval.Status.REJECTED, decided_at__gte=now - RECENT_DECISIONS))
        .order_by("-created_at")
    )
    defaults = {
        "reply_modes": modes(conversation.platform, context.get("reply_visibility", "public"), last_private_at, now,
                             _comment_facts(conversation, now)),
        "reply_can_override": can_manage(user, brand),
        "reply_approvals": list(approvals[:5]),
        "reply_findings": [],
        "reply_blocked": False,
        "reply_collision": None,
        "reply_override_reason": "",
        "presence_heartbeat_ms": settings.PARLEY_PRESENCE_HEARTBEAT_SECONDS * 1000,
        "can_handoff": conversation.platform in ("x", "facebook", "instagram"),
        # The handoff form (works without JavaScript): ready-made texts; a refused one keeps its own.
        "handoff_key": uuid.uuid4().hex,
        "handoff_open": False,
        "handoff_blocked": False,
        "handoff_collision": None,
        "handoff_override_reason": "",
        "handoff_public_findings": [],
        "handoff_private_findings": [],
        # Phone callbacks (parley.sla.callbacks): the ones still to make, and the form's time zone.
        "reply_callbacks": list(Callback.objects.filter(conversation=conversation, state=Callback.State.REQUESTED)
                                .order_by("preferred_at")[:5]),
        "callback_zone": brand.setting("timezone", "") or settings.TIME_ZONE,
        "callback_phone": "",
        "callback_at": "",
    }
    for key, value in defaults.items():
        context.setdefault(key, value)
    if context["can_handoff"] and "handoff_public" not in context:
        drafts = handoff_drafts(conversation, user)
        context["handoff_public"], context["handoff_private"] = drafts["public"], drafts["private"]


def _comment_facts(conversation: Conversation, now) -> CommentFacts | None:
    """The customer's latest post when a private reply to it is worth offering (it is a comment)."""
    if conversation.platform not in ("facebook", "instagram"):
        return None
    comment, refusal = private_reply.state(conversation, now)
    if comment is None or comment.kind not in ("comment", "post") or comment.visibility != "public":
        return None  # their latest post is a private message (or nothing): nothing to answer privately
    return CommentFacts(comment.created_at, refusal)


def kept_after_refusal(refusal, form) -> dict:
    """What the box shows after a refused reply: the findings or the collision, and the agent's marker."""
    kept = {}
    data = getattr(form, "cleaned_data", {}) or {}
    if data.get("seen_post_id") is not None:
        kept["reply_seen_post_id"] = data["seen_post_id"]
    if data.get("override_reason"):
        kept["reply_override_reason"] = data["override_reason"]
    if isinstance(refusal, GuardrailBlocked):
        kept["reply_findings"] = shown_findings(refusal.findings, data.get("text") or "")
        kept["reply_blocked"] = True
    elif isinstance(refusal, ReplyCollision):
        kept["reply_collision"] = refusal
    return kept


def shown_findings(findings, text: str) -> list[dict]:
    """Findings as the page shows them, each with the excerpt of the text it is about."""
    text = (text or "").replace("\x00", "").strip()
    return [{**f.as_dict(), "excerpt": text[f.start:f.end][:80]} for f in findings]
