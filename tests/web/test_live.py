"""The live stream: which changes become events, for whom, and the SSE wire format."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient
from django.utils import timezone

from parley.inbox import actions, live
from parley.inbox.models import Conversation
from tests.conftest import incoming
from tests.web.conftest import url


def kinds(events):
    return [(e.kind, e.data.get("conversation", e.data.get("id"))) for e in events]


def test_nothing_is_news_at_the_start(brand, users, convs):
    cursor = live.start(users["admin"], brand, timezone.now())
    assert live.changes(users["admin"], brand, cursor) == []


def test_new_post_and_changes_become_events_once(brand, channel, users, convs):
    admin = users["admin"]
    cursor = live.start(admin, brand, timezone.now())
    result = actions.ingest_post(brand, channel, incoming("n1", "New!", author="zed", at=timezone.now()))
    conv = result.conversation
    events = live.changes(admin, brand, cursor)
    assert ("conversation", conv.pk) in kinds(events) and ("post", conv.pk) in kinds(events)
    post_event = next(e for e in events if e.kind == "post")
    assert post_event.data["direction"] == "in" and post_event.data["author"] == "user_zed"
    assert post_event.id == str(result.post.pk)
    assert live.changes(admin, brand, cursor) == []  # not twice
    actions.set_priority(convs["care"], 50, admin)
    assert kinds(live.changes(admin, brand, cursor)) == [("conversation", convs["care"].pk)]


def test_agent_hears_nothing_about_another_team(brand, channel, users, convs, teams):
    cara = users["care_agent"]
    cursor = live.start(cara, brand, timezone.now())
    actions.ingest_post(brand, channel, incoming("b2", "Another charge", author="marco", kind="reply",
                                                 reply_to="b1", at=timezone.now()))
    actions.add_note(convs["billing"], "private to billing", users["admin"])
    assert live.changes(cara, brand, cursor) == []
    actions.add_note(convs["care"], "for care", users["admin"])
    assert kinds(live.changes(cara, brand, cursor)) == [("conversation", convs["care"].pk)]


def test_conversation_scope(brand, users, convs):
    admin = users["admin"]
    cursor = live.start(admin, brand, timezone.now(), convs["care"].pk)
    actions.set_priority(convs["billing"], 10, admin)
    assert live.changes(admin, brand, cursor, convs["care"].pk) == []
    actions.set_priority(convs["care"], 10, admin)
    assert kinds(live.changes(admin, brand, cursor, convs["care"].pk)) == [("conversation", convs["care"].pk)]


def test_a_late_commit_inside_the_overlap_is_still_seen(brand, users, convs):
    admin = users["admin"]
    now = timezone.now()
    cursor = live.start(admin, brand, now)
    cursor.since = now + timedelta(seconds=2)  # as if a later change had already moved the cursor on
    Conversation.objects.filter(pk=convs["care"].pk).update(updated_at=now + timedelta(seconds=1))
    assert kinds(live.changes(admin, brand, cursor)) == [("conversation", convs["care"].pk)]


def test_a_burst_becomes_one_refresh_and_the_cursor_still_advances(brand, users, convs, monkeypatch):
    monkeypatch.setattr(live, "CONVERSATION_BATCH", 2)
    monkeypatch.setattr(live, "BURST_EVENTS", 1)
    admin = users["admin"]
    cursor = live.start(admin, brand, timezone.now() - timedelta(minutes=1))
    cursor.seen.clear()
    assert [e.kind for e in live.changes(admin, brand, cursor)] == ["refresh"]
    # The last-updated conversation comes with the next batch though the first two fill the overlap window.
    last = Conversation.objects.order_by("-updated_at").first()
    assert kinds(live.changes(admin, brand, cursor)) == [("conversation", last.pk)]
    assert live.changes(admin, brand, cursor) == []


def test_event_encoding_is_one_safe_data_line():
    text = live.Event("post", {"author": "a\nb\r\nevent: x", "id": 3}, id="3").encode()
    assert text.startswith("id: 3\nevent: post\ndata: ") and text.endswith("\n\n")
    assert text.count("\n") == 4
    assert json.loads(text.split("data: ", 1)[1])["author"] == "a\nb\r\nevent: x"


def test_stream_starts_with_retry_then_sends_events_and_heartbeats(brand, channel, users, convs):
    admin = users["admin"]

    async def collect():
        ticks = iter(range(0, 10_000, 20))  # every clock reading is 20 s later
        cursor = await sync_to_async(live.start)(admin, brand, timezone.now())
        await sync_to_async(actions.set_priority)(convs["care"], 33, admin)
        stream = live.stream(admin, brand, cursor, None, poll=0, clock=lambda: next(ticks))
        chunks = [await stream.__anext__() for _ in range(3)]
        await stream.aclose()
        return chunks

    first, event, beat = async_to_sync(collect)()
    assert first.startswith("retry: ")
    assert "event: conversation" in event and f'"id": {convs["care"].pk}' in event
    assert beat == ": heartbeat\n\n"


# The async view reads the database from another thread: these need committed data.
@pytest.mark.django_db(transaction=True)
def test_events_endpoint_needs_login_and_membership(brand, other_brand, users, convs):
    client = AsyncClient()
    response = async_to_sync(client.get)(url("events", brand))
    assert response.status_code == 401
    client.force_login(users["care_agent"])
    assert async_to_sync(client.get)(url("events", other_brand)).status_code == 404
    # An agent cannot subscribe to another team's conversation.
    assert async_to_sync(client.get)(url("events", brand) + f"?conversation={convs['billing'].pk}").status_code == 404
    assert async_to_sync(client.get)(url("events", brand) + "?conversation=garbage").status_code == 404


def test_events_endpoint_refuses_wsgi(client, brand, users):
    client.force_login(users["admin"])
    assert client.get(url("events", brand)).status_code == 501


@pytest.mark.django_db(transaction=True)
def test_events_endpoint_streams(brand, users, convs):
    client = AsyncClient()
    client.force_login(users["care_agent"])

    async def first_chunk():
        response = await client.get(url("events", brand) + f"?conversation={convs['care'].pk}")
        iterator = response.streaming_content.__aiter__()
        chunk = await iterator.__anext__()
        await iterator.aclose()
        return response, chunk

    response, chunk = async_to_sync(first_chunk)()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    assert response["Cache-Control"].startswith("no-cache")
    assert chunk.startswith(b"retry: ")
