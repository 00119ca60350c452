"""The care workflow in a real browser: the rules builder, SLA timers in the inbox list, SLA alerts
and the coverage page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_build_preview_save_and_apply_a_rule(open_page, app_db, screenshot):
    page = open_page("nora", "/b/lumen/rules/new/")
    page.get_by_label("Name").fill("Grinders to care")
    page.get_by_label("Condition 1: words (one per line or comma-separated)").fill("grinder\nlid")
    # a second condition: choosing the field and the operator brings the right value widget (htmx)
    page.get_by_role("button", name="Add condition").click()
    page.get_by_label("Condition 2: field").select_option("weekday")
    expect(page.get_by_label("Condition 2: value").locator("option", has_text="Sat")).to_have_count(1)  # swapped
    page.get_by_label("Condition 2: operator").select_option("in")
    days = page.get_by_role("group", name="Condition 2: options")
    expect(days.get_by_label("Sat")).to_be_visible()
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        days.get_by_label(day).check()
    page.get_by_label("Action 1: team").select_option("care")
    page.get_by_label("Action 2: tag").fill("gear")
    page.get_by_role("button", name="Update choices").click()
    page.get_by_text("Advanced: the rule as JSON").click()
    expect(page.get_by_label(re.compile("^Conditions"))).to_have_value(re.compile(r'"op": "in",\s+"value": \[\s+0,'))

    page.get_by_role("button", name="Preview on the last 1,000 posts").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text(re.compile(r"[1-9]\d* of the last \d+ posts match"))
    expect(preview).to_contain_text("team care; tag gear;")
    screenshot(page, "rules-builder", full_page=True)

    # a mistake is named on its row, and nothing is saved
    page.get_by_label("Action 2: tag").fill("")
    page.get_by_role("button", name="Save rule").click()
    expect(page.locator(".errors")).to_contain_text("Action 2 (Add tag): add_tag needs a tag name")
    page.get_by_label("Action 2: tag").fill("gear")
    page.get_by_role("button", name="Save rule").click()
    expect(page.locator("#flash")).to_contain_text("Rule “Grinders to care” saved.")
    row = page.locator("tr", has=page.get_by_role("link", name="Grinders to care"))
    expect(row).to_contain_text("Text of the post has any of the words grinder, lid")
    expect(row).to_contain_text("Day of the week is one of Mon, Tue, Wed, Thu, Fri, Sat, Sun")

    def route_new_post():
        from django.utils import timezone

        from parley.accounts.models import Brand
        from parley.inbox import actions
        from parley.inbox.ingest import AuthorData, IncomingPost
        from parley.platforms.models import ChannelAccount
        from parley.routing.actions import route_post

        brand = Brand.objects.get(slug="lumen")
        channel = ChannelAccount.objects.get(brand=brand, platform="x")
        post = actions.ingest_post(brand, channel, IncomingPost(
            platform="x", platform_id="x-rule-1", text="The burr grinder squeaks since Monday", created_at=timezone.now(),
            direction="in", kind="mention", author=AuthorData(platform_user_id="u-rule", handle="squeaky"))).post
        route_post(post)
        return post.conversation_id

    conversation_id = app_db.run(route_new_post)
    page.goto(page.url.split("/b/")[0] + "/b/lumen/?view=all&tag=gear")
    row = page.locator(f'.conv[data-id="{conversation_id}"]')
    expect(row).to_contain_text("Care")
    expect(row.locator(".tag-list")).to_contain_text("gear")

    def remove():
        from parley.inbox.models import Conversation
        from parley.routing.models import RoutingRule

        RoutingRule.objects.filter(name="Grinders to care").delete()
        Conversation.objects.filter(pk=conversation_id).delete()

    app_db.run(remove)


@pytest.fixture
def sla_policy(app_db):
    def add():
        from django.utils import timezone

        from parley.accounts.models import Brand
        from parley.sla.models import SlaPolicy
        from parley.sla.sweep import sweep

        brand = Brand.objects.get(slug="lumen")
        SlaPolicy.objects.create(brand=brand, name="Browser test", first_response_minutes=60,
                                 next_response_minutes=60, resolution_minutes=7 * 24 * 60, business_hours=False)
        sweep(timezone.now(), email=False)

    def remove():
        from parley.sla.models import SlaAlert, SlaPolicy

        SlaAlert.objects.all().delete()
        SlaPolicy.objects.filter(name="Browser test").delete()

    app_db.run(add)
    yield
    app_db.run(remove)


def test_sla_timers_filters_and_alerts(open_page, sla_policy, screenshot):
    page = open_page("nora", "/b/lumen/")
    chips = page.locator(".conv .sla-chip")
    expect(chips.first).to_be_visible()
    expect(page.locator(".conv .sla-chip.sla-breached").first).to_contain_text(re.compile(r"SLA breached: .+ over"))
    screenshot(page, "inbox-sla-timers")

    page.get_by_label("SLA").select_option("breached")
    expect(page).to_have_url(re.compile(r"sla=breached"))
    expect(page.locator(".conv").first).to_be_visible()
    assert page.locator(".conv").count() == page.locator(".conv .sla-chip.sla-breached").count()

    page.get_by_label("SLA").select_option("")
    page.get_by_label("Sort").select_option("sla")
    expect(page).to_have_url(re.compile(r"sort=sla"))
    expect(page.locator(".conv").first.locator(".sla-chip")).to_have_class(re.compile("sla-breached"))

    # the header's badge counts this admin's unseen alerts (unassigned conversations); the list shows them
    badge = page.locator("#alert-badge")
    expect(badge).to_contain_text(re.compile(r"\d+"))
    page.get_by_role("link", name=re.compile("^SLA alerts")).click()
    expect(page.locator("h1")).to_have_text("SLA alerts")
    expect(page.locator(".alerts-table")).to_contain_text("Breached")
    screenshot(page, "sla-alerts", full_page=True)
    page.get_by_role("button", name="Mark all seen").click()
    expect(page.locator("#flash")).to_contain_text("marked seen")
    expect(page.locator("#alert-badge")).to_have_text("")


def test_coverage_page_warns_about_gaps(open_page, app_db, screenshot):
    def add():
        from django.contrib.auth import get_user_model

        from parley.accounts.models import Brand
        from parley.routing.models import AgentAvailability

        AgentAvailability.objects.create(
            user=get_user_model().objects.get(username="cara"), brand=Brand.objects.get(slug="lumen"),
            shift={"timezone": "Europe/London", "hours": {d: [["09:00", "17:00"]] for d in
                                                          ("mon", "tue", "wed", "thu", "fri")}})

    def remove():
        from parley.routing.models import AgentAvailability

        AgentAvailability.objects.filter(user__username="cara").delete()

    app_db.run(add)
    try:
        page = open_page("nora", "/b/lumen/coverage/?week_of=2026-11-02")
        expect(page.get_by_role("alert")).to_contain_text("Nobody covers these hours")
        expect(page.locator(".coverage-channel").first).to_contain_text("40 of 168 hours covered")
        screenshot(page, "coverage", full_page=True)
        agent = open_page("cara", "/b/lumen/coverage/")
        expect(agent.locator("body")).to_contain_text(re.compile("not found|No such", re.I))
    finally:
        app_db.run(remove)


def test_a_promise_becomes_a_follow_up_that_is_snoozed_and_done(open_page, app_db):
    """A promise in a reply shows on the follow-ups page as overdue once its time passed; snooze moves
    it out of "Overdue", Done removes it."""
    def add():
        from datetime import timedelta

        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from parley.inbox import actions
        from parley.inbox.models import Conversation
        from parley.sla.actions import follow_ups_from_reply

        conversation = Conversation.objects.filter(brand__slug="lumen").order_by("pk").first()
        reply = actions.create_reply(conversation, "Thanks for waiting, I'll get back to you tomorrow with the tracking.",
                                     get_user_model().objects.get(username="nora"),
                                     now=timezone.now() - timedelta(days=3))
        follow_ups_from_reply(reply)
        return reply.pk

    def remove(reply_id):
        from parley.inbox.models import Post
        from parley.sla.models import FollowUp

        FollowUp.objects.filter(source_post_id=reply_id).delete()
        Post.objects.filter(pk=reply_id).delete()

    reply_id = app_db.run(add)
    try:
        page = open_page("nora", "/b/lumen/follow-ups/")
        overdue = page.locator("table.follow-ups").first
        row = overdue.locator("tr", has_text="get back to you tomorrow")
        expect(row).to_be_visible()
        expect(page.get_by_role("heading", name=re.compile(r"^Overdue"))).not_to_contain_text("(0)")

        row.get_by_label("Snooze for").select_option("1d")
        row.get_by_role("button", name="Snooze").click()
        expect(page.locator("#flash")).to_contain_text("snoozed")
        expect(page.get_by_role("heading", name=re.compile(r"^Coming up"))).not_to_contain_text("(0)")
        snoozed = page.locator("tr", has_text="get back to you tomorrow")
        expect(snoozed).to_contain_text("snoozed to")

        snoozed.get_by_role("button", name="Done").click()
        expect(page.locator("#flash")).to_contain_text("Follow-up done")
        expect(page.locator("tr", has_text="get back to you tomorrow")).to_have_count(0)
    finally:
        app_db.run(remove, reply_id)
