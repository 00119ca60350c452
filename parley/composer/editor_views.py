"""The template editor pages under /b/<brand>/templates/: every member reads the library (list with
search, usage counts and last use); admins and supervisors create, edit and delete. Views validate,
call an action from actions.py, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parley.accounts.models import Team
from parley.inbox.access import access_brand, can_manage
from parley.inbox.actions import ActionError
from parley.inbox.views import _chrome

from . import actions, editor
from .access import access_template
from .models import Template

FIELDS = ("name", "shortcut", "body", "channel", "visibility", "intent", "desired_outcome")


def _agent_values(request, brand) -> dict[str, str]:
    profile = getattr(request.user, "agent_profile", None)
    return editor.sample_values(brand.name, profile.shown_name if profile else "", profile.signature if profile else "")


def _require_manager(request, brand) -> None:
    if not can_manage(request.user, brand):
        raise PermissionDenied("Only admins and supervisors edit the template library")


@login_required
def template_list(request, brand):
    brand, role = access_brand(request.user, brand)
    q = request.GET.get("q", "").strip()[:100]
    items = Template.objects.filter(brand=brand).select_related("team")
    if q:
        items = items.filter(Q(name__icontains=q) | Q(shortcut__icontains=q.lstrip("/")) | Q(body__icontains=q))
    items = items.order_by("-is_active", "name")
    return render(request, "composer/templates_list.html", {
        **_chrome(request, brand, role), "items": items[:500], "q": q, "can_manage": can_manage(request.user, brand),
    })


def _form_from(post, brand) -> tuple[dict, dict]:
    """(what the form shows again, the fields for the action) from a submitted form."""
    shown = {name: post.get(name, "")[:6000] for name in FIELDS}
    shown["team"] = post.get("team", "")
    fields = {name: shown[name] for name in FIELDS}
    team = None
    if shown["team"]:
        team = Team.objects.filter(brand=brand, pk=shown["team"] if shown["team"].isdigit() else 0).first()
        if team is None:
            raise ActionError("Choose one of the brand's teams")
    fields["team"] = team
    return shown, fields


def _form_context(request, brand, role, template, form, errors, read_only=False) -> dict:
    values = _agent_values(request, brand)
    return {
        **_chrome(request, brand, role), "template": template, "form": form, "errors": errors,
        "read_only": read_only, "teams": Team.objects.filter(brand=brand).order_by("name"),
        "channels": editor.CHANNEL_CHOICES, "visibilities": editor.VISIBILITY_CHOICES,
        "intents": editor.INTENT_CHOICES, "outcomes": editor.OUTCOME_CHOICES,
        "variables": editor.variables_help(), "sample_post": editor.SAMPLE_CUSTOMER_POST,
        "preview": editor.preview(form.get("body", ""), values), "can_manage": can_manage(request.user, brand),
    }


def _initial(template: Template | None) -> dict:
    if template is None:
        return {name: "" for name in FIELDS} | {"team": ""}
    return {name: getattr(template, name) for name in FIELDS} | {"team": str(template.team_id or "")}


@login_required
def template_edit(request, brand, template_id=None):
    """GET: the form (read-only for agents and viewers); POST: create or update (managers)."""
    brand, role = access_brand(request.user, brand)
    template = access_template(request.user, brand, template_id) if template_id is not None else None
    if template is None or request.method == "POST":
        _require_manager(request, brand)
    errors: list[str] = []
    form = _initial(template)
    if request.method == "POST":
        form = {name: request.POST.get(name, "")[:6000] for name in (*FIELDS, "team")}
        try:
            form, fields = _form_from(request.POST, brand)
            if template is None:
                template = actions.create_template(brand, request.user, **fields)
                messages.success(request, f"Template /{template.shortcut} created.")
            else:
                actions.update_template(template, request.user, **fields)
                messages.success(request, f"Template /{template.shortcut} saved.")
        except ActionError as exc:
            errors.append(str(exc))
        else:
            return redirect("composer:template_list", brand=brand.slug)
    context = _form_context(request, brand, role, template, form, errors, read_only=not can_manage(request.user, brand))
    return render(request, "composer/template_edit.html", context, status=422 if errors else 200)


@login_required
@require_POST
def template_delete(request, brand, template_id):
    brand, _ = access_brand(request.user, brand)
    template = access_template(request.user, brand, template_id)
    shortcut = template.shortcut
    actions.delete_template(template, request.user)  # PermissionDenied (403) for agents
    messages.success(request, f"Template /{shortcut} deleted.")
    return redirect("composer:template_list", brand=brand.slug)


@login_required
@require_POST
def template_preview(request, brand):
    """The live preview: the body in the form rendered with the sample conversation (changes nothing)."""
    brand, _ = access_brand(request.user, brand)
    result = editor.preview(request.POST.get("body", "")[:6000], _agent_values(request, brand))
    return render(request, "composer/_template_preview.html", {"preview": result})
