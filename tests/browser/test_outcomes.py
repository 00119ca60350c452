"""Outcome drafts in a real browser: comms/PR find the queued summaries from the brand navigation, see
whether the customer agreed to be quoted, copy the text and mark it used (audited)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _happy_case_with_shares(tag: str):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from parley.accounts.models import Brand
    from parley.composer import praise_actions
    from parley.inbox import actions
    from parley.inbox.ingest import AuthorData, IncomingPost
    from parley.platforms.models import ChannelAccount
    from parley.sla.models import Survey

    brand = Brand.objects.get(slug="lumen")
    x = ChannelAccount.objects.get(brand=brand, platform="x")
    cara = get_user_model().objects.get(username="cara")
    now = timezone.now()
    who = AuthorData(platform_user_id=f"outcome-{tag}", handle="milo_t", display_name="Milo T", first_name="Milo")
    conv = actions.ingest_post(brand, x, IncomingPost(
        platform="x", platform_id=f"outcome-{tag}", text="@LumenCoffee my grinder stopped working",
        created_at=now - timedelta(hours=3), direction="in", kind="mention", author=who)).conversation
    actions.resolve(conv, cara, now=now - timedelta(hours=2))
    Survey.objects.filter(conversation=conv).update(score=5, comment="Fixed in a day, brilliant",
                                                   answered_at=now - timedelta(hours=1))
    conv.refresh_from_db()
    quoted = praise_actions.share_outcome(conv, cara, outcome=f"A new grinder the next day ({tag})", consent=True,
                                          queue=True)
    masked = praise_actions.share_outcome(conv, cara, outcome=f"Repair booked within the hour ({tag})", queue=True)
    return quoted.pk, masked.pk


def test_comms_copy_a_queued_outcome_and_mark_it_used(open_page, app_db, screenshot):
    quoted_id, masked_id = app_db.run(_happy_case_with_shares, "browser")
    page = open_page("cara", "/b/lumen/")
    page.get_by_role("link", name="Outcomes").click()
    expect(page.get_by_role("heading", name="Outcome drafts")).to_be_visible()
    quoted_row = page.locator("tr", has_text="A new grinder the next day (browser)")
    masked_row = page.locator("tr", has_text="Repair booked within the hour (browser)")
    expect(quoted_row.get_by_test_id("consent")).to_contain_text("Quoted with the customer's consent")
    expect(quoted_row).to_contain_text("Fixed in a day, brilliant")
    expect(masked_row.get_by_test_id("consent")).to_contain_text("No consent")
    expect(masked_row).not_to_contain_text("Fixed in a day")
    expect(masked_row).not_to_contain_text("milo_t")
    screenshot(page, "outcome-drafts")

    masked_row.get_by_role("link", name=re.compile("Repair booked")).click()
    text = page.get_by_label("The text to copy")
    expect(text).to_have_value(re.compile("Repair booked within the hour"))
    page.get_by_role("button", name="Copy text").click()
    expect(page.locator(".copy-status")).to_contain_text(re.compile("Copied|Select and copy"))
    page.get_by_role("button", name="Mark used").click()
    expect(page.locator("#flash")).to_contain_text("Marked as used")
    expect(page.locator("tr", has_text="Repair booked within the hour (browser)")).to_have_count(0)

    def decided():
        from parley.composer.models import OutcomeShare
        from parley.inbox.models import AuditEvent

        share = OutcomeShare.objects.get(pk=masked_id)
        return share.status, share.decided_by.username, AuditEvent.objects.filter(verb="praise.outcome_used").count()

    assert app_db.run(decided) == ("used", "cara", 1)
