"""The closing reply ("close the book") in a real browser: a guardrail block keeps the agent's edited text
and shows the findings; an admin overrides it with a reason (audited) and it is sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _resolved_public_case(tag: str) -> int:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from parley.accounts.models import Brand
    from parley.inbox import actions
    from parley.inbox.ingest import AuthorData, IncomingPost
    from parley.platforms.models import ChannelAccount

    brand = Brand.objects.get(slug="lumen")
    x = ChannelAccount.objects.get(brand=brand, platform="x")
    nora = get_user_model().objects.get(username="nora")
    now = timezone.now()
    who = AuthorData(platform_user_id=f"closing-{tag}", handle="ivy_q", display_name="Ivy Q", first_name="Ivy")
    conv = actions.ingest_post(brand, x, IncomingPost(
        platform="x", platform_id=f"closing-{tag}", text="@LumenCoffee my order never came",
        created_at=now - timedelta(hours=2), direction="in", kind="mention", author=who)).conversation
    actions.create_reply(conv, "So sorry Ivy, a new one ships today.", nora, now=now - timedelta(hours=1))
    actions.resolve(conv, nora, now=now - timedelta(minutes=30))
    return conv.pk


def test_blocked_closing_reply_keeps_the_edit_and_an_admin_overrides(open_page, app_db, screenshot):
    conversation_id = app_db.run(_resolved_public_case, "override")
    page = open_page("nora", f"/b/lumen/c/{conversation_id}/")
    closing = page.get_by_label("Public closing reply")
    edited = "All sorted, Ivy! Reply with your email and we'll confirm"
    closing.fill(edited)
    page.get_by_role("button", name="Send closing reply").click()
    expect(page.locator("#flash")).to_contain_text("blocked")
    expect(page.get_by_label("Public closing reply")).to_have_value(edited)
    expect(page.get_by_test_id("closing-findings")).to_contain_text("Blocked")
    page.locator("#close-book").scroll_into_view_if_needed()
    screenshot(page, "closing-reply-blocked")
    page.get_by_label("Override the block on the closing reply (supervisors): reason").fill("Ivy asked to confirm in public")
    page.get_by_role("button", name="Send closing reply").click()
    expect(page.locator("#flash")).to_contain_text("Closing reply and feedback request sent")

    def sent():
        from parley.inbox.models import AuditEvent, Post
        from parley.sla.models import Resolution

        item = Resolution.objects.get(conversation_id=conversation_id)
        reply = Post.objects.get(pk=item.reply_id)
        return (item.proposal, reply.text, reply.guardrail_check.override_reason,
                AuditEvent.objects.filter(conversation_id=conversation_id, verb="reply.guardrail_override").count())

    assert app_db.run(sent) == ("sent", edited, "Ivy asked to confirm in public", 1)
