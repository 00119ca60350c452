"""The composer's JSON endpoints, through Django's test client."""

from __future__ import annotations

import json

import pytest

from parley.composer import actions
from parley.composer.suggestions.history import forget
from parley.inbox.models import Post


def url(conv, name="check"):
    return f"/b/{conv.brand.slug}/c/{conv.pk}/compose/{name}"


def post_json(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_inline_check_finds_the_customers_phone_in_public_only(client, conv, users):
    client.force_login(users["care_agent"])
    draft = "Hi Dana, we'll call 415-555-0134 by 5 pm."
    r = post_json(client, url(conv), {"text": draft, "visibility": "public"})
    assert r.status_code == 200
    body = r.json()
    assert body["blocked"] is True and body["can_override"] is False
    hit = next(f for f in body["findings"] if f["check"] == "private_data")
    assert draft[hit["start"]:hit["end"]] == "415-555-0134"
    r = post_json(client, url(conv), {"text": draft, "visibility": "private"})
    assert r.json()["blocked"] is False


def test_check_errors_are_json(client, conv, users):
    client.force_login(users["care_agent"])
    assert post_json(client, url(conv), {"text": 5}).status_code == 400
    assert post_json(client, url(conv), {"text": "hi", "visibility": "secret"}).status_code == 400
    r = client.post(url(conv), data="{nope", content_type="application/json")
    assert r.status_code == 400 and "JSON" in r.json()["error"]
    assert post_json(client, url(conv), {"text": "x" * 300_000}).status_code == 413
    assert client.get(url(conv)).status_code == 405


def test_another_teams_conversation_is_404_and_viewers_cannot_send(client, conv, users, teams):
    conv.team = teams["billing"]
    conv.save()
    client.force_login(users["care_agent"])
    assert post_json(client, url(conv), {"text": "hi"}).status_code == 404
    client.force_login(users["viewer"])
    assert post_json(client, url(conv), {"text": "hi"}).status_code == 200
    assert post_json(client, url(conv, "send"), {"text": "hi"}).status_code == 403


def test_anonymous_is_sent_to_login(client, conv):
    r = post_json(client, url(conv), {"text": "hi"})
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_send_blocks_then_supervisor_overrides(client, conv, users):
    client.force_login(users["care_agent"])
    r = post_json(client, url(conv, "send"), {"text": "Hi Dana, order WL-88231 ships today.", "visibility": "public"})
    assert r.status_code == 409 and r.json()["blocked"]
    assert not Post.objects.filter(conversation=conv, direction="out").exists()
    r = post_json(client, url(conv, "send"), {"text": "Hi Dana, order WL-88231 ships today.", "visibility": "private"})
    assert r.status_code == 201 and r.json()["visibility"] == "private"
    client.force_login(users["supervisor"])
    r = post_json(client, url(conv, "send"), {"text": "Hi Dana, order WL-88231 ships today.", "visibility": "public",
                                              "override_reason": "Customer asked for it here"})
    assert r.status_code == 201 and r.json()["overridden"] is True


def test_templates_search_and_use(client, conv, users, brand):
    t = actions.create_template(brand, users["admin"], name="Parcel late", shortcut="late",
                                body="Hi {customer.first_name}, {agent.first_name} here: new parcel by {eta}.")
    client.force_login(users["care_agent"])
    r = client.get(url(conv, "templates") + "?q=/la")
    assert [row["shortcut"] for row in r.json()["templates"]] == ["late"]
    r = post_json(client, url(conv, f"templates/{t.pk}/use"), {"eta": "Friday"})
    assert r.json()["text"] == "Hi Dana, Cara here: new parcel by Friday."
    r = post_json(client, url(conv, f"templates/{t.pk}/use"), {})
    assert r.status_code == 400 and "{eta}" in r.json()["error"]


@pytest.fixture
def history(brand, channel, users, settings):
    """Past conversations: posts and the replies agents gave them."""
    from datetime import timedelta

    from parley.inbox import actions as inbox
    from tests.conftest import T0, incoming

    settings.PARLEY_COMPOSER_SUGGESTION_REFRESH_SECONDS = 0
    pairs = [
        ("my parcel never arrived and tracking says delivered", "So sorry! We've opened a courier trace and will update you by 5 pm."),
        ("the app crashes every time I open it", "Sorry about that. Please update to the latest version and restart your phone."),
        ("can I change my delivery address", "Yes: you can change it under Orders > Edit until it ships."),
    ]
    for i, (question, answer) in enumerate(pairs):
        conv = inbox.ingest_post(brand, channel, incoming(f"h{i}", question, author=f"a{i}",
                                                          at=T0 - timedelta(days=3))).conversation
        inbox.create_reply(conv, answer, users["admin"], now=T0 - timedelta(days=3, hours=-1))
    forget()
    yield
    forget()


def test_suggestions_come_from_similar_past_replies(client, conv, users, history):
    client.force_login(users["care_agent"])
    r = client.get(url(conv, "suggestions"))
    assert r.status_code == 200
    items = r.json()["suggestions"]
    from_history = [s for s in items if s["kind"] == "history"]
    assert from_history and "courier trace" in from_history[0]["text"]
    assert from_history[0]["text"].startswith("Hi Dana")


def test_the_composer_lives_on_the_conversation_page_and_the_old_page_redirects_there(client, conv, users):
    from parley.inbox import actions as inbox
    from tests.conftest import incoming

    inbox.ingest_post(conv.brand, conv.channel, incoming("p3", "<script>alert(1)</script>", author="c9"))
    client.force_login(users["care_agent"])
    r = client.get(f"/b/{conv.brand.slug}/c/{conv.pk}/compose/")
    assert r.status_code == 302 and r["Location"] == f"/b/{conv.brand.slug}/c/{conv.pk}/#reply-box"
    html = client.get(r["Location"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert 'data-check-url="/b/acme/c/' in html and "composer/compose.js" in html
    assert html.count('name="text"') == 2 and html.count(">Your reply") == 1  # the reply and the note box
    client.force_login(users["viewer"])
    html = client.get(f"/b/{conv.brand.slug}/c/{conv.pk}/").content.decode()
    assert "composer/compose.js" not in html and "reply-text" not in html


def test_handoff_endpoint(client, conv, users):
    client.force_login(users["care_agent"])
    drafts = client.get(url(conv, "handoff")).json()
    r = post_json(client, url(conv, "handoff"), {"public_text": "Hi Dana, call 415-555-0134 please",
                                                 "private_text": drafts["private"]})
    assert r.status_code == 409 and list(r.json()["findings"]) == ["public"]
    r = post_json(client, url(conv, "handoff"), {"public_text": drafts["public"], "private_text": drafts["private"]})
    assert r.status_code == 201
    assert Post.objects.filter(conversation=conv, direction="out").count() == 2
