"""End to end over real HTTP: the simulator pushes a signed mention to a running Parley, the task worker
stores it, an agent replies in the inbox, the worker sends it, the simulator receives the right in-reply-to."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from parley.inbox.models import Conversation, Post
from parley.platforms.models import ChannelAccount
from parley.platforms.simulator import payloads
from parley.platforms.simulator.push import push

from .conftest import META_SECRET, X_SECRET


def work():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


@pytest.mark.django_db(transaction=True)
def test_signed_mention_to_reply_on_the_platform(live_server, sim, users, client, settings):
    settings.PARLEY_TRIAGE_ENABLED = False
    brand = users["admin"].memberships.get().brand
    channel = ChannelAccount(brand=brand, platform="x", external_id="1001", handle="AcmeHelp")
    channel.set_credentials({"access_token": "x-live"})
    channel.save()

    from datetime import datetime, timezone

    now = datetime.now(timezone.utc)
    jane = payloads.x_user("99887766", "jane_c", "Jane Customer")
    body = payloads.x_delivery("1001", tweet_create_events=[payloads.x_tweet("1800000000000000001", "@AcmeHelp where is my order?", jane, now)])
    assert push(live_server.url, "x", body, X_SECRET) == 200
    assert push(live_server.url, "x", body, X_SECRET) == 200  # the platform redelivers
    assert push(live_server.url, "x", body, "wrong-secret") == 403
    assert push(live_server.url, "meta", b'{"object": "page", "entry": []}', META_SECRET) == 200
    work()
    post = Post.objects.get(platform_id="1800000000000000001")
    assert post.text == "@AcmeHelp where is my order?" and Post.objects.count() == 1

    client.force_login(users["care_agent"])
    conversation = Conversation.objects.get()
    page = client.get(f"/b/acme/c/{conversation.pk}/")
    key = re.search(rb'name="key" value="([0-9a-f]+)"', page.content)
    response = client.post(f"/b/acme/c/{conversation.pk}/replies/",
                           {"text": "@jane_c Sorry Jane! Checking now.", "key": key.group(1).decode() if key else ""})
    assert response.status_code in (200, 302, 303)
    work()
    [sent] = [r for r in sim.requests if r.path == "/2/tweets"]
    assert sent.body == {"text": "@jane_c Sorry Jane! Checking now.", "reply": {"in_reply_to_tweet_id": "1800000000000000001"}}
    reply = Post.objects.get(direction="out")
    assert reply.delivery_status == "sent" and reply.platform_id == "1900000000000000001"  # the simulator's first id
    assert reply.url == "https://x.com/AcmeHelp/status/1900000000000000001"

