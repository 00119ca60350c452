"""Customer profile, merge with a suggestion, and erasure in a real browser (as the brand's admin)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NAME = "Rosalind Peregrine"
EMAIL = "ros.peregrine@example.net"


def _two_accounts_of_one_person():
    from django.utils import timezone

    from parley.accounts.models import Brand
    from parley.inbox import actions
    from parley.inbox.ingest import AuthorData, IncomingPost
    from parley.platforms.models import ChannelAccount

    brand = Brand.objects.get(slug="lumen")
    x = ChannelAccount.objects.filter(brand=brand, platform="x").first()
    mail, _ = ChannelAccount.objects.get_or_create(brand=brand, platform="email", external_id="care@lumen.example")
    now = timezone.now()

    def post(pid, text, author, platform="x", kind="mention", minutes=0, channel=x):
        incoming = IncomingPost(platform=platform, platform_id=pid, text=text, kind=kind,
                                created_at=now - timedelta(minutes=minutes), author=author)
        return actions.ingest_post(brand, channel, incoming).conversation

    on_x = AuthorData(platform_user_id="880011", handle="rosperegrine", display_name=NAME, first_name="Rosalind",
                      followers=5400, verified=True)
    first = post("bc-1", "The kettle lid cracked on day two, can someone help?", on_x, minutes=50)
    post("bc-2", f"Here is my email for the replacement: {EMAIL}", on_x, kind="dm", minutes=40)
    by_mail = AuthorData(platform_user_id=EMAIL, handle=EMAIL, display_name=NAME)
    second = post("bc-3", "Following up by email about my kettle lid", by_mail, platform="email", kind="email",
                  minutes=10, channel=mail)
    return first.customer_id, second.customer_id


def _texts_left(customer_id):
    from parley.inbox.models import Customer, Post

    customer = Customer.objects.get(pk=customer_id)
    return customer.display_name, list(Post.objects.filter(platform_id__startswith="bc-").values_list("text", flat=True))


def test_profile_merge_and_erase(open_page, app_db, screenshot):
    x_customer, mail_customer = app_db.run(_two_accounts_of_one_person)

    page = open_page("nora", "/b/lumen/customers/?q=Peregrine")
    expect(page.get_by_role("link", name=NAME)).to_have_count(2)
    page.goto(page.url.split("/b/")[0] + f"/b/lumen/customers/{x_customer}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(NAME)
    suggestions = page.locator(".suggestions li")
    expect(suggestions).to_have_count(1)
    expect(suggestions).to_contain_text("very likely: same email address")
    suggestions.get_by_role("link", name="Merge into this customer…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge two customers?")
    page.get_by_role("button", name="Merge").click()
    expect(page.locator("#flash")).to_contain_text("was merged into this customer")
    accounts = page.locator(".identities-table tbody tr")
    expect(accounts).to_have_count(2)
    expect(page.locator(".identities-table")).to_contain_text(EMAIL)
    expect(page.locator(".history-table tbody tr")).to_have_count(2)
    screenshot(page, "customer-profile", full_page=True)

    # The conversation's side panel links back to the profile.
    page.locator(".history-table a").first.click()
    page.get_by_role("link", name="Customer profile").click()
    expect(page).to_have_url(re.compile(f"/customers/{x_customer}/$"))

    page.get_by_role("link", name="Erase…").click()
    expect(page.locator("body")).to_contain_text("This cannot be undone.")
    page.get_by_label(re.compile("Type")).fill("erase please")
    screenshot(page, "customer-erase-confirm", full_page=True)
    page.get_by_role("button", name="Erase for good").click()
    expect(page.locator("#flash")).to_contain_text(f'Type "erase {x_customer}" to confirm')
    page.get_by_role("link", name="Erase…").click()
    page.get_by_label(re.compile("Type")).fill(f"erase {x_customer}")
    page.get_by_role("button", name="Erase for good").click()
    expect(page.locator("#flash")).to_contain_text("personal data was erased")
    expect(page.locator(".erased-note")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(NAME)
    expect(page.get_by_role("link", name="Erase…")).to_have_count(0)

    name, texts = app_db.run(_texts_left, x_customer)
    assert name.startswith("erased-") and set(texts) == {"[erased]"}

    page.get_by_role("link", name="Audit log").first.click()
    page.get_by_label("Action").fill("customer.")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator(".audit-table tbody tr")
    expect(rows.first).to_contain_text("customer.erased")
    expect(page.locator(".audit-table")).to_contain_text("customer.merged")
    expect(page.locator(".audit-table")).not_to_contain_text(NAME)
    screenshot(page, "audit-log", full_page=True)


def test_agents_get_no_erase_or_audit(open_page):
    page = open_page("cara", "/b/lumen/audit/")
    expect(page.locator("body")).to_contain_text(re.compile("forbidden|not allowed|permission|403", re.I))
    expect(page.get_by_role("link", name="Audit log")).to_have_count(0)
