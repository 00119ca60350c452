"""In the browser, end to end: the simulator delivers a signed mention to a served Parley, it appears in
the agent's open inbox live, the agent replies, and the simulator receives the reply with the right
in-reply-to id. Parley runs as in production: uvicorn (ASGI) plus a `db_worker`, on its own SQLite file."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest

from parley.platforms.simulator import Simulator, payloads
from parley.platforms.simulator.push import push

from .conftest import X_SECRET

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "channels-browser-pw-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    env = {
        **os.environ,
        "PARLEY_DATA_DIR": str(tmp), "DATABASE_URL": f"sqlite:///{tmp / 'parley.sqlite3'}",
        "PARLEY_SECRET_KEY": "channels-browser-" + "k" * 40, "PARLEY_LOG_LEVEL": "WARNING",
        "PARLEY_X_CONSUMER_SECRET": X_SECRET, "PARLEY_X_API_BASE": sim.base_url, "PARLEY_TRIAGE_ENABLED": "false",
        "DJANGO_SETTINGS_MODULE": "parley.settings",
    }
    env.pop("PARLEY_TEST_DB_NAME", None)
    cli = [sys.executable, "-m", "parley.cli"]
    subprocess.run([*cli, "migrate", "--noinput"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*cli, "shell", "-c", SEED], env=env, cwd=ROOT, check=True)
    port = _free_port()
    log = open(tmp / "server.log", "w")
    procs = [
        subprocess.Popen([sys.executable, "-m", "uvicorn", "parley.asgi:application", "--host", "127.0.0.1",
                          "--port", str(port), "--lifespan", "off", "--log-level", "warning"],
                         env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT),
        subprocess.Popen([*cli, "db_worker", "--interval", "0.2", "--no-startup-delay"], env=env, cwd=ROOT,
                         stdout=log, stderr=subprocess.STDOUT),
    ]
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base_url + "/healthz", timeout=1).read()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start:\n" + (tmp / "server.log").read_text()) from None
            time.sleep(0.1)
    try:
        yield base_url, sim
    finally:
        for proc in procs:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
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
