"""Meta's HUMAN_AGENT tag: outside the 24-hour window a person's Messenger / Instagram reply goes out
tagged for up to 7 days when the channel (or the installation) allows it, and is refused after that."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from parley.inbox import actions as inbox
from parley.inbox.models import AuditEvent, Conversation, Post
from parley.platforms import outbox, policy
from parley.platforms.models import OutboxItem
from tests.conftest import shared_path

from .conftest import deliver

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def test_policy_windows():
    hours = lambda h: NOW - timedelta(hours=h)  # noqa: E731
    assert policy.messaging("facebook", "private", hours(23), NOW, human_agent=True) == policy.Messaging()
    assert policy.messaging("facebook", "private", hours(25), NOW, human_agent=True).tag == "HUMAN_AGENT"
    assert policy.messaging("instagram", "private", hours(24 * 7), NOW, human_agent=True).tag == "HUMAN_AGENT"
    late = policy.messaging("instagram", "private", hours(24 * 7 + 1), NOW, human_agent=True)
    assert late.tag == "" and "Instagram's 7-day human agent window is closed" in late.refusal and "7 days" in late.refusal
    assert "24-hour window is closed" in policy.messaging("facebook", "private", hours(25), NOW).refusal
    assert policy.messaging("facebook", "public", hours(24 * 30), NOW, human_agent=True) == policy.Messaging()
    assert "have not written privately" in policy.messaging("facebook", "private", None, NOW, human_agent=True).refusal


def _private_reply(client, fixture: str, text: str):
    deliver(client, "meta", json.loads(shared_path("fixtures", "platform", fixture).read_text()))
    wrote = Post.objects.get(direction="in").created_at
    post = inbox.create_reply(Conversation.objects.get(), text, "agent")
    return post, OutboxItem.objects.get(post=post), wrote


@pytest.mark.django_db
def test_messenger_reply_after_a_day_is_tagged_when_the_channel_allows_it(client, sim, fb_channel):
    fb_channel.human_agent = True
    fb_channel.save()
    post, item, wrote = _private_reply(client, "meta_messenger_message.json", "Sorry for the wait, refund done.")
    assert outbox.run(item.pk, now=wrote + timedelta(days=3)) == "sent"
    request = sim.requests[-1]
    assert request.path == "/v21.0/me/messages"
    assert request.body == {"recipient": {"id": "1254459154682919"}, "messaging_type": "MESSAGE_TAG",
                            "tag": "HUMAN_AGENT", "message": {"text": "Sorry for the wait, refund done."}}
    post.refresh_from_db()
    assert post.delivery_status == "sent" and post.platform_id.startswith("m_")


@pytest.mark.django_db
def test_after_seven_days_the_reply_is_refused_with_the_reason(client, sim, fb_channel):
    fb_channel.human_agent = True
    fb_channel.save()
    post, item, wrote = _private_reply(client, "meta_messenger_message.json", "Hello?")
    assert outbox.run(item.pk, now=wrote + timedelta(days=7, minutes=1)) == "failed"
    post.refresh_from_db()
    assert post.delivery_status == "failed" and "7-day human agent window is closed" in post.delivery_error
    assert not sim.requests


@pytest.mark.django_db
def test_without_the_permission_the_24_hour_rule_stands(client, sim, fb_channel):
    post, item, wrote = _private_reply(client, "meta_messenger_message.json", "Hello?")
    assert outbox.run(item.pk, now=wrote + timedelta(hours=30)) == "failed"
    post.refresh_from_db()
    assert "24-hour window is closed" in post.delivery_error and not sim.requests


@pytest.mark.django_db
def test_instagram_uses_the_same_tag_when_the_installation_allows_it(client, sim, ig_channel, settings):
    settings.PARLEY_META_HUMAN_AGENT = True
    post, item, wrote = _private_reply(client, "meta_instagram_dm.json", "Your size is back in stock.")
    assert outbox.run(item.pk, now=wrote + timedelta(days=6)) == "sent"
    body = sim.requests[-1].body
    assert body["messaging_type"] == "MESSAGE_TAG" and body["tag"] == "HUMAN_AGENT"
    # Within the day, an ordinary response (no tag).
    second = inbox.create_reply(post.conversation, "And in blue.", "agent", idempotency_key="second")
    assert outbox.run(OutboxItem.objects.get(post=second).pk, now=wrote + timedelta(hours=2)) == "sent"
    assert sim.requests[-1].body["messaging_type"] == "RESPONSE" and "tag" not in sim.requests[-1].body


@pytest.mark.django_db
def test_admins_switch_it_on_per_channel(client, users, fb_channel, x_channel):
    client.force_login(users["admin"])
    page = client.get(f"/b/acme/channels/{fb_channel.pk}/").content.decode()
    assert "HUMAN_AGENT" in page
    response = client.post(f"/b/acme/channels/{fb_channel.pk}/human-agent/", {"enabled": "on"}, follow=True)
    assert "allowed (tagged HUMAN_AGENT)" in response.content.decode()
    fb_channel.refresh_from_db()
    assert fb_channel.human_agent
    assert AuditEvent.objects.filter(verb="channel.human_agent_set").count() == 1
    client.post(f"/b/acme/channels/{fb_channel.pk}/human-agent/", {})
    fb_channel.refresh_from_db()
    assert not fb_channel.human_agent
    refused = client.post(f"/b/acme/channels/{x_channel.pk}/human-agent/", {"enabled": "on"}, follow=True)
    assert "Messenger and Instagram only" in refused.content.decode()
    client.force_login(users["care_agent"])
    assert client.post(f"/b/acme/channels/{fb_channel.pk}/human-agent/", {"enabled": "on"}).status_code == 403
