"""The composer on the conversation page in a real browser: a public reply holding the customer's phone
number is blocked with the explanation shown inline; the same text as a private message is sent; the
acknowledge-and-move-to-DM action stores both messages for the outbox; two agents see each other's
presence and the second sender gets the collision warning."""

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


def _outbound(conversation_id):
    from parley.inbox.models import Post

    return list(Post.objects.filter(conversation_id=conversation_id, direction="out").order_by("created_at", "pk")
                .values_list("visibility", "delivery_status", "text"))


def test_public_reply_with_the_customers_phone_is_blocked_private_is_sent(open_page, app_db, screenshot):
    conversation_id = app_db.run(_conversation_with_known_phone, "lumen", "blocked")
    page = open_page("cara", f"/b/lumen/c/{conversation_id}/")
    draft = "Hi Rosa, so sorry! We'll call you on 415-555-0187 by 5 pm today."
    expect(page.get_by_label(re.compile("Your reply"))).to_have_count(1)  # one textarea, enhanced in place
    page.get_by_label(re.compile("Your reply")).fill(draft)
    finding = page.locator("#reply-box .composer-finding[data-check=private_data]")
    expect(finding).to_contain_text("Blocked")
    expect(finding).to_contain_text("customer's own phone")
    expect(finding).to_contain_text("415-555-0187")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#flash")).to_contain_text("blocked by the guardrails")
    expect(page.locator("#reply-box .composer-finding[data-check=private_data]")).to_contain_text("Blocked")
    expect(page.get_by_label(re.compile("Your reply"))).to_have_value(draft)  # nothing lost
    page.evaluate("document.activeElement.blur(); document.getElementById('thread').lastElementChild.scrollIntoView()")
    screenshot(page, "composer-blocked")

    page.get_by_role("radio", name=re.compile("Direct message")).check()
    expect(page.locator("#reply-box .composer-finding[data-check=private_data]")).to_have_count(0)
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#flash")).to_contain_text("private message is saved")
    expect(page.locator("#thread .post-out").last).to_contain_text("415-555-0187")
    assert app_db.run(_outbound, conversation_id) == [("private", "pending", draft)]


def test_the_old_composer_page_leads_to_the_conversation(open_page, app_db):
    conversation_id = app_db.run(_conversation_with_known_phone, "lumen", "redirect")
    page = open_page("cara", f"/b/lumen/c/{conversation_id}/compose/")
    expect(page).to_have_url(re.compile(rf"/b/lumen/c/{conversation_id}/#reply-box$"))
    expect(page.get_by_label(re.compile("Your reply"))).to_be_visible()


def test_acknowledge_publicly_and_continue_in_private_sends_both(open_page, app_db):
    conversation_id = app_db.run(_conversation_with_known_phone, "lumen", "handoff")
    page = open_page("cara", f"/b/lumen/c/{conversation_id}/")
    page.get_by_text("Acknowledge publicly, continue in private").click()
    expect(page.get_by_label("Public acknowledgement")).to_have_value(re.compile("^Hi Rosa, I'm sorry"))
    expect(page.get_by_label("Private follow-up")).to_have_value(re.compile("order number"))
    page.get_by_role("button", name="Send both").click()
    expect(page.locator(".handoff-status")).to_contain_text("Both messages saved")
    expect(page.locator("#thread .post-out")).to_have_count(2)
    assert [(v, d) for v, d, _ in app_db.run(_outbound, conversation_id)] == [("public", "pending"),
                                                                              ("private", "pending")]
    # The agent's own messages do not count as news: the next reply goes through.
    page.get_by_label(re.compile("Your reply")).fill("Thanks Rosa, I'll check back by 5 pm.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#flash")).to_contain_text("is saved")


def test_two_agents_see_each_other_and_the_second_sender_is_warned(open_page, app_db, screenshot):
    conversation_id = app_db.run(_conversation_with_known_phone, "lumen", "collision")
    cara = open_page("cara", f"/b/lumen/c/{conversation_id}/")
    nora = open_page("nora", f"/b/lumen/c/{conversation_id}/")
    expect(cara.get_by_label(re.compile("Your reply"))).to_be_visible()

    # Cara's page does not get to render Nora's reply (its live refreshes come back empty): the reply
    # arrived but Cara was never shown it, so her send must be refused.
    cara.route(re.compile(r"[?&]live=1"), lambda route: route.fulfill(status=204, body=""))
    nora.get_by_label(re.compile("Your reply")).fill("Hi Rosa, Nora here: a new bag is on its way today.")
    expect(nora.get_by_test_id("presence")).to_contain_text("Cara is viewing")
    cara.get_by_label(re.compile("Your reply")).fill("Hi Rosa, so sorry! I'll send a replacement today.")
    expect(cara.get_by_test_id("presence")).to_contain_text("Nora is typing")
    assert "{#" not in cara.locator("#conversation").inner_text()

    nora.get_by_role("button", name="Send reply").click()
    expect(nora.locator("#flash")).to_contain_text("is saved")
    expect(cara.locator("#thread")).not_to_contain_text("a new bag is on its way today")

    cara.get_by_role("button", name="Send reply").click()
    collision = cara.get_by_test_id("collision")
    expect(collision).to_contain_text("Not sent")
    expect(collision).to_contain_text("a new bag is on its way today")
    expect(cara.get_by_label(re.compile("Your reply"))).to_have_value("Hi Rosa, so sorry! I'll send a replacement today.")
    cara.evaluate("document.activeElement.blur(); document.getElementById('thread').lastElementChild.scrollIntoView()")
    screenshot(cara, "composer-collision")
    assert len(app_db.run(_outbound, conversation_id)) == 1

    cara.get_by_label("I have read it: send my reply anyway").check()
    cara.get_by_role("button", name="Send reply").click()
    expect(cara.locator("#flash")).to_contain_text("is saved")
    expect(cara.get_by_test_id("collision")).to_have_count(0)

    def overrides():
        from parley.inbox.models import AuditEvent

        return list(AuditEvent.objects.filter(conversation_id=conversation_id)
                    .filter(verb__startswith="reply.collision").values_list("verb", "actor__username"))

    assert app_db.run(overrides) == [("reply.collision", "cara"), ("reply.collision_override", "cara")]
    assert len(app_db.run(_outbound, conversation_id)) == 2


