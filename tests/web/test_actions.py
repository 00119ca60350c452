"""Every action endpoint: what it changes, who may call it, and what bad input gets."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from parley.inbox.models import AuditEvent, Conversation, Note, Post
from tests.web.conftest import HTMX, url

ACTIONS = {
    "assign": {"assignee": "me"},
    "team": {"team": "none"},
    "status": {"status": "resolved"},
    "priority": {"priority": "90"},
    "tag_add": {"name": "vip"},
    "tag_remove": {"name": "vip"},
    "note": {"text": "a note"},
    "reply": {"text": "a reply", "visibility": "public"},
    "vip": {"vip": "1"},
}


def fresh(conversation) -> Conversation:
    return Conversation.objects.get(pk=conversation.pk)


def follow_messages(response) -> str:
    return " ".join(re.findall(r'<p class="msg msg-\w+"[^>]*>(.*?)</p>', response.content.decode()))


# --- what each action does ------------------------------------------------------------------


def test_assign_to_me_someone_and_nobody(client, brand, users, convs):
    conv = convs["care"]
    client.force_login(users["care_agent"])
    response = client.post(url("assign", brand, conv), {"assignee": "me"})
    assert response.status_code == 303 and response["Location"] == url("conversation", brand, conv)
    assert fresh(conv).assignee == users["care_agent"]
    assert "Assigned to you." in follow_messages(client.get(response["Location"]))
    client.post(url("assign", brand, conv), {"assignee": str(users["supervisor"].pk)})
    assert fresh(conv).assignee == users["supervisor"]
    client.post(url("assign", brand, conv), {"assignee": "none"})
    assert fresh(conv).assignee is None
    assert AuditEvent.objects.filter(conversation=conv, verb="conversation.assigned").count() == 2


def test_assign_to_agent_who_cannot_see_it_is_refused(client, brand, users, convs):
    client.force_login(users["admin"])
    response = client.post(url("assign", brand, convs["care"]), {"assignee": str(users["billing_agent"].pk)})
    assert response.status_code == 422
    assert "not on this conversation" in follow_messages(response)
    assert fresh(convs["care"]).assignee is None


def test_conversation_page_offers_only_agents_who_can_see_it(client, brand, users, convs):
    client.force_login(users["admin"])
    html = client.get(url("conversation", brand, convs["care"])).content.decode()
    options = re.search(r'<select id="a-assignee".*?</select>', html, re.S).group(0)
    assert "Cara" in options and "Sam" in options and "Bill" not in options and "Vic" not in options


def test_team_status_priority_and_tags(client, brand, users, convs, teams):
    conv = convs["unrouted"]
    client.force_login(users["admin"])
    client.post(url("team", brand, conv), {"team": str(teams["care"].pk)})
    assert fresh(conv).team == teams["care"]
    client.post(url("status", brand, conv), {"status": "pending_customer"})
    assert fresh(conv).status == "pending_customer"
    client.post(url("priority", brand, conv), {"priority": "85"})
    assert fresh(conv).priority == 85
    client.post(url("tag_add", brand, conv), {"name": "  late   order "})
    assert list(fresh(conv).tags.values_list("name", flat=True)) == ["late order"]
    client.post(url("tag_remove", brand, conv), {"name": "late order"})
    assert not fresh(conv).tags.exists()
    client.post(url("team", brand, conv), {"team": "none"})
    assert fresh(conv).team is None


@pytest.mark.parametrize(
    "start, target",
    [("new", "open"), ("open", "pending_customer"), ("open", "pending_internal"), ("open", "resolved"),
     ("open", "closed"), ("resolved", "open"), ("resolved", "closed"), ("closed", "open")],
)
def test_every_status_transition(client, brand, users, convs, start, target):
    conv = convs["care"]
    Conversation.objects.filter(pk=conv.pk).update(status=start)
    client.force_login(users["care_agent"])
    response = client.post(url("status", brand, conv), {"status": target})
    assert response.status_code == 303, follow_messages(response)
    assert fresh(conv).status == target


def test_status_select_offers_the_allowed_transitions(client, brand, users, convs):
    Conversation.objects.filter(pk=convs["care"].pk).update(status="resolved")
    client.force_login(users["admin"])
    html = client.get(url("conversation", brand, convs["care"])).content.decode()
    options = re.search(r'<select id="a-status".*?</select>', html, re.S).group(0)
    assert re.findall(r'value="(\w+)"', options) == ["resolved", "open", "closed"]
    assert '<option value="resolved" selected>Resolved (now)</option>' in options
    assert ">Reopen<" in html and "data-shortcut=\"e\"" not in html


def test_note_is_stored_and_shown_as_internal(client, brand, users, convs):
    client.force_login(users["care_agent"])
    response = client.post(url("note", brand, convs["care"]), {"text": "  Call the carrier  "}, follow=True)
    note = Note.objects.get(conversation=convs["care"])
    assert note.text == "Call the carrier" and note.author == users["care_agent"]
    html = response.content.decode()
    assert "Internal note added." in html and re.search(r'<li class="note"[^>]*>', html)


def test_reply_is_stored_pending_with_the_chosen_visibility(client, brand, users, convs):
    client.force_login(users["care_agent"])
    response = client.post(url("reply", brand, convs["care"]), {"text": "Checking now!", "visibility": "private"},
                           follow=True)
    post = Post.objects.get(conversation=convs["care"], direction="out")
    assert (post.text, post.visibility, post.delivery_status, post.kind) == ("Checking now!", "private", "pending", "dm")
    assert post.author_user == users["care_agent"]
    html = response.content.decode()
    assert "waits for delivery on X" in html and "Pending delivery" in html


def test_reply_visibility_defaults_to_the_customers_last_post(client, brand, users, convs):
    client.force_login(users["care_agent"])
    html = client.get(url("conversation", brand, convs["care"])).content.decode()
    assert re.search(r'value="public" checked', html)
    client.post(url("reply", brand, convs["care"]), {"text": "Hi!"})
    assert Post.objects.get(conversation=convs["care"], direction="out").visibility == "public"


def test_reply_with_the_same_key_is_stored_once(client, brand, users, convs):
    client.force_login(users["care_agent"])
    data = {"text": "Once only", "visibility": "public", "key": "0123456789abcdef0123456789abcdef"}
    client.post(url("reply", brand, convs["care"]), data)
    client.post(url("reply", brand, convs["care"]), data)
    assert Post.objects.filter(conversation=convs["care"], direction="out").count() == 1


def test_safe_next_redirect_and_unsafe_next_ignored(client, brand, users, convs):
    client.force_login(users["care_agent"])
    inbox = url("list", brand)
    response = client.post(url("assign", brand, convs["care"]), {"assignee": "me", "next": inbox})
    assert response["Location"] == inbox
    response = client.post(url("assign", brand, convs["care"]), {"assignee": "none", "next": "https://evil.example/"})
    assert response["Location"] == url("conversation", brand, convs["care"])


def test_moving_a_conversation_away_from_my_team_returns_to_the_inbox(client, brand, users, convs, teams):
    client.force_login(users["care_agent"])
    response = client.post(url("team", brand, convs["care"]), {"team": str(teams["billing"].pk)})
    assert response.status_code == 302 and response["Location"] == url("list", brand)
    assert fresh(convs["care"]).team == teams["billing"]
    response = client.post(url("team", brand, convs["unrouted"]), {"team": str(teams["billing"].pk)}, **HTMX)
    assert response.status_code == 204 and response["HX-Redirect"] == url("list", brand)


# --- htmx answers -------------------------------------------------------------------------------


def test_htmx_action_answers_with_out_of_band_parts(client, brand, users, convs):
    client.force_login(users["care_agent"])
    response = client.post(url("note", brand, convs["care"]), {"text": "hello team"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    for part in ("conv-head", "thread", "side", "note-box"):
        assert re.search(rf'id="{part}"[^>]*hx-swap-oob="true"', html), part
    assert 'id="flash" hx-swap-oob="innerHTML"' in html and "Internal note added." in html
    assert 'id="reply-box"' not in html  # a half-written reply is never wiped by another action


def test_htmx_refusal_is_422_and_keeps_the_text(client, brand, users, convs):
    client.force_login(users["care_agent"])
    long_text = "x" * 10_001
    response = client.post(url("reply", brand, convs["care"]), {"text": long_text, "visibility": "private"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 422
    assert "at most 10,000 characters" in html and long_text in html
    assert re.search(r'value="private" checked', html)
    assert not Post.objects.filter(direction="out").exists()


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action, data, message",
    [
        ("note", {"text": "   "}, "A note cannot be empty"),
        ("note", {}, "A note cannot be empty"),
        ("reply", {"text": ""}, "A reply cannot be empty"),
        ("reply", {"text": "hi", "visibility": "shouting"}, "Visibility is public or private"),
        ("status", {"status": "bogus"}, "Unknown status"),
        ("status", {"status": "merged"}, "Unknown status"),
        ("status", {}, "Choose a status"),
        ("assign", {"assignee": "12345678"}, "does not work in this brand"),
        ("assign", {"assignee": "<script>"}, "does not work in this brand"),
        ("assign", {"assignee": "9" * 19}, "does not work in this brand"),
        ("assign", {}, "Choose who to assign"),
        ("team", {"team": "999999"}, "does not exist in this brand"),
        ("team", {"team": "abc"}, "does not exist in this brand"),
        ("priority", {"priority": "101"}, "from 0 to 100"),
        ("priority", {"priority": "-1"}, "from 0 to 100"),
        ("priority", {"priority": "high"}, "from 0 to 100"),
        ("tag_add", {"name": "   "}, "A tag needs a name"),
    ],
)
def test_bad_input_is_refused_with_a_message(client, brand, users, convs, action, data, message):
    conv = convs["care"]
    before = AuditEvent.objects.count()
    client.force_login(users["care_agent"])
    response = client.post(url(action, brand, conv), data)
    assert response.status_code == 422
    assert message in follow_messages(response)
    assert AuditEvent.objects.count() == before
    assert "<html" in response.content.decode()  # a whole page without JavaScript


def test_invalid_transition_is_explained(client, brand, users, convs):
    Conversation.objects.filter(pk=convs["care"].pk).update(status="closed")
    client.force_login(users["care_agent"])
    response = client.post(url("status", brand, convs["care"]), {"status": "pending_customer"})
    assert response.status_code == 422
    assert "A closed conversation cannot become pending customer" in follow_messages(response)


def test_team_of_another_brand_is_refused(client, brand, other_brand, users, convs):
    from parley.accounts.models import Team

    foreign = Team.objects.create(brand=other_brand, slug="x", name="Foreign")
    client.force_login(users["admin"])
    response = client.post(url("team", brand, convs["care"]), {"team": str(foreign.pk)})
    assert response.status_code == 422 and fresh(convs["care"]).team.slug == "care"


def test_actions_only_accept_post(client, brand, users, convs):
    client.force_login(users["admin"])
    for action in ACTIONS:
        assert client.get(url(action, brand, convs["care"])).status_code == 405


# --- permissions -----------------------------------------------------------------------------------


@pytest.mark.parametrize("action", list(ACTIONS))
def test_agent_of_another_team_gets_404_and_changes_nothing(client, brand, users, convs, action):
    conv = convs["care"]
    before = (AuditEvent.objects.count(), Note.objects.count(), Post.objects.count())
    client.force_login(users["billing_agent"])
    assert client.post(url(action, brand, conv), ACTIONS[action]).status_code == 404
    assert (AuditEvent.objects.count(), Note.objects.count(), Post.objects.count()) == before
    after = fresh(conv)
    assert (after.status, after.assignee_id, after.priority, after.team_id) == ("new", None, 0, conv.team_id)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_viewer_gets_403(client, brand, users, convs, action):
    before = AuditEvent.objects.count()
    client.force_login(users["viewer"])
    assert client.post(url(action, brand, convs["care"]), ACTIONS[action]).status_code == 403
    assert AuditEvent.objects.count() == before


def test_other_brand_member_gets_404(client, brand, other_brand, users, convs, django_user_model):
    from parley.accounts.models import Membership, Role

    outsider = django_user_model.objects.create_user("out", password="x" * 12)
    Membership.objects.create(user=outsider, brand=other_brand, role=Role.ADMIN)
    client.force_login(outsider)
    assert client.post(url("note", brand, convs["care"]), {"text": "hi"}).status_code == 404
    # The conversation under the other brand's slug does not exist either.
    assert client.get(url("conversation", other_brand, convs["care"])).status_code == 404


def test_csrf_is_enforced(brand, users, convs):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["care_agent"])
    assert client.post(url("note", brand, convs["care"]), {"text": "forged"}).status_code == 403
    assert not Note.objects.exists()
    page = client.get(url("conversation", brand, convs["care"])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(url("note", brand, convs["care"]), {"text": "real", "csrfmiddlewaretoken": token})
    assert response.status_code == 303 and Note.objects.get().text == "real"
    # htmx sends the token in a header, read from the page.
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = client.post(url("note", brand, convs["care"]), {"text": "via htmx"}, HTTP_X_CSRFTOKEN=header_token,
                           **HTMX)
    assert response.status_code == 200 and Note.objects.count() == 2


def test_vip_toggle_marks_the_customer(client, brand, users, convs):
    conv = convs["care"]
    client.force_login(users["care_agent"])
    assert "Mark as VIP" in client.get(url("conversation", brand, conv)).content.decode()
    response = client.post(url("vip", brand, conv), {"vip": "1"})
    assert response.status_code == 303
    assert fresh(conv).customer.is_vip
    page = client.get(url("conversation", brand, conv)).content.decode()
    assert "Remove VIP" in page
    client.post(url("vip", brand, conv), {"vip": "0"})
    assert not fresh(conv).customer.is_vip
    response = client.post(url("vip", brand, conv), {"vip": "maybe"})
    assert not fresh(conv).customer.is_vip
