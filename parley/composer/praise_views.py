"""One-click thank and "share this outcome" (forms on the conversation page; thin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_POST

from parley.inbox.access import WRITE, access_brand, access_conversation, access_post
from parley.inbox.actions import ActionError
from parley.sla.closebook_views import back_to_conversation

from . import praise_actions
from .actions import GuardrailBlocked


def _back(brand, conversation, anchor=""):
    return back_to_conversation(brand, conversation.pk, anchor)


@login_required
@require_POST
def thank(request, brand, conversation_id, post_id):
    brand, _ = access_brand(request.user, brand)
    conversation = access_conversation(request.user, brand, conversation_id, WRITE)
    post = access_post(request.user, brand, post_id, WRITE)
    if post.conversation_id != conversation.pk:
        raise Http404("No such post in this conversation")
    try:
        sent = praise_actions.thank(post, request.user)
    except GuardrailBlocked as exc:
        found = "; ".join(f"{f.message} ({f.suggestion})" if f.suggestion else f.message for f in exc.findings
                          if f.level == "block")
        messages.error(request, f"{exc} {found}".strip())
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        if sent.post is None:
            messages.info(request, "Your thank-you waits for a supervisor's approval: " + "; ".join(sent.approval.reasons))
        else:
            messages.success(request, f"Thank-you sent to the outbox: “{sent.post.text}”")
    return _back(brand, conversation, f"#post-{post.pk}")


@login_required
@require_POST
def share_outcome(request, brand, conversation_id):
    brand, _ = access_brand(request.user, brand)
    conversation = access_conversation(request.user, brand, conversation_id, WRITE)
    try:
        share = praise_actions.share_outcome(
            conversation, request.user, outcome=request.POST.get("outcome", "")[:1000],
            consent=request.POST.get("consent") == "on", queue=request.POST.get("queue") == "1",
        )
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Outcome summary queued as a public post draft." if share.status == "queued"
                         else "Outcome summary ready to copy.")
    return _back(brand, conversation, "#close-book")
