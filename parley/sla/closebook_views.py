"""Close the book on the conversation page: send the proposed closing reply, or dismiss it (thin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from parley.composer.actions import GuardrailBlocked
from parley.inbox.access import access_brand
from parley.inbox.actions import MAX_REPLY_CHARS, ActionError

from . import closebook
from .access import access_resolution


def back_to_conversation(brand, conversation_id: int, anchor: str = ""):
    """303 to the conversation page (at `anchor`), where the flash message says what happened."""
    response = redirect("inbox:conversation", brand=brand.slug, conversation_id=conversation_id)
    response["Location"] += anchor
    response.status_code = 303
    return response


def _back(brand, item):
    return back_to_conversation(brand, item.conversation_id, "#close-book")


@login_required
@require_POST
def send(request, brand, resolution_id):
    """Send the closing reply. Refused (a guardrail block, or an override by someone who may not):
    the page comes back with the agent's text, the findings and, for supervisors, the override field."""
    brand, role = access_brand(request.user, brand)
    item = access_resolution(request.user, brand, resolution_id)
    text = request.POST.get("text", "")[: MAX_REPLY_CHARS + 1]
    override_reason = request.POST.get("override_reason", "")[:1001]
    try:
        sent = closebook.send_closing(item, text, request.user, override_reason=override_reason)
    except GuardrailBlocked as exc:
        found = "; ".join(f.message for f in exc.findings if f.level == "block")
        messages.error(request, f"{exc}. {found}")
        return _refused(request, brand, role, item, text, override_reason, findings=exc.findings)
    except PermissionDenied as exc:  # an override reason from an agent: say so, keep the text
        messages.error(request, str(exc) or "Only a supervisor or admin can override a blocked reply")
        return _refused(request, brand, role, item, text, "", findings=[])
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Closing reply waits for a supervisor's approval." if sent.post is None
                         else "Closing reply and feedback request sent to the outbox.")
    return _back(brand, item)


def _refused(request, brand, role, item, text, override_reason, *, findings):
    from parley.composer.box import shown_findings
    from parley.inbox.views import render_conversation

    return render_conversation(request, brand, role, item.conversation, status=422, closing_text=text,
                               closing_findings=shown_findings(findings, text), closing_blocked=True,
                               closing_override_reason=override_reason)


@login_required
@require_POST
def dismiss(request, brand, resolution_id):
    brand, _ = access_brand(request.user, brand)
    item = access_resolution(request.user, brand, resolution_id)
    try:
        closebook.dismiss_closing(item, request.user)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Closing reply dismissed.")
    return _back(brand, item)


def page_context(request, conversation) -> dict:
    """What the conversation page shows to close the book: the open closing proposal (with its text,
    the survey link made absolute for this site), implicit feedback, and "share this outcome"."""
    from parley.composer.models import OutcomeShare
    from parley.composer.praise_actions import happy_words

    item = closebook.open_proposal(conversation)
    return {
        "closing": item,
        "closing_text": closebook.closing_text(item, request.build_absolute_uri("/")) if item else "",
        "implicit_feedback": list(conversation.implicit_feedback.select_related("post", "agent__agent_profile")
                                  .order_by("-created_at")[:10]),
        "happy": happy_words(conversation),
        "outcome_shares": list(OutcomeShare.objects.filter(conversation=conversation)[:5]),
    }
