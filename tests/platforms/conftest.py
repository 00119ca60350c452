"""Fixtures for the connector tests: secrets, channels with credentials, the simulator as the platforms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parley.platforms import processing
from parley.platforms.meta import webhooks as meta_hooks
from parley.platforms.models import ChannelAccount, WebhookDelivery
from parley.platforms.simulator import Simulator
from parley.platforms.x import webhooks as x_hooks

HERE = Path(__file__).resolve().parent
X_SECRET = "z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu"  # the one of the shared known-answer file
META_SECRET = "test_app_secret_123"
EMAIL_SECRET = "mail-relay-secret"
X_ACCOUNT = "2244994945"  # for_user_id of the shared X fixtures
PAGE_ID = "448242228374517"
IG_ACCOUNT = "17841474524784050"


def payload(name: str) -> bytes:
    """One of our own fixture bodies (tests/platforms/payloads)."""
    return (HERE / "payloads" / name).read_bytes()


@pytest.fixture(autouse=True)
def _secrets(settings):
    settings.PARLEY_X_CONSUMER_SECRET = X_SECRET
    settings.PARLEY_META_APP_SECRET = META_SECRET
    settings.PARLEY_META_VERIFY_TOKEN = "meatyhamhock"
    settings.PARLEY_EMAIL_WEBHOOK_SECRET = EMAIL_SECRET
    settings.PARLEY_OUTBOX_BACKOFF_SECONDS = 30
    settings.PARLEY_OUTBOX_MAX_ATTEMPTS = 3


@pytest.fixture
def sim(settings):
    with Simulator() as simulator:
        settings.PARLEY_X_API_BASE = simulator.base_url
        settings.PARLEY_GRAPH_API_BASE = simulator.base_url
        settings.PARLEY_PLATFORM_TIMEOUT_SECONDS = 0.5
        yield simulator


def _channel(brand, platform, external_id, handle, token):
    channel = ChannelAccount(brand=brand, platform=platform, external_id=external_id, handle=handle)
    if token:
        channel.set_credentials({"access_token": token})
    channel.save()
    return channel


@pytest.fixture
def x_channel(brand):
    return _channel(brand, "x", X_ACCOUNT, "TwitterDev", "x-token-1")


@pytest.fixture
def fb_channel(brand):
    return _channel(brand, "facebook", PAGE_ID, "Acme", "page-token-1")


@pytest.fixture
def ig_channel(brand):
    return _channel(brand, "instagram", IG_ACCOUNT, "acme", "ig-token-1")


def signed_post(client, family: str, body: bytes, **extra):
    if family == "x":
        headers = {"HTTP_X_TWITTER_WEBHOOKS_SIGNATURE": x_hooks.sign(X_SECRET, body)}
    elif family == "email":
        from parley.platforms.email import webhooks as mail_hooks

        headers = {"HTTP_X_PARLEY_SIGNATURE": mail_hooks.sign(EMAIL_SECRET, body)}
    else:
        headers = {"HTTP_X_HUB_SIGNATURE_256": meta_hooks.sign(META_SECRET, body)}
    headers.update(extra)
    headers.setdefault("content_type", "message/rfc822" if family == "email" else "application/json")
    return client.post(f"/hooks/{family}/", data=body, **headers)


def process_queued() -> list[WebhookDelivery]:
    """What the worker would do: process every queued delivery."""
    done = []
    for delivery in WebhookDelivery.objects.filter(state=WebhookDelivery.State.QUEUED).order_by("id"):
        done.append(processing.process(delivery))
    return done


def deliver(client, family: str, body: bytes | dict) -> WebhookDelivery:
    """Sign, POST through the real view, process; the stored delivery."""
    if isinstance(body, dict):
        body = json.dumps(body).encode()
    response = signed_post(client, family, body)
    assert response.status_code == 200, response.content
    process_queued()
    return WebhookDelivery.objects.get(platform=family, key=__import__("hashlib").sha256(body).hexdigest())
