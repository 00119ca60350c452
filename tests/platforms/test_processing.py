"""Deliveries applied to the inbox: every kind stored, threads, echoes linked, edits, deletions, likes, order."""

from __future__ import annotations

import pytest

from parley.inbox import actions as inbox
from parley.inbox.models import AuditEvent, Conversation, Post
from tests.conftest import shared_path

from .conftest import deliver, payload

pytestmark = pytest.mark.django_db


def shared(name):
    return shared_path("fixtures", "platform", name).read_bytes()


def test_every_shared_fixture_kind_is_stored(client, x_channel, fb_channel, ig_channel):
    for name in ["x_aaa_tweet_create_events_mention.json", "x_aaa_direct_message_events.json"]:
        assert deliver(client, "x", shared(name)).summary.get("created") == 1
    for name in ["meta_page_feed_post_add.json", "meta_page_feed_comment_add.json", "meta_messenger_message.json",
                 "meta_instagram_comment.json", "meta_instagram_dm.json"]:
        assert deliver(client, "meta", shared(name)).summary.get("created") == 1, name
    kinds = sorted(Post.objects.values_list("platform", "kind"))
    assert kinds == [("facebook", "comment"), ("facebook", "dm"), ("facebook", "post"), ("instagram", "comment"),
                     ("instagram", "dm"), ("x", "dm"), ("x", "mention")]
    dm = Post.objects.get(platform="x", kind="dm")
    assert dm.visibility == "private" and dm.author.handle == "jane_c"


def test_reply_arriving_before_its_parent_joins_it(client, x_channel):
    deliver(client, "x", payload("x_reply_and_quote.json"))  # reply to ...599 arrives first
    deliver(client, "x", payload("x_reply_parent.json"))
    reply = Post.objects.get(platform_id="1746893221001234600")
    parent = Post.objects.get(platform_id="1746893221001234599")
    assert reply.parent_id == parent.pk and reply.conversation_id == parent.conversation_id


def test_instagram_reply_threads_under_the_comment(client, ig_channel):
    deliver(client, "meta", shared("meta_instagram_comment.json"))
    deliver(client, "meta", payload("meta_instagram_reply_thread.json"))
    first, second = Post.objects.order_by("created_at")
    assert second.parent_id == first.pk and first.conversation_id == second.conversation_id


def test_edit_updates_the_post_and_a_deletion_hides_it(client, x_channel):
    deliver(client, "x", shared("x_aaa_tweet_create_events_mention.json"))
    deliver(client, "x", payload("x_edit.json"))
    post = Post.objects.get()
    assert post.is_edited and "#4412" in post.text
    deliver(client, "x", payload("x_delete.json"))
    post.refresh_from_db()
    assert post.is_deleted and post.shown_text == ""
    assert "#4412" not in post.conversation.subject  # the subject copied from it is gone too
    assert AuditEvent.objects.filter(verb="post.deleted", object_id=str(post.pk)).exists()
    # A late redelivery of the original mention changes nothing.
    deliver(client, "x", shared("x_aaa_tweet_create_events_mention.json").replace(b"}\n", b"} \n"))
    post.refresh_from_db()
    assert post.is_deleted and Post.objects.count() == 1


def test_deletion_before_the_post_arrives_hides_it_on_arrival(client, x_channel):
    summary = deliver(client, "x", payload("x_delete.json")).summary
    assert summary["deleted_before_arrival"] == 1
    deliver(client, "x", shared("x_aaa_tweet_create_events_mention.json"))
    post = Post.objects.get()
    assert post.is_deleted and post.shown_text == ""


def test_page_feed_edit_and_removal(client, fb_channel):
    deliver(client, "meta", shared("meta_page_feed_comment_add.json"))
    deliver(client, "meta", shared("meta_page_feed_post_add.json"))
    deliver(client, "meta", payload("meta_feed_edit_remove.json"))
    comment = Post.objects.get(platform_id="122131676912594941_1213590066982748")
    status = Post.objects.get(platform_id="448242228374517_122131676912599999")
    assert comment.text == "meow 2 (edited)" and comment.is_edited
    assert status.is_deleted


def test_messenger_edit(client, fb_channel):
    deliver(client, "meta", shared("meta_messenger_message.json"))
    deliver(client, "meta", payload("meta_messenger_edit.json"))
    assert Post.objects.get().text == "hello, world! (edited)"


def _reply(conversation, text, user=None):
    return inbox.create_reply(conversation, text, user or "agent")


def test_our_tweet_echo_is_linked_to_the_pending_reply(client, x_channel):
    deliver(client, "x", shared("x_aaa_tweet_create_events_mention.json"))
    conversation = Conversation.objects.get()
    reply = _reply(conversation, "@jane_c Sorry about that! Please DM us your order number.")
    assert reply.in_reply_to_id == "1746893221001234567" and reply.delivery_status == "pending"
    summary = deliver(client, "x", payload("x_own_reply_echo.json")).summary
    assert summary["echo_linked"] == 1
    reply.refresh_from_db()
    assert reply.platform_id == "1746893221001234700" and reply.delivery_status == "sent"
    assert Post.objects.count() == 2
    # Once linked, the same echo again is known.
    deliver(client, "x", payload("x_own_reply_echo.json").replace(b"}\n", b"} \n"))
    assert Post.objects.count() == 2


