"""The inbox list in a real browser: login, filters, search, keyboard, zoom."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.seed import PASSWORD

pytestmark = pytest.mark.browser


def row(page, conversation):
    return page.locator(f'#inbox-results .conv[data-id="{conversation.pk}"]')


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_login_lands_in_the_inbox(open_page, base_url, screenshot):
    page = open_page(None, "/b/lumen/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))
    expect(page.get_by_label("Username")).to_be_focused()
    screenshot(page, "login")
    page.get_by_label("Username").fill("nora")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base_url + "/b/lumen/")
    expect(page.locator("#inbox-results .conv").first).to_be_visible()
    expect(page.get_by_role("navigation", name="Brands")).to_contain_text("Lumen Coffee")
    # Log out is a POST form.
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def test_inbox_rows_and_screenshot(open_page, seeded, screenshot):
    page = open_page("nora", "/b/lumen/")
    viral = row(page, seeded["viral"])
    expect(viral).to_contain_text("Theo Brandt")
    expect(viral).to_contain_text("@theo_makes")
    expect(viral).to_contain_text(re.compile(r"waiting 4 h 4\d min"))
    expect(viral).to_contain_text("Urgent · 91")
    expect(viral).to_contain_text("product safety")
    expect(viral).to_contain_text("Care · Cara")
    expect(row(page, seeded["dm"]).locator(".vis-private")).to_have_text("Private")
    expect(page.get_by_role("link", name=re.compile(r"^Active \d+$"))).to_have_attribute("aria-current", "page")
    # The brand switcher lists both brands.
    page.get_by_text("Brand Lumen Coffee").click()
    expect(page.get_by_role("link", name="Harbor Bikes")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Harbor Bikes")).to_be_hidden()
    page.evaluate("document.activeElement.blur()")
    page.mouse.move(0, 0)
    screenshot(page, "inbox", full_page=True)


def test_filters_and_search_update_the_list_without_reloading(open_page, seeded):
    page = open_page("nora", "/b/lumen/")
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Team").select_option(label="Billing")
    expect(page).to_have_url(re.compile(r"team=\d+"))
    expect(row(page, seeded["billing"])).to_be_visible()
    expect(row(page, seeded["lost"])).to_have_count(0)
    page.go_back()  # the browser's back button restores the unfiltered list
    expect(page).not_to_have_url(re.compile(r"team="))
    expect(row(page, seeded["lost"])).to_be_visible()
    expect(page.get_by_label("Team")).to_have_value("")
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Search").fill("grinder")
    expect(page.locator("#inbox-results .conv")).to_have_count(1)
    expect(row(page, seeded["lost"])).to_be_visible()
    page.get_by_label("Sort").select_option("priority")
    page.get_by_label("Search").fill("")
    expect(page.locator("#inbox-results .conv").first).to_have_attribute("data-id", str(seeded["viral"].pk))
    assert page.evaluate("window.__sameDocument") is True  # htmx swapped the list; no page load
    # The URL carries the filters: reloading shows the same list.
    page.get_by_label("Assignee").select_option(label="Unassigned")
    expect(page).to_have_url(re.compile(r"assignee=none"))
    page.reload()
    expect(page.get_by_label("Assignee")).to_have_value("none")
    expect(row(page, seeded["viral"])).to_have_count(0)  # assigned to Cara
    # Tabs switch views.
    page.get_by_role("link", name=re.compile(r"^Resolved \d+$")).click()
    expect(page.get_by_role("link", name=re.compile(r"^Resolved \d+$"))).to_have_attribute("aria-current", "page")
    expect(page.locator("#inbox-results .status-resolved").first).to_be_visible()


def test_keyboard_navigation_and_actions(open_page, seeded, app_db):
    page = open_page("nora", "/b/lumen/?q=descaling")
    video = page.locator("#inbox-results .conv")
    expect(video).to_have_count(1)
    video_id = video.get_attribute("data-id")

    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()

    page.keyboard.press("/")
    expect(page.get_by_label("Search")).to_be_focused()
    page.keyboard.type("j")  # typing in a field is not a shortcut
    expect(page.locator(".conv.is-selected")).to_have_count(0)
    page.get_by_label("Search").fill("descaling")
    page.evaluate("document.activeElement.blur()")

    page.keyboard.press("j")
    expect(video).to_have_class(re.compile("is-selected"))
    expect(page.locator(f"#conv-link-{video_id}")).to_be_focused()

    page.keyboard.press("a")
    expect(page.locator("#announcer")).to_contain_text("Assigned to you.")
    expect(page.locator(f'.conv[data-id="{video_id}"] .assignee')).to_have_text("Nora")
    expect(page.locator(f"#conv-link-{video_id}")).to_be_focused()  # the selection survives the refresh

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/b/lumen/c/{video_id}/$"))
    page.go_back()
    page.keyboard.press("j")
    page.keyboard.press("e")
    expect(page.locator("#announcer")).to_contain_text("Status: Resolved.")
    expect(page.locator(f'.conv[data-id="{video_id}"]')).to_have_count(0)  # gone from the active view

    from parley.inbox.models import Conversation

    status, assignee = app_db.run(
        lambda: Conversation.objects.values_list("status", "assignee__username").get(pk=video_id)
    )
    assert (status, assignee) == ("resolved", "nora")


def test_works_at_200_percent_zoom(open_page, seeded, screenshot):
    # 200% zoom of a 1280 px window: 640 CSS pixels at a device scale of 2.
    page = open_page("nora", "/b/lumen/", viewport={"width": 640, "height": 900}, device_scale_factor=2)
    expect(page.locator("#inbox-results .conv").first).to_be_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "mobile-inbox")
    page.goto(page.url + f"c/{seeded['lost'].pk}/")
    expect(page.locator("#thread .post").first).to_be_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "mobile-conversation")


def test_without_javascript_filters_and_forms_still_work(open_page, seeded):
    page = open_page("cara", "/b/lumen/", java_script_enabled=False)
    page.get_by_label("Search").fill("latte")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"q=latte"))
    expect(page.locator("#inbox-results .conv")).to_have_count(1)
    page.goto(page.url.split("?")[0] + f"c/{seeded['dm'].pk}/")
    page.get_by_label("Note for colleagues").fill("Checked the address change without JavaScript.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".msg-success")).to_have_text("Internal note added.")
    expect(page.locator("#thread .note").last).to_contain_text("Checked the address change without JavaScript.")


# Every text node's colour against the first opaque background behind it (WCAG AA: 4.5:1).
CONTRAST_JS = """
() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] === 1) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.checkVisibility() || el.closest(".visually-hidden, option")) continue;
    const fg = parse(getComputedStyle(el).color).slice(0, 3);
    const [a, b] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < 4.5) failures.push(`${ratio.toFixed(2)} ${el.tagName}.${el.className}: ${node.textContent.trim().slice(0, 30)}`);
  }
  return failures;
}
"""


def test_text_contrast_and_visible_focus(open_page, seeded):
    for path in ("/b/lumen/", f"/b/lumen/c/{seeded['billing'].pk}/", "/b/lumen/?status=closed"):
        page = open_page("nora", path)
        expect(page.locator("main")).to_be_visible()
        assert page.evaluate(CONTRAST_JS) == [], path
    page.keyboard.press("Tab")  # the skip link comes first and shows itself
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none" or skip.evaluate(
        "el => getComputedStyle(el).borderStyle") != "none"
    assert skip.bounding_box()["y"] >= 0
    page.keyboard.press("Tab")
    focused_outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused_outline == "solid"
