"""IDOR: what a user cannot see does not exist for them (404), and viewers cannot write (403)."""

import pytest

from parley.accounts.models import Membership, Role
from parley.inbox import actions
from parley.inbox.models import AuditEvent, Conversation, Note, Post
from tests.conftest import incoming

from .conftest import BASE, conv_url

WRITES = [
    ("assign/", {"assignee": "me"}),
    ("status/", {"status": "resolved"}),
    ("notes/", {"text": "peek"}),
    ("tags/", {"add": ["vip"]}),
    ("replies/", {"text": "hi", "idempotency_key": "k-idor"}),
]


def _snapshot(conversation):
    c = Conversation.objects.get(pk=conversation.pk)
    return (c.status, c.assignee_id, list(c.tags.all()), Note.objects.filter(conversation=c).count(),
            Post.objects.filter(conversation=c).count(), AuditEvent.objects.count())


def test_agent_cannot_read_other_teams_conversation(api, convs):
    response = api["care_agent"].get(conv_url(convs["billing"]))
    assert response.status_code == 404
    assert "charged twice" not in response.content.decode()
    assert api["care_agent"].get(conv_url(convs["care"])).status_code == 200
    assert api["care_agent"].get(conv_url(convs["unrouted"])).status_code == 200


@pytest.mark.parametrize("suffix,body", WRITES)
def test_agent_cannot_change_other_teams_conversation(api, convs, suffix, body):
    before = _snapshot(convs["billing"])
    response = api["care_agent"].post(conv_url(convs["billing"], suffix), body, format="json")
    assert response.status_code == 404
    assert _snapshot(convs["billing"]) == before


@pytest.mark.parametrize("suffix,body", WRITES)
def test_the_same_write_works_on_own_team(api, convs, suffix, body):
    response = api["care_agent"].post(conv_url(convs["care"], suffix), body, format="json")
    assert response.status_code in (200, 201), response.json()


@pytest.mark.parametrize(
    "query", ["", "?view=all", "?q=charged", "?status=new", "?sort=priority", "?team={team}"]
)
def test_other_teams_conversation_is_not_listed(api, convs, teams, query):
    query = query.format(team=teams["billing"].pk)
    rows = api["care_agent"].get(f"{BASE}/conversations/{query}").json()["results"]
    assert convs["billing"].pk not in [r["id"] for r in rows]
    if not query or query == "?view=all":
        assert {r["id"] for r in rows} == {convs["care"].pk, convs["unrouted"].pk}


def test_view_counts_only_count_what_the_agent_sees(api, convs):
    counts = api["care_agent"].get(f"{BASE}/conversations/").json()["view_counts"]
    assert counts["active"] == 2


def test_agent_cannot_see_customer_known_only_from_other_team(api, convs):
    assert api["care_agent"].get(f"{BASE}/customers/{convs['billing'].customer_id}/").status_code == 404
    assert api["care_agent"].get(f"{BASE}/customers/{convs['care'].customer_id}/").status_code == 200


def test_customer_page_lists_only_visible_conversations(api, brand, channel, convs, teams):
    # The care customer also writes to billing (a second conversation of the same customer).
    second = actions.ingest_post(brand, None, incoming("50", "also my invoice", author="a")).conversation
    actions.set_team(second, teams["billing"], "test")
    customer_id = convs["care"].customer_id
    assert second.customer_id == customer_id
    seen = api["care_agent"].get(f"{BASE}/customers/{customer_id}/").json()["conversations"]
    assert [c["id"] for c in seen] == [convs["care"].pk]
    seen = api["admin"].get(f"{BASE}/customers/{customer_id}/").json()["conversations"]
    assert {c["id"] for c in seen} == {convs["care"].pk, second.pk}


def test_other_brand_is_404(api, other_brand, users):
    foreign = actions.ingest_post(other_brand, None, incoming("9", "secret", author="z")).conversation
    # A brand the user is not a member of, even an admin of another brand.
    assert api["admin"].get("/api/v1/brands/globex/conversations/").status_code == 404
    assert api["admin"].get(f"/api/v1/brands/globex/conversations/{foreign.pk}/").status_code == 404
    assert api["admin"].post("/api/v1/brands/globex/posts/", {}, format="json").status_code == 404
    # The other brand's conversation id under one's own brand.
    assert api["admin"].get(f"{BASE}/conversations/{foreign.pk}/").status_code == 404
    assert api["admin"].post(f"{BASE}/conversations/{foreign.pk}/notes/", {"text": "x"},
                             format="json").status_code == 404
    assert api["admin"].get(f"{BASE}/customers/{foreign.customer_id}/").status_code == 404
    assert not Note.objects.filter(conversation=foreign).exists()


def test_unknown_brand_and_ids_are_json_404(api):
    for url in ["/api/v1/brands/nope/conversations/", f"{BASE}/conversations/999999/",
                f"{BASE}/conversations/99999999999999999999999/", f"{BASE}/conversations/abc/",
                "/api/v1/whatever"]:
        response = api["admin"].get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"]


def test_viewer_reads_everything(api, convs):
    assert api["viewer"].get(conv_url(convs["billing"])).status_code == 200
    assert api["viewer"].get(f"{BASE}/conversations/").json()["count"] == 3


@pytest.mark.parametrize("suffix,body", WRITES)
def test_viewer_writes_are_403(api, convs, suffix, body):
    before = _snapshot(convs["care"])
    response = api["viewer"].post(conv_url(convs["care"], suffix), body, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role in this brand is read-only"
    assert _snapshot(convs["care"]) == before


def test_viewer_cannot_ingest(api, brand):
    body = {"platform": "x", "id": "77", "text": "hi", "created_at": "2026-11-02T09:00:00Z",
            "author": {"id": "u"}}
    assert api["viewer"].post(f"{BASE}/posts/", body, format="json").status_code == 403
    assert not Post.objects.filter(platform_id="77").exists()


def test_role_is_per_brand(api, users, other_brand):
    Membership.objects.create(user=users["viewer"], brand=other_brand, role=Role.ADMIN)
    foreign = actions.ingest_post(other_brand, None, incoming("9", "x", author="z")).conversation
    response = api["viewer"].post(f"/api/v1/brands/globex/conversations/{foreign.pk}/notes/", {"text": "ok"},
                                  format="json")
    assert response.status_code == 201
