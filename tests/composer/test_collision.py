"""Collision detection: the pure verdict, and the shared send path (composer actions, the inbox reply
form, the composer's JSON endpoints and the REST API) refusing a reply that missed a newer post."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from parley.composer import actions
from parley.composer.collision import Arrived, judge
from parley.inbox import actions as inbox
from parley.inbox.models import AuditEvent, Post
from tests.conftest import T0, incoming


def arrived(pk, direction="out"):
    return Arrived(pk, direction, "public", "Ben", "text", T0)


# --- the pure verdict -----------------------------------------------------------------------------


def test_no_marker_means_no_check():
    verdict = judge(None, None, [arrived(9)])
    assert not verdict.refused and not verdict.overridden


def test_nothing_newer_sends():
    verdict = judge(5, None, [arrived(3), arrived(5)])
    assert not verdict.refused and not verdict.overridden and verdict.arrived == ()


def test_a_newer_post_refuses_until_reviewed_and_newer_than_reviewed_refuses_again():
    posts = [arrived(7, "in"), arrived(6)]
    verdict = judge(5, None, posts)
    assert verdict.refused and [a.id for a in verdict.unreviewed] == [6, 7]
    reviewed = judge(5, 7, posts)
    assert not reviewed.refused and reviewed.overridden and [a.id for a in reviewed.arrived] == [6, 7]
    later = judge(5, 6, posts)
    assert later.refused and [a.id for a in later.unreviewed] == [7]


def test_a_reviewed_marker_below_the_seen_one_changes_nothing():
    assert judge(5, 2, [arrived(6)]).refused


# --- the action -------------------------------------------------------------------------------------


@pytest.fixture
def seen(conv):
    return Post.objects.filter(conversation=conv).order_by("-pk").values_list("pk", flat=True).first()


def test_a_colleagues_reply_since_the_form_was_shown_refuses_mine(conv, users, seen):
    ben = users["supervisor"]
    first = actions.send_checked_reply(conv, "Hi Dana, Sam here: a new parcel goes out today.", ben,
                                       visibility="private", seen=actions.Seen(seen))
    assert first.post is not None
    with pytest.raises(actions.ReplyCollision) as caught:
        actions.send_checked_reply(conv, "Hi Dana, sorry about this!", users["care_agent"], visibility="private",
                                   seen=actions.Seen(seen))
    assert [a.id for a in caught.value.verdict.unreviewed] == [first.post.pk]
    assert "a new parcel" in caught.value.as_dict()["arrived"][0]["text"]
    assert "arrived" in str(caught.value) and caught.value.newest_post_id == first.post.pk
    assert Post.objects.filter(conversation=conv, direction="out").count() == 1
    assert AuditEvent.objects.filter(verb="reply.collision", conversation=conv).count() == 1

    sent = actions.send_checked_reply(conv, "Hi Dana, sorry about this!", users["care_agent"], visibility="private",
                                      seen=actions.Seen(seen, caught.value.newest_post_id))
    assert sent.post is not None
    event = AuditEvent.objects.get(verb="reply.collision_override", conversation=conv)
    assert event.data["arrived"] == [first.post.pk] and event.actor == users["care_agent"]


def test_a_new_customer_message_also_collides(conv, users, seen, brand, channel):
    late = incoming("p9", "Actually it was the wrong size too", at=T0 + timedelta(minutes=5), author="c9")
    inbox.ingest_post(brand, channel, late)
    with pytest.raises(actions.ReplyCollision) as caught:
        actions.send_checked_reply(conv, "Hi Dana, on it.", users["care_agent"], visibility="private",
                                   seen=actions.Seen(seen))
    assert caught.value.verdict.unreviewed[0].direction == "in"
    assert "the customer" in str(caught.value) or "message" in str(caught.value)


def test_a_repeated_submit_answers_with_the_stored_reply_not_a_collision(conv, users, seen):
    agent = users["care_agent"]
    one = actions.send_checked_reply(conv, "Hi Dana, on it.", agent, visibility="private", seen=actions.Seen(seen),
                                     idempotency_key="a" * 32)
    again = actions.send_checked_reply(conv, "Hi Dana, on it.", agent, visibility="private", seen=actions.Seen(seen),
                                       idempotency_key="a" * 32)
    assert again.post.pk == one.post.pk


def test_the_handoff_collides_too_and_stores_nothing(conv, users, seen):
    actions.send_checked_reply(conv, "Hi Dana, Sam here.", users["supervisor"], visibility="private")
    with pytest.raises(actions.ReplyCollision):
        actions.acknowledge_and_move_to_private(conv, "Hi Dana, sorry! I've sent you a DM.", "Hi Dana, your order?",
                                                users["care_agent"], seen=actions.Seen(seen))
    assert Post.objects.filter(conversation=conv, direction="out").count() == 1
    assert not conv.tags.filter(name="moved-private").exists()


# --- through HTTP --------------------------------------------------------------------------------------


def test_the_inbox_reply_form_shows_what_arrived_and_sends_anyway(client, conv, users, seen):
    actions.send_checked_reply(conv, "Hi Dana, Sam here: refund issued.", users["supervisor"], visibility="private")
    client.force_login(users["care_agent"])
    path = f"/b/{conv.brand.slug}/c/{conv.pk}/replies/"
    form = {"text": "Hi Dana, so sorry!", "visibility": "private", "seen_post_id": seen}
    r = client.post(path, form)
    assert r.status_code == 422
    html = r.content.decode()
    assert 'data-testid="collision"' in html and "refund issued" in html and "send my reply anyway" in html
    assert "Hi Dana, so sorry!</textarea>" in html and f'name="seen_post_id" value="{seen}"' in html
    newest = Post.objects.filter(conversation=conv).order_by("-pk").first().pk
    r = client.post(path, {**form, "reviewed_through": newest})
    assert r.status_code == 303
    assert Post.objects.filter(conversation=conv, direction="out", text="Hi Dana, so sorry!").exists()


def test_the_inbox_reply_form_without_the_marker_is_not_checked(client, conv, users):
    actions.send_checked_reply(conv, "Hi Dana, Sam here.", users["supervisor"], visibility="private")
    client.force_login(users["care_agent"])
    r = client.post(f"/b/{conv.brand.slug}/c/{conv.pk}/replies/", {"text": "Hi Dana, sorry!", "visibility": "private"})
    assert r.status_code == 303


def test_the_composer_send_endpoint_answers_409_with_the_collision(client, conv, users, seen):
    other = actions.send_checked_reply(conv, "Hi Dana, Sam here.", users["supervisor"], visibility="private").post
    client.force_login(users["care_agent"])
    path = f"/b/{conv.brand.slug}/c/{conv.pk}/compose/send"
    body = {"text": "Hi Dana, sorry!", "visibility": "private", "seen_post_id": seen}
    r = client.post(path, json.dumps(body), content_type="application/json")
    assert r.status_code == 409
    data = r.json()
    assert data["collision"] is True and data["newest_post_id"] == other.pk and data["arrived"][0]["who"]
    r = client.post(path, json.dumps({**body, "reviewed_through": other.pk}), content_type="application/json")
    assert r.status_code == 201
    r = client.post(path, json.dumps({**body, "seen_post_id": "x"}), content_type="application/json")
    assert r.status_code == 400


def test_the_api_takes_the_optional_marker_and_stays_compatible(conv, users, seen):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(users["care_agent"])
    path = f"/api/v1/brands/{conv.brand.slug}/conversations/{conv.pk}/replies/"
    r = api.post(path, {"text": "Hi Dana, first.", "visibility": "private"}, format="json")
    assert r.status_code == 201, r.content
    r = api.post(path, {"text": "Hi Dana, second.", "visibility": "private", "seen_post_id": seen}, format="json")
    assert r.status_code == 409 and r.json()["collision"] is True
    newest = r.json()["newest_post_id"]
    r = api.post(path, {"text": "Hi Dana, second.", "visibility": "private", "seen_post_id": seen,
                        "reviewed_through": newest}, format="json")
    assert r.status_code == 201


def test_the_plain_form_shows_a_block_inline_and_takes_a_supervisors_override(client, conv, users):
    path = f"/b/{conv.brand.slug}/c/{conv.pk}/replies/"
    draft = "Hi Dana, we'll call 415-555-0134 by 5 pm."
    client.force_login(users["care_agent"])
    r = client.post(path, {"text": draft, "visibility": "public"})
    assert r.status_code == 422
    html = r.content.decode()
    assert 'data-check="private_data"' in html and "“415-555-0134”" in html and 'name="override_reason"' not in html
    client.force_login(users["supervisor"])
    r = client.post(path, {"text": draft, "visibility": "public"})
    html = r.content.decode()
    assert r.status_code == 422 and '<div class="composer-override">' in html and 'name="override_reason"' in html
    r = client.post(path, {"text": draft, "visibility": "public", "override_reason": "The customer asked us to."})
    assert r.status_code == 303
    assert AuditEvent.objects.filter(verb="reply.guardrail_override", conversation=conv).exists()
