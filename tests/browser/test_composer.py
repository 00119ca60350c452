"""The checked composer in a real browser: a public reply holding the customer's phone number
is blocked with the explanation shown; the same text as a private message is sent."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _conversation_with_known_phone(brand_slug: str, tag: str):
    from django.utils import timezone

    from parley.accounts.models import Brand
    from parley.inbox import actions
    from parley.inbox.ingest import AuthorData, IncomingPost
    from parley.platforms.models import ChannelAccount

    brand = Brand.objects.get(slug=brand_slug)
    x = ChannelAccount.objects.get(brand=brand, platform="x")
    now = timezone.now()
    who = AuthorData(platform_user_id=f"composer-{tag}", handle="rosa_b", display_name="Rosa Baker", first_name="Rosa")
    actions.ingest_post(brand, x, IncomingPost(
        platform="x", platform_id=f"composer-dm-{tag}", text="You can call me on 415-555-0187 after six.",
        created_at=now - timedelta(minutes=10), direction="in", kind="dm", author=who))
    public = actions.ingest_post(brand, x, IncomingPost(
        platform="x", platform_id=f"composer-pub-{tag}", text="@LumenCoffee my beans arrived crushed.",
        created_at=now - timedelta(minutes=5), direction="in", kind="mention", author=who))
    return public.conversation.pk


def test_public_reply_with_the_customers_phone_is_blocked_private_is_sent(open_page, app_db, screenshot):
    conversation_id = app_db.run(_conversation_with_known_phone, "lumen", "blocked")
    page = open_page("cara", f"/b/lumen/c/{conversation_id}/compose/")
    draft = "Hi Rosa, so sorry! We'll call you on 415-555-0187 by 5 pm today."
    page.get_by_label(re.compile("Your reply")).fill(draft)
    finding = page.locator(".composer-finding[data-check=private_data]")
    expect(finding).to_contain_text("Blocked")
    expect(finding).to_contain_text("customer's own phone")
    expect(finding).to_contain_text("415-555-0187")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".composer-status")).to_contain_text("blocked by the guardrails")
    screenshot(page, "composer-blocked")

    page.get_by_role("radio", name=re.compile("Private")).check()
    expect(page.locator(".composer-finding[data-check=private_data]")).to_have_count(0)
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".composer-status")).to_contain_text("Reply saved")

    def stored():
        from parley.inbox.models import Post

        return list(Post.objects.filter(conversation_id=conversation_id, direction="out").values_list("visibility", "text"))

    assert app_db.run(stored) == [("private", draft)]


def test_acknowledge_publicly_and_continue_in_private_sends_both(open_page, app_db):
    conversation_id = app_db.run(_conversation_with_known_phone, "lumen", "handoff")
    page = open_page("cara", f"/b/lumen/c/{conversation_id}/compose/")
    page.get_by_text("Acknowledge publicly, continue in private").click()
    expect(page.get_by_label("Public acknowledgement")).to_have_value(re.compile("^Hi Rosa, I'm sorry"))
    expect(page.get_by_label("Private follow-up")).to_have_value(re.compile("order number"))
    page.get_by_role("button", name="Send both").click()
    expect(page.locator(".handoff-status")).to_contain_text("Both messages saved")

    def stored():
        from parley.inbox.models import Post

        return list(Post.objects.filter(conversation_id=conversation_id, direction="out").order_by("created_at")
                    .values_list("visibility", "delivery_status"))

    assert app_db.run(stored) == [("public", "pending"), ("private", "pending")]
