"""The routing rules pages (admins and supervisors): list, edit with the builder or JSON, preview,
reorder, enable and disable.

Views validate, call an action, render; the rules' logic lives in rules.py and actions.py, the
editor's form in forms.py and builder.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parley.accounts.models import Team
from parley.inbox.actions import ActionError
from parley.inbox.queries import brand_agents
from parley.inbox.views import _chrome

from . import actions, builder
from .access import access_rule, access_rules_brand
from .forms import STEPS, RuleForm
from .models import RoutingRule
from .rules import RuleError


@login_required
def rules(request, brand):
    brand, role = access_rules_brand(request.user, brand)
    items = list(RoutingRule.objects.filter(brand=brand).order_by("position", "id"))
    return render(request, "routing/rules.html", {
        **_chrome(request, brand, role),
        "rules": [{"rule": r, "said": builder.describe(r.conditions, r.actions), "first": i == 0,
                   "last": i == len(items) - 1} for i, r in enumerate(items)],
    })


def _editor_context(request, brand, role, rule, form: RuleForm, errors, preview=None) -> dict:
    teams = list(Team.objects.filter(brand=brand).values_list("slug", "name"))
    return {
        **_chrome(request, brand, role), "rule": rule, "form": form, "errors": errors, "result": preview,
        "fields": list(builder.FIELD_LABELS.items()), "action_types": list(builder.ACTION_LABELS.items()),
        "teams": teams, "team_slugs": [slug for slug, _ in teams], "agents": list(brand_agents(brand).values_list("username", flat=True)[:300]),
    }


def _preview(brand, data) -> dict:
    return actions.preview_rule(brand, {"name": data["name"], "conditions": data["conditions"],
                                        "actions": data["actions"], "stop": data["stop"]})


@login_required
def edit(request, brand, rule_id=None):
    brand, role = access_rules_brand(request.user, brand)
    rule = access_rule(request.user, brand, rule_id) if rule_id is not None else None
    errors: list[str] = []
    result = None
    if request.method != "POST":
        last = RoutingRule.objects.filter(brand=brand).order_by("-position").values_list("position", flat=True).first()
        form = RuleForm.for_rule(rule, position=(last or 0) + 10)
        return render(request, "routing/edit.html", _editor_context(request, brand, role, rule, form, errors))
    step = request.POST.get("step", "save")
    step = step if step in STEPS or step.startswith("remove-") else "save"
    form = RuleForm.from_post(request.POST, step)
    if step in ("save", "save_json", "preview", "preview_json"):
        data, errors = form.rule()
        if not errors and step.startswith("save"):
            try:
                rule = actions.save_rule(brand, data, request.user, rule)
            except ActionError as exc:
                errors.append(str(exc))
            else:
                messages.success(request, f"Rule “{rule.name}” saved.")
                return redirect("routing:rules", brand=brand.slug)
        if not errors and step.startswith("preview"):
            result = _preview(brand, data)
    else:
        errors = form.apply(step)
    context = _editor_context(request, brand, role, rule, form, errors, result)
    return render(request, "routing/edit.html", context, status=422 if errors else 200)


@login_required
@require_POST
def delete(request, brand, rule_id):
    brand, _ = access_rules_brand(request.user, brand)
    rule = access_rule(request.user, brand, rule_id)
    name = rule.name
    actions.delete_rule(rule, request.user)
    messages.success(request, f"Rule “{name}” deleted.")
    return redirect("routing:rules", brand=brand.slug)


@login_required
@require_POST
def move(request, brand, rule_id):
    """Move a rule one place up or down in the order."""
    brand, _ = access_rules_brand(request.user, brand)
    rule = access_rule(request.user, brand, rule_id)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Choose up or down.")
    else:
        actions.move_rule(rule, direction, request.user)
    return redirect("routing:rules", brand=brand.slug)


@login_required
@require_POST
def toggle(request, brand, rule_id):
    """Enable or disable a rule."""
    brand, _ = access_rules_brand(request.user, brand)
    rule = access_rule(request.user, brand, rule_id)
    enabled = request.POST.get("enabled") == "on"
    actions.set_rule_enabled(rule, enabled, request.user)
    messages.success(request, f"Rule “{rule.name}” {'enabled' if enabled else 'disabled'}.")
    return redirect("routing:rules", brand=brand.slug)


@login_required
@require_POST
def preview(request, brand):
    """What the rule in the form would have done to the brand's last 1,000 posts (changes nothing)."""
    brand, role = access_rules_brand(request.user, brand)
    as_json = "json" in request.POST.getlist("source") or request.POST.get("step") == "preview_json"
    form = RuleForm.from_post(request.POST, "preview_json" if as_json else "preview")
    data, errors = form.rule()
    result = None
    if not errors:
        try:
            result = _preview(brand, data)
        except RuleError as exc:
            errors.append(str(exc))
    return render(request, "routing/_preview.html", {"brand": brand, "result": result, "errors": errors},
                  status=422 if errors else 200)
