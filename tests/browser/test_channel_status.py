"""The "Secure connection failed" channel status in a real browser: the admin sees its banner in the inbox
and on the channel's page, follows it, presses Test connection against a mailbox that now answers, and
the banners are gone (the channel is used again)."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tests.browser.conftest import SECRET_KEY

pytestmark = pytest.mark.browser

MAILBOX = "support@harbor.test"
REASON = "the IMAP server mail.harbor.test:993 failed TLS certificate verification (self-signed certificate)"


def _stopped_channel(seeded, port: int) -> int:
    """An email channel of Harbor (no other browser test uses its inbox) marked tls_failed, whose
    settings now point at a mailbox that answers (what the admin fixed)."""
    from parley.platforms.crypto import encrypt_credentials
    from parley.platforms.models import ChannelAccount

    with override_settings(SECRET_KEY=SECRET_KEY):  # encrypted for the served app's key
        credentials = encrypt_credentials({"imap_host": "127.0.0.1", "imap_port": str(port), "imap_security": "none",
                                           "imap_username": MAILBOX, "imap_password": "imap-pw"})
    channel = ChannelAccount.objects.create(
        brand_id=seeded["other_brand"].pk, platform="email", external_id=MAILBOX, handle="support",
        credentials_encrypted=credentials, status=ChannelAccount.Status.TLS_FAILED, status_detail=REASON)
    return channel.pk


def test_a_tls_failure_banner_shows_in_the_inbox_and_on_the_channel_until_a_test_passes(
        open_page, seeded, app_db):
    from parley.platforms.models import ChannelAccount
    from parley.platforms.simulator.imap import ImapServer

    server = ImapServer().start()
    server.users[MAILBOX] = "imap-pw"
    channel_id = app_db.run(_stopped_channel, seeded, server.port)
    try:
        page = open_page("nora", "/b/harbor/")
        banner = page.get_by_role("alert").filter(has_text="cannot connect securely")
        expect(banner).to_contain_text("Email support cannot connect securely.")
        expect(banner).to_contain_text("failed TLS certificate verification")
        expect(banner).to_contain_text("the password is not at fault")
        expect(page.locator("#inbox-results")).to_be_visible()  # the list is still there beneath
        banner.get_by_role("link", name="check the server and its certificate").click()

        page.wait_for_url(re.compile(rf"/b/harbor/channels/{channel_id}/$"))
        alert = page.get_by_role("alert").filter(has_text="Secure connection failed.")
        expect(alert).to_contain_text(REASON)
        expect(alert).to_contain_text("Test connection")
        expect(page.locator("dd", has_text="Secure connection failed")).to_have_count(1)  # the status line

        page.get_by_role("button", name="Test connection").click()
        expect(page.locator("#flash")).to_contain_text("the channel is active again")
        expect(page.locator("#flash")).to_contain_text(f"IMAP 127.0.0.1:{server.port} (none) as {MAILBOX}")
        expect(page.get_by_role("alert").filter(has_text="Secure connection failed")).to_have_count(0)
        assert app_db.run(lambda: ChannelAccount.objects.get(pk=channel_id).status) == "active"

        page.goto(page.url.split("/b/")[0] + "/b/harbor/")
        expect(page.locator("#inbox-results")).to_be_visible()
        expect(page.get_by_role("alert").filter(has_text="cannot connect securely")).to_have_count(0)
    finally:
        server.stop()
        app_db.run(lambda: ChannelAccount.objects.filter(pk=channel_id).delete())
