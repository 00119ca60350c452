"""The webhook fast path (`parley.asgi` -> `intake.HookIntake`) answers the Host check and the HTTPS
redirect exactly as Django's middleware does on the normal path: each case is sent through both, and
both give the same status (and Location), and nothing is stored when a request is refused."""

from __future__ import annotations

import asyncio
import logging

import pytest

from parley.platforms import intake
from parley.platforms.models import WebhookDelivery

from .test_intake_asgi import Passed, signed, tweet_delivery, writer  # noqa: F401 - writer is a fixture

pytestmark = pytest.mark.django_db(transaction=True)


def fast(body: bytes, host: str | None, scheme: str = "http", extra=()) -> tuple[int, dict]:
    """POST a signed X delivery through the ASGI intake; (status, response headers)."""
    headers = signed(body) + list(extra) + ([("host", host)] if host is not None else [])
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    read = []
    sent = []

    async def receive():
        read.append(True)
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/hooks/x/", "query_string": b"", "scheme": scheme,
             "client": ("203.0.113.9", 5), "server": ("127.0.0.1", 8000),
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers]}
    asyncio.run(intake.HookIntake(Passed())(scope, receive, send))
    answer = {k.decode(): v.decode() for k, v in sent[0]["headers"]}
    if sent[0]["status"] != 200:
        assert not read, "a refused request's body is not read"
    return sent[0]["status"], answer


def django(client, body: bytes, host: str | None, scheme: str = "http", extra=()) -> tuple[int, dict]:
    """The same request through Django's full request cycle (the WSGI path, all middleware)."""
    meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in signed(body)[2:] + list(extra)}
    if host is not None:
        meta["HTTP_HOST"] = host
    response = client.post("/hooks/x/", data=body, content_type="application/json", secure=scheme == "https", **meta)
    return response.status_code, {"location": response.get("Location", "")}


CASES = [
    # (id, settings, host, scheme, extra headers, expected status, expected Location)
    ("allowed host", {}, "testserver", "http", (), 200, None),
    ("allowed host with port", {}, "127.0.0.1:8000", "http", (), 200, None),
    ("no Host header: the server's name", {}, None, "http", (), 200, None),
    ("host not allowed", {}, "evil.example", "http", (), 400, None),
    ("forged host with a path", {}, "testserver/../x", "http", (), 400, None),
    ("redirect to https", {"SECURE_SSL_REDIRECT": True}, "testserver", "http", (), 301,
     "https://testserver/hooks/x/"),
    ("already https", {"SECURE_SSL_REDIRECT": True}, "testserver", "https", (), 200, None),
    ("https said by the trusted proxy",
     {"SECURE_SSL_REDIRECT": True, "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")},
     "testserver", "http", (("x-forwarded-proto", "https"),), 200, None),
    ("http said by the trusted proxy",
     {"SECURE_SSL_REDIRECT": True, "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")},
     "testserver", "http", (("x-forwarded-proto", "http"),), 301, "https://testserver/hooks/x/"),
    ("the proxy header is ignored unless trusted", {"SECURE_SSL_REDIRECT": True}, "testserver", "http",
     (("x-forwarded-proto", "https"),), 301, "https://testserver/hooks/x/"),
    ("redirect to the SSL host", {"SECURE_SSL_REDIRECT": True, "SECURE_SSL_HOST": "secure.example"},
     "testserver", "http", (), 301, "https://secure.example/hooks/x/"),
    ("exempt from the redirect", {"SECURE_SSL_REDIRECT": True, "SECURE_REDIRECT_EXEMPT": [r"^hooks/"]},
     "testserver", "http", (), 200, None),
    ("redirect refuses a host not allowed", {"SECURE_SSL_REDIRECT": True}, "evil.example", "http", (), 400, None),
]


@pytest.mark.parametrize("values,host,scheme,extra,status,location", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_fast_path_answers_like_django(client, settings, writer, x_channel, values, host, scheme, extra,  # noqa: F811
                                       status, location):
    for name, value in values.items():
        setattr(settings, name, value)
    body = tweet_delivery(1)
    got, headers = fast(body, host, scheme, extra)
    assert got == status
    assert headers.get("location") == location
    assert WebhookDelivery.objects.count() == (1 if status == 200 else 0)
    WebhookDelivery.objects.all().delete()
    # Django's own request cycle gives the same answer to the same request.
    got, headers = django(client, body, host, scheme, extra)
    assert got == status and (headers["location"] or None) == location


def test_a_refused_host_is_logged_where_django_logs_it(writer, caplog):  # noqa: F811
    with caplog.at_level(logging.ERROR, logger="django.security.DisallowedHost"):
        assert fast(tweet_delivery(2), "evil.example")[0] == 400
    assert any("evil.example" in r.getMessage() and r.name == "django.security.DisallowedHost" for r in caplog.records)
