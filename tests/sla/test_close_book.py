"""Close the book on the conversation page (proposal, send, dismiss) and implicit feedback."""

from __future__ import annotations

from datetime import timedelta

import pytest

from parley.inbox import actions as inbox
from parley.inbox.models import AuditEvent, Post
from parley.sla import closebook, feedback
from parley.sla.closing import public_closure_rate
from parley.sla.models import ImplicitFeedback, Resolution
from parley.triage.models import PostTriage
from tests.conftest import T0, incoming

H = timedelta(hours=1)

# --- pure -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, kind", [
    ("Thank you so much, all sorted now!", "thanks"),
    ("thx 👍", "thanks"),
    ("Cheers, it works now", "thanks"),
    ("Really appreciate the quick help", "thanks"),
    ("Thanks for nothing.", "anger"),
    ("It's still not working, useless", "anger"),
    ("Still waiting for my refund!!", "anger"),
    ("Same problem again!", "anger"),
    ("no thanks", None),
    ("ok", None),
    ("What time do you open?", None),
])
def test_phrase(text, kind):
    assert feedback.phrase(text) == kind


def test_read_combines_triage_and_phrases_anger_first():
    T = feedback.TriageSignals
    assert feedback.read("thanks", T(sentiment="positive")) == ("thanks", ["phrase"])
    assert feedback.read("great", T(intent="praise", sentiment="positive", emotion="joy")) == (
        "thanks", ["intent", "sentiment"])
    assert feedback.read("thanks", T(intent="complaint", sentiment="negative"))[0] == "anger"
    assert feedback.read("ok then", T(emotion="anger", sentiment="negative")) == ("anger", ["emotion"])
    assert feedback.read("ok then", T(anger=0.8)) == ("anger", ["anger"])
    assert feedback.read("ok then", T(anger=0.2)) == (None, [])
    assert feedback.read("thanks", T(sentiment="negative")) == (None, [])  # sarcasm-ish: not counted as thanks
    assert feedback.read("ok", None) == (None, [])


def test_anchor_is_the_latest_reply_or_resolution_and_only_the_next_message_counts():
    assert feedback.anchor(T0 + 3 * H, T0 + H, None, T0) == "reply"
    assert feedback.anchor(T0 + 3 * H, T0 + H, T0 + 2 * H, T0) == "resolution"
    assert feedback.anchor(T0 + 3 * H, T0 + 2 * H, T0 + 2 * H, T0) == "resolution"
    assert feedback.anchor(T0 + 3 * H, T0 + 2 * H, T0 + H, T0) == "reply"
    assert feedback.anchor(T0 + 3 * H, T0 + H, None, T0 + 2 * H) is None  # not the customer's next message
    assert feedback.anchor(T0 + 3 * H, None, None, None) is None
    assert feedback.anchor(T0 + 3 * H, T0 + 4 * H, None, None) is None  # a reply after the message


# --- resolution and the closing proposal ------------------------------------------------------


@pytest.fixture
def public_case(brand, channel, users):
    conv = inbox.ingest_post(brand, channel, incoming("1", "my parcel never came", at=T0)).conversation
    inbox.assign(conv, users["care_agent"], users["admin"])
    inbox.create_reply(conv, "So sorry, a new one ships today", users["care_agent"], now=T0 + H)
    return conv


def test_resolving_a_public_case_offers_a_closing_reply_with_a_survey(public_case, users, brand, channel):
    inbox.resolve(public_case, users["care_agent"], now=T0 + 2 * H)
    item = Resolution.objects.get(conversation=public_case)
    assert item.proposal == "offered" and item.survey is not None and item.agent == users["care_agent"]
    assert item.resolved_at == T0 + 2 * H
    assert AuditEvent.objects.filter(verb="closing.proposed").count() == 1
    inbox.set_status(public_case, "closed", users["care_agent"], now=T0 + 3 * H)  # closing keeps the resolution
    assert Resolution.objects.filter(conversation=public_case).count() == 1
    dm = inbox.ingest_post(brand, channel, incoming("2", "hi", author="c2", kind="dm", visibility="private",
                                                   at=T0)).conversation
    inbox.resolve(dm, users["admin"], now=T0 + H)
    assert Resolution.objects.get(conversation=dm).proposal == ""


