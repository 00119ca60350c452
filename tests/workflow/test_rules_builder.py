"""The rules editor's form builder: round trips with the JSON, validation, the pages' steps,
reordering and enabling."""

from __future__ import annotations

import json

import pytest
from django.http import QueryDict

from parley.inbox import actions as inbox
from parley.inbox.models import AuditEvent
from parley.routing import builder
from parley.routing.actions import compiled_rules, route_post
from parley.routing.forms import RuleForm
from parley.routing.models import RoutingRule
from parley.routing.rules import PostFacts, Context, RuleError, compile_condition, evaluate
from tests.conftest import T0, incoming
from tests.routing.test_pages import admin_client, url  # noqa: F401 - a fixture and the URL helper

RULES = [
    ({"all": [{"field": "text", "op": "keywords", "value": ["refund", "charged twice"]}], "any": []},
     [{"type": "set_team", "team": "billing"}, {"type": "add_tag", "tag": "refund"}]),
    ({"all": [{"field": "intent", "op": "in", "value": ["complaint", "request"]},
              {"field": "severity", "op": "gte", "value": 3},
              {"field": "weekday", "op": "in", "value": [0, 1, 2, 3, 4]},
              {"field": "time", "op": "between", "value": ["22:00", "06:00"]}],
      "any": [{"field": "vip", "op": "is", "value": True}, {"field": "followers", "op": "between", "value": [1000, 50000]},
              {"field": "anger", "op": "gt", "value": 0.7}]},
     [{"type": "raise_priority", "to": 80}, {"type": "assign", "to": "auto"},
      {"type": "escalate", "to": "role:supervisor", "message": "Angry VIP"}]),
    ({"all": [{"field": "text", "op": "matches", "value": r"order\s*#?\d{6}"},
              {"field": "channel", "op": "eq", "value": "AcmeHelp"},
              {"field": "topics", "op": "contains_any", "value": ["delivery", "refund"]},
              {"field": "sentiment", "op": "ne", "value": "positive"},
              {"field": "language", "op": "empty", "value": False},
              {"field": "desired_outcome", "op": "empty", "value": True},
              {"field": "weekday", "op": "eq", "value": 5},
              {"field": "hour", "op": "not_in", "value": [12, 13]},
              {"field": "platform", "op": "not_in", "value": ["x"]},
              {"field": "language_detected", "op": "in", "value": ["de", "fr"]}], "any": []},
     [{"type": "acknowledge", "text": "Thanks, we're on it."}, {"type": "notify", "to": "team:care", "message": ""},
      {"type": "mark_spam"}, {"type": "hide"}]),
    ({}, [{"type": "add_tag", "tag": "everything"}]),
]


def as_post(form: RuleForm, **extra) -> QueryDict:
    """What a browser submits for these builder rows."""
    q = QueryDict(mutable=True)
    q.update({"name": form.name or "r", "position": form.position, "source": "builder"})
    for i, c in enumerate(form.conditions):
        q.update({f"c-{i}-group": c.group, f"c-{i}-field": c.field, f"c-{i}-op": c.op, f"c-{i}-value": c.value,
                  f"c-{i}-value2": c.value2})
        for p in c.picked:
            q.appendlist(f"c-{i}-picked", p)
    for i, a in enumerate(form.actions):
        q.update({f"a-{i}-type": a.type, f"a-{i}-value": a.value, f"a-{i}-message": a.message})
    for key, value in extra.items():
        q[key] = value
    return q


def _normal(conditions):
    return {"all": conditions.get("all") or [], "any": conditions.get("any") or []}


@pytest.mark.parametrize("conditions, actions", RULES)
def test_every_rule_round_trips_through_the_builder(conditions, actions):
    rule = RoutingRule(name="r", conditions=conditions, actions=actions)
    form = RuleForm.from_post(as_post(RuleForm.for_rule(rule)))
    data, errors = form.rule()
    assert errors == []
    assert data["conditions"] == _normal(conditions)
    assert data["actions"] == actions
    assert json.loads(form.conditions_json) == _normal(conditions)  # the advanced view says the same


def test_every_field_offers_only_operators_the_evaluator_accepts():
    for name in builder.FIELD_LABELS:
        ops = builder.operators(name)
        assert ops, name
        for op, _ in ops:
            assert builder.widget(name, op)


def test_builder_errors_name_the_row_and_use_the_rule_schema():
    form = RuleForm.for_rule(RoutingRule(name="r", conditions=RULES[1][0], actions=RULES[1][1]))
    form.conditions[1].value = "lots"  # severity
    form.conditions[2].picked = []  # weekday
    form.actions[0].value = "900"  # priority
    data, errors = RuleForm.from_post(as_post(form)).rule()
    assert "Condition 2 (Complaint severity (0-4)): 'lots' is not a number" in errors
    assert "Condition 3 (Day of the week): tick at least one day" in errors
    assert any(e.startswith("Action 1 (Raise priority to at least): raise_priority needs to") for e in errors)


def test_weekday_in_is_evaluated():
    condition = compile_condition({"field": "weekday", "op": "in", "value": [5, 6]})
    saturday = T0.replace(day=7)  # 2026-11-07
    rule = RoutingRule(name="w", conditions={"all": [{"field": "weekday", "op": "in", "value": [5, 6]}]},
                       actions=[{"type": "add_tag", "tag": "weekend"}]).compiled()
    assert evaluate(PostFacts(), [rule], saturday).tags == ["weekend"]
    assert evaluate(PostFacts(), [rule], T0).tags == []  # a Monday
    assert condition.test(6) and not condition.test(2) and not condition.test(None)
    with pytest.raises(RuleError):
        compile_condition({"field": "weekday", "op": "in", "value": []})
    assert Context(now=T0)


