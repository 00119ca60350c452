"""Channel pages: admin only, credentials never shown again nor logged, webhook set-up, test connection."""

from __future__ import annotations

import logging

import pytest

from parley.inbox.models import AuditEvent
from parley.platforms.models import ChannelAccount

pytestmark = pytest.mark.django_db


def test_only_admins_manage_channels(client, users):
    for role in ("supervisor", "care_agent", "viewer"):
        client.force_login(users[role])
        assert client.get("/b/acme/channels/").status_code == 403
    client.logout()
    assert client.get("/b/acme/channels/").status_code == 302  # to the login page


def test_other_brands_channels_do_not_exist(client, users, other_brand):
    theirs = ChannelAccount.objects.create(brand=other_brand, platform="x", external_id="9", handle="globex")
    client.force_login(users["admin"])
    assert client.get(f"/b/acme/channels/{theirs.pk}/").status_code == 404
    assert client.get("/b/globex/channels/").status_code == 404


def test_add_channel_enter_credentials_and_see_webhook_setup(client, users, caplog):
    client.force_login(users["admin"])
    response = client.post("/b/acme/channels/", {"platform": "facebook", "external_id": "448242228374517", "handle": "Acme"})
    channel = ChannelAccount.objects.get(platform="facebook")
    assert response.status_code == 302 and response["Location"] == f"/b/acme/channels/{channel.pk}/"
    duplicate = client.post("/b/acme/channels/", {"platform": "facebook", "external_id": "448242228374517"})
    assert b"already connected" in duplicate.content
    secret = "EAAB-very-secret-page-token-42"
    with caplog.at_level(logging.DEBUG):
        client.post(f"/b/acme/channels/{channel.pk}/", {"access_token": secret})
    channel.refresh_from_db()
    assert channel.get_credentials() == {"access_token": secret}
    assert secret not in channel.credentials_encrypted  # encrypted at rest
    page = client.get(f"/b/acme/channels/{channel.pk}/")
    body = page.content.decode()
    assert secret not in body and "stored, encrypted" in body
    assert "http://testserver/hooks/meta/" in body and "meatyhamhock" in body
    assert secret not in caplog.text
    event = AuditEvent.objects.get(verb="channel.credentials_set")
    assert secret not in str(event.data)


def test_test_connection_calls_the_platform(client, users, sim, x_channel, fb_channel):
    client.force_login(users["admin"])
    response = client.post(f"/b/acme/channels/{x_channel.pk}/test/", follow=True)
    assert "Connected as @AcmeHelp" in response.content.decode()
    assert sim.requests[-1].path == "/2/users/me"
    sim.revoke("page-token-1")
    response = client.post(f"/b/acme/channels/{fb_channel.pk}/test/", follow=True)
    assert "Test failed" in response.content.decode() and "code 190" in response.content.decode()


def test_outbox_page_and_retry_of_a_failed_reply(client, users, sim, x_channel):
    from parley.inbox import actions as inbox
    from parley.platforms import outbox
    from parley.platforms.models import OutboxItem

    from .conftest import deliver
    from tests.conftest import shared_path

    deliver(client, "x", shared_path("fixtures", "platform", "x_aaa_tweet_create_events_mention.json").read_bytes())
    post = inbox.create_reply(x_channel.conversations.get(), "@jane_c hello", "agent")
    sim.fail("bad_request")
    outbox.run(OutboxItem.objects.get(post=post).pk)
    client.force_login(users["admin"])
    page = client.get("/b/acme/channels/outbox/?state=failed")
    assert b"duplicate content" in page.content and b"Retry" in page.content
    client.force_login(users["viewer"])
    assert client.post(f"/b/acme/channels/outbox/{post.pk}/retry/").status_code == 403
    client.force_login(users["care_agent"])
    response = client.post(f"/b/acme/channels/outbox/{post.pk}/retry/")
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.delivery_status == "pending"
    assert OutboxItem.objects.get(post=post).state == "queued"


def test_agents_queue_like_and_hide_on_a_customer_post(client, users, sim, x_channel):
    from parley.platforms import outbox
    from parley.platforms.models import OutboxItem

    from .conftest import deliver
    from tests.conftest import shared_path

    deliver(client, "x", shared_path("fixtures", "platform", "x_aaa_tweet_create_events_mention.json").read_bytes())
    from parley.inbox.models import Post

    mention = Post.objects.get()
    client.force_login(users["viewer"])
    assert client.post(f"/b/acme/channels/posts/{mention.pk}/like/").status_code == 403
    client.force_login(users["billing_agent"])  # the post is in the unrouted queue: every agent sees it
    assert client.post(f"/b/acme/channels/posts/{mention.pk}/like/").status_code == 302
    assert client.post(f"/b/acme/channels/posts/{mention.pk}/explode/").status_code == 404
    item = OutboxItem.objects.get(action="like")
    assert outbox.run(item.pk) == "sent" and sim.requests[-1].path == "/2/users/2244994945/likes"
    client.force_login(users["admin"])
    assert client.post("/b/acme/channels/posts/999999/hide/").status_code == 404
