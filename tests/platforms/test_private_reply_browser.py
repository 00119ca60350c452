"""In the browser, end to end: a customer's Facebook comment reaches a served Parley (signed webhook), the
agent picks "Private reply to this comment", sends, and the simulated Graph API receives the Send API call
addressed by `recipient.comment_id`; the mode then shows as used. Parley runs as in production (uvicorn
plus a `db_worker`) on its own SQLite file, on free loopback ports."""

from __future__ import annotations

import shutil
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from parley.platforms.simulator import Simulator, payloads
from parley.platforms.simulator.push import push

from .conftest import META_SECRET, PAGE_ID
from .served import serve

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "private-reply-browser-pw-1"
COMMENT_ID = f"{PAGE_ID}_424242"
PSID = "7770042"

SEED = f"""
from django.contrib.auth import get_user_model
from parley.accounts.models import AgentProfile, Brand, Membership, Role
from parley.platforms.models import ChannelAccount
brand = Brand.objects.create(slug="pr", name="Private Reply Test")
user = get_user_model().objects.create_user("paula", password="{PASSWORD}")
Membership.objects.create(user=user, brand=brand, role=Role.AGENT)
AgentProfile.objects.create(user=user, public_first_name="Paula")
channel = ChannelAccount(brand=brand, platform="facebook", external_id="{PAGE_ID}", handle="Acme")
channel.set_credentials({{"access_token": "page-browser"}})
channel.save()
"""


@pytest.fixture(scope="module")
def served():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} missing: run scripts/ensure-system-deps")
    tmp = Path(tempfile.mkdtemp(prefix="parley-private-reply-browser-"))
    sim = Simulator().start()
    settings = {
        "PARLEY_SECRET_KEY": "private-reply-browser-" + "k" * 40,
        "PARLEY_META_APP_SECRET": META_SECRET, "PARLEY_GRAPH_API_BASE": sim.base_url,
        "PARLEY_TRIAGE_ENABLED": "false",
    }
    try:
        with serve(tmp, settings, SEED) as base_url:
            yield base_url, sim
    finally:
        sim.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def test_agent_sends_a_private_reply_to_a_facebook_comment(served, browser):
    from playwright.sync_api import expect

    base_url, sim = served
    at = datetime.now(timezone.utc) - timedelta(hours=2)
    sim.add_comment(COMMENT_ID, at.timestamp(), PSID)
    comment = payloads.fb_comment(COMMENT_ID, f"{PAGE_ID}_77", "My kettle leaks after two days", {"id": "5550042", "name": "Jo Doe"}, at)
    body = payloads.meta_delivery("page", [payloads.fb_feed_entry(PAGE_ID, at, comment)])
    assert push(base_url, "meta", body, META_SECRET) == 200
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(10000)
        page.goto(base_url + "/login/")
        page.fill("#id_username", "paula")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        row = page.locator("#inbox-results .conv", has_text="kettle leaks")
        deadline = time.monotonic() + 20
        while not row.count() and time.monotonic() < deadline:  # stored by the worker
            page.goto(base_url + "/b/pr/")
            time.sleep(0.3)
        row.first.click()
        mode = page.locator("input[name=visibility][value=comment_dm]")
        expect(mode).to_be_enabled()
        expect(page.locator("label[data-mode=comment_dm]")).to_contain_text("one per comment, within 7 days")
        mode.check()
        page.fill("#reply-text", "Hi Jo, I'm sorry about the kettle. Could you send me your order number here?")
        page.click("#reply-box button[type=submit]")
        deadline = time.monotonic() + 15
        while COMMENT_ID not in sim.private_replies and time.monotonic() < deadline:
            time.sleep(0.2)
        assert COMMENT_ID in sim.private_replies, "the simulator never received the private reply"
        sent = [r for r in sim.requests if r.path.endswith("/me/messages")]
        assert len(sent) == 1 and sent[0].token == "page-browser"
        assert sent[0].body == {"recipient": {"comment_id": COMMENT_ID}, "message": {
            "text": "Hi Jo, I'm sorry about the kettle. Could you send me your order number here?"}}
        page.reload()
        expect(page.locator("input[name=visibility][value=comment_dm]")).to_be_disabled()
        expect(page.locator("label[data-mode=comment_dm]")).to_contain_text("already sent")
        expect(page.locator(".delivery-sent").first).to_be_visible(timeout=10000)
    finally:
        context.close()
