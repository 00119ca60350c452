"""Live updates in a real browser: a post stored by another process shows up within 2 seconds."""

from __future__ import annotations

import itertools
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parley.inbox.ingest import AuthorData, IncomingPost

pytestmark = pytest.mark.browser


_ids = itertools.count(1)


def ingest(brand_slug: str, text: str, *, author: str = "live-1", name: str = "Robin Live", reply_to: str = "",
           platform_id: str | None = None):
    """Store an inbound X post through the same action the webhooks use (run in the app's database)."""
    from parley.accounts.models import Brand
    from parley.inbox import actions
    from parley.platforms.models import ChannelAccount

    brand = Brand.objects.get(slug=brand_slug)
    channel = ChannelAccount.objects.filter(brand=brand, platform="x").first()
    post = IncomingPost(
        platform="x", platform_id=platform_id or f"live-{next(_ids)}-{time.time_ns()}", text=text,
        created_at=timezone.now(), kind="reply" if reply_to else "mention", in_reply_to_id=reply_to,
        author=AuthorData(platform_user_id=author, handle=author.replace("-", "_"), display_name=name),
    )
    return actions.ingest_post(brand, channel, post).conversation.pk


def wait_for_stream(page):
    page.wait_for_function("document.documentElement.getAttribute('data-live') === 'on'")


def test_new_post_appears_in_an_open_inbox_within_two_seconds(open_page, app_db):
    page = open_page("cara", "/b/lumen/")
    wait_for_stream(page)
    page.evaluate("window.__sameDocument = true")
    page.keyboard.press("j")
    selected = page.locator(".conv.is-selected").get_attribute("data-id")

    conversation_id = app_db.run(ingest, "lumen", "Just arrived: is the café open on Sunday?")
    stored = time.monotonic()
    new_row = page.locator(f'#inbox-results .conv[data-id="{conversation_id}"]')
    expect(new_row).to_contain_text("Just arrived: is the café open on Sunday?", timeout=2000)
    elapsed = time.monotonic() - stored
    assert elapsed < 2.0, f"took {elapsed:.2f} s"
    print(f"\nlive: new post visible in the inbox {elapsed * 1000:.0f} ms after it was stored")

    assert page.evaluate("window.__sameDocument") is True  # no reload
    expect(new_row).to_have_class(re.compile(r"\bis-new\b"))
    expect(page.locator("#announcer")).to_have_text("New message from Robin Live.")
    # The selection and focus stay on the row the agent was on.
    expect(page.locator(".conv.is-selected")).to_have_attribute("data-id", selected)
    expect(page.locator(f"#conv-link-{selected}")).to_be_focused()


def test_the_open_conversation_refreshes_its_thread(open_page, app_db):
    first = "live-conv-1"
    conversation_id = app_db.run(ingest, "lumen", "Does the grinder come with a warranty?", author="live-2",
                                 name="Sam Live", platform_id=first)
    page = open_page("nora", f"/b/lumen/c/{conversation_id}/")
    wait_for_stream(page)
    page.get_by_label("Your reply").fill("Half-written answer")
    page.get_by_label("Status", exact=True).select_option("pending_internal")  # chosen, not saved yet
    page.evaluate("document.activeElement.blur()")
    app_db.run(ingest, "lumen", "Two years, I hope?", author="live-2", name="Sam Live", reply_to=first)
    stored = time.monotonic()
    expect(page.locator("#thread .post")).to_have_count(2, timeout=2000)
    assert time.monotonic() - stored < 2.0
    expect(page.locator("#thread .post").last).to_contain_text("Two years, I hope?")
    expect(page.get_by_label("Your reply")).to_have_value("Half-written answer")  # the composer is left alone
    expect(page.get_by_label("Status", exact=True)).to_have_value("pending_internal")  # and the unsaved choice


def test_an_agent_is_not_told_about_another_teams_posts(open_page, app_db):
    page = open_page("bill", "/b/lumen/")
    wait_for_stream(page)
    care_id = app_db.run(ingest, "lumen", "Care-only follow-up", author="580", name="Theo Brandt",
                         reply_to="x-150")
    # A post in a conversation of billing's own queue (unrouted) does arrive; the care one never does.
    unrouted_id = app_db.run(ingest, "lumen", "A new question for anyone", author="live-3", name="Kim Live")
    expect(page.locator(f'.conv[data-id="{unrouted_id}"]')).to_be_visible(timeout=2000)
    expect(page.locator(f'.conv[data-id="{care_id}"]')).to_have_count(0)
    expect(page.locator("#announcer")).not_to_contain_text("Theo")
