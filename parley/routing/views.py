"""The routing rules pages (admins and supervisors): list, edit with validation, preview.

Views validate, call an action, render; the rules' logic lives in rules.py and actions.py.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parley.inbox.actions import ActionError
from parley.inbox.views import _chrome

from . import actions
from .access import access_rule, access_rules_brand
from .models import RoutingRule
from .rules import RuleError

MAX_JSON = 50_000
EXAMPLE_CONDITIONS = {"all": [{"field": "text", "op": "keywords", "value": ["refund", "charged twice"]}], "any": []}
EXAMPLE_ACTIONS = [{"type": "set_team", "team": "billing"}, {"type": "add_tag", "tag": "refund"}]


def _pretty(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _form_data(post) -> tuple[dict, list[str]]:
    """The rule a submitted form describes, and what is wrong with it."""
    errors = []
    data = {"name": post.get("name", ""), "stop": post.get("stop") == "on", "enabled": post.get("enabled") == "on"}
    try:
        data["position"] = int(post.get("position") or 0)
    except ValueError:
        errors.append("Position is a whole number")
        data["position"] = 0
    for field in ("conditions", "actions"):
        raw = post.get(field, "")
        if len(raw) > MAX_JSON:
            errors.append(f"{field.title()} is longer than {MAX_JSON:,} characters")
            data[field] = None
            continue
        try:
            data[field] = json.loads(raw or ("{}" if field == "conditions" else "[]"))
        except json.JSONDecodeError as exc:
            errors.append(f"{field.title()} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
            data[field] = None
    return data, errors


@login_required
def rules(request, brand):
    brand, role = access_rules_brand(request.user, brand)
    items = RoutingRule.objects.filter(brand=brand).order_by("position", "id")
    return render(request, "routing/rules.html", {
        **_chrome(request, brand, role),
        "rules": [{"rule": r, "conditions": _pretty(r.conditions), "actions": _pretty(r.actions)} for r in items],
    })


@login_required
def edit(request, brand, rule_id=None):
    brand, role = access_rules_brand(request.user, brand)
    rule = access_rule(request.user, brand, rule_id) if rule_id is not None else None
    errors: list[str] = []
    if request.method == "POST":
        data, errors = _form_data(request.POST)
        if not errors:
            try:
                rule = actions.save_rule(brand, data, request.user, rule)
            except ActionError as exc:
                errors.append(str(exc))
            else:
                messages.success(request, f"Rule “{rule.name}” saved.")
                return redirect("routing:rules", brand=brand.slug)
        form = {key: request.POST.get(key, "") for key in ("name", "position", "conditions", "actions")}
        form.update(stop=request.POST.get("stop") == "on", enabled=request.POST.get("enabled") == "on")
    elif rule is not None:
        form = {"name": rule.name, "position": rule.position, "conditions": _pretty(rule.conditions),
                "actions": _pretty(rule.actions), "stop": rule.stop, "enabled": rule.enabled}
    else:
        last = RoutingRule.objects.filter(brand=brand).order_by("-position").values_list("position", flat=True).first()
        form = {"name": "", "position": (last or 0) + 10, "conditions": _pretty(EXAMPLE_CONDITIONS),
                "actions": _pretty(EXAMPLE_ACTIONS), "stop": False, "enabled": True}
    return render(request, "routing/edit.html", {**_chrome(request, brand, role), "rule": rule, "form": form,
                                                 "errors": errors}, status=422 if errors else 200)


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
def preview(request, brand):
    """What the rule in the form would have done to the brand's last 1,000 posts (changes nothing)."""
    brand, role = access_rules_brand(request.user, brand)
    data, errors = _form_data(request.POST)
    result = None
    if not errors:
        try:
            result = actions.preview_rule(brand, {"name": data["name"], "conditions": data["conditions"],
                                                  "actions": data["actions"], "stop": data["stop"]})
        except RuleError as exc:
            errors.append(str(exc))
    return render(request, "routing/_preview.html", {"brand": brand, "result": result, "errors": errors},
                  status=422 if errors else 200)
