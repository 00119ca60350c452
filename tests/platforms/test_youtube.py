"""YouTube: commentThreads.list polled through the simulator with page tokens, cursor and quota; replies."""

from __future__ import annotations

import copy
import json

import pytest
from django.utils import timezone

from parley.inbox import actions as inbox
from parley.inbox.models import Conversation, Post
from parley.platforms import outbox
from parley.platforms.models import ChannelAccount, OutboxItem, PollState, QuotaUsage
from parley.platforms.youtube.parse import parse_threads
from parley.platforms.youtube.poll import poll_channel
from tests.conftest import shared_path

CHANNEL_ID = "UCJrDMFOdv1I2k8n9oK_V21w"


def fixture_page():
    return json.loads(shared_path("fixtures", "platform", "youtube_commentThreads_list.json").read_text())


def second_page():
    """An older thread: a customer's question, edited, with the channel's own reply under it."""
    return {
        "kind": "youtube#commentThreadListResponse",
        "items": [{
            "kind": "youtube#commentThread", "id": "UgyOLDthread",
            "snippet": {
                "channelId": CHANNEL_ID, "videoId": "axepn8QqxRk", "canReply": True, "totalReplyCount": 1,
                "topLevelComment": {"kind": "youtube#comment", "id": "UgyOLDthread", "snippet": {
                    "videoId": "axepn8QqxRk", "textDisplay": "Where can I buy <b>this</b>?",
                    "textOriginal": "Where can I buy this? (edited)", "authorDisplayName": "@buyer",
                    "authorChannelId": {"value": "UCbuyer"}, "likeCount": 2,
                    "publishedAt": "2024-08-13T10:00:00Z", "updatedAt": "2024-08-13T11:00:00Z"}},
            },
            "replies": {"comments": [{"kind": "youtube#comment", "id": "UgyOLDthread.reply1", "snippet": {
                "videoId": "axepn8QqxRk", "parentId": "UgyOLDthread", "textOriginal": "In our shop!",
                "authorDisplayName": "@Acme", "authorChannelId": {"value": CHANNEL_ID},
                "publishedAt": "2024-08-13T12:00:00Z", "updatedAt": "2024-08-13T12:00:00Z"}}]},
        }],
    }


@pytest.fixture
def yt_channel(brand):
    channel = ChannelAccount(brand=brand, platform="youtube", external_id=CHANNEL_ID, handle="Acme")
    channel.set_credentials({"access_token": "yt-token-1"})
    channel.save()
    return channel


@pytest.fixture
def yt_sim(sim, settings):
    settings.PARLEY_YOUTUBE_API_BASE = sim.base_url
    first = fixture_page()
    first["nextPageToken"] = "page2"
    sim.state.youtube_pages.update({"": first, "page2": second_page()})
    return sim


def test_parse_stores_text_original_never_the_html():
    events, newest = parse_threads(CHANNEL_ID, fixture_page())
    posts = [e.post for e in events]
    assert [p.platform_id for p in posts] == ["UgxENxr12AabiFXmLox4AaABAg", "UgxZ_4mrATCew3h7uU54AaABAg"]
    assert posts[1].text == "0:45 akhiyaan gulaab song step.." and "<a" not in posts[1].text
    assert posts[0].author.platform_user_id == "UCIx4__tGYsCja3-FY0ND5Pg" and posts[0].author.handle == "prakashsoni1355"
    assert posts[0].platform_conversation_id == "axepn8QqxRk" and posts[1].likes == 1
    assert newest.isoformat() == "2024-08-14T19:51:36+00:00"


@pytest.mark.django_db
def test_poll_pages_through_and_keeps_a_cursor(yt_sim, yt_channel):
    counts = poll_channel(yt_channel)
    assert counts["pages"] == 2 and counts["created"] == 4  # 3 from customers, 1 our own reply made on YouTube
    request = yt_sim.requests[0]
    assert request.path == "/youtube/v3/commentThreads"
    assert request.query["allThreadsRelatedToChannelId"] == CHANNEL_ID and request.query["textFormat"] == "plainText"
    assert yt_sim.requests[1].query["pageToken"] == "page2"
    question = Post.objects.get(platform_id="UgyOLDthread")
    ours = Post.objects.get(platform_id="UgyOLDthread.reply1")
    assert ours.direction == "out" and ours.conversation_id == question.conversation_id and ours.parent_id == question.pk
    assert question.text == "Where can I buy this? (edited)"
    state = PollState.objects.get(channel=yt_channel)
    assert state.cursor.isoformat() == "2024-08-14T19:51:36+00:00"
    assert QuotaUsage.objects.get(api="youtube").used == 2
    # Nothing new: the first page already reaches the cursor, so one page is read and nothing stored twice.
    again = poll_channel(yt_channel)
    assert again["pages"] == 1 and again.get("duplicate") == 2 and Post.objects.count() == 4


@pytest.mark.django_db
def test_poll_stops_at_the_quota_budget(yt_sim, yt_channel, settings):
    settings.PARLEY_YOUTUBE_POLL_QUOTA = 1
    counts = poll_channel(yt_channel)
    assert counts["pages"] == 1 and counts["error"] == 1
    assert "quota" in PollState.objects.get(channel=yt_channel).last_error
    assert len(yt_sim.requests) == 1


@pytest.mark.django_db
def test_revoked_token_marks_the_channel(yt_sim, yt_channel):
    yt_sim.revoke("yt-token-1")
    poll_channel(yt_channel)
    yt_channel.refresh_from_db()
    assert yt_channel.status == "needs_reauth" and "401" in yt_channel.status_detail


@pytest.mark.django_db
def test_reply_uses_comments_insert_and_spends_50_units(yt_sim, yt_channel, settings):
    poll_channel(yt_channel)
    question = Post.objects.get(platform_id="UgxENxr12AabiFXmLox4AaABAg")
    reply = inbox.create_reply(question.conversation, "Thanks for watching!", "agent")
    item = OutboxItem.objects.get(post=reply)
    assert outbox.run(item.pk) == "sent"
    sent = yt_sim.requests[-1]
    assert (sent.method, sent.path) == ("POST", "/youtube/v3/comments")
    assert sent.body == {"snippet": {"parentId": "UgxENxr12AabiFXmLox4AaABAg", "textOriginal": "Thanks for watching!"}}
    reply.refresh_from_db()
    assert reply.platform_id.startswith("Ugz") and reply.url.startswith("https://www.youtube.com/watch?v=axepn8QqxRk&lc=")
    assert QuotaUsage.objects.get(api="youtube").used == 2 + 50
    # With the day's quota spent, the next reply waits for the reset instead of failing.
    settings.PARLEY_YOUTUBE_DAILY_QUOTA = 60
    second = inbox.create_reply(question.conversation, "One more thing", "agent", idempotency_key="k2")
    assert outbox.run(OutboxItem.objects.get(post=second).pk) == "retry"
    item2 = OutboxItem.objects.get(post=second)
    assert "quota" in item2.last_error and item2.next_attempt_at > timezone.now()
