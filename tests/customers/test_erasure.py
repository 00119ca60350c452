"""Erasure: every trace of the person goes, statistics stay, once, only by an admin, audited without the data."""

from __future__ import annotations

import json

import pytest

from parley.customers import actions
from parley.customers.models import Erasure
from parley.inbox.actions import ActionError
from parley.inbox.models import AuditEvent, Conversation, Identity, Post
from parley.inbox.search import conversation_ids_matching
from parley.platforms.models import WebhookDelivery
from parley.sla.models import Callback, FollowUp, Survey
from parley.triage.models import PostTriage

from .conftest import SECRETS
from .dbscan import find_everywhere

pytestmark = pytest.mark.django_db


def _erase(world, users):
    return actions.erase_customer(world.customer, users["admin"], confirm=f"erase {world.customer.pk}")


def test_every_secret_is_somewhere_before_the_erasure(world):
    # The scanner must be able to fail: each secret is stored before.
    for name, value in SECRETS.items():
        assert find_everywhere(value), f"{name} was never stored: the fixture proves nothing"
    assert conversation_ids_matching(world.brand, SECRETS["public_word"])


def test_erasure_leaves_no_trace_in_the_whole_database(world, users):
    _erase(world, users)
    for name, value in SECRETS.items():
        assert find_everywhere(value) == [], f"{name} ({value}) survived the erasure"
    for word in ("zorblatter", "frumpelstow"):
        assert conversation_ids_matching(world.brand, word) == []


def test_statistics_are_kept(world, users):
    before = {
        "posts": Post.objects.filter(brand=world.brand).count(),
        "conversations": Conversation.objects.filter(brand=world.brand).count(),
        "statuses": sorted(Conversation.objects.values_list("status", flat=True)),
        "times": sorted(Conversation.objects.values_list("first_response_at", flat=True), key=str),
    }
    _erase(world, users)
    assert Post.objects.filter(brand=world.brand).count() == before["posts"]
    assert Conversation.objects.filter(brand=world.brand).count() == before["conversations"]
    assert sorted(Conversation.objects.values_list("status", flat=True)) == before["statuses"]
    assert sorted(Conversation.objects.values_list("first_response_at", flat=True), key=str) == before["times"]
    survey = Survey.objects.get(pk=world.survey.pk)
    assert (survey.score, survey.comment) == (4, "")
    triage = PostTriage.objects.get(post__platform_id="p1")
    assert (triage.intent, triage.sentiment, triage.explanation) == ("complaint", "negative", {})
    assert Callback.objects.get().state == "done"
    assert FollowUp.objects.filter(conversation=world.conversations[0]).count() >= 1
    identity = Identity.objects.get(platform="x", customer=world.customer)
    assert (identity.followers, identity.verified) == (1234, True)


def test_names_become_one_stable_pseudonym_and_others_keep_their_words(world, users):
    erasure = _erase(world, users)
    alias = erasure.pseudonym
    assert alias.startswith("erased-")
    assert set(Identity.objects.filter(customer=world.customer).values_list("handle", flat=True)) == {alias}
    world.customer.refresh_from_db()
    world.email_customer.refresh_from_db()
    assert world.customer.display_name == world.email_customer.display_name == alias
    bystander = Post.objects.get(platform_id="p9")
    assert bystander.text == f"{alias} same here, {alias} is right"
    assert Post.objects.get(platform_id="p1").text == "[erased]"
    body = json.loads(bytes(WebhookDelivery.objects.get(key="k1").body))
    user = body["tweet_create_events"][0]["user"]
    assert user == {"id": alias, "id_str": alias, "screen_name": alias, "name": alias}
    assert body["tweet_create_events"][0]["text"] == "[erased]"
    assert bytes(WebhookDelivery.objects.get(key="k2").body) == b'{"for_user_id": "1001", "other": "untouched"}'


def test_a_second_erasure_changes_nothing(world, users):
    first = _erase(world, users)
    events = AuditEvent.objects.count()
    again = _erase(world, users)
    assert again.pk == first.pk
    assert AuditEvent.objects.count() == events
    assert Erasure.objects.count() == 1


def test_the_audit_event_holds_no_erased_data(world, users):
    _erase(world, users)
    event = AuditEvent.objects.get(verb="customer.erased")
    assert event.actor == users["admin"]
    assert event.object_id == str(world.customer.pk)
    text = json.dumps(event.data)
    assert all(v.lower() not in text.lower() for v in SECRETS.values())
    assert event.data["counts"]["posts"] >= 4


@pytest.mark.parametrize("role", ["supervisor", "care_agent", "viewer"])
def test_only_admins_erase(world, users, role):
    with pytest.raises(ActionError, match="Only an admin"):
        actions.erase_customer(world.customer, users[role], confirm=f"erase {world.customer.pk}")
    assert find_everywhere(SECRETS["public_word"])


@pytest.mark.parametrize("typed", ["", "erase", "erase 0", "yes"])
def test_the_typed_confirmation_must_match(world, users, typed):
    with pytest.raises(ActionError, match="cannot be undone"):
        actions.erase_customer(world.customer, users["admin"], confirm=typed)
    assert not Erasure.objects.exists()


def test_an_erased_customer_takes_no_more_changes(world, users):
    _erase(world, users)
    with pytest.raises(ActionError, match="erased"):
        actions.add_customer_note(world.customer, "hello", users["admin"])
    with pytest.raises(ActionError, match="erased"):
        actions.merge(world.bystander, world.customer, users["admin"])


def test_a_merged_away_customer_is_erased_through_its_target(world, users):
    with pytest.raises(ActionError, match="merged into another"):
        actions.erase_customer(world.email_customer, users["admin"], confirm=f"erase {world.email_customer.pk}")


def test_a_failure_half_way_leaves_everything_as_it_was(world, users, monkeypatch):
    from parley.customers import erasure

    def broken(scope):
        raise RuntimeError("disk full")

    monkeypatch.setattr(erasure, "_redact_audit", broken)
    with pytest.raises(RuntimeError):
        _erase(world, users)
    assert Post.objects.get(platform_id="p1").text.startswith("@AcmeHelp my zorblatter")
    assert not Erasure.objects.exists()