def test_our_reply_written_outside_parley_is_stored_outbound(client, x_channel):
    deliver(client, "x", shared("x_aaa_tweet_create_events_mention.json"))
    deliver(client, "x", payload("x_own_reply_echo.json"))
    ours = Post.objects.get(platform_id="1746893221001234700")
    assert ours.direction == "out" and ours.author is None
    assert ours.conversation_id == Post.objects.get(platform_id="1746893221001234567").conversation_id


def test_messenger_echo_of_a_sent_message_is_not_a_second_post(client, fb_channel):
    deliver(client, "meta", shared("meta_messenger_message.json"))
    reply = _reply(Conversation.objects.get(), "Hi! How can we help?")
    reply.platform_id = "mid.1457764198800:abc123"  # what the Send API returned
    reply.delivery_status = "sent"
    reply.save()
    summary = deliver(client, "meta", shared("meta_messenger_message_echo.json")).summary
    assert summary["echo_known"] == 1 and Post.objects.count() == 2


def test_page_reply_echo_links_the_pending_comment_reply(client, fb_channel):
    deliver(client, "meta", shared("meta_page_feed_comment_add.json"))
    reply = _reply(Conversation.objects.get(), "Thanks Jane, DM sent!")
    deliver(client, "meta", payload("meta_feed_page_reply_echo.json"))
    reply.refresh_from_db()
    assert reply.platform_id == "122131676912594941_1213590066989999" and Post.objects.count() == 2


def test_likes_count_once_even_when_replayed(client, x_channel):
    deliver(client, "x", shared("x_aaa_tweet_create_events_mention.json"))
    deliver(client, "x", payload("x_own_reply_echo.json"))
    delivery = deliver(client, "x", payload("x_favorite.json"))
    assert Post.objects.get(platform_id="1746893221001234700").likes == 1
    from parley.platforms import processing

    processing.process(delivery)
    assert Post.objects.get(platform_id="1746893221001234700").likes == 1


def test_retweets_and_unknown_event_types_are_ignored(client, x_channel):
    summary = deliver(client, "x", payload("x_retweet_and_unknown.json")).summary
    assert summary == {"events": 2, "ignored": 2}
    assert not Post.objects.exists()


def test_hostile_text_is_stored_as_text(client, x_channel):
    import json

    body = json.loads(shared("x_aaa_tweet_create_events_mention.json"))
    body["tweet_create_events"][0]["text"] = "<script>alert(1)</script>\x00 \u202e" + "é" * 30000
    deliver(client, "x", json.dumps(body).encode())
    post = Post.objects.get()
    assert post.text.startswith("<script>alert(1)</script> \u202e") and "\x00" not in post.text
    assert len(post.text) <= 20000


def test_an_edit_of_a_tweet_never_seen_is_stored_under_the_first_id(client, x_channel):
    summary = deliver(client, "x", payload("x_edit.json")).summary
    assert summary["created"] == 1
    post = Post.objects.get()
    assert post.platform_id == "1746893221001234567" and "#4412" in post.text
    # The original arriving late changes nothing.
    deliver(client, "x", shared("x_aaa_tweet_create_events_mention.json"))
    assert Post.objects.count() == 1 and "#4412" in Post.objects.get().text


def _ig_dm(message: dict | None = None, **item) -> dict:
    from .conftest import IG_ACCOUNT

    event = {"sender": {"id": "1791000000000042"}, "recipient": {"id": IG_ACCOUNT}, "timestamp": 1763888400000, **item}
    if message is not None:
        event["message"] = message
    return {"object": "instagram", "entry": [{"id": IG_ACCOUNT, "time": 1763888400000, "messaging": [event]}]}


def test_instagram_dm_edit_and_unsend(client, ig_channel):
    """Instagram messaging shares Messenger's shape: an edit updates the DM, an unsend hides its text."""
    deliver(client, "meta", _ig_dm({"mid": "aWdfZAG1faWQ1", "text": "my email is rosa@example.net"}))
    post = Post.objects.get()
    assert post.platform == "instagram" and post.kind == "dm" and post.visibility == "private"
    deliver(client, "meta", _ig_dm(message_edit={"mid": "aWdfZAG1faWQ1", "text": "my order is 4412", "num_edit": 1}))
    post.refresh_from_db()
    assert post.is_edited and post.text == "my order is 4412"
    deliver(client, "meta", _ig_dm({"mid": "aWdfZAG1faWQ1", "is_deleted": True}))
    post.refresh_from_db()
    assert post.is_deleted and post.shown_text == "" and Post.objects.count() == 1
