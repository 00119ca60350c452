"""Acknowledge publicly, continue privately, as a plain form post (no JavaScript), through the test client."""

from __future__ import annotations

import re

from django.utils.html import escape

from parley.composer.models import ReplyCheck
from parley.inbox.models import AuditEvent, Post


def form_url(conv):
    return f"/b/{conv.brand.slug}/c/{conv.pk}/compose/handoff/send"


def page(client, conv) -> str:
    return client.get(f"/b/{conv.brand.slug}/c/{conv.pk}/").content.decode()


def hidden(html: str, name: str, form_action: str) -> str:
    form = html[html.index(f'action="{form_action}"'):]
    return re.search(rf'name="{name}" value="([^"]*)"', form).group(1)


def test_the_page_offers_the_handoff_as_a_form_with_ready_texts(client, conv, users):
    client.force_login(users["care_agent"])
    html = page(client, conv)
    assert f'action="{form_url(conv)}"' in html
    assert re.search(r'name="public_text"[^>]*>Hi Dana, I&#x27;m sorry', html)
    assert "order number" in html[html.index('name="private_text"'):]


def test_a_plain_post_stores_both_messages_for_the_outbox_and_tracks_the_handoff(client, conv, users):
    client.force_login(users["care_agent"])
    html = page(client, conv)
    seen, key = hidden(html, "seen_post_id", form_url(conv)), hidden(html, "key", form_url(conv))
    form = {"public_text": "Hi Dana, so sorry! I've sent you a DM.", "private_text": "Could you send your order number?",
            "seen_post_id": seen, "key": key}
    r = client.post(form_url(conv), form)
    assert r.status_code == 303 and r["Location"].endswith(f"/c/{conv.pk}/#reply-box")
    out = list(Post.objects.filter(conversation=conv, direction="out").order_by("pk")
               .values_list("visibility", "delivery_status", "text"))
    assert out == [("public", "pending", form["public_text"]), ("private", "pending", form["private_text"])]
    assert conv.tags.filter(name="moved-private").exists()
    assert AuditEvent.objects.filter(verb="conversation.moved_private").count() == 1
    assert client.post(form_url(conv), form).status_code == 303  # a double submit is the same pair
    assert Post.objects.filter(conversation=conv, direction="out").count() == 2
    assert "saved" in page(client, conv)


def test_a_block_comes_back_with_both_texts_and_the_findings_then_a_supervisor_overrides(client, conv, users):
    client.force_login(users["care_agent"])
    form = {"public_text": "Hi Dana, we'll call you on 415-555-0134.", "private_text": "Which day suits you?"}
    r = client.post(form_url(conv), form)
    assert r.status_code == 422
    html = r.content.decode()
    assert f">{escape(form['public_text'])}</textarea>" in html and f">{form['private_text']}</textarea>" in html
    public_findings = html[html.index('class="composer-findings handoff-public-findings"'):]
    assert 'data-check="private_data"' in public_findings[:2000] and "415-555-0134" in public_findings[:2000]
    assert 'id="handoff-override"' not in html  # agents cannot override
    assert "<details class=\"composer-handoff\" open>" in html
    assert not Post.objects.filter(conversation=conv, direction="out").exists()

    client.force_login(users["supervisor"])
    r = client.post(form_url(conv), form)
    assert r.status_code == 422 and 'id="handoff-override"' in r.content.decode()
    r = client.post(form_url(conv), {**form, "override_reason": "She asked us to confirm the number publicly"})
    assert r.status_code == 303
    public = Post.objects.get(conversation=conv, direction="out", visibility="public")
    assert ReplyCheck.objects.get(post=public).override_reason == "She asked us to confirm the number publicly"
    assert AuditEvent.objects.filter(verb="reply.guardrail_override").count() == 1


def test_a_collision_shows_what_arrived_and_sends_both_anyway(client, conv, users):
    from parley.inbox import actions as inbox

    client.force_login(users["care_agent"])
    seen = hidden(page(client, conv), "seen_post_id", form_url(conv))
    arrived = inbox.create_reply(conv, "Hi Dana, Sam here: a new parcel ships today.", users["supervisor"])
    form = {"public_text": "Hi Dana, I've sent you a DM.", "private_text": "Your order number, please?", "seen_post_id": seen}
    r = client.post(form_url(conv), form)
    assert r.status_code == 422
    html = r.content.decode()
    assert 'data-testid="handoff-collision"' in html and "a new parcel ships today" in html
    assert Post.objects.filter(conversation=conv, direction="out").count() == 1
    r = client.post(form_url(conv), {**form, "reviewed_through": str(arrived.pk)})
    assert r.status_code == 303
    assert Post.objects.filter(conversation=conv, direction="out").count() == 3


def test_bad_input_and_permissions(client, conv, users, teams):
    client.force_login(users["care_agent"])
    r = client.post(form_url(conv), {"public_text": "x" * 10_001, "private_text": "hi"})
    assert r.status_code == 422 and not Post.objects.filter(conversation=conv, direction="out").exists()
    assert client.get(form_url(conv)).status_code == 405
    client.force_login(users["viewer"])
    assert client.post(form_url(conv), {"public_text": "hi", "private_text": "hi"}).status_code == 403
    conv.team = teams["billing"]
    conv.save()
    client.force_login(users["care_agent"])
    assert client.post(form_url(conv), {"public_text": "hi", "private_text": "hi"}).status_code == 404