def test_conversation_page_offers_the_proposal_and_sends_it_through_the_composer(client, public_case, users):
    inbox.resolve(public_case, users["care_agent"], now=T0 + 2 * H)
    item = Resolution.objects.get(conversation=public_case)
    client.force_login(users["care_agent"])
    page = client.get(f"/b/{public_case.brand.slug}/c/{public_case.pk}/").content.decode()
    survey_url = f"http://testserver/csat/{item.survey.token}/"
    assert "Close the book in public" in page and survey_url in page
    text = closebook.closing_text(item, "http://testserver")
    r = client.post(f"/b/{public_case.brand.slug}/follow-ups/closing/{item.pk}/send/", {"text": text})
    assert r.status_code == 303 and r["Location"].endswith("#close-book")
    item.refresh_from_db()
    assert item.proposal == "sent" and item.reply.visibility == "public" and survey_url in item.reply.text
    assert item.reply.guardrail_check is not None  # the checked path
    assert AuditEvent.objects.filter(verb="closing.sent").count() == 1
    page = client.get(f"/b/{public_case.brand.slug}/c/{public_case.pk}/").content.decode()
    assert "Close the book in public" not in page
    r = client.post(f"/b/{public_case.brand.slug}/follow-ups/closing/{item.pk}/send/", {"text": text})
    assert Post.objects.filter(conversation=public_case, direction="out").count() == 2  # no second closing


def test_closing_blocked_by_guardrails_stays_offered(client, public_case, users):
    inbox.resolve(public_case, users["care_agent"], now=T0 + 2 * H)
    item = Resolution.objects.get(conversation=public_case)
    client.force_login(users["care_agent"])
    client.post(f"/b/{public_case.brand.slug}/follow-ups/closing/{item.pk}/send/",
                {"text": "Sorted! Reply with your email so we can confirm"})
    item.refresh_from_db()
    assert item.proposal == "offered"
    assert AuditEvent.objects.filter(verb="reply.blocked").count() == 1


def test_blocked_closing_comes_back_with_the_agents_text_and_findings(client, public_case, users):
    inbox.resolve(public_case, users["care_agent"], now=T0 + 2 * H)
    item = Resolution.objects.get(conversation=public_case)
    url = f"/b/{public_case.brand.slug}/follow-ups/closing/{item.pk}/send/"
    edited = "Sorted, Dana! Reply with your email so we can confirm"
    client.force_login(users["care_agent"])
    r = client.post(url, {"text": edited})
    assert r.status_code == 422
    page = r.content.decode()
    assert f">{edited}</textarea>" in page  # the agent's edit, not the proposal again
    assert 'data-testid="closing-findings"' in page and 'data-check="public_data_request"' in page
    assert 'id="closing-override"' not in page  # an agent may not override
    # An override reason from an agent is refused, the text kept, nothing sent.
    r = client.post(url, {"text": edited, "override_reason": "I know"})
    assert r.status_code == 422 and f">{edited}</textarea>" in r.content.decode()
    item.refresh_from_db()
    assert item.proposal == "offered" and not AuditEvent.objects.filter(verb="reply.guardrail_override").exists()

    client.force_login(users["supervisor"])
    r = client.post(url, {"text": edited})
    assert r.status_code == 422 and 'id="closing-override"' in r.content.decode()
    r = client.post(url, {"text": edited, "override_reason": "The customer asked for a public confirmation"})
    assert r.status_code == 303
    item.refresh_from_db()
    assert item.proposal == "sent" and item.reply.text == edited
    assert item.reply.guardrail_check.override_reason == "The customer asked for a public confirmation"
    override = AuditEvent.objects.get(verb="reply.guardrail_override")
    assert override.actor == users["supervisor"] and override.data["checks"] == ["public_data_request"]
    assert AuditEvent.objects.filter(verb="closing.sent").count() == 1


def test_dismiss_and_permissions(client, public_case, users, teams):
    inbox.resolve(public_case, users["care_agent"], now=T0 + 2 * H)
    item = Resolution.objects.get(conversation=public_case)
    url = f"/b/{public_case.brand.slug}/follow-ups/closing/{item.pk}/dismiss/"
    client.force_login(users["viewer"])
    assert client.post(url).status_code == 403
    client.force_login(users["billing_agent"])  # the case is not on the billing team's list
    public_case.team = teams["care"]
    public_case.save()
    assert client.post(url).status_code == 404
    client.force_login(users["care_agent"])
    assert client.post(url).status_code == 303
    item.refresh_from_db()
    assert item.proposal == "dismissed" and item.decided_by == users["care_agent"]
    assert AuditEvent.objects.filter(verb="closing.dismissed").count() == 1
    with pytest.raises(inbox.ActionError):
        closebook.dismiss_closing(item, users["care_agent"])


def test_public_closure_rate_counts_the_sent_closing(public_case, users, brand):
    inbox.ingest_post(brand, public_case.channel, incoming("3", "still nothing", at=T0 + 90 * timedelta(minutes=1),
                                                           reply_to="1"))
    inbox.resolve(public_case, users["care_agent"], now=T0 + 2 * H)
    assert public_closure_rate(brand, T0, T0 + 24 * H).closed_in_public == 0
    item = Resolution.objects.get(conversation=public_case)
    closebook.send_closing(item, closebook.closing_text(item, "https://parley.example"), users["care_agent"],
                           now=T0 + 3 * H)
    assert public_closure_rate(brand, T0, T0 + 24 * H).closed_in_public == 1
    assert closebook.closing_proposals(brand, T0, T0 + 24 * H) == {"offered": 0, "sent": 1, "dismissed": 0}
    assert closebook.closing_proposals(brand, T0 + 24 * H, T0 + 48 * H) == {"offered": 0, "sent": 0, "dismissed": 0}


