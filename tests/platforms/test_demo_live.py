"""The live demo: `parley demo --serve` serves Parley with the simulator as the demo brands' platforms,
pushing signed deliveries from the demo corpus, and replies go out to the simulator."""

from __future__ import annotations

import io
import itertools
import threading

import pytest
from django.core.management import call_command
from django.test import override_settings

from parley.inbox import actions as inbox
from parley.inbox.demo import loader
from parley.inbox.demo.brands import BRANDS
from parley.inbox.models import Post
from parley.platforms import demo_live, outbox
from parley.platforms.models import ChannelAccount, OutboxItem
from parley.platforms.simulator.push import brand_stream, trickle

from .conftest import META_SECRET, X_SECRET, process_queued, signed_post

FAST_HASH = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.fixture
def demo_brands(db):
    with FAST_HASH:
        return [loader.setup_brand(spec)[0] for spec in BRANDS]


@pytest.mark.django_db
def test_prepare_connects_the_demo_channels_to_the_simulator(demo_brands, settings):
    settings.PARLEY_X_CONSUMER_SECRET = settings.PARLEY_META_APP_SECRET = ""
    env = demo_live.prepare("http://127.0.0.1:18790")
    assert env["PARLEY_X_API_BASE"] == env["PARLEY_GRAPH_API_BASE"] == "http://127.0.0.1:18790"
    assert len(env["PARLEY_X_CONSUMER_SECRET"]) >= 24 and len(env["PARLEY_META_APP_SECRET"]) >= 24
    connected = set(ChannelAccount.objects.filter(credentials_encrypted__gt="").values_list("brand__slug", "platform"))
    assert connected == {(b.slug, p) for b in demo_brands for p in ("x", "facebook", "instagram")}
    settings.PARLEY_X_CONSUMER_SECRET, settings.PARLEY_META_APP_SECRET = X_SECRET, META_SECRET
    env = demo_live.prepare("http://127.0.0.1:18790")  # configured secrets are used as they are
    assert (env["PARLEY_X_CONSUMER_SECRET"], env["PARLEY_META_APP_SECRET"]) == (X_SECRET, META_SECRET)


@pytest.mark.django_db
def test_demo_deliveries_reach_every_brand_and_replies_go_to_the_simulator(client, demo_brands, sim):
    demo_live.prepare(sim.base_url)
    for family, body in itertools.islice(brand_stream(), 60):
        assert signed_post(client, family, body).status_code == 200
    process_queued()
    posts = Post.objects.filter(direction="in")
    assert posts.count() == 60
    assert set(posts.values_list("brand__slug", flat=True)) == {b.slug for b in demo_brands}
    assert set(posts.values_list("platform", flat=True)) == {"x", "facebook"}
    mention = posts.filter(platform="x").first()
    reply = inbox.create_reply(mention.conversation, "Thanks, we are on it!", "agent")
    assert outbox.run(OutboxItem.objects.get(post=reply).pk) == "sent"
    request = sim.requests[-1]
    # A reply answers the customer's latest post in the conversation (the stream may thread two together).
    latest = reply.parent
    assert latest.direction == "in" and latest.conversation_id == mention.conversation_id
    assert latest.created_at == max(p.created_at for p in mention.conversation.posts.filter(direction="in"))
    assert request.path == "/2/tweets" and request.body["reply"]["in_reply_to_tweet_id"] == latest.platform_id
    assert request.token == "demo-x-token"


@pytest.mark.django_db(transaction=True)
def test_trickle_pushes_signed_deliveries_until_stopped(live_server, x_channel, fb_channel):
    from .conftest import PAGE_ID, X_ACCOUNT
    from parley.platforms.simulator.push import demo_stream

    stop = threading.Event()
    seen = []

    def log(family, status):
        seen.append(status)
        if len(seen) == 4:
            stop.set()

    accepted = trickle(live_server.url, {"x": X_SECRET, "meta": META_SECRET}, 0.01, stop,
                       demo_stream(X_ACCOUNT, PAGE_ID), log=log)
    assert accepted == 4 and seen == [200] * 4
    assert trickle("http://127.0.0.1:9", {"x": X_SECRET, "meta": META_SECRET}, 0.01, _stop_after(2),
                   demo_stream(X_ACCOUNT, PAGE_ID)) == 0  # nothing listening: no crash, nothing accepted


def _stop_after(n):
    class Stop(threading.Event):
        calls = 0

        def wait(self, timeout=None):
            self.calls += 1
            return self.calls > n
    return Stop()


class FakeServer:
    """Stands in for the `parley serve` child process (a real server cannot be left running in a test)."""

    launched: list = []

    def __init__(self, args, env):
        self.args, self.env = args, env
        FakeServer.launched.append(self)

    def wait(self, timeout=None):
        return 0

    def poll(self):
        return 0


@pytest.mark.django_db
@pytest.mark.parametrize("live", [True, False])
def test_demo_serve_wires_server_and_simulator(live, settings, monkeypatch):
    settings.PARLEY_DEMO_LIVE = live
    settings.PARLEY_DEMO_SIMULATOR_PORT = 0  # any free port
    FakeServer.launched = []
    monkeypatch.setattr(demo_live.subprocess, "Popen", FakeServer)
    out = io.StringIO()
    with FAST_HASH:
        call_command("demo", "--now", "2026-11-20T18:30:00Z", "--scale", "0.02", "--serve", "--port", "18751",
                     stdout=out, stderr=io.StringIO())
    [server] = FakeServer.launched
    assert server.args[-4:] == ["parley.cli", "serve", "--port", "18751"]
    text = out.getvalue()
    assert "Open http://127.0.0.1:18751 and log in as demo / " in text
    if live:
        assert "Live demo: the simulator at http://127.0.0.1:" in text
        assert server.env["PARLEY_X_API_BASE"].startswith("http://127.0.0.1:") and server.env["PARLEY_META_APP_SECRET"]
        assert ChannelAccount.objects.filter(brand__in=loader.demo_brands(), platform="x").exclude(
            credentials_encrypted="").count() == 3
    else:
        assert "Live demo" not in text and server.env.get("PARLEY_X_API_BASE") == __import__("os").environ.get("PARLEY_X_API_BASE")
        assert not ChannelAccount.objects.exclude(credentials_encrypted="").exists()
