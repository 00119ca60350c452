"""Reading conversations and acting on them through the API."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parley.inbox import actions
from parley.inbox.models import AuditEvent, Post
from tests.conftest import T0, incoming, make_user

from .conftest import BASE, conv_url


@pytest.fixture
def inbox(brand, channel, teams, users):
    """Five conversations with different waits, priorities, tags, teams and statuses."""
    made = {}
    for n, (name, hours) in enumerate([("oldest", -5), ("old", -4), ("mid", -3), ("new", -2), ("done", -1)]):
        post = incoming(str(100 + n), f"{name} problem", author=f"u{n}", at=T0 + timedelta(hours=hours))
        made[name] = actions.ingest_post(brand, channel, post).conversation
    actions.set_priority(made["new"], 90, "test")
    actions.set_priority(made["mid"], 40, "test")
    actions.add_tag(made["mid"], "refund", "test")
    actions.set_team(made["old"], teams["billing"], "test")
    actions.assign(made["oldest"], users["care_agent"], "test")
    actions.resolve(made["done"], "test", now=T0)
    return made


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_default_list_is_active_longest_waiting_first(api, inbox):
    body = api["admin"].get(f"{BASE}/conversations/").json()
    assert [r["id"] for r in body["results"]] == [inbox[k].pk for k in ("oldest", "old", "mid", "new")]
    assert body["count"] == 4
    assert body["view_counts"]["active"] == 4 and body["view_counts"]["resolved"] == 1
    row = body["results"][2]
    assert row["subject"] == "mid problem"
    assert row["tags"] == ["refund"] and row["priority"] == 40 and row["status"] == "new"
    assert row["waiting_since"] == (T0 - timedelta(hours=3)).isoformat().replace("+00:00", "Z")
    assert row["customer"]["identities"] == [{"platform": "x", "handle": "user_u2", "label": "@user_u2"}]
    assert row["counts"] == {"posts": 1, "inbound": 1, "notes": 0}
    assert row["channel"]["handle"] == "AcmeHelp"


@pytest.mark.parametrize(
    "query,expected",
    [
        ("sort=priority", ["new", "mid", "oldest", "old"]),
        ("sort=recent", ["new", "mid", "old", "oldest"]),
        ("status=resolved", ["done"]),
        ("status=resolved&status=new", ["oldest", "old", "mid", "new", "done"]),
        ("view=all", ["oldest", "old", "mid", "new", "done"]),
        ("view=unassigned", ["old", "mid", "new"]),
        ("tag=refund", ["mid"]),
        ("priority_min=50", ["new"]),
        ("q=MID", ["mid"]),
        ("platform=facebook", []),
        ("assignee=none&sort=priority", ["new", "mid", "old"]),
        ("team=none", ["oldest", "mid", "new"]),
        ("view=bogus&sort=evil&priority_min=x", ["oldest", "old", "mid", "new"]),
    ],
)
def test_filters(api, inbox, query, expected):
    assert ids(api["admin"].get(f"{BASE}/conversations/?{query}")) == [inbox[k].pk for k in expected]


def test_filters_by_team_assignee_and_channel(api, inbox, teams, users, channel):
    url = f"{BASE}/conversations/"
    assert ids(api["admin"].get(f"{url}?team={teams['billing'].pk}")) == [inbox["old"].pk]
    assert ids(api["admin"].get(f"{url}?assignee={users['care_agent'].pk}")) == [inbox["oldest"].pk]
    assert ids(api["care_agent"].get(f"{url}?assignee=me")) == [inbox["oldest"].pk]
    assert len(ids(api["admin"].get(f"{url}?channel={channel.pk}"))) == 4
    assert ids(api["admin"].get(f"{url}?channel={channel.pk + 1000}")) == []


def test_pagination(api, inbox):
    url = f"{BASE}/conversations/?limit=2"
    first = api["admin"].get(url).json()
    assert first["count"] == 4 and len(first["results"]) == 2 and first["previous"] is None
    second = api["admin"].get(first["next"]).json()
    assert [r["id"] for r in first["results"] + second["results"]] == [
        inbox[k].pk for k in ("oldest", "old", "mid", "new")
    ]
    assert second["next"] is None
    assert len(api["admin"].get(f"{BASE}/conversations/?limit=100000").json()["results"]) == 4


def test_list_query_count_does_not_grow_with_rows(api, brand, channel, inbox):
    def queries_for_list():
        with CaptureQueriesContext(connection) as ctx:
            assert api["admin"].get(f"{BASE}/conversations/").status_code == 200
        return len(ctx.captured_queries)

    before = queries_for_list()
    for n in range(10):
        actions.ingest_post(brand, channel, incoming(f"x{n}", "more", author=f"m{n}"))
    assert queries_for_list() == before


def test_detail_has_posts_in_order_notes_and_customer(api, brand, channel, users, inbox):
    conversation = inbox["mid"]
    later = T0 + timedelta(hours=1)
    actions.ingest_post(brand, channel, incoming("201", "still waiting", author="u2", at=later,
                                                 reply_to="102"))
    deleted = actions.ingest_post(brand, channel, incoming("202", "something rude", author="u2",
                                                           at=T0 + timedelta(hours=2), reply_to="201")).post
    Post.objects.filter(pk=deleted.pk).update(is_deleted=True, deleted_at=T0 + timedelta(hours=3))
    actions.add_note(conversation, "call them back", users["supervisor"])
    actions.create_reply(conversation, "Sorry! Looking now.", users["care_agent"],
                         now=T0 + timedelta(hours=4))

    body = api["admin"].get(conv_url(conversation)).json()
    posts = body["posts"]
    assert [p["text"] for p in posts] == ["mid problem", "still waiting", "", "Sorry! Looking now."]
    assert [p["direction"] for p in posts] == ["in", "in", "in", "out"]
    assert posts[2]["is_deleted"] is True and posts[2]["platform_id"] == "202"
    assert "something rude" not in str(body)
    assert posts[1]["parent"] == posts[0]["id"] and posts[1]["in_reply_to_id"] == "102"
    assert posts[0]["author"]["platform_user_id"] == "u2" and posts[0]["visibility"] == "public"
    assert posts[0]["metrics"] == {"likes": 0, "reposts": 0, "replies": 0}
    assert posts[3]["author"] is None and posts[3]["author_user"]["username"] == "cara"
    assert posts[3]["delivery_status"] == "pending"
    assert [n["text"] for n in body["notes"]] == ["call them back"]
    assert body["notes"][0]["author"]["username"] == "sam"
    assert body["customer"]["identities"][0]["handle"] == "user_u2"
    assert body["counts"] == {"posts": 4, "inbound": 3, "notes": 1}


def test_customer_detail(api, inbox):
    customer_id = inbox["mid"].customer_id
    body = api["admin"].get(f"{BASE}/customers/{customer_id}/").json()
    assert body["identities"][0]["platform_user_id"] == "u2"
    assert [c["id"] for c in body["conversations"]] == [inbox["mid"].pk]


# --- actions ---------------------------------------------------------------------------


def test_assign_to_me_to_someone_and_unassign(api, users, inbox):
    url = conv_url(inbox["mid"], "assign/")
    mine = api["care_agent"].post(url, {"assignee": "me"}, format="json").json()
    assert mine["assignee"]["username"] == "cara"
    body = api["admin"].post(url, {"assignee": users["supervisor"].pk}, format="json").json()
    assert body["assignee"]["id"] == users["supervisor"].pk
    assert api["admin"].post(url, {"assignee": str(users["admin"].pk)}, format="json").status_code == 200
    assert api["admin"].post(url, {"assignee": None}, format="json").json()["assignee"] is None
    events = AuditEvent.objects.filter(
        conversation=inbox["mid"], verb__in=["conversation.assigned", "conversation.unassigned"]
    )
    verbs = list(events.values_list("verb", flat=True))
    assert verbs == ["conversation.assigned"] * 3 + ["conversation.unassigned"]


@pytest.mark.parametrize("value", [True, "someone", 1.5, [], {}])
def test_assign_rejects_malformed_assignee(api, inbox, value):
    response = api["admin"].post(conv_url(inbox["mid"], "assign/"), {"assignee": value}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("assignee:")


def test_assign_requires_the_field(api, inbox):
    response = api["admin"].post(conv_url(inbox["mid"], "assign/"), {}, format="json")
    assert response.status_code == 400 and "assignee" in response.json()["errors"]


def test_assign_to_user_of_another_brand_does_not_reveal_them(api, django_user_model, other_brand, inbox):
    stranger = make_user(django_user_model, "mallory-secret", other_brand, "admin")
    response = api["admin"].post(conv_url(inbox["mid"], "assign/"), {"assignee": stranger.pk}, format="json")
    assert response.status_code == 400
    assert "mallory" not in response.content.decode()


def test_assign_to_agent_of_other_team_is_400_with_reason(api, users, inbox):
    response = api["admin"].post(conv_url(inbox["old"], "assign/"), {"assignee": users["care_agent"].pk},
                                 format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "cara is not on this conversation's team"


def test_status_changes_and_refusals(api, inbox):
    url = conv_url(inbox["mid"], "status/")
    pending = api["admin"].post(url, {"status": "pending_customer"}, format="json").json()
    assert pending["status"] == "pending_customer"
    assert api["admin"].post(url, {"status": "resolved"}, format="json").json()["resolved_at"]
    bad = api["admin"].post(url, {"status": "exploded"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["detail"] == 'status: "exploded" is not a valid choice.'
    merged = api["admin"].post(url, {"status": "merged"}, format="json")
    assert merged.status_code == 400
    refused = api["admin"].post(url, {"status": "pending_internal"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "A resolved conversation cannot become pending internal"


def test_notes(api, inbox):
    url = conv_url(inbox["mid"], "notes/")
    response = api["care_agent"].post(url, {"text": "  check the order  "}, format="json")
    assert response.status_code == 201
    assert response.json()["text"] == "check the order" and response.json()["author"]["username"] == "cara"
    empty = api["care_agent"].post(url, {"text": "   "}, format="json")
    assert empty.status_code == 400 and empty.json()["detail"] == "A note cannot be empty"
    assert api["care_agent"].post(url, {"text": "x" * 10_001}, format="json").status_code == 400


def test_tags_add_and_remove(api, inbox):
    url = conv_url(inbox["mid"], "tags/")
    body = api["admin"].post(url, {"add": ["urgent", "  late   delivery "], "remove": ["refund"]},
                             format="json").json()
    assert body["tags"] == ["late delivery", "urgent"]
    assert api["admin"].get(f"{BASE}/conversations/?tag=urgent").json()["count"] == 1


def test_tags_are_all_or_nothing(api, inbox):
    response = api["admin"].post(conv_url(inbox["mid"], "tags/"), {"add": ["fine", " "]}, format="json")
    assert response.status_code == 400 and response.json()["detail"] == "A tag needs a name"
    assert list(inbox["mid"].tags.values_list("name", flat=True)) == ["refund"]


def test_reply_is_stored_pending_and_idempotent(api, inbox):
    url = conv_url(inbox["mid"], "replies/")
    body = {"text": "We're on it, Dana.", "idempotency_key": "reply-123"}
    first = api["care_agent"].post(url, body, format="json")
    assert first.status_code == 201
    reply = first.json()
    assert reply["delivery_status"] == "pending" and reply["direction"] == "out"
    assert reply["visibility"] == "public" and reply["platform_id"] is None
    again = api["care_agent"].post(url, body, format="json")
    assert again.status_code == 200 and again.json()["id"] == reply["id"]
    assert Post.objects.filter(conversation=inbox["mid"], direction="out").count() == 1
    dm = api["care_agent"].post(url, {"text": "Send us your order number", "visibility": "private"},
                                format="json")
    assert dm.status_code == 201 and dm.json()["kind"] == "dm"
    assert api["care_agent"].post(url, {"text": ""}, format="json").status_code == 400
    assert api["care_agent"].post(url, {"text": "x", "visibility": "loud"}, format="json").status_code == 400


def test_reply_key_of_another_conversation_is_refused(api, inbox):
    first = {"text": "a", "idempotency_key": "k1"}
    assert api["admin"].post(conv_url(inbox["mid"], "replies/"), first, format="json").status_code == 201
    response = api["admin"].post(conv_url(inbox["new"], "replies/"), {"text": "b", "idempotency_key": "k1"},
                                 format="json")
    assert response.status_code == 400


@pytest.mark.parametrize("body", ['{"status": ', "[1, 2]", '"resolved"', "null"])
def test_malformed_bodies_are_400(api, inbox, body):
    response = api["admin"].post(conv_url(inbox["mid"], "status/"), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_get_on_action_is_405(api, inbox):
    assert api["admin"].get(conv_url(inbox["mid"], "status/")).status_code == 405


def test_capped_counts_are_flagged(api, inbox, monkeypatch):
    from parley.inbox import queries

    body = api["admin"].get(f"{BASE}/conversations/").json()
    assert body["count_capped"] is False and body["view_counts_capped"] == []
    monkeypatch.setattr(queries, "LIST_COUNT_CAP", 3)
    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    body = api["admin"].get(f"{BASE}/conversations/").json()
    assert body["count"] == 3 and body["count_capped"] is True
    assert "active" in body["view_counts_capped"] and "resolved" not in body["view_counts_capped"]
    assert body["view_counts"]["active"] == 3 and body["view_counts"]["resolved"] == 1
