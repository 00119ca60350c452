"""The generic ingestion endpoint: idempotency, batches, hostile text, errors."""

import io
import json
from types import SimpleNamespace

import pytest

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest

from parley.api.errors import PayloadTooLarge, exception_handler
from parley.api.parsers import BodyRequest, BoundedJSONParser
from parley.inbox import actions
from parley.inbox.models import Conversation, Customer, Post
from parley.platforms.models import ChannelAccount
from tests.conftest import incoming

from .conftest import BASE

URL = f"{BASE}/posts/"


def record(pid="5001", text="Where is my order?", **extra):
    body = {
        "platform": "x", "id": pid, "kind": "mention", "text": text, "created_at": "2026-11-02T09:00:00Z",
        "channel": "AcmeHelp", "author": {"id": "c77", "handle": "@dana", "name": "Dana Smith",
                                          "first_name": "Dana", "followers": 120, "verified": False},
        "metrics": {"likes": 3, "reposts": 1, "replies": 0},
    }
    body.update(extra)
    return body


def test_new_post_is_201_and_redelivery_is_200_with_the_same_post(api, brand, channel):
    first = api["admin"].post(URL, record(), format="json")
    assert first.status_code == 201
    body = first.json()
    assert body["status"] == "created"
    assert body["post"]["platform_id"] == "5001" and body["post"]["metrics"]["likes"] == 3
    assert body["conversation"] == Conversation.objects.get().pk
    again = api["admin"].post(URL, record(text="edited by a replay"), format="json")
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert again.json()["post"]["id"] == body["post"]["id"]
    assert again.json()["post"]["text"] == "Where is my order?"
    assert Post.objects.count() == 1 and Conversation.objects.count() == 1


def test_channel_is_resolved_by_handle_or_created(api, brand, channel):
    api["admin"].post(URL, record(pid="1"), format="json")
    api["admin"].post(URL, record(pid="2", channel="1001"), format="json")
    assert set(Post.objects.values_list("channel_id", flat=True)) == {channel.pk}
    api["admin"].post(URL, record(pid="3", channel="NewDesk"), format="json")
    assert ChannelAccount.objects.filter(brand=brand, platform="x", handle="NewDesk").exists()


def test_posts_thread_through_the_api(api, brand, channel):
    api["admin"].post(URL, record(pid="10"), format="json")
    response = api["admin"].post(URL, record(pid="11", text="hello?", in_reply_to="10",
                                             created_at="2026-11-02T10:00:00Z"), format="json")
    assert Conversation.objects.count() == 1
    assert response.json()["post"]["parent"] is not None


@pytest.mark.parametrize("role", ["admin", "supervisor", "care_agent"])
def test_writers_may_ingest(api, brand, role):
    assert api[role].post(URL, record(), format="json").status_code == 201


def test_batch_with_one_malformed_record(api, brand, channel):
    posts = [record(pid="1"), record(pid="2", created_at="yesterday"), record(pid="3"),
             {"platform": "myspace", "id": "4", "text": "x", "created_at": "2026-11-02T09:00:00Z",
              "author": {"id": "u"}, "channel": "Ghost"}]
    response = api["admin"].post(URL, {"posts": posts}, format="json")
    assert response.status_code == 207
    body = response.json()
    assert (body["created"], body["duplicates"], body["rejected"]) == (2, 0, 2)
    results = body["results"]
    assert [r["index"] for r in results] == [0, 1, 2, 3]
    assert [r["status"] for r in results] == ["created", "rejected", "created", "rejected"]
    assert results[1]["errors"] == ["created_at 'yesterday' is not an ISO 8601 time"]
    assert results[1]["post"] is None
    assert "unknown platform 'myspace'" in results[3]["errors"][0]
    assert sorted(Post.objects.values_list("platform_id", flat=True)) == ["1", "3"]
    # A rejected record writes nothing: no channel, no customer for it.
    assert not ChannelAccount.objects.filter(handle="Ghost").exists()
    assert Customer.objects.count() == 1


def test_batch_redelivery_is_200_and_duplicates_inside_a_batch(api, brand):
    posts = [record(pid="1"), record(pid="2"), record(pid="1")]
    first = api["admin"].post(URL, {"posts": posts}, format="json")
    assert first.status_code == 201
    assert [r["status"] for r in first.json()["results"]] == ["created", "created", "duplicate"]
    again = api["admin"].post(URL, {"posts": posts[:2]}, format="json")
    assert again.status_code == 200 and again.json()["duplicates"] == 2
    assert Post.objects.count() == 2


