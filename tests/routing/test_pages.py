"""The routing rules pages: who may see them, saving with validation, preview, deletion."""

import json

import pytest
from django.urls import reverse

from parley.inbox import actions as inbox
from parley.inbox.models import AuditEvent
from parley.routing.models import RoutingRule
from tests.conftest import incoming

CONDITIONS = json.dumps({"all": [{"field": "text", "op": "keywords", "value": ["refund"]}]})
ACTIONS = json.dumps([{"type": "set_team", "team": "billing"}])


def url(name, brand, **kw):
    return reverse(f"routing:{name}", kwargs={"brand": brand.slug, **kw})


@pytest.fixture
def admin_client(client, users):
    client.force_login(users["admin"])
    return client


def test_only_admins_and_supervisors_see_rules(client, brand, users, other_brand):
    for name in ("care_agent", "viewer"):
        client.force_login(users[name])
        assert client.get(url("rules", brand)).status_code == 404
    client.force_login(users["supervisor"])
    assert client.get(url("rules", brand)).status_code == 200
    assert client.get(url("rules", other_brand)).status_code == 404
    client.logout()
    assert client.get(url("rules", brand)).status_code == 302  # to the login page


def test_create_edit_and_delete_a_rule_are_audited(admin_client, brand):
    response = admin_client.post(url("new", brand), {"name": "Refunds", "position": "5", "conditions": CONDITIONS,
                                                     "actions": ACTIONS, "enabled": "on"})
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert rule.name == "Refunds" and rule.position == 5 and rule.enabled and not rule.stop
    page = admin_client.get(url("rules", brand)).content.decode()
    assert "Refunds" in page and "Send to team billing" in page and "Text of the post has any of the words refund" in page
    admin_client.post(url("edit", brand, rule_id=rule.pk), {"name": "Refunds!", "position": "5",
                                                            "conditions": CONDITIONS, "actions": ACTIONS, "stop": "on"})
    rule.refresh_from_db()
    assert rule.name == "Refunds!" and rule.stop and not rule.enabled
    admin_client.post(url("delete", brand, rule_id=rule.pk))
    assert not RoutingRule.objects.exists()
    verbs = list(AuditEvent.objects.filter(object_type="routingrule").values_list("verb", flat=True))
    assert verbs == ["rule.created", "rule.changed", "rule.deleted"]


@pytest.mark.parametrize("conditions, actions, message", [
    ("{not json", ACTIONS, "Conditions is not valid JSON"),
    (CONDITIONS, "[]", "at least one action"),
    (json.dumps({"all": [{"field": "text", "op": "matches", "value": "(a)\\1"}]}), ACTIONS, "not valid"),
    (json.dumps({"all": [{"field": "shoe", "op": "eq", "value": "x"}]}), ACTIONS, "unknown field"),
])
def test_bad_rules_are_refused_with_the_reason_and_the_form_kept(admin_client, brand, conditions, actions, message):
    response = admin_client.post(url("new", brand), {"name": "Bad", "position": "1", "conditions": conditions,
                                                     "actions": actions})
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page and "Bad" in page
    assert not RoutingRule.objects.exists()


def test_rules_of_another_brand_do_not_exist(admin_client, brand, other_brand):
    theirs = RoutingRule.objects.create(brand=other_brand, name="theirs", actions=[{"type": "hide"}])
    assert admin_client.get(url("edit", brand, rule_id=theirs.pk)).status_code == 404
    assert admin_client.post(url("delete", brand, rule_id=theirs.pk)).status_code == 404
    assert RoutingRule.objects.filter(pk=theirs.pk).exists()


def test_preview_shows_matches_and_changes_nothing(admin_client, brand, channel, teams):
    for i, text in enumerate(["I want a refund", "love it", "REFUND now <script>alert(1)</script>"]):
        inbox.ingest_post(brand, channel, incoming(str(i), text, author=f"a{i}"))
    response = admin_client.post(url("preview", brand), {"name": "x", "conditions": CONDITIONS, "actions": ACTIONS},
                                 HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>2</strong> of the last 3 posts match" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert not AuditEvent.objects.filter(actor_label="routing").exists()
    bad = admin_client.post(url("preview", brand), {"name": "x", "conditions": CONDITIONS, "actions": "[{}]"})
    assert bad.status_code == 422 and "unknown action" in bad.content.decode()


def test_rule_names_are_escaped(admin_client, brand):
    admin_client.post(url("new", brand), {"name": "<img src=x onerror=alert(1)>", "position": "1",
                                          "conditions": CONDITIONS, "actions": ACTIONS, "enabled": "on"})
    page = admin_client.get(url("rules", brand)).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_preview_never_shows_a_post_its_author_deleted(admin_client, brand, channel, teams):
    """Issue 4: a deletion on the platform hides the post's text everywhere, rule previews included."""
    inbox.ingest_post(brand, channel, incoming("1", "refund please", author="a1"))
    gone = inbox.ingest_post(brand, channel, incoming("2", "refund to rosa@example.net", author="a2")).post
    inbox.mark_post_deleted(gone)
    response = admin_client.post(url("preview", brand), {"name": "x", "conditions": CONDITIONS, "actions": ACTIONS},
                                 HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "refund please" in page and "rosa@example.net" not in page
    assert "<strong>1</strong> of the last 1 posts match" in page
