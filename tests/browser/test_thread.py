"""One conversation in a real browser: actions, hostile text, access."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.seed import EMOJI_TEXT, HOSTILE_NAME, HOSTILE_TEXT, RTL_TEXT

pytestmark = pytest.mark.browser


def test_agent_works_a_conversation(open_page, seeded, app_db, screenshot):
    lost = seeded["lost"]
    page = open_page("cara", f"/b/lumen/c/{lost.pk}/")
    page.evaluate("window.__sameDocument = true")
    thread = page.locator("#thread")
    expect(thread.locator(".post")).to_have_count(2)
    expect(thread.locator(".note")).to_contain_text("stuck at the Leeds depot")
    expect(page.get_by_role("complementary")).to_contain_text("@dana.brews")  # every identity
    expect(page.get_by_role("link", name=re.compile("replacement lid"))).to_be_visible()  # past conversation

    page.get_by_role("button", name="Assign to me").click()
    expect(page.locator("#flash")).to_have_text("Assigned to you.")
    expect(page.locator("#conv-head")).to_contain_text("Care · Cara")
    expect(page.get_by_role("button", name="Assign to me")).to_have_count(0)

    page.get_by_label("Note for colleagues").fill("Resend approved by the depot manager.")
    page.get_by_role("button", name="Add note").click()
    expect(thread.locator(".note").last).to_contain_text("Resend approved by the depot manager.")
    expect(thread.locator(".note").last.locator(".note-label")).to_have_text("Internal note")
    expect(page.get_by_label("Note for colleagues")).to_have_value("")

    page.get_by_label("Add a tag").fill("resend")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#side .tag-removable", has_text="resend")).to_be_visible()
    page.get_by_role("button", name="Remove tag late order").click()
    expect(page.locator("#side .tag-removable", has_text="late order")).to_have_count(0)

    page.get_by_label("Your reply").fill("So sorry for the wait, Dana! A new grinder is on its way today.")
    expect(page.get_by_role("radio", name=re.compile("Public reply"))).to_be_checked()
    page.get_by_role("button", name="Send reply").click()
    reply = thread.locator(".post-out").last
    expect(reply).to_contain_text("A new grinder is on its way today.")
    expect(reply.locator(".delivery-pending")).to_have_text("Pending delivery")
    expect(reply.locator(".vis-public")).to_be_visible()
    expect(page.get_by_label("Your reply")).to_have_value("")

    page.get_by_label("Status", exact=True).select_option("pending_customer")
    page.get_by_role("button", name="Set", exact=True).first.click()
    expect(page.locator("#conv-head .status")).to_have_text("Pending customer")

    page.evaluate("document.activeElement.blur()")
    page.mouse.move(0, 0)
    screenshot(page, "conversation", full_page=True)

    # A refused action explains itself.
    page.get_by_label("Priority (0–100)").fill("250")
    page.locator("#a-priority").evaluate("el => el.removeAttribute('max')")
    page.locator("#a-priority + button").click()
    expect(page.locator("#flash .msg-error")).to_contain_text("from 0 to 100")

    assert page.evaluate("window.__sameDocument") is True  # every action was a partial update

    from parley.inbox.models import Conversation, Post

    def state():
        conv = Conversation.objects.get(pk=lost.pk)
        out = Post.objects.filter(conversation=conv, direction="out").values_list("delivery_status", "visibility")
        return conv.status, conv.assignee.username, sorted(conv.tags.values_list("name", flat=True)), list(out)

    assert app_db.run(state) == ("pending_customer", "cara", ["resend", "shipping"], [("pending", "public")])


def test_keyboard_on_the_conversation_page(open_page, seeded):
    page = open_page("nora", f"/b/lumen/c/{seeded['invoice'].pk}/")
    page.keyboard.press("a")
    expect(page.locator("#conv-head")).to_contain_text("Billing · Nora")
    page.keyboard.press("e")
    expect(page.locator("#conv-head .status")).to_have_text("Resolved")
    expect(page.get_by_role("button", name="Reopen")).to_be_visible()


def test_hostile_text_is_shown_literally_and_never_runs(open_page, seeded):
    page = open_page("nora", f"/b/harbor/c/{seeded['hostile'].pk}/")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    expect(page.locator("#thread .post .text")).to_have_text(HOSTILE_TEXT)
    expect(page.locator("#thread .who-name")).to_have_text(HOSTILE_NAME)
    assert page.locator("#thread img").count() == 0 and page.locator("#thread script").count() == 0
    page.goto(page.url.split("/c/")[0] + "/")
    expect(page.locator(f'.conv[data-id="{seeded["hostile"].pk}"] .conv-name')).to_have_text(HOSTILE_NAME)
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []


def test_long_emoji_and_bidi_text_keep_the_layout(open_page, seeded):
    page = open_page("nora", f"/b/harbor/c/{seeded['emoji'].pk}/")
    text = page.locator("#thread .post .text")
    expect(text).to_have_text(EMOJI_TEXT)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    box, thread = text.bounding_box(), page.locator("#thread").bounding_box()
    assert box["x"] + box["width"] <= thread["x"] + thread["width"] + 1  # wrapped inside the thread
    assert box["height"] > 200

    page = open_page("nora", f"/b/lumen/c/{seeded['rtl'].pk}/")
    text = page.locator("#thread .post .text")
    expect(text).to_have_text(RTL_TEXT)
    assert text.evaluate("el => getComputedStyle(el).direction") == "rtl"
    # The customer's direction marks stay inside their own element.
    assert page.locator("#conv-head .ref").evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert page.locator("#thread .item-head time").evaluate("el => getComputedStyle(el).direction") == "ltr"


def test_agent_of_another_team_cannot_open_the_conversation(open_page, seeded):
    page = open_page("bill", "/b/lumen/")
    response = page.goto(page.url + f"c/{seeded['lost'].pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    page.goto(page.url.split("/c/")[0] + "/")
    expect(page.locator(f'.conv[data-id="{seeded["lost"].pk}"]')).to_have_count(0)
    open_page.errors[:] = [e for e in open_page.errors if "404" not in e]


def test_viewer_reads_without_controls(open_page, seeded):
    page = open_page("vic", f"/b/lumen/c/{seeded['billing'].pk}/")
    expect(page.locator("#thread .post")).to_have_count(3)
    expect(page.get_by_role("button", name="Send reply")).to_have_count(0)
    expect(page.get_by_role("button", name="Assign to me")).to_have_count(0)
    expect(page.locator("main form[method=post]")).to_have_count(0)
    page.keyboard.press("e")  # shortcuts do nothing for a viewer
    expect(page.locator("#conv-head .status")).to_have_text("New")
