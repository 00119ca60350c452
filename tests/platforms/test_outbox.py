"""The outbox against the simulator over real HTTP: success, 429 backoff, token errors, 500s, timeouts,
permanent failures, the Messenger window, and one channel's trouble never blocking another."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parley.inbox import actions as inbox
from parley.inbox.models import AuditEvent, Conversation, Post
from parley.platforms import actions, outbox
from parley.platforms.models import ChannelAccount, OutboxItem
from tests.conftest import shared_path

from .conftest import deliver

pytestmark = pytest.mark.django_db


def shared(name):
    return shared_path("fixtures", "platform", name).read_bytes()


def reply_to(client, family, fixture, text, **kw):
    deliver(client, family, shared(fixture))
    conversation = Conversation.objects.order_by("-id").first()
    post = inbox.create_reply(conversation, text, "agent", **kw)
    return post, OutboxItem.objects.get(post=post)


def test_x_reply_is_sent_with_the_right_in_reply_to_and_recorded(client, sim, x_channel):
    post, item = reply_to(client, "x", "x_aaa_tweet_create_events_mention.json", "@jane_c Sorry! Please DM us.")
    assert item.key == post.idempotency_key and item.state == "queued"
    assert outbox.run(item.pk) == "sent"
    [request] = sim.requests
    assert (request.method, request.path) == ("POST", "/2/tweets")
    assert request.body == {"text": "@jane_c Sorry! Please DM us.", "reply": {"in_reply_to_tweet_id": "1746893221001234567"}}
    assert request.token == "x-token-1"
    post.refresh_from_db()
    assert post.delivery_status == "sent" and post.platform_id
    assert post.url == f"https://x.com/TwitterDev/status/{post.platform_id}"
    assert AuditEvent.objects.filter(verb="outbox.send_done", object_id=str(post.pk)).exists()
    # Idempotent: running the item again sends nothing more.
    assert outbox.run(item.pk) == "skipped" and len(sim.requests) == 1


def test_x_dm_goes_to_the_customer(client, sim, x_channel):
    post, item = reply_to(client, "x", "x_aaa_direct_message_events.json", "Sorry Jane, looking now")
    assert post.visibility == "private"
    assert outbox.run(item.pk) == "sent"
    [request] = sim.requests
    assert request.path == "/2/dm_conversations/with/99887766/messages" and request.body == {"text": "Sorry Jane, looking now"}


def test_x_429_waits_for_the_reset_and_pauses_only_that_channel(client, sim, x_channel, fb_channel):
    post, item = reply_to(client, "x", "x_aaa_tweet_create_events_mention.json", "@jane_c hello")
    sim.fail("rate_limit", "/2/tweets", reset_in=120)
    before = timezone.now()
    assert outbox.run(item.pk) == "retry"
    item.refresh_from_db()
    x_channel.refresh_from_db()
    assert item.state == "retry" and item.attempts == 0  # throttling does not use up attempts
    assert before + timedelta(seconds=110) < item.next_attempt_at < before + timedelta(seconds=130)
    assert x_channel.paused_until == item.next_attempt_at
    post.refresh_from_db()
    assert post.delivery_status == "pending" and post.delivery_error.startswith("Will retry at ")
    # Another channel sends meanwhile.
    other, other_item = reply_to(client, "meta", "meta_page_feed_comment_add.json", "Thanks Jane!")
    assert outbox.run(other_item.pk) == "sent"
    # A second X send waits for the reset without calling X.
    calls = len(sim.requests)
    second = inbox.create_reply(post.conversation, "@jane_c again", "agent", idempotency_key="second")
    assert outbox.run(OutboxItem.objects.get(post=second).pk) == "waiting"
    assert len(sim.requests) == calls
    # After the reset it goes.
    assert outbox.run(item.pk, now=item.next_attempt_at + timedelta(seconds=1)) == "sent"
    post.refresh_from_db()
    assert post.delivery_status == "sent" and post.delivery_error == ""


def test_x_401_marks_the_channel_for_reauthorisation_without_retrying(client, sim, x_channel, users):
    post, item = reply_to(client, "x", "x_aaa_tweet_create_events_mention.json", "@jane_c hello")
    sim.revoke("x-token-1")
    assert outbox.run(item.pk) == "failed"
    x_channel.refresh_from_db()
    post.refresh_from_db()
    assert x_channel.status == "needs_reauth" and "401" in x_channel.status_detail
    assert post.delivery_status == "failed" and "401" in post.delivery_error
    assert AuditEvent.objects.filter(verb="channel.needs_reauth").count() == 1
    assert len(sim.requests) == 1
    # The admin sees the banner; new credentials make it active, and the agent's retry sends.
    client.force_login(users["admin"])
    page = client.get("/b/acme/channels/")
    assert b"needs re-authorisation" in page.content
    actions.set_channel_credentials(x_channel, {"access_token": "x-token-2"}, users["admin"])
    retried = actions.retry_outbox(post, users["care_agent"])
    assert outbox.run(retried.pk) == "sent"
    assert sim.requests[-1].token == "x-token-2"


def test_meta_190_marks_needs_reauth(client, sim, fb_channel):
    post, item = reply_to(client, "meta", "meta_page_feed_comment_add.json", "Thanks Jane!")
    sim.fail("token")
    assert outbox.run(item.pk) == "failed"
    fb_channel.refresh_from_db()
    assert fb_channel.status == "needs_reauth" and "code 190" in fb_channel.status_detail


@pytest.mark.parametrize("code", [4, 17, 32, 613])
def test_meta_throttling_codes_retry_later(client, sim, fb_channel, code):
    post, item = reply_to(client, "meta", "meta_page_feed_comment_add.json", "Thanks Jane!")
    sim.fail("rate_limit", code=code)
    assert outbox.run(item.pk) == "retry"
    item.refresh_from_db()
    assert f"code {code}" in item.last_error and item.next_attempt_at > timezone.now()
    assert outbox.run(item.pk, now=item.next_attempt_at + timedelta(seconds=1)) == "sent"


def test_500s_back_off_exponentially_then_fail_for_good(client, sim, x_channel, settings):
    post, item = reply_to(client, "x", "x_aaa_tweet_create_events_mention.json", "@jane_c hello")
    sim.fail("server", "/2/tweets", times=5)
    now = timezone.now()
    delays = []
    for _ in range(2):
        assert outbox.run(item.pk, now=now) == "retry"
        item.refresh_from_db()
        delays.append((item.next_attempt_at - now).total_seconds())
        now = item.next_attempt_at
    assert delays == [30, 60]
    assert outbox.run(item.pk, now=now) == "failed"  # third attempt of 3
    post.refresh_from_db()
    assert post.delivery_status == "failed" and "500" in post.delivery_error
    assert AuditEvent.objects.filter(verb="outbox.send_failed").exists()


def test_500_then_success(client, sim, fb_channel):
    post, item = reply_to(client, "meta", "meta_page_feed_comment_add.json", "Thanks Jane!")
    sim.fail("server")
    assert outbox.run(item.pk) == "retry"
    item.refresh_from_db()
    assert outbox.run(item.pk, now=item.next_attempt_at) == "sent"
    post.refresh_from_db()
    assert post.delivery_status == "sent" and post.platform_id.endswith(post.platform_id.split("_")[-1])


def test_timeout_is_retried(client, sim, x_channel):
    post, item = reply_to(client, "x", "x_aaa_tweet_create_events_mention.json", "@jane_c hello")
    sim.fail("timeout", delay=1.5)
    assert outbox.run(item.pk) == "retry"
    item.refresh_from_db()
    assert "no answer within" in item.last_error


def test_permanent_refusal_fails_at_once_with_the_platform_reason(client, sim, x_channel):
    post, item = reply_to(client, "x", "x_aaa_tweet_create_events_mention.json", "@jane_c hello")
    sim.fail("bad_request")
    assert outbox.run(item.pk) == "failed"
    post.refresh_from_db()
    assert "duplicate content" in post.delivery_error and post.delivery_status == "failed"


def test_facebook_and_instagram_comment_replies_use_their_edges(client, sim, fb_channel, ig_channel):
    _, fb_item = reply_to(client, "meta", "meta_page_feed_comment_add.json", "Thanks Jane, DM sent!")
    assert outbox.run(fb_item.pk) == "sent"
    fb_request = sim.requests[-1]
    assert fb_request.path == "/v21.0/122131676912594941_1213590066982748/comments"
    assert fb_request.body == {"message": "Thanks Jane, DM sent!"}
    _, ig_item = reply_to(client, "meta", "meta_instagram_comment.json", "Yes, in blue too!")
    assert outbox.run(ig_item.pk) == "sent"
    ig_request = sim.requests[-1]
    assert ig_request.path == "/v21.0/17919697626119712/replies" and ig_request.query == {"message": "Yes, in blue too!"}


def test_messenger_within_the_window_is_sent(client, sim, fb_channel):
    deliver(client, "meta", shared("meta_messenger_message.json"))
    conversation = Conversation.objects.get()
    post = inbox.create_reply(conversation, "Hi! Checking your order now.", "agent")
    item = OutboxItem.objects.get(post=post)
    customer_wrote = Post.objects.get(direction="in").created_at
    assert outbox.run(item.pk, now=customer_wrote + timedelta(hours=23)) == "sent"
    request = sim.requests[-1]
    assert request.path == "/v21.0/me/messages"
    assert request.body == {"recipient": {"id": "1254459154682919"}, "messaging_type": "RESPONSE",
                            "message": {"text": "Hi! Checking your order now."}}
    post.refresh_from_db()
    assert post.platform_id.startswith("m_")


def test_messenger_outside_the_24_hour_window_is_refused(client, sim, fb_channel):
    deliver(client, "meta", shared("meta_messenger_message.json"))  # written in 2016
    post = inbox.create_reply(Conversation.objects.get(), "Hello again", "agent")
    assert outbox.run(OutboxItem.objects.get(post=post).pk) == "failed"
    post.refresh_from_db()
    assert "24-hour window is closed" in post.delivery_error
    assert not sim.requests  # nothing reached the platform


def test_channel_without_credentials_leaves_replies_pending(client, brand, sim):
    bare = ChannelAccount.objects.create(brand=brand, platform="x", external_id="2244994945", handle="TwitterDev")
    deliver(client, "x", shared("x_aaa_tweet_create_events_mention.json"))
    post = inbox.create_reply(Conversation.objects.get(), "@jane_c hi", "agent")
    assert post.delivery_status == "pending" and not OutboxItem.objects.exists()
    from django.core.management import call_command

    bare.set_credentials({"access_token": "x-token-1"})
    bare.save()
    call_command("outbox", "queue-pending")
    call_command("outbox", "run")
    post.refresh_from_db()
    assert post.delivery_status == "sent"


def test_like_and_hide_actions(client, sim, x_channel, fb_channel):
    deliver(client, "x", shared("x_aaa_tweet_create_events_mention.json"))
    mention = Post.objects.get(platform="x")
    like = actions.queue_outbox(mention, x_channel, OutboxItem.Action.LIKE, actor="agent")
    assert outbox.run(like.pk) == "sent"
    assert sim.requests[-1].path == "/2/users/2244994945/likes" and sim.requests[-1].body == {"tweet_id": mention.platform_id}
    deliver(client, "meta", shared("meta_page_feed_comment_add.json"))
    comment = Post.objects.get(platform="facebook")
    hide = actions.queue_outbox(comment, fb_channel, OutboxItem.Action.HIDE, actor="agent")
    assert outbox.run(hide.pk) == "sent"
    assert sim.requests[-1].path == f"/v21.0/{comment.platform_id}" and sim.requests[-1].body == {"is_hidden": "true"}
    # Queuing the same action twice is one item.
    assert actions.queue_outbox(mention, x_channel, OutboxItem.Action.LIKE).pk == like.pk


def test_an_item_left_sending_by_a_dead_worker_fails_with_advice(client, sim, x_channel):
    post, item = reply_to(client, "x", "x_aaa_tweet_create_events_mention.json", "@jane_c hello")
    OutboxItem.objects.filter(pk=item.pk).update(state="sending", updated_at=timezone.now() - timedelta(hours=1))
    assert outbox.recover_stale(timezone.now()) == 1
    post.refresh_from_db()
    assert post.delivery_status == "failed" and "check on the platform" in post.delivery_error
    assert not sim.requests