# --- the pages ------------------------------------------------------------------------------


def test_a_rule_built_with_the_builder_is_saved_and_routes(admin_client, brand, channel, teams):
    form = RuleForm(name="Refunds", position="10", conditions=[
        builder.ConditionRow(field="text", op="keywords", value="refund, charged twice")],
        actions=[builder.ActionRow(type="set_team", value="billing")])
    response = admin_client.post(url("new", brand), as_post(form, enabled="on", step="save"))
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert rule.conditions == {"all": [{"field": "text", "op": "keywords", "value": ["refund", "charged twice"]}],
                               "any": []}
    post = inbox.ingest_post(brand, channel, incoming("p1", "I was charged twice!", author="z")).post
    route_post(post, T0)
    conv = post.conversation
    conv.refresh_from_db()
    assert conv.team_id == teams["billing"].pk


def test_builder_steps_work_without_javascript(admin_client, brand, teams):
    form = RuleForm.for_rule(None)
    page = admin_client.post(url("new", brand), as_post(form, step="add_condition"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="c-1-field"' in html and not RoutingRule.objects.exists()
    # changing the field to weekday and refreshing offers day checkboxes
    post = as_post(form, step="refresh")
    post.update({"c-1-field": "weekday", "c-1-op": "in", "c-1-group": "all"})
    html = admin_client.post(url("new", brand), post).content.decode()
    assert 'name="c-1-picked" value="5"' in html and "Sat" in html
    # removing it
    html = admin_client.post(url("new", brand), as_post(form, step="remove-c-0")).content.decode()
    assert 'name="c-0-field"' not in html


def test_json_loads_into_the_builder_and_saves_from_json(admin_client, brand, teams):
    conditions, actions = RULES[1]
    post = as_post(RuleForm.for_rule(None), step="load_json")
    post.update({"conditions": json.dumps(conditions), "actions": json.dumps(actions)})
    html = admin_client.post(url("new", brand), post).content.decode()
    assert 'name="c-6-field"' in html and 'value="role:supervisor"' in html
    post["step"] = "save_json"
    post["name"] = "From JSON"
    assert admin_client.post(url("new", brand), post).status_code == 302
    assert RoutingRule.objects.get(name="From JSON").actions == actions


def test_bad_json_is_refused_with_the_reason(admin_client, brand):
    post = as_post(RuleForm.for_rule(None), step="load_json")
    post["conditions"] = "{oops"
    response = admin_client.post(url("new", brand), post)
    assert response.status_code == 422 and "Conditions is not valid JSON" in response.content.decode()


def test_preview_from_the_builder(admin_client, brand, channel):
    for i, text in enumerate(["refund please", "love it"]):
        inbox.ingest_post(brand, channel, incoming(str(i), text, author=f"a{i}"))
    form = RuleForm(name="x", conditions=[builder.ConditionRow(field="text", op="keywords", value="refund")],
                    actions=[builder.ActionRow(type="add_tag", value="refund")])
    htmx = admin_client.post(url("preview", brand), as_post(form), HTTP_HX_REQUEST="true").content.decode()
    assert "<strong>1</strong> of the last 2 posts match" in htmx
    plain = admin_client.post(url("new", brand), as_post(form, step="preview")).content.decode()
    assert "<strong>1</strong> of the last 2 posts match" in plain and not RoutingRule.objects.exists()


def test_move_and_toggle_are_audited_and_change_routing(admin_client, brand):
    a = RoutingRule.objects.create(brand=brand, name="a", position=10, actions=[{"type": "add_tag", "tag": "a"}])
    b = RoutingRule.objects.create(brand=brand, name="b", position=10, actions=[{"type": "add_tag", "tag": "b"}])
    c = RoutingRule.objects.create(brand=brand, name="c", position=30, actions=[{"type": "add_tag", "tag": "c"}])
    assert [r.id for r in compiled_rules(brand)] == [a.pk, b.pk, c.pk]
    admin_client.post(url("move", brand, rule_id=c.pk), {"direction": "up"})
    assert [r.id for r in compiled_rules(brand)] == [a.pk, c.pk, b.pk]
    admin_client.post(url("move", brand, rule_id=a.pk), {"direction": "up"})  # already first: nothing
    assert [r.id for r in compiled_rules(brand)] == [a.pk, c.pk, b.pk]
    admin_client.post(url("toggle", brand, rule_id=c.pk), {})
    assert [r.id for r in compiled_rules(brand)] == [a.pk, b.pk]
    admin_client.post(url("toggle", brand, rule_id=c.pk), {"enabled": "on"})
    assert RoutingRule.objects.get(pk=c.pk).enabled
    verbs = list(AuditEvent.objects.filter(object_type="routingrule").values_list("verb", flat=True))
    assert verbs.count("rule.moved") == 1 and "rule.disabled" in verbs and "rule.enabled" in verbs


def test_reorder_of_another_brand_is_404(admin_client, brand, other_brand, users, client):
    theirs = RoutingRule.objects.create(brand=other_brand, name="t", actions=[{"type": "hide"}])
    assert admin_client.post(url("move", brand, rule_id=theirs.pk), {"direction": "up"}).status_code == 404
    assert admin_client.post(url("toggle", brand, rule_id=theirs.pk), {}).status_code == 404
    client.force_login(users["care_agent"])
    mine = RoutingRule.objects.create(brand=brand, name="m", actions=[{"type": "hide"}])
    assert client.post(url("toggle", brand, rule_id=mine.pk), {}).status_code == 404
    assert RoutingRule.objects.get(pk=mine.pk).enabled
