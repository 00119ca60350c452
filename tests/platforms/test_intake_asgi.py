"""The ASGI intake path (`parley.asgi`): signed POSTs stored by the group-commit writer, before Django.

These tests drive the real ASGI application with real requests (scope, body messages) and a real
database; the writer thread uses its own connection, so the tests commit (transaction=True).
"""

from __future__ import annotations

import asyncio
import hashlib
import json

import pytest
from django_tasks_db.models import DBTaskResult

from parley.inbox.models import Post
from parley.platforms import actions, intake
from parley.platforms.models import WebhookDelivery
from parley.platforms.x import webhooks as x_hooks

from .conftest import X_ACCOUNT, X_SECRET, process_queued

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def writer(monkeypatch):
    fresh = intake.GroupCommit(max_batch=16)
    monkeypatch.setattr(intake, "_writer", fresh)
    yield fresh
    fresh.close()


def tweet_delivery(n: int) -> bytes:
    tweet = {
        "id_str": str(1_900_000_000_000_000_000 + n), "text": f"@TwitterDev parcel {n} never came",
        "created_at": "Wed Nov 18 09:00:00 +0000 2026",
        "user": {"id_str": str(7_000 + n % 7), "screen_name": f"fan{n % 7}", "name": f"Fan {n % 7}"},
    }
    return json.dumps({"for_user_id": X_ACCOUNT, "tweet_create_events": [tweet]}).encode()


class Passed:
    """Stands for Django behind the intake: records what reached it."""

    def __init__(self):
        self.paths = []

    async def __call__(self, scope, receive, send):
        self.paths.append((scope["method"], scope["path"]))
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b""})


async def request(app, path, body=b"", headers=(), method="POST", chunk=None):
    """One HTTP request through the ASGI app; (status, response body)."""
    chunk = chunk or max(len(body), 1)
    parts = [body[i:i + chunk] for i in range(0, len(body), chunk)] or [b""]
    messages = [{"type": "http.request", "body": part, "more_body": i < len(parts) - 1} for i, part in enumerate(parts)]
    sent = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": b"", "client": ("127.0.0.1", 5),
             "server": ("127.0.0.1", 8000), "scheme": "http",  # as uvicorn fills them in
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers]}
    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def signed(body: bytes, secret: str = X_SECRET, length: int | None = None):
    return [("content-type", "application/json"), ("content-length", str(len(body) if length is None else length)),
            (x_hooks.SIGNATURE_HEADER, x_hooks.sign(secret, body))]


def post(app, body, **kwargs):
    return asyncio.run(request(app, "/hooks/x/", body, signed(body), **kwargs))


def test_signed_delivery_is_stored_with_its_job_and_processed(writer, x_channel):
    app = intake.HookIntake(Passed())
    body = tweet_delivery(1)
    status, answer = post(app, body, chunk=100)  # the body arrives in several messages
    assert status == 200 and json.loads(answer) == {"received": True, "duplicate": False}
    delivery = WebhookDelivery.objects.get()
    assert bytes(delivery.body) == body and delivery.key == hashlib.sha256(body).hexdigest()
    job = DBTaskResult.objects.get(task_path="parley.platforms.tasks.process_deliveries")
    assert job.args_kwargs["args"] == [[delivery.pk]]
    assert not Post.objects.exists()
    process_queued()
    assert Post.objects.get().platform_id == "1900000000000000001"


def test_concurrent_deliveries_and_redeliveries_are_stored_once_each(writer, x_channel):
    app = intake.HookIntake(Passed())
    bodies = [tweet_delivery(n) for n in range(60)]
    sends = bodies + bodies[::3]  # a third of them redelivered while the first copy may still be waiting

    async def all_at_once():
        return await asyncio.gather(*(request(app, "/hooks/x/", b, signed(b)) for b in sends))

    answers = asyncio.run(all_at_once())
    assert {status for status, _ in answers} == {200}
    created = [json.loads(a)["duplicate"] is False for _, a in answers]
    assert sum(created) == 60  # exactly one copy of each body was the one stored
    assert WebhookDelivery.objects.count() == 60
    queued = [pk for job in DBTaskResult.objects.filter(task_path="parley.platforms.tasks.process_deliveries")
              for pk in job.args_kwargs["args"][0]]
    assert sorted(queued) == sorted(WebhookDelivery.objects.values_list("pk", flat=True))
    assert DBTaskResult.objects.count() < 60  # batched: fewer jobs than deliveries
    # A later redelivery, after all were committed, is recognised too.
    status, answer = post(app, bodies[5])
    assert status == 200 and json.loads(answer)["duplicate"] is True and WebhookDelivery.objects.count() == 60


def test_unsigned_401_forged_403_and_nothing_stored(writer):
    app = intake.HookIntake(Passed())
    body = tweet_delivery(2)
    unsigned = [("content-length", str(len(body)))]
    assert asyncio.run(request(app, "/hooks/x/", body, unsigned))[0] == 401
    status, answer = asyncio.run(request(app, "/hooks/x/", body, signed(body, secret="not-the-secret")))
    assert (status, answer) == (403, b"bad signature")
    meta = [("content-length", str(len(body))), ("x-hub-signature-256", "sha256=" + "0" * 64)]
    assert asyncio.run(request(app, "/hooks/meta/", body, meta))[0] == 403
    assert not WebhookDelivery.objects.exists() and not DBTaskResult.objects.exists()


def test_oversized_bodies_413_whether_declared_or_streamed(writer, settings):
    settings.PARLEY_WEBHOOK_MAX_BYTES = 2048
    app = intake.HookIntake(Passed())
    body = json.dumps({"for_user_id": X_ACCOUNT, "pad": "x" * 5000}).encode()
    assert asyncio.run(request(app, "/hooks/x/", body, signed(body)))[0] == 413
    # A client that sends no (or a false) Content-Length is cut off by what it actually sends.
    assert asyncio.run(request(app, "/hooks/x/", body, signed(body, length=10), chunk=500))[0] == 413
    assert not WebhookDelivery.objects.exists()


def test_unconfigured_secret_503(writer, settings):
    settings.PARLEY_X_CONSUMER_SECRET = ""
    body = tweet_delivery(3)
    assert post(intake.HookIntake(Passed()), body)[0] == 503 and not WebhookDelivery.objects.exists()


def test_everything_else_goes_to_django(writer):
    inner = Passed()
    app = intake.HookIntake(inner)
    asyncio.run(request(app, "/hooks/x/", method="GET"))  # the CRC challenge is Django's
    asyncio.run(request(app, "/healthz", method="GET"))
    asyncio.run(request(app, "/hooks/unknown/", b"{}"))
    assert inner.paths == [("GET", "/hooks/x/"), ("GET", "/healthz"), ("POST", "/hooks/unknown/")]


def test_a_failed_store_is_not_acknowledged(writer, monkeypatch):
    def refuse(items, now=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "accept_deliveries", refuse)
    status, answer = post(intake.HookIntake(Passed()), tweet_delivery(4))
    assert status == 503 and b"again" in answer
    assert not WebhookDelivery.objects.exists()


def test_the_project_asgi_application_has_the_intake_in_front():
    from parley import asgi

    assert isinstance(asgi.application, intake.HookIntake)
