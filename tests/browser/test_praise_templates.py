"""The template editor and the one-click thank in a real browser."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _praise_conversation(tag: str) -> int:
    from django.utils import timezone

    from parley.accounts.models import Brand
    from parley.inbox import actions
    from parley.inbox.ingest import AuthorData, IncomingPost
    from parley.platforms.models import ChannelAccount
    from parley.triage.models import PostTriage

    brand = Brand.objects.get(slug="lumen")
    x = ChannelAccount.objects.get(brand=brand, platform="x")
    who = AuthorData(platform_user_id=f"praise-{tag}", handle="theo_r", display_name="Theo Reyes", first_name="Theo")
    post = actions.ingest_post(brand, x, IncomingPost(
        platform="x", platform_id=f"praise-{tag}", text="@LumenCoffee the cold brew kit is a game changer, love it",
        created_at=timezone.now() - timedelta(minutes=3), direction="in", kind="mention", author=who)).post
    PostTriage.objects.update_or_create(post=post, defaults={"status": "triaged", "intent": "praise",
                                                             "sentiment": "positive", "emotion": "joy"})
    return post.conversation_id


def test_one_click_thank_sends_a_personal_reply(open_page, app_db, screenshot):
    conversation_id = app_db.run(_praise_conversation, "thank")
    page = open_page("cara", f"/b/lumen/c/{conversation_id}/")
    praise = page.locator(".praise-actions")
    expect(praise.get_by_role("button", name="Like")).to_be_visible()
    expect(praise.get_by_role("button", name="Repost")).to_be_visible()
    screenshot(page, "praise-buttons")
    praise.get_by_role("button", name="Thank").click()
    expect(page.locator("#flash")).to_contain_text("Thank-you sent to the outbox")
    reply = page.locator(".post-out").last
    expect(reply).to_contain_text("Thank you so much, Theo!")
    expect(reply).to_contain_text("– Cara")
    expect(reply).to_contain_text("Pending delivery")


def test_template_editor_previews_validates_and_saves(open_page, app_db, screenshot):
    page = open_page("nora", "/b/lumen/templates/")
    page.get_by_role("link", name="New template").click()
    page.get_by_label("Name").fill("Cold brew thanks")
    body = page.get_by_label("Text")
    body.fill("Thanks {customer.firstname}!")
    preview = page.locator("#template-preview")
    expect(preview).to_contain_text("Unknown variable {customer.firstname}")
    body.fill("Thanks {customer.first_name}! Enjoy the cold brew. {agent.first_name}")
    expect(preview).to_contain_text("Thanks Alex! Enjoy the cold brew. Nora")
    page.get_by_label("Intent").select_option("praise")
    page.get_by_label("Channel").select_option("x")
    screenshot(page, "template-editor", full_page=True)
    page.get_by_role("button", name="Save template").click()
    expect(page.locator("#flash")).to_contain_text("Template /cold-brew-thanks created.")
    row = page.get_by_role("row", name=re.compile("Cold brew thanks"))
    expect(row).to_contain_text("intent praise")
    expect(row).to_contain_text("never")

    agent = open_page("cara", "/b/lumen/templates/?q=cold")
    expect(agent.get_by_role("link", name="Cold brew thanks")).to_be_visible()
    expect(agent.get_by_role("link", name="New template")).to_have_count(0)
    expect(agent.locator("header")).not_to_contain_text("Templates")

    def remove():
        from parley.composer.models import Template

        Template.objects.filter(shortcut="cold-brew-thanks").delete()

    app_db.run(remove)
