"""Acknowledge publicly, continue privately, without JavaScript: the handoff form's plain post (thin).

compose.js sends the same form as JSON to composer:handoff and shows the answer in place; without
JavaScript the browser posts it here. Sent: 303 back to the conversation with a flash message.
Refused (a guardrail block, a collision, bad input): the conversation page again, 422, with both texts
kept, the findings of each part, the collision and, for supervisors, the override field.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_POST

from parley.inbox.access import WRITE, access_brand, access_conversation
from parley.inbox.actions import MAX_REPLY_CHARS
from parley.inbox.forms import SendGuardForm
from parley.sla.closebook_views import back_to_conversation

from . import actions
from .box import shown_findings


class HandoffForm(SendGuardForm):
    key_pattern = re.compile(r"^[0-9a-f]{8,56}$")
    public_text = forms.CharField(required=False, strip=False, max_length=MAX_REPLY_CHARS)
    private_text = forms.CharField(required=False, strip=False, max_length=MAX_REPLY_CHARS)


@login_required
@require_POST
def handoff(request, brand, conversation_id):
    brand, role = access_brand(request.user, brand)
    conv = access_conversation(request.user, brand, conversation_id, WRITE)
    form = HandoffForm(request.POST)
    kept = {"handoff_public": request.POST.get("public_text", "")[: MAX_REPLY_CHARS + 1],
            "handoff_private": request.POST.get("private_text", "")[: MAX_REPLY_CHARS + 1],
            "handoff_open": True}
    try:
        if not form.is_valid():
            raise actions.ActionError(form.error_text())
        data = form.cleaned_data
        actions.acknowledge_and_move_to_private(
            conv, data["public_text"], data["private_text"], request.user,
            override_reason=data["override_reason"], idempotency_key=data["key"],
            seen=actions.Seen(data["seen_post_id"], data["reviewed_through"]),
        )
    except actions.GuardrailBlocked as exc:
        parts = getattr(exc, "parts", {})
        kept.update(handoff_blocked=True, handoff_override_reason=form.cleaned_data.get("override_reason", ""),
                    handoff_public_findings=shown_findings(parts.get("public", []), kept["handoff_public"]),
                    handoff_private_findings=shown_findings(parts.get("private", []), kept["handoff_private"]))
        messages.error(request, str(exc))
    except actions.ReplyCollision as exc:
        kept.update(handoff_collision=exc, reply_seen_post_id=form.cleaned_data.get("seen_post_id"))
        messages.error(request, str(exc))
    except (actions.ActionError, PermissionDenied) as exc:
        messages.error(request, str(exc) or "Not allowed")
    else:
        messages.success(request, "Public acknowledgement and private message saved; they are sent when the "
                                  "channel's connector runs.")
        return back_to_conversation(brand, conv.pk, "#reply-box")
    from parley.inbox.views import render_conversation

    return render_conversation(request, brand, role, conv, status=422, **kept)