def test_a_reply_shown_live_in_the_thread_is_not_a_collision(open_page, app_db):
    """The live refresh puts Nora's reply on Cara's screen: Cara has seen it, so her reply is sent."""
    conversation_id = app_db.run(_conversation_with_known_phone, "lumen", "live-seen")
    cara = open_page("cara", f"/b/lumen/c/{conversation_id}/")
    nora = open_page("nora", f"/b/lumen/c/{conversation_id}/")
    first_seen = int(cara.locator("#reply-box input[name=seen_post_id]").first.input_value())
    nora.get_by_label(re.compile("Your reply")).fill("Hi Rosa, Nora here: a new bag is on its way today.")
    nora.get_by_role("button", name="Send reply").click()
    expect(nora.locator("#flash")).to_contain_text("is saved")

    expect(cara.locator("#thread")).to_contain_text("a new bag is on its way today")  # shown live
    newest = int(cara.locator("#thread").get_attribute("data-newest-post"))
    assert newest > first_seen
    for seen in cara.locator("#reply-box input[name=seen_post_id]").all():  # the reply and handoff forms
        expect(seen).to_have_value(str(newest))
    cara.get_by_label(re.compile("Your reply")).fill("Hi Rosa, Cara here: I'll follow the parcel for you.")
    cara.get_by_role("button", name="Send reply").click()
    expect(cara.locator("#flash")).to_contain_text("is saved")
    expect(cara.get_by_test_id("collision")).to_have_count(0)

    def collisions():
        from parley.inbox.models import AuditEvent

        return AuditEvent.objects.filter(conversation_id=conversation_id, verb__startswith="reply.collision").count()

    assert app_db.run(collisions) == 0
    assert len(app_db.run(_outbound, conversation_id)) == 2


def test_acknowledge_and_continue_in_private_works_without_javascript(open_page, app_db, screenshot):
    conversation_id = app_db.run(_conversation_with_known_phone, "lumen", "handoff-nojs")
    page = open_page("cara", f"/b/lumen/c/{conversation_id}/", java_script_enabled=False)
    page.get_by_text("Acknowledge publicly, continue in private").click()
    public = page.get_by_label("Public acknowledgement")
    expect(public).to_have_value(re.compile("^Hi Rosa, I'm sorry"))  # the ready-made texts come with the page
    expect(page.get_by_label("Private follow-up")).to_have_value(re.compile("order number"))
    # A block comes back with both texts and the explanation, nothing stored.
    public.fill("Hi Rosa, we'll ring you on 415-555-0187.")
    page.get_by_role("button", name="Send both").click()
    expect(page.locator("#flash")).to_contain_text("blocked")
    expect(page.get_by_label("Public acknowledgement")).to_have_value("Hi Rosa, we'll ring you on 415-555-0187.")
    finding = page.locator(".handoff-public-findings .composer-finding[data-check=private_data]")
    expect(finding).to_contain_text("415-555-0187")
    page.locator(".composer-handoff").scroll_into_view_if_needed()
    screenshot(page, "composer-handoff-nojs-blocked")
    assert app_db.run(_outbound, conversation_id) == []

    page.get_by_label("Public acknowledgement").fill("Hi Rosa, so sorry! I've sent you a DM so we can sort it out.")
    page.get_by_role("button", name="Send both").click()
    expect(page.locator("#flash")).to_contain_text("private message saved")
    expect(page.locator("#thread .post-out")).to_have_count(2)
    assert [(v, d) for v, d, _ in app_db.run(_outbound, conversation_id)] == [("public", "pending"),
                                                                              ("private", "pending")]

    def tracked():
        from parley.inbox.models import AuditEvent, Conversation

        conv = Conversation.objects.get(pk=conversation_id)
        return (conv.tags.filter(name="moved-private").exists(),
                AuditEvent.objects.filter(conversation_id=conversation_id, verb="conversation.moved_private").count())

    assert app_db.run(tracked) == (True, 1)