# --- implicit feedback ------------------------------------------------------------------------


def _customer(brand, channel, pid, text, at, **triage):
    post = inbox.ingest_post(brand, channel, incoming(pid, text, at=at, reply_to="1")).post
    if triage:
        PostTriage.objects.update_or_create(post=post, defaults={"status": "triaged", **triage})
        post = Post.objects.select_related("triage", "conversation", "brand").get(pk=post.pk)
    return post


def test_thanks_after_a_reply_is_recorded_on_the_conversation_and_the_replying_agent(public_case, users, brand,
                                                                                     channel):
    post = _customer(brand, channel, "2", "Thank you so much!", T0 + 2 * H)
    item = closebook.record_implicit_feedback(post)
    assert (item.kind, item.after, item.agent, item.signals) == ("thanks", "reply", users["care_agent"], ["phrase"])
    assert closebook.record_implicit_feedback(post) is None  # once
    later = _customer(brand, channel, "3", "thanks again", T0 + 3 * H)
    assert closebook.record_implicit_feedback(later) is None  # not the next message any more
    assert AuditEvent.objects.filter(verb="feedback.implicit").count() == 1


def test_renewed_anger_after_resolution_from_triage(public_case, users, brand, channel):
    inbox.resolve(public_case, users["care_agent"], now=T0 + 2 * H)
    post = _customer(brand, channel, "2", "right.", T0 + 3 * H, intent="complaint", sentiment="negative",
                     emotion="anger", anger=0.9)
    item = closebook.record_implicit_feedback(post)
    assert (item.kind, item.after) == ("anger", "resolution")
    assert set(item.signals) >= {"emotion", "anger", "sentiment"}
    summary = closebook.implicit_summary(brand)
    assert (summary.thanks, summary.anger) == (0, 1) and summary.by_agent == {"cara": {"thanks": 0, "anger": 1}}


def test_neutral_messages_and_first_posts_record_nothing(brand, channel, public_case):
    assert closebook.record_implicit_feedback(public_case.posts.filter(direction="in").first()) is None
    post = _customer(brand, channel, "2", "what time do you open?", T0 + 2 * H)
    assert closebook.record_implicit_feedback(post) is None
    assert not ImplicitFeedback.objects.exists()


def test_recorded_when_triage_finishes_and_shown_on_the_page(client, public_case, users, brand, channel,
                                                              django_capture_on_commit_callbacks):
    post = inbox.ingest_post(brand, channel, incoming("2", "brilliant, cheers", at=T0 + 2 * H, reply_to="1")).post
    with django_capture_on_commit_callbacks(execute=True):
        PostTriage.objects.update_or_create(post=post, defaults={"status": "triaged", "intent": "praise",
                                                                 "sentiment": "positive", "emotion": "joy"})
    item = ImplicitFeedback.objects.get(post=post)
    assert item.kind == "thanks" and "intent" in item.signals
    client.force_login(users["care_agent"])
    page = client.get(f"/b/{brand.slug}/c/{public_case.pk}/").content.decode()
    assert "Implicit feedback" in page and "brilliant, cheers" in page


def test_recorded_on_ingest_when_triage_is_off(settings, public_case, brand, channel,
                                               django_capture_on_commit_callbacks):
    settings.PARLEY_TRIAGE_ENABLED = False
    with django_capture_on_commit_callbacks(execute=True):
        post = inbox.ingest_post(brand, channel, incoming("2", "still broken. useless", at=T0 + 2 * H,
                                                          reply_to="1")).post
    assert ImplicitFeedback.objects.get(post=post).kind == "anger"


def test_recorded_after_a_resolution_when_triage_finishes(public_case, users, brand, channel,
                                                          django_capture_on_commit_callbacks):
    inbox.resolve(public_case, users["care_agent"], now=T0 + 2 * H)
    post = inbox.ingest_post(brand, channel, incoming("2", "right.", at=T0 + 3 * H, reply_to="1")).post
    with django_capture_on_commit_callbacks(execute=True):
        PostTriage.objects.update_or_create(post=post, defaults={
            "status": "triaged", "intent": "complaint", "sentiment": "negative", "emotion": "anger", "anger": 0.9})
    item = ImplicitFeedback.objects.get(post=post)
    assert (item.kind, item.after, item.agent) == ("anger", "resolution", users["care_agent"])


def test_a_first_message_is_not_loaded_for_feedback(brand, channel, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from parley.sla.listeners import _implicit_feedback

    post = inbox.ingest_post(brand, channel, incoming("50", "thank you so much!", at=T0)).post
    with CaptureQueriesContext(connection) as queries:
        _implicit_feedback(post.pk)
    assert len(queries) == 3  # the post's narrow row, its last reply, its last resolution: none
    assert not ImplicitFeedback.objects.exists()
