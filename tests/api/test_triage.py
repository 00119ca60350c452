"""Triage through the REST API: reading it on posts and conversations, filtering, correcting."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from parley.inbox import actions
from parley.inbox.models import AuditEvent
from parley.triage.models import PostTriage, TriageCorrection
from tests.api.conftest import BASE, conv_url
from tests.conftest import incoming
from tests.web.test_triage import set_triage


def triage_url(post, suffix=""):
    return f"{BASE}/posts/{post.pk}/triage/{suffix}"


def test_read_a_posts_triage(api, convs):
    post = convs["care"].posts.get()
    set_triage(convs["care"], intent="complaint", severity=2, topics=["delivery"], private_data_posted=["phone"])
    response = api["care_agent"].get(triage_url(post))
    assert response.status_code == 200
    body = response.json()
    assert (body["post"], body["status"], body["intent"], body["severity"]) == (post.pk, "triaged", "complaint", 2)
    assert body["topics"] == ["delivery"] and body["private_data_posted"] == ["phone"]
    assert body["priority_breakdown"][0] == {"factor": "intent", "points": 20, "why": "question"}
    assert body["corrected"] == {}
    # A post triage has not reached yet reads as pending, not as an error.
    pending = api["admin"].get(triage_url(convs["unrouted"].posts.get())).json()
    assert pending["status"] == "pending" and pending["intent"] == "" and pending["priority"] is None


def test_other_teams_and_other_brands_posts_are_404(api, convs, other_brand):
    billing_post = convs["billing"].posts.get()
    assert api["care_agent"].get(triage_url(billing_post)).status_code == 404
    assert api["care_agent"].post(triage_url(billing_post, "corrections/"), {"field": "intent", "value": "praise"},
                                  format="json").status_code == 404
    assert api["admin"].get(f"/api/v1/brands/{other_brand.slug}/posts/{billing_post.pk}/triage/").status_code == 404
    assert api["admin"].get(f"{BASE}/posts/999999/triage/").status_code == 404


def test_correct_through_the_api(api, users, convs):
    post = convs["care"].posts.get()
    set_triage(convs["care"], intent="question", troll=0.7)
    client = api["care_agent"]
    response = client.post(triage_url(post, "corrections/"), {"field": "intent", "value": "complaint"}, format="json")
    assert response.status_code == 200 and response.json()["intent"] == "complaint"
    assert response.json()["corrected"] == {"intent": "Cara"}
    response = client.post(triage_url(post, "corrections/"), {"field": "troll", "value": False}, format="json")
    assert response.json()["troll"] == 0.0
    response = client.post(triage_url(post, "corrections/"), {"field": "severity", "value": 3}, format="json")
    assert response.json()["severity"] == 3
    assert TriageCorrection.objects.filter(post=post, user=users["care_agent"]).count() == 3
    assert AuditEvent.objects.filter(verb="triage.corrected").count() == 3


def test_bad_corrections_get_clear_errors_and_change_nothing(api, users, convs):
    post = convs["care"].posts.get()
    set_triage(convs["care"])
    client = api["admin"]
    for body, message in (
        ({"field": "intent", "value": "furious"}, "'furious' is not a valid intent"),
        ({"field": "severity", "value": True}, "True is not a valid severity"),
        ({"field": "severity", "value": 7}, "7 is not a valid severity"),
        ({"field": "model_version", "value": "x"}, "field:"),
        ({"value": "praise"}, "field:"),
        ({"field": "intent"}, "value:"),
    ):
        response = client.post(triage_url(post, "corrections/"), body, format="json")
        assert response.status_code == 400 and message in response.json()["detail"], (body, response.json())
    reply = actions.create_reply(convs["care"], "On it", users["admin"])
    response = client.post(triage_url(reply, "corrections/"), {"field": "intent", "value": "praise"}, format="json")
    assert response.status_code == 400 and "customer's posts" in response.json()["detail"]
    assert not TriageCorrection.objects.exists()
    assert PostTriage.objects.get(post=post).intent == "question"


def test_viewers_read_but_cannot_correct(api, convs):
    post = convs["care"].posts.get()
    set_triage(convs["care"])
    assert api["viewer"].get(triage_url(post)).status_code == 200
    response = api["viewer"].post(triage_url(post, "corrections/"), {"field": "intent", "value": "praise"},
                                  format="json")
    assert response.status_code == 403
    assert not TriageCorrection.objects.exists()


def test_conversation_detail_has_triage_on_customer_posts(api, users, convs):
    set_triage(convs["care"], intent="complaint")
    actions.create_reply(convs["care"], "Sorry to hear that", users["admin"])
    body = api["admin"].get(conv_url(convs["care"])).json()
    inbound, outbound = body["posts"]
    assert inbound["triage"]["intent"] == "complaint" and outbound["triage"] is None
    assert body["triage"]["intent"] == "complaint" and body["triage"]["post"] == inbound["id"]


def test_list_has_a_triage_summary_and_triage_filters(api, brand, channel, convs):
    set_triage(convs["care"], intent="complaint", severity=3, desired_outcome="refund", topics=["refund"])
    set_triage(convs["billing"], intent="abuse", troll=0.9, private_data_posted=["email"], language="es")
    client = api["admin"]

    def ids(**params):
        response = client.get(f"{BASE}/conversations/", params)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    rows = {r["id"]: r for r in client.get(f"{BASE}/conversations/").json()["results"]}
    assert rows[convs["care"].pk]["triage"]["desired_outcome"] == "refund"
    assert rows[convs["unrouted"].pk]["triage"] is None
    assert ids(intent="complaint") == {convs["care"].pk}
    assert ids(severity_min=3, outcome="refund") == {convs["care"].pk}
    assert ids(troll="yes") == ids(private_data="yes") == ids(language="es") == {convs["billing"].pk}
    assert ids(topic="refund") == {convs["care"].pk}
    set_triage(convs["billing"], intent="abuse", needs_response=0.2)
    assert ids(needs_response="yes") == ids(intent="complaint", needs_response="yes") == {convs["care"].pk}
    assert ids(needs_response="no") == {convs["billing"].pk}
    assert ids(needs_response="perhaps") == ids()  # an unknown value is ignored, as the other filters do
    assert api["care_agent"].get(f"{BASE}/conversations/", {"troll": "yes"}).json()["results"] == []


def test_list_queries_do_not_grow_with_rows(api, brand, channel, convs):
    client = api["admin"]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{BASE}/conversations/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(8):
        conv = actions.ingest_post(brand, channel, incoming(f"n{i}", "refund please", author=f"n{i}")).conversation
        set_triage(conv)
    assert count() == few