def test_batch_all_rejected_is_400(api, brand):
    response = api["admin"].post(URL, {"posts": [{"id": "1"}, "text"]}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["rejected"] == 2 and body["detail"]
    assert body["results"][0]["errors"] == ["missing field 'platform'"]
    assert body["results"][1]["errors"] == ["each record must be a JSON object"]


@pytest.mark.parametrize(
    "body,message",
    [
        ({"posts": []}, '"posts" is empty'),
        ({"posts": {"id": 1}}, '"posts" must be a list of post objects'),
        ([record()], 'the body must be one post object or {"posts": [...]}'),
        ({"posts": [record(pid=str(n)) for n in range(501)]}, "at most 500 posts per request (501 sent)"),
    ],
)
def test_bad_envelopes(api, brand, body, message):
    response = api["admin"].post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": message}
    assert Post.objects.count() == 0


def test_single_malformed_record_is_400_with_reasons(api, brand):
    bad = record(direction="sideways", metrics={"likes": -1})
    del bad["author"]
    response = api["admin"].post(URL, bad, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "rejected"
    assert "unknown direction 'sideways' (expected 'in' or 'out')" in body["errors"]
    assert "likes must be a whole number ≥ 0" in body["errors"]
    assert body["detail"].startswith("The post was rejected: ")
    assert Post.objects.count() == 0


def test_invalid_json_is_400(api, brand):
    response = api["admin"].post(URL, '{"platform": "x", ', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_too_big_from_django_is_413_json():
    response = exception_handler(RequestDataTooBig("too big"), {})
    assert response.status_code == 413 and response.data["detail"]


def test_oversized_body_is_413_json(api, brand, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    response = api["admin"].post(URL, record(text="x" * 5000), format="json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than this server accepts."}
    assert Post.objects.count() == 0
    assert api["admin"].post(URL, record(text="small"), format="json").status_code == 201


def test_parser_stops_reading_at_the_limit_even_without_a_declared_length(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    stream = io.BytesIO(json.dumps({"text": "x" * 5000}).encode())
    request = SimpleNamespace(META={})
    with pytest.raises(PayloadTooLarge):
        BoundedJSONParser().parse(stream, "application/json", {"request": request})
    assert stream.tell() == 1025
    small = io.BytesIO(b'{"ok": true}')
    assert BoundedJSONParser().parse(small, "application/json", {"request": request}) == {"ok": True}


def _chunked_request(payload: bytes):
    """A request as Django's ASGI handler builds one for a chunked body: no Content-Length."""
    http = HttpRequest()
    http.method = "POST"
    http.META = {"CONTENT_TYPE": "application/json", "HTTP_TRANSFER_ENCODING": "chunked"}
    http._stream = io.BytesIO(payload)
    http._read_started = False
    return BodyRequest(http, parsers=[BoundedJSONParser()], parser_context={"request": http})


def test_chunked_body_is_read_not_dropped(settings):
    assert _chunked_request(b'{"platform": "x"}').data == {"platform": "x"}
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    # Django's own read check or the parser's, whichever comes first; both answer 413.
    with pytest.raises((PayloadTooLarge, RequestDataTooBig)):
        _chunked_request(json.dumps({"text": "x" * 5000}).encode()).data


def test_unsupported_media_type_is_415(api, brand):
    response = api["admin"].post(URL, "platform=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


HOSTILE = [
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "zero\u200bwidth\u200c\u200djoin\ufeff",
    "\u202eright-to-left override\u202c and \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
    "\U0001F600\U0001F469\u200d\U0001F469\u200d\U0001F467" * 700,  # about 10 kB of emoji
    '"}]}, {"injected": true} \\u0000 {{ template }} {% tag %} ${x}',
]


@pytest.mark.parametrize("text", HOSTILE, ids=["script", "zero-width", "rtl", "emoji-10kB", "json-ish"])
def test_hostile_text_round_trips_exactly(api, brand, text):
    author = {"id": "evil", "handle": "<b>x</b>", "name": text[:200]}
    response = api["admin"].post(URL, record(text=text, author=author), format="json")
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["post"]["text"] == text
    detail = api["admin"].get(f"{BASE}/conversations/{response.json()['conversation']}/").json()
    assert detail["posts"][0]["text"] == text
    assert detail["customer"]["identities"][0]["handle"] == "<b>x</b>"
    assert Post.objects.get().text == text


def test_redelivery_does_not_reveal_a_hidden_conversation(api, brand, channel, teams):
    billing = actions.ingest_post(brand, channel, incoming("900", "private matter", author="b")).conversation
    actions.set_team(billing, teams["billing"], "test")
    replay = record(pid="900", text="anything")
    response = api["care_agent"].post(URL, replay, format="json")
    assert response.status_code == 200
    assert response.json() == {"status": "duplicate", "post": None, "conversation": None}
    assert "private matter" not in response.content.decode()
