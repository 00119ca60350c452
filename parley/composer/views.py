"""JSON endpoints for the composer. Thin: look up through access_*, validate, call actions.

- POST c/<id>/compose/check        {"text", "visibility"} -> {"findings", "blocked"}   (inline checks)
- POST c/<id>/compose/send         {"text", "visibility", "override_reason", "seen_post_id"?, "reviewed_through"?}
                                   -> 201 | 202 | 409 with findings, or 409 with "collision" (what arrived)
- GET  c/<id>/compose/suggestions  -> {"suggestions": [...]}
- GET  c/<id>/compose/handoff      -> {"public", "private"} ready-made texts
- POST c/<id>/compose/handoff      {"public_text", "private_text", "override_reason", "seen_post_id"?, ...} -> 201 | 409
- POST c/<id>/compose/presence     {"state": "viewing" | "typing" | "left"} -> {"others", "newest_post_id"}
- GET  c/<id>/compose/templates?q= -> {"templates": [...]}  ("/" search, fitting templates first)
- POST c/<id>/compose/templates/<tid>/use {"eta"} -> {"text"}
- GET  c/<id>/compose/              redirects to the conversation page, where the composer lives
- GET  compose/approvals           replies waiting for approval (a supervisor's queue; an agent's own)
- POST compose/approvals/<id>/approve {"text"?, "comment"?} | .../reject {"comment"}
Bodies are JSON or form-encoded. Errors are JSON: {"error": "..."} with 400, 403, 404, 409 or 413.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from parley.inbox.access import READ, WRITE, access_brand, access_conversation, can_manage
from parley.inbox.models import Post
from parley.inbox.actions import MAX_REPLY_CHARS

from . import actions
from .guardrails import ContextError, blocking
from .models import Approval, Template
from .private_reply import as_visibility
from .scoping import Situation, fits, search
from .suggestions.history import suggestions_for

MAX_BODY_BYTES = 256 * 1024


class BadRequest(ValueError):
    pass


def _payload(request) -> dict:
    if len(request.body) > MAX_BODY_BYTES:
        raise BadRequest("The request is too large")
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise BadRequest("The body is not valid JSON") from None
        if not isinstance(data, dict):
            raise BadRequest("The body must be a JSON object")
        return data
    return request.POST.dict()


def _text(data: dict) -> str:
    text = data.get("text", "")
    if not isinstance(text, str):
        raise BadRequest("text must be a string")
    if len(text) > MAX_REPLY_CHARS:
        raise BadRequest(f"A reply is at most {MAX_REPLY_CHARS:,} characters")
    return text


def _visibility(data: dict) -> str:
    visibility = data.get("visibility") or ""
    if visibility not in ("", "public", "private", "comment_dm"):
        raise BadRequest("visibility is public, private or comment_dm (a private reply to the comment)")
    return visibility


def _optional_id(data: dict, name: str) -> int | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadRequest(f"{name} must be a post id") from None
    if number < 0:
        raise BadRequest(f"{name} must be a post id")
    return number


def _seen(data: dict) -> actions.Seen:
    """What the agent's form had seen (collision detection); both fields are optional."""
    return actions.Seen(_optional_id(data, "seen_post_id"), _optional_id(data, "reviewed_through"))


