"""In the browser, end to end: the simulator delivers a signed mention to a served Parley, it appears in
the agent's open inbox live, the agent replies, and the simulator receives the reply with the right
in-reply-to id. Parley runs as in production: uvicorn (ASGI) plus a `db_worker`, on its own SQLite file."""

from __future__ import annotations

import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from parley.platforms.simulator import Simulator, payloads
from parley.platforms.simulator.push import push

from .conftest import X_SECRET
from .served import serve

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "channels-browser-pw-1"


SEED = f"""
from django.contrib.auth import get_user_model
from parley.accounts.models import AgentProfile, Brand, Membership, Role
from parley.platforms.models import ChannelAccount
brand = Brand.objects.create(slug="chan", name="Channel Test")
user = get_user_model().objects.create_user("agnes", password="{PASSWORD}")
Membership.objects.create(user=user, brand=brand, role=Role.AGENT)
AgentProfile.objects.create(user=user, public_first_name="Agnes")
channel = ChannelAccount(brand=brand, platform="x", external_id="1001", handle="AcmeHelp")
channel.set_credentials({{"access_token": "x-browser"}})
channel.save()
"""


@pytest.fixture(scope="module")
def served():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} missing: run scripts/ensure-system-deps")
    tmp = Path(tempfile.mkdtemp(prefix="parley-channels-browser-"))
    sim = Simulator().start()
    settings = {
        "PARLEY_SECRET_KEY": "channels-browser-" + "k" * 40,
        "PARLEY_X_CONSUMER_SECRET": X_SECRET, "PARLEY_X_API_BASE": sim.base_url, "PARLEY_TRIAGE_ENABLED": "false",
    }
    try:
        with serve(tmp, settings, SEED) as base_url:
            yield base_url, sim
    finally:
        sim.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def test_signed_mention_appears_live_and_the_reply_reaches_the_platform(served, browser):
    from playwright.sync_api import expect

    base_url, sim = served
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(10000)
        page.goto(base_url + "/login/")
        page.fill("#id_username", "agnes")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.goto(base_url + "/b/chan/")
        page.wait_for_function("document.documentElement.getAttribute('data-live') === 'on'")

        jane = payloads.x_user("99887766", "jane_c", "Jane Customer")
        tweet = payloads.x_tweet("1800000000000000042", "@AcmeHelp my parcel is lost, help!", jane,
                                 datetime.now(timezone.utc))
        assert push(base_url, "x", payloads.x_delivery("1001", tweet_create_events=[tweet]), X_SECRET) == 200
        row = page.locator("#inbox-results .conv", has_text="my parcel is lost")
        expect(row).to_be_visible(timeout=15000)  # stored by the worker, shown by the live stream

        row.first.click()
        page.wait_for_selector("#reply-text")
        page.fill("#reply-text", "@jane_c So sorry Jane! We are on it.")
        page.click("#reply-box button[type=submit]")
        deadline = time.monotonic() + 15
        sent = []
        while time.monotonic() < deadline and not sent:
            sent = [r for r in sim.requests if r.path == "/2/tweets"]
            time.sleep(0.2)
        assert sent, "the simulator never received the reply"
        assert sent[0].body == {"text": "@jane_c So sorry Jane! We are on it.",
                                "reply": {"in_reply_to_tweet_id": "1800000000000000042"}}
        assert sent[0].token == "x-browser"
        page.reload()
        expect(page.locator(".delivery-sent").first).to_be_visible(timeout=10000)
    finally:
        context.close()
