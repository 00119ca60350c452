"""Triage in a real browser: badges, the priority breakdown, triage filters, one-click correction."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def latest_triage(app_db, conversation):
    from parley.triage.models import PostTriage

    return app_db.run(lambda: PostTriage.objects.filter(post__conversation=conversation.pk, post__direction="in")
                      .order_by("-post__created_at").values("post_id", "intent", "status", "priority").first())


def test_badges_breakdown_and_filters_in_the_inbox(open_page, seeded, app_db, screenshot):
    # Sunny's praise: no other browser test adds posts to it (the live tests do to others).
    from parley.inbox.models import Post

    praise = app_db.run(lambda: Post.objects.select_related("conversation").get(platform_id="ig-1").conversation)
    triage = latest_triage(app_db, praise)
    assert triage["status"] == "triaged"
    page = open_page("nora", "/b/lumen/")
    page.evaluate("window.__sameDocument = true")
    row = page.locator(f'#inbox-results .conv[data-id="{praise.pk}"]')
    expect(row.locator(".triage-badges")).to_contain_text(triage["intent"])
    # The email in Kai's message is flagged.
    dm = page.locator(f'#inbox-results .conv[data-id="{seeded["dm"].pk}"]')
    expect(dm.locator(".tb-private")).to_contain_text("private data posted: email")
    # The priority opens its breakdown.
    row.locator(".prio-details summary").click()
    pop = row.locator(".prio-pop")
    expect(pop).to_be_visible()
    expect(pop).to_contain_text("public post")
    expect(pop).to_contain_text(re.compile(r"48k followers \+\d+"))
    expect(pop).to_contain_text("verified account")
    pop.scroll_into_view_if_needed()
    screenshot(page, "inbox-triage")
    page.keyboard.press("Escape")
    # Triage filters narrow the list without reloading.
    page.get_by_text("Triage filters").click()
    page.get_by_label("Private data posted").select_option("yes")
    expect(page).to_have_url(re.compile(r"private_data=yes"))
    expect(dm).to_be_visible()
    expect(row).to_have_count(0)
    # Needs a response: the active conversations where a customer post scored 0.5 or more.
    page.get_by_label("Private data posted").select_option("")
    page.get_by_label("Needs a response").select_option("yes")
    expect(page).to_have_url(re.compile(r"needs_response=yes"))
    expected, active = app_db.run(_needing_a_response)
    assert 0 < len(expected) < len(active)
    rows = page.locator("#inbox-results .conv")
    expect(rows).to_have_count(len(expected))
    assert {int(i) for i in rows.evaluate_all("rows => rows.map(r => r.dataset.id)")} == expected
    # Which conversations need a response depends on the model; one that needs none is hidden.
    hidden = min(active - expected)
    expect(page.locator(f'#inbox-results .conv[data-id="{hidden}"]')).to_have_count(0)
    assert page.evaluate("window.__sameDocument") is True


def _needing_a_response():
    from parley.inbox.models import ACTIVE_STATUSES, Conversation
    from parley.triage.models import PostTriage

    active = Conversation.objects.filter(brand__slug="lumen", status__in=ACTIVE_STATUSES)
    needing = PostTriage.objects.filter(post__conversation__in=active, needs_response__gte=0.5)
    return set(needing.values_list("post__conversation_id", flat=True)), set(active.values_list("pk", flat=True))


def test_agent_corrects_triage_in_one_click(open_page, seeded, app_db, screenshot):
    lost = seeded["lost"]
    triage = latest_triage(app_db, lost)
    new_intent = "question" if triage["intent"] != "question" else "request"
    page = open_page("cara", f"/b/lumen/c/{lost.pk}/")
    page.evaluate("window.__sameDocument = true")
    block = page.locator(f"#triage-{triage['post_id']}")
    expect(block.locator(".tb-intent")).to_have_text(triage["intent"])
    block.get_by_text("Why triage thinks so").click()
    expect(block.locator(".why-list")).to_be_visible()
    block.get_by_text("Correct triage").click()
    intent_row = block.get_by_role("group", name="Intent")
    expect(intent_row.get_by_role("button", name=triage["intent"], exact=True)).to_have_attribute(
        "aria-pressed", "true")
    screenshot(page, "triage", full_page=False)
    intent_row.get_by_role("button", name=new_intent, exact=True).click()
    expect(page.locator("#flash")).to_contain_text(f"Intent corrected to “{new_intent}”")
    block = page.locator(f"#triage-{triage['post_id']}")
    expect(block.locator(".tb-intent")).to_contain_text(new_intent)
    expect(block.locator(".tb-intent .tb-corrected")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True

    from parley.triage.models import TriageCorrection

    rows = app_db.run(lambda: list(TriageCorrection.objects.filter(post_id=triage["post_id"])
                                   .values_list("field", "new_value", "user__username")))
    assert rows == [("intent", new_intent, "cara")]


def test_viewers_see_triage_but_no_correction_menu(open_page, seeded):
    page = open_page("vic", f"/b/lumen/c/{seeded['viral'].pk}/")
    expect(page.locator(".post-triage .triage-badges").first).to_be_visible()
    expect(page.get_by_text("Correct triage")).to_have_count(0)
