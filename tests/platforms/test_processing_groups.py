"""The batch path of processing (`platforms.batching`): customers' new posts of a job are written as a
group, other events alone in order. These check the orders a group must respect and what happens when
writing a group fails: each post is then applied alone, and one bad event loses nothing else."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from parley.inbox import actions as inbox
from parley.inbox.models import Post
from parley.platforms import actions, batching, processing
from parley.platforms.models import WebhookDelivery
from parley.platforms.simulator import payloads as p

from .conftest import X_ACCOUNT
from .test_processing_batch import one_at_a_time, snapshot

pytestmark = pytest.mark.django_db

T = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)
ANN = p.x_user("31001", "ann", "Ann")
BEN = p.x_user("31002", "ben", "Ben")


def _x(**events) -> tuple[str, bytes]:
    return ("x", p.x_delivery(X_ACCOUNT, **events))


def _tweet(n: int, text: str, user=ANN, minutes: int = 0, **kw) -> dict:
    return p.x_tweet(str(1_900_000_000_000_000_000 + n), f"@TwitterDev {text}", user, T + timedelta(minutes=minutes), **kw)


def _edit(n: int, first: int, text: str, minutes: int) -> dict:
    tweet = _tweet(n, text, minutes=minutes)
    tweet["edit_history"] = {"initial_tweet_id": str(1_900_000_000_000_000_000 + first),
                             "edit_tweet_ids": [str(1_900_000_000_000_000_000 + first), tweet["id_str"]]}
    return tweet


def _summaries() -> list[dict]:
    return [d.summary for d in WebhookDelivery.objects.order_by("pk")]


def test_a_post_its_redelivery_an_edit_a_deletion_and_replies_in_one_batch(x_channel, settings):
    settings.PARLEY_TRIAGE_ENABLED = False
    first = _tweet(1, "my order is late")
    items = [
        _x(tweet_create_events=[first]),
        _x(tweet_create_events=[_tweet(2, "me too", BEN, 1)]),
        _x(tweet_create_events=[first], note=["the same tweet again"]),  # a redelivery in another body
        _x(tweet_create_events=[_edit(3, 1, "my order 77 is late", 2)]),  # applies after the post, in order
        _x(tweet_create_events=[_tweet(4, "any news?", minutes=3, reply_to=first["id_str"],
                                       reply_to_user=ANN["id_str"])]),
        _x(tweet_delete_events=[p.x_delete(first["id_str"], ANN["id_str"], T + timedelta(minutes=4))]),
        _x(tweet_create_events=[first, _tweet(5, "hello again", minutes=5)]),  # once more, after its deletion
    ]
    expected, expected_summaries = one_at_a_time(items, _summaries)
    ids = [pk for pk, _ in actions.accept_deliveries(items)]
    assert processing.process_many(ids) == {"done": 7}
    assert snapshot() == expected
    summaries = _summaries()
    # Every body carrying the deleted tweet's words was redacted (docs/security.md), one at a time or not.
    gone = {"redacted_posts": [first["id_str"]]}
    assert summaries == expected_summaries == [
        {"events": 1, "created": 1, **gone}, {"events": 1, "created": 1},
        {"events": 2, "ignored": 1, "duplicate": 1, **gone}, {"events": 1, "edited": 1, **gone},
        {"events": 1, "created": 1}, {"events": 1, "deleted": 1},
        {"events": 2, "duplicate": 1, "created": 1, **gone}]
    post = Post.objects.get(platform_id=first["id_str"])
    assert post.is_deleted and post.text == "" and not any(b"order 77" in bytes(d.body) for d in WebhookDelivery.objects.all())
    reply = Post.objects.get(platform_id=str(1_900_000_000_000_000_004))
    assert reply.parent_id == post.pk and reply.conversation_id == post.conversation_id


def test_a_deletion_before_its_post_in_the_same_batch_stores_it_deleted(x_channel, settings):
    settings.PARLEY_TRIAGE_ENABLED = False
    late = _tweet(6, "I will delete this")
    items = [_x(tweet_delete_events=[p.x_delete(late["id_str"], ANN["id_str"], T)]),
             _x(tweet_create_events=[late, _tweet(7, "and this stays", minutes=1)])]
    expected, expected_summaries = one_at_a_time(items, _summaries)
    ids = [pk for pk, _ in actions.accept_deliveries(items)]
    processing.process_many(ids)
    assert snapshot() == expected
    assert _summaries() == expected_summaries
    assert WebhookDelivery.objects.get(pk=ids[1]).summary == {"events": 2, "created_deleted": 1, "created": 1,
                                                              "redacted_posts": [late["id_str"]]}
    post = Post.objects.get(platform_id=late["id_str"])
    assert post.is_deleted and post.text == ""
    assert not any(b"I will delete this" in bytes(d.body) for d in WebhookDelivery.objects.all())


def test_when_writing_the_group_fails_each_post_is_applied_alone(x_channel, settings, monkeypatch):
    settings.PARLEY_TRIAGE_ENABLED = False
    items = [_x(tweet_create_events=[_tweet(10 + n, f"hi {n}", minutes=n)]) for n in range(4)]
    expected = one_at_a_time(items)
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("disk full")

    monkeypatch.setattr(batching, "thread_and_write", broken)
    ids = [pk for pk, _ in actions.accept_deliveries(items)]
    assert processing.process_many(ids) == {"done": 4}
    assert calls == [1]
    assert snapshot() == expected


def test_one_event_that_raises_leaves_its_delivery_dead_and_keeps_the_others(x_channel, settings, monkeypatch):
    settings.PARLEY_TRIAGE_ENABLED = False
    poison = _tweet(21, "this one breaks", minutes=1)
    items = [_x(tweet_create_events=[_tweet(20, "fine")]),
             _x(tweet_create_events=[poison, _tweet(22, "beside the bad one", BEN, 2)]),
             _x(tweet_create_events=[_tweet(23, "fine too", BEN, 3)])]
    real = inbox.ingest_post

    def ingest(brand, channel, incoming, **kwargs):
        if incoming.platform_id == poison["id_str"]:
            raise RuntimeError("cannot store this one")
        return real(brand, channel, incoming, **kwargs)

    def group_fails(*args, **kwargs):  # as a constraint violation would: the group is undone
        raise RuntimeError("group refused")

    monkeypatch.setattr(processing.inbox, "ingest_post", ingest)
    monkeypatch.setattr(batching, "thread_and_write", group_fails)
    ids = [pk for pk, _ in actions.accept_deliveries(items)]
    assert processing.process_many(ids) == {"done": 2, "dead": 1}
    dead = WebhookDelivery.objects.get(state="dead")
    assert dead.pk == ids[1] and "cannot store this one" in dead.error
    assert dead.summary == {"events": 2, "error": 1, "created": 1}
    assert sorted(Post.objects.values_list("text", flat=True)) == [
        "@TwitterDev beside the bad one", "@TwitterDev fine", "@TwitterDev fine too"]
    # Replayed once fixed, the dead letter stores the missing post and doubles nothing.
    monkeypatch.setattr(processing.inbox, "ingest_post", real)
    monkeypatch.undo()
    WebhookDelivery.objects.filter(pk=dead.pk).update(state=WebhookDelivery.State.QUEUED)
    assert processing.process_many([dead.pk]) == {"done": 1}
    assert WebhookDelivery.objects.get(pk=dead.pk).summary == {"events": 2, "created": 1, "duplicate": 1}
    assert Post.objects.count() == 4


def test_an_invalid_post_in_a_group_is_counted_and_its_neighbours_stored(x_channel, settings):
    settings.PARLEY_TRIAGE_ENABLED = False
    bad = _tweet(30, "no author")
    bad["user"] = {"id_str": "", "screen_name": ""}
    items = [_x(tweet_create_events=[bad, _tweet(31, "fine", minutes=1)]), _x(tweet_create_events=[_tweet(32, "ok")])]
    expected = one_at_a_time(items)
    ids = [pk for pk, _ in actions.accept_deliveries(items)]
    assert processing.process_many(ids) == {"dead": 1, "done": 1}
    assert snapshot() == expected
    assert Post.objects.count() == 2


def test_an_account_two_brands_connected_gets_each_post_in_each_brand(x_channel, other_brand, settings):
    from parley.platforms.models import ChannelAccount

    settings.PARLEY_TRIAGE_ENABLED = False
    ChannelAccount.objects.create(brand=other_brand, platform="x", external_id=X_ACCOUNT, handle="TwitterDev")
    first = _tweet(40, "both brands see this")
    items = [_x(tweet_create_events=[first]),
             _x(tweet_create_events=[_tweet(41, "a reply", BEN, 1, reply_to=first["id_str"],
                                            reply_to_user=ANN["id_str"])]),
             _x(tweet_create_events=[first], note=["again"])]
    expected = one_at_a_time(items)
    ids = [pk for pk, _ in actions.accept_deliveries(items)]
    assert processing.process_many(ids) == {"done": 3}
    assert snapshot() == expected
    for brand in (x_channel.brand, other_brand):
        reply = Post.objects.get(brand=brand, platform_id=str(1_900_000_000_000_000_041))
        assert reply.parent.platform_id == first["id_str"] and reply.parent.brand_id == brand.pk
    assert WebhookDelivery.objects.get(pk=ids[2]).summary == {"events": 2, "ignored": 2, "duplicate": 2}
