"""Live updates for open inbox pages: one Server-Sent Events stream per page.

The stream polls the database every PARLEY_LIVE_POLL_SECONDS for conversations
the user can see whose `updated_at` moved past the last value seen, and for
new posts in them. Every query goes through access.visible_conversations, so an
agent never hears about another team's conversation. Events carry ids and
labels only; the page fetches the HTML it shows through the ordinary views.

`changes()` is plain synchronous code (tested directly); `events()` is the
async view that loops over it under ASGI.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db.models import Max
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from .access import access_brand, access_conversation, visible_conversations
from .models import Post

# A row saved just before we polled may commit just after: look back this far
# and remember what was already announced, instead of trusting one timestamp.
OVERLAP = timedelta(seconds=5)
HEARTBEAT_SECONDS = 15.0
# Streams end after this long; EventSource reconnects by itself (and the page
# refreshes once on reconnecting, so nothing is missed).
MAX_STREAM_SECONDS = 30 * 60
RETRY_MS = 2000
CONVERSATION_BATCH = 500  # rows read per poll after the cursor
LATE_CAP = 2000  # rows read in the overlap window; more than this is a burst
BURST_EVENTS = 50  # more changes than this in one poll: one "refresh" event instead
POST_BATCH = 100


@dataclass
class Event:
    kind: str
    data: dict
    id: str = ""

    def encode(self) -> str:
        head = f"id: {self.id}\n" if self.id else ""
        # json.dumps escapes newlines and non-ASCII: one safe data line.
        return f"{head}event: {self.kind}\ndata: {json.dumps(self.data)}\n\n"


@dataclass
class Cursor:
    since: datetime
    post_id: int
    seen: dict[int, datetime] = field(default_factory=dict)


def _scope(user, brand, conversation_id: int | None):
    qs = visible_conversations(user, brand)
    return qs.filter(pk=conversation_id) if conversation_id else qs


def start(user, brand, now: datetime, conversation_id: int | None = None) -> Cursor:
    """A cursor at `now`: what exists already is not news."""
    recent = _scope(user, brand, conversation_id).filter(updated_at__gt=now - OVERLAP)
    top = Post.objects.filter(brand=brand).aggregate(top=Max("id"))["top"] or 0
    return Cursor(since=now, post_id=top, seen=dict(recent.values_list("id", "updated_at")))


def _ref(pk: int) -> str:
    return f"C-{pk:06d}"


def changes(user, brand, cursor: Cursor, conversation_id: int | None = None) -> list[Event]:
    """Events for what changed since `cursor`, which moves forward.

    Two reads: rows updated after the cursor (in batches, so a burst still
    advances), and the ids in the overlap window just before it, compared with
    what was already announced (to catch a transaction that committed late).
    """
    scope = _scope(user, brand, conversation_id)
    fresh = list(
        scope.filter(updated_at__gt=cursor.since)
        .order_by("updated_at", "id")
        .values_list("id", "updated_at")[:CONVERSATION_BATCH]
    )
    late = list(
        scope.filter(updated_at__gt=cursor.since - OVERLAP, updated_at__lte=cursor.since)
        .values_list("id", "updated_at")[:LATE_CAP]
    )
    events: list[Event] = []
    for pk, at in late + fresh:
        if cursor.seen.get(pk) == at:
            continue
        cursor.seen[pk] = at
        events.append(Event("conversation", {"id": pk, "ref": _ref(pk), "updated_at": at.isoformat()}))
    if fresh:
        cursor.since = fresh[-1][1]
    if len(events) > BURST_EVENTS or len(late) == LATE_CAP:
        # A burst (an import, a bulk action): one "refresh" instead of hundreds of events.
        events = [Event("refresh", {"count": len(events)})]
    horizon = cursor.since - OVERLAP
    cursor.seen = {pk: at for pk, at in cursor.seen.items() if at > horizon}

    posts = list(
        Post.objects.filter(brand=brand, pk__gt=cursor.post_id, conversation__in=scope.values("pk"))
        .order_by("pk")
        .values(
            "id", "conversation_id", "direction", "visibility", "platform",
            "author__display_name", "author__handle",
        )[:POST_BATCH]
    )
    for post in posts:
        events.append(
            Event(
                "post",
                {
                    "id": post["id"],
                    "conversation": post["conversation_id"],
                    "ref": _ref(post["conversation_id"]),
                    "direction": post["direction"],
                    "visibility": post["visibility"],
                    "platform": post["platform"],
                    "author": post["author__display_name"] or post["author__handle"] or "",
                },
                id=str(post["id"]),
            )
        )
    if posts:
        cursor.post_id = posts[-1]["id"]
    return events


async def stream(user, brand, cursor: Cursor, conversation_id: int | None, *, poll: float | None = None,
                 clock=None):
    """The event stream: changes every `poll` seconds, a heartbeat comment when quiet."""
    poll = settings.PARLEY_LIVE_POLL_SECONDS if poll is None else poll
    loop = asyncio.get_running_loop()
    clock = clock or loop.time
    started = last_write = clock()
    yield f"retry: {RETRY_MS}\n: connected\n\n"
    while True:
        await asyncio.sleep(poll)
        for event in await sync_to_async(changes)(user, brand, cursor, conversation_id):
            last_write = clock()
            yield event.encode()
        now = clock()
        if now - started >= MAX_STREAM_SECONDS:
            return
        if now - last_write >= HEARTBEAT_SECONDS:
            last_write = now
            yield ": heartbeat\n\n"


async def events(request, brand):
    """GET /b/<slug>/events/[?conversation=<id>]: the page's live stream."""
    if not isinstance(request, ASGIRequest):
        # Under WSGI (runserver) a never-ending response would hold a worker forever.
        return HttpResponse("Live updates need the ASGI server: run `parley serve`.", status=501,
                            content_type="text/plain")
    user = await request.auser()
    if not user.is_authenticated:
        return HttpResponse("Log in first.", status=401, content_type="text/plain")
    brand, _role = await sync_to_async(access_brand)(user, brand)
    conversation_id = None
    if request.GET.get("conversation"):
        conversation = await sync_to_async(access_conversation)(user, brand, request.GET["conversation"][:18])
        conversation_id = conversation.pk
    cursor = await sync_to_async(start)(user, brand, timezone.now(), conversation_id)
    response = StreamingHttpResponse(
        stream(user, brand, cursor, conversation_id), content_type="text/event-stream; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # tell a reverse proxy not to buffer the stream
    return response