def _json_errors(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except actions.ReplyCollision as exc:
            return JsonResponse(exc.as_dict(), status=409)
        except BadRequest as exc:
            return JsonResponse({"error": str(exc)}, status=413 if "too large" in str(exc) else 400)
        except (actions.ActionError, ContextError) as exc:
            return JsonResponse({"error": str(exc)}, status=400)
        except PermissionDenied as exc:
            return JsonResponse({"error": str(exc) or "Not allowed"}, status=403)
        except Http404:
            return JsonResponse({"error": "Not found"}, status=404)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@login_required
@require_GET
def page(request, brand, conversation_id):
    """The composer lives on the conversation page now: old links land on it, at the composer."""
    brand, _ = access_brand(request.user, brand)
    conv = access_conversation(request.user, brand, conversation_id, READ)
    return redirect(reverse("inbox:conversation", kwargs={"brand": brand.slug, "conversation_id": conv.pk})
                    + "#reply-box")


@login_required
@require_POST
@_json_errors
def check(request, brand, conversation_id):
    brand, _ = access_brand(request.user, brand)
    conv = access_conversation(request.user, brand, conversation_id, READ)
    data = _payload(request)
    findings = actions.check_draft(conv, _text(data), request.user, _visibility(data))
    return JsonResponse({
        "findings": [f.as_dict() for f in findings],
        "blocked": bool(blocking(findings)),
        "can_override": can_manage(request.user, brand),
    })


@login_required
@require_POST
@_json_errors
def send(request, brand, conversation_id):
    brand, _ = access_brand(request.user, brand)
    conv = access_conversation(request.user, brand, conversation_id, WRITE)
    data = _payload(request)
    template = None
    if data.get("template_id"):
        template = Template.objects.filter(brand=brand, pk=_int(data["template_id"])).first()
    try:
        sent = actions.send_checked_reply(
            conv, _text(data), request.user, visibility=_visibility(data),
            override_reason=str(data.get("override_reason") or ""), template=template,
            idempotency_key=str(data.get("idempotency_key") or "")[:64] or None, seen=_seen(data),
        )
    except actions.GuardrailBlocked as exc:
        return JsonResponse({"error": str(exc), "findings": [f.as_dict() for f in exc.findings], "blocked": True,
                             "can_override": can_manage(request.user, brand)}, status=409)
    if sent.post is None:
        return JsonResponse({"approval_id": sent.approval.pk, "reasons": sent.approval.reasons,
                             "findings": [f.as_dict() for f in sent.findings]}, status=202)
    return JsonResponse({"post_id": sent.post.pk, "visibility": sent.post.visibility, "overridden": sent.overridden,
                         "findings": [f.as_dict() for f in sent.findings]}, status=201)


@login_required
@_json_errors
def handoff(request, brand, conversation_id):
    """GET: ready-made texts; POST: send the public acknowledgement and the private message."""
    brand, _ = access_brand(request.user, brand)
    conv = access_conversation(request.user, brand, conversation_id, WRITE)
    if request.method == "GET":
        return JsonResponse(actions.handoff_drafts(conv, request.user))
    if request.method != "POST":
        return JsonResponse({"error": "GET or POST"}, status=405)
    data = _payload(request)
    public_text, private_text = _text({"text": data.get("public_text", "")}), _text({"text": data.get("private_text", "")})
    try:
        done = actions.acknowledge_and_move_to_private(
            conv, public_text, private_text, request.user, override_reason=str(data.get("override_reason") or ""),
            idempotency_key=str(data.get("idempotency_key") or "")[:56] or None, seen=_seen(data),
        )
    except actions.GuardrailBlocked as exc:
        return JsonResponse({"error": str(exc), "blocked": True, "can_override": can_manage(request.user, brand),
                             "findings": {part: [f.as_dict() for f in found] for part, found in exc.parts.items()}},
                            status=409)
    return JsonResponse({"public_post_id": done.public.post.pk, "private_post_id": done.private.post.pk,
                         "findings": {"public": [f.as_dict() for f in done.public.findings],
                                      "private": [f.as_dict() for f in done.private.findings]}}, status=201)


@login_required
@require_POST
@_json_errors
def presence(request, brand, conversation_id):
    """The page's heartbeat: store this agent's state, answer with who else is here."""
    brand, _ = access_brand(request.user, brand)
    conv = access_conversation(request.user, brand, conversation_id, READ)
    state = str(_payload(request).get("state") or "viewing")
    others = actions.note_presence(conv, request.user, state)
    newest = Post.objects.filter(conversation=conv).order_by("-pk").values_list("pk", flat=True).first()
    return JsonResponse({"others": [o.as_dict() for o in others], "newest_post_id": newest})


@login_required
@require_GET
@_json_errors
def suggestions(request, brand, conversation_id):
    brand, _ = access_brand(request.user, brand)
    conv = access_conversation(request.user, brand, conversation_id, READ)
    visibility = as_visibility(_visibility(request.GET))
    items = suggestions_for(conv, request.user, visibility=visibility, eta=request.GET.get("eta", "")[:100])
    return JsonResponse({"suggestions": [s.as_dict() for s in items]})


@login_required
@require_GET
@_json_errors
def templates(request, brand, conversation_id):
    brand, _ = access_brand(request.user, brand)
    conv = access_conversation(request.user, brand, conversation_id, READ)
    pool = list(Template.objects.filter(brand=brand, is_active=True))
    situation = Situation(conv.team_id, conv.platform, as_visibility(_visibility(request.GET)))
    found = search(pool, request.GET.get("q", "")[:100])
    found = [t for t in found if fits(t, situation)] + [t for t in found if not fits(t, situation)]
    return JsonResponse({"templates": [
        {"id": t.pk, "shortcut": t.shortcut, "name": t.name, "body": t.body, "usage_count": t.usage_count,
         "fits": fits(t, situation)} for t in found[:20]
    ]})


@login_required
@require_POST
@_json_errors
def use_template(request, brand, conversation_id, template_id):
    brand, _ = access_brand(request.user, brand)
    conv = access_conversation(request.user, brand, conversation_id, WRITE)
    template = Template.objects.filter(brand=brand, pk=template_id).first()
    if template is None:
        raise Http404("No such template")
    data = _payload(request)
    text = actions.use_template(template, conv, request.user, eta=str(data.get("eta") or ""))
    return JsonResponse({"text": text, "template_id": template.pk})


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadRequest("template_id must be a number") from None


def _approval(request, brand, approval_id) -> Approval:
    item = Approval.objects.filter(brand=brand, pk=approval_id).first()
    if item is None:
        raise Http404("No such approval")
    access_conversation(request.user, brand, item.conversation_id, WRITE)  # 404 outside the user's teams
    return item


def _approval_dict(item: Approval) -> dict:
    return {"id": item.pk, "conversation_id": item.conversation_id, "text": item.text, "visibility": item.visibility,
            "reasons": item.reasons, "findings": item.findings, "status": item.status,
            "requested_by": item.requested_by.get_username() if item.requested_by else "",
            "comment": item.comment, "post_id": item.post_id, "created_at": item.created_at.isoformat()}


@login_required
@require_GET
@_json_errors
def approvals(request, brand):
    """Replies waiting for approval: a supervisor's queue, or an agent's own requests."""
    brand, _ = access_brand(request.user, brand)
    items = Approval.objects.filter(brand=brand).select_related("requested_by").order_by("created_at")
    if can_manage(request.user, brand):
        items = items.filter(status=Approval.Status.PENDING)
    else:
        items = items.filter(requested_by=request.user)
    return JsonResponse({"approvals": [_approval_dict(i) for i in items[:200]]})


@login_required
@require_POST
@_json_errors
def decide(request, brand, approval_id, decision):
    brand, _ = access_brand(request.user, brand)
    item = _approval(request, brand, approval_id)
    data = _payload(request)
    comment = str(data.get("comment") or "")[:2000]
    if decision == "approve":
        text = data.get("text") or ""
        if not isinstance(text, str) or len(text) > MAX_REPLY_CHARS:
            raise BadRequest("text must be a string of at most 10,000 characters")
        try:
            actions.approve_reply(item, request.user, text=text, comment=comment)
        except actions.GuardrailBlocked as exc:
            return JsonResponse({"error": str(exc), "findings": [f.as_dict() for f in exc.findings], "blocked": True},
                                status=409)
    else:
        actions.reject_reply(item, request.user, comment=comment)
    item.refresh_from_db()
    return JsonResponse(_approval_dict(item))
