"""Triage in the inbox pages: badges, priority breakdown, filters, "not triaged", one-click correction."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parley.inbox import actions
from parley.inbox.models import AuditEvent, Conversation, Post
from parley.triage import service
from parley.triage.models import PostTriage, TriageCorrection
from tests.conftest import incoming
from tests.web.conftest import HTMX, url

# A complete triage as the pipeline stores it; tests override what they look at.
BASE = {
    "status": "triaged", "intent": "question", "intent_scores": {"question": 0.8}, "complaint": 0.1,
    "sentiment": "neutral", "sentiment_scores": {}, "emotion": "neutral", "emotion_scores": {}, "severity": 0,
    "anger": 0.05, "offensive": 0.02, "hate": 0.01, "troll": 0.01, "desired_outcome": "information",
    "desired_outcome_scores": {}, "outcome_unclear": False, "needs_response": 0.9, "language": "en",
    "topics": [], "private_data_posted": [], "explanation": {}, "priority": 40,
    "priority_breakdown": [{"factor": "intent", "points": 20, "why": "question"},
                           {"factor": "waiting", "points": 14, "why": "waiting 1.9 h"}],
}


def set_triage(conversation, **fields) -> PostTriage:
    post = conversation.posts.filter(direction="in").order_by("-created_at").first()
    triage, _ = PostTriage.objects.update_or_create(post=post, defaults={**BASE, **fields})
    return triage


def rows(html: str) -> list[str]:
    return re.findall(r'<dd class="ref">(C-\d+)</dd>', html)


@pytest.fixture
def triaged(convs):
    """The care conversation a severe, angry refund complaint with private data; billing a troll; unrouted pending."""
    set_triage(convs["care"], intent="complaint", complaint=0.93, severity=3, anger=0.8, sentiment="negative",
               desired_outcome="refund", topics=["delivery", "refund"], private_data_posted=["email", "order_number"],
               explanation={"intent": ["never arrived"], "desired_outcome": ["money back"]}, priority=71)
    set_triage(convs["billing"], intent="abuse", troll=0.9, offensive=0.85, sentiment="negative", language="es",
               topics=["billing"], desired_outcome="none", outcome_unclear=True)
    PostTriage.objects.create(post=convs["unrouted"].posts.get(), status="failed", reason="model file missing")
    return convs


# --- badges and priority in the list and the conversation ------------------------------------


def test_list_shows_triage_badges_and_the_priority_breakdown(client, brand, users, triaged):
    client.force_login(users["admin"])
    html = client.get(url("list", brand)).content.decode()
    for text in ("complaint", "severity 3/4", "angry 80%", "wants: refund", "delivery",
                 "private data posted: email, order number", "likely troll", "offensive", "language: es",
                 "wants: unclear", "Not triaged: model file missing (it will be retried)"):
        assert text in html, text
    # The breakdown opens from the priority badge, and reads as a sum.
    assert '<details class="prio-details">' in html
    assert '<span class="pf-why">waiting 1.9 h</span> <span class="pf-points">+14</span>' in html


def test_conversation_view_shows_triage_per_post_with_explanation(client, brand, users, triaged):
    client.force_login(users["care_agent"])
    html = client.get(url("conversation", brand, triaged["care"])).content.decode()
    post = triaged["care"].posts.get()
    block = re.search(rf'<div class="post-triage" id="triage-{post.pk}">.*?</div>\s*</li>', html, re.S).group(0)
    assert "severity 3/4" in block and "needs reply" in block and "wants: refund" in block
    assert "<q dir=\"auto\">never arrived</q>" in block and "Why triage thinks so" in block
    assert 'name="field" value="intent"' in block and 'aria-pressed="true">complaint</button>' in block


def test_hostile_triage_text_is_escaped(client, brand, users, convs):
    set_triage(convs["care"], topics=["<script>alert(1)</script>"], explanation={"intent": ["<img src=x>"]})
    client.force_login(users["admin"])
    for page in (url("list", brand), url("conversation", brand, convs["care"])):
        html = client.get(page).content.decode()
        assert "<script>alert(1)</script>" not in html and "<img src=x>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x&gt;" in html


def test_posts_without_triage_say_why(client, brand, users, convs):
    client.force_login(users["admin"])
    html = client.get(url("list", brand)).content.decode()
    assert html.count("Not triaged") == 3  # no row was stored at all (triage runs after commit)
    PostTriage.objects.create(post=convs["care"].posts.get(), status="not_triaged",
                              reason="language 'es' is not covered by the triage models", language="es")
    PostTriage.objects.create(post=convs["billing"].posts.get())  # pending
    html = client.get(url("conversation", brand, convs["care"])).content.decode()
    assert "Not triaged: language &#x27;es&#x27; is not covered by the triage models" in html
    assert "language: es" in html
    html = client.get(url("conversation", brand, convs["billing"])).content.decode()
    assert "Not triaged yet: waiting for the triage worker" in html
    assert "Correct triage" not in html  # nothing to correct before triage ran


def test_real_triage_reaches_the_page(client, brand, users, convs, now):
    post = convs["billing"].posts.get()
    triage = service.triage_post_now(post, now)
    assert triage.status == "triaged"
    client.force_login(users["admin"])
    html = client.get(url("conversation", brand, convs["billing"])).content.decode()
    assert f'<li class="tb tb-intent' in html and triage.intent in html
    assert "billing" in html  # the topic the default topics find in "Charged twice this month"


def test_list_queries_do_not_grow_with_rows(client, brand, users, channel, convs):
    client.force_login(users["admin"])
    for conv in convs.values():
        set_triage(conv)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("list", brand)).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(12):
        conv = actions.ingest_post(brand, channel, incoming(f"more-{i}", "where is my order", author=f"m{i}")).conversation
        set_triage(conv, topics=["delivery"])
    assert count() == few


# --- filters ---------------------------------------------------------------------------------


def test_triage_filters(client, brand, users, triaged):
    care, billing, unrouted = (triaged[k].ref for k in ("care", "billing", "unrouted"))
    client.force_login(users["admin"])

    def listed(**params):
        return set(rows(client.get(url("list", brand, **params)).content.decode()))

    assert listed(intent="complaint") == {care}
    assert listed(intent="abuse", sentiment="negative") == {billing}
    assert listed(sentiment="negative") == {care, billing}
    assert listed(outcome="refund") == {care}
    assert listed(outcome="unclear") == {billing}
    assert listed(severity_min="3") == {care}
    assert listed(severity_min="4") == set()
    assert listed(troll="yes") == {billing}
    assert listed(troll="no") == {care}
    assert listed(private_data="yes") == {care}
    assert listed(private_data="no") == {billing}
    assert listed(topic="refund") == {care}
    assert listed(topic="billing") == {billing}
    assert listed(topic="bill") == set()  # whole names only
    assert listed(language="es") == {billing}
    # Needs a response: from 0.5 on; "no" only over triaged posts (the failed one is in neither).
    troll = PostTriage.objects.get(post__conversation=triaged["billing"])
    troll.needs_response = 0.1
    troll.save()
    assert listed(needs_response="yes") == {care}
    assert listed(needs_response="no") == {billing}
    assert listed(intent="complaint", needs_response="yes") == {care}  # one combined flag
    assert listed(intent="abuse", needs_response="yes") == set()
    assert listed(intent="abuse", needs_response="no") == {billing}
    # Unknown values are ignored, as the other filters do.
    assert listed(intent="nonsense", severity_min="9", troll="maybe", topic='"]%', language="<x>",
                  needs_response="perhaps") == {
        care, billing, unrouted}


def test_triage_filters_respect_team_scopes(client, brand, users, triaged):
    client.force_login(users["care_agent"])
    html = client.get(url("list", brand, sentiment="negative")).content.decode()
    assert rows(html) == [triaged["care"].ref]


def test_filter_form_keeps_its_choices_and_htmx_gets_results_only(client, brand, users, triaged):
    client.force_login(users["admin"])
    html = client.get(url("list", brand, intent="abuse", troll="yes")).content.decode()
    assert '<details class="triage-filters" open>' in html
    assert '<option value="abuse" selected>' in html and '<option value="yes" selected>' in html
    assert "Clear filters" in html
    html = client.get(url("list", brand, needs_response="no")).content.decode()
    assert '<details class="triage-filters" open>' in html
    chosen = re.search(r'<select id="f-needs-response" name="needs_response">(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="(\w*)" selected>', chosen) == ["no"]
    response = client.get(url("list", brand, intent="abuse"), **HTMX, HTTP_HX_TARGET="inbox-results")
    assert rows(response.content.decode()) == [triaged["billing"].ref]
    assert "triage-filters" not in response.content.decode()


# --- one-click correction --------------------------------------------------------------------


def fix_url(brand, conversation, post):
    return url("conversation", brand, conversation) + f"posts/{post.pk}/triage/"


def test_agent_corrects_intent_in_one_click(client, brand, users, triaged):
    conv = triaged["care"]
    post = conv.posts.get()
    client.force_login(users["care_agent"])
    response = client.post(fix_url(brand, conv, post), {"field": "intent", "value": "question"})
    assert response.status_code == 303 and response["Location"].endswith(f"#post-{post.pk}")
    assert PostTriage.objects.get(post=post).intent == "question"
    correction = TriageCorrection.objects.get(post=post)
    assert (correction.field, correction.old_value, correction.new_value, correction.user) == (
        "intent", "complaint", "question", users["care_agent"])
    assert AuditEvent.objects.filter(verb="triage.corrected", conversation=conv).count() == 1
    html = client.get(response["Location"]).content.decode()
    assert "Intent corrected to “question”" in html
    assert "corrected by Cara" in html and 'title="Corrected by a person">✎' in html


def test_correcting_troll_and_severity_recomputes_priority(client, brand, users, triaged):
    conv = triaged["billing"]
    post = conv.posts.get()
    Conversation.objects.filter(pk=conv.pk).update(priority=0)
    client.force_login(users["billing_agent"])
    client.post(fix_url(brand, conv, post), {"field": "troll", "value": "no"})
    client.post(fix_url(brand, conv, post), {"field": "intent", "value": "complaint"})
    client.post(fix_url(brand, conv, post), {"field": "severity", "value": "4"})
    triage = PostTriage.objects.get(post=post)
    assert (triage.troll, triage.intent, triage.severity) == (0.0, "complaint", 4)
    factors = {f["factor"]: f["points"] for f in triage.priority_breakdown}
    assert factors["intent"] == 30 and factors["severity"] == 18 and "troll" not in factors
    assert Conversation.objects.get(pk=conv.pk).priority == triage.priority > 48


def test_htmx_correction_swaps_the_thread(client, brand, users, triaged):
    conv = triaged["care"]
    post = conv.posts.get()
    client.force_login(users["admin"])
    response = client.post(fix_url(brand, conv, post), {"field": "desired_outcome", "value": "replacement"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<ol id="thread" class="thread" hx-swap-oob="true"' in html and "wants: replacement" in html


def test_bad_corrections_are_refused_with_a_message(client, brand, users, triaged):
    conv = triaged["care"]
    post = conv.posts.get()
    client.force_login(users["admin"])
    for data, message in (
        ({"field": "intent", "value": "furious"}, "is not a valid intent"),
        ({"field": "model_version", "value": "x"}, "cannot be corrected here"),
        ({"field": "severity"}, "Choose the right value."),
    ):
        response = client.post(fix_url(brand, conv, post), data, **HTMX)
        assert response.status_code == 422 and message in response.content.decode()
    assert not TriageCorrection.objects.exists()
    assert PostTriage.objects.get(post=post).intent == "complaint"


def test_viewers_cannot_correct_and_other_teams_posts_do_not_exist(client, brand, users, triaged):
    care, billing = triaged["care"], triaged["billing"]
    data = {"field": "intent", "value": "praise"}
    client.force_login(users["viewer"])
    assert client.post(fix_url(brand, care, care.posts.get()), data).status_code == 403
    assert 'class="triage-fix"' not in client.get(url("conversation", brand, care)).content.decode()
    client.force_login(users["care_agent"])
    assert client.post(fix_url(brand, billing, billing.posts.get()), data).status_code == 404
    # A visible conversation with another conversation's post in the URL: 404 as well.
    assert client.post(fix_url(brand, care, billing.posts.get()), data).status_code == 404
    assert client.get(fix_url(brand, care, care.posts.get())).status_code == 405
    assert not TriageCorrection.objects.exists()


def test_brand_replies_cannot_be_corrected(client, brand, users, triaged):
    conv = triaged["care"]
    reply = actions.create_reply(conv, "We're on it", users["admin"])
    client.force_login(users["admin"])
    assert client.post(fix_url(brand, conv, reply), {"field": "intent", "value": "praise"}).status_code == 404
    assert Post.objects.filter(pk=reply.pk, triage__isnull=True).exists()
