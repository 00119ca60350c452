"""Praise: the pure policy (praise, auto-like), one-click thank, the auto-like rule and "share this outcome"."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from parley.composer import actions as composer
from parley.composer import praise, praise_actions
from parley.composer.models import OutcomeShare, Template
from parley.inbox import actions as inbox
from parley.inbox.ingest import AuthorData
from parley.inbox.models import AuditEvent, Post
from parley.platforms.models import OutboxItem
from parley.sla.models import Survey
from parley.triage.labels import EMOTIONS, INTENTS, SENTIMENTS
from parley.triage.models import PostTriage
from tests.conftest import T0, incoming

# --- pure policy ----------------------------------------------------------------------------

ON = praise.AutoLikeRule(enabled=True)


def test_is_praise_needs_praise_intent_or_positive_sentiment_and_no_abuse():
    assert praise.is_praise(praise.PraiseFacts(intent="praise"))
    assert praise.is_praise(praise.PraiseFacts(intent="chatter", sentiment="positive"))
    assert not praise.is_praise(praise.PraiseFacts(intent="praise", sentiment="negative"))
    assert not praise.is_praise(praise.PraiseFacts(intent="spam", sentiment="positive"))
    assert not praise.is_praise(praise.PraiseFacts(intent="praise", direction="out"))
    assert not praise.is_praise(praise.PraiseFacts(intent="praise", is_deleted=True))
    assert not praise.is_praise(praise.PraiseFacts())


@pytest.mark.parametrize("positive_sentiment", [False, True])
def test_auto_like_over_every_intent_sentiment_and_emotion(positive_sentiment):
    """Exhaustive over the triage labels: fires only for praise (or positive sentiment when the rule
    asks), never for abuse, spam, complaints, negative sentiment, anger or disgust."""
    rule = praise.AutoLikeRule(enabled=True, positive_sentiment=positive_sentiment)
    for intent, sentiment, emotion in itertools.product(("", *INTENTS), ("", *SENTIMENTS), ("", *EMOTIONS)):
        fire, why = praise.auto_like(praise.PraiseFacts(intent=intent, sentiment=sentiment, emotion=emotion), rule)
        expected = (
            intent not in ("abuse", "spam", "complaint") and sentiment != "negative"
            and emotion not in ("anger", "disgust")
            and (intent == "praise" or (positive_sentiment and sentiment == "positive"))
        )
        assert fire is expected, (intent, sentiment, emotion, why)
        assert why


@pytest.mark.parametrize("score_field", ["troll", "offensive", "hate", "anger"])
@pytest.mark.parametrize("score, fires", [(None, True), (0.0, True), (0.29, True), (0.3, False), (0.99, False)])
def test_auto_like_never_for_trolls_offensive_hateful_or_angry_posts(score_field, score, fires):
    rule = praise.AutoLikeRule(enabled=True, max_anger=0.3)
    fire, why = praise.auto_like(praise.PraiseFacts(intent="praise", **{score_field: score}), rule)
    assert fire is fires
    if not fires:
        assert score_field in why


@pytest.mark.parametrize("facts, why", [
    (praise.PraiseFacts(intent="praise", direction="out"), "live post"),
    (praise.PraiseFacts(intent="praise", is_deleted=True), "live post"),
    (praise.PraiseFacts(intent="praise", visibility="private"), "private"),
    (praise.PraiseFacts(intent="praise", already_liked=True), "already"),
    (praise.PraiseFacts(intent="praise", tags=("spam",)), "tagged spam"),
    (praise.PraiseFacts(intent="praise", tags=("troll", "vip")), "tagged troll"),
    (praise.PraiseFacts(intent="praise", tags=("pile-on",)), "pile-on"),
])
def test_auto_like_refusals_say_why(facts, why):
    fire, reason = praise.auto_like(facts, ON)
    assert fire is False and why in reason


def test_auto_like_is_off_unless_the_brand_turns_it_on():
    assert praise.auto_like(praise.PraiseFacts(intent="praise"), praise.AutoLikeRule()) == (
        False, "the brand's auto-like rule is off")
    assert praise.auto_like(praise.PraiseFacts(intent="praise"), ON) == (True, "praise")


def test_auto_like_rule_from_settings():
    assert praise.AutoLikeRule.from_settings(True).enabled
    assert not praise.AutoLikeRule.from_settings(None).enabled
    assert not praise.AutoLikeRule.from_settings("yes").enabled
    rule = praise.AutoLikeRule.from_settings({"enabled": True, "positive_sentiment": True, "max_troll": 5})
    assert rule.enabled and rule.positive_sentiment and rule.max_troll == 1.0
    with pytest.raises(ValueError, match="max_hate"):
        praise.AutoLikeRule.from_settings({"enabled": True, "max_hate": "lots"})


def test_share_text_quotes_only_with_consent():
    text, shown = praise.share_text(quote="You lot  are brilliant, thank you!", consent=True, handle="dana_k",
                                    outcome="A replacement arrived the next day.", brand_name="Acme")
    assert shown == "@dana_k"
    assert text.splitlines() == ["“You lot are brilliant, thank you!” — @dana_k",
                                 "The outcome: A replacement arrived the next day.", "Thank you for letting Acme help."]
    text, shown = praise.share_text(quote="You lot are brilliant", consent=False, handle="@dana_k",
                                    outcome="refund sent", brand_name="Acme")
    assert shown == "@d***k" and "brilliant" not in text and "dana" not in text
    assert praise.anonymised("ab") == "a customer"


# --- actions --------------------------------------------------------------------------------


@pytest.fixture
def praised(brand, channel):
    """A public praise post on X from Dana, triaged as praise."""
    post = incoming("p1", "@AcmeHelp the new jacket is perfect, thank you!", at=T0)
    post.author = AuthorData(platform_user_id="c9", handle="dana_k", first_name="Dana")
    post = inbox.ingest_post(brand, channel, post).post
    PostTriage.objects.update_or_create(post=post, defaults={"status": "triaged", "intent": "praise",
                                                             "sentiment": "positive", "emotion": "joy"})
    return post


def test_thank_sends_a_personal_public_reply_through_the_checked_path(praised, users):
    sent = praise_actions.thank(praised, users["care_agent"], now=T0 + timedelta(minutes=5))
    reply = sent.post
    assert reply.direction == "out" and reply.visibility == "public" and reply.parent_id == praised.pk
    assert "Dana" in reply.text and "Cara" in reply.text
    assert reply.guardrail_check.findings is not None
    assert AuditEvent.objects.filter(verb="praise.thanked", conversation=praised.conversation).count() == 1
    again = praise_actions.thank(praised, users["care_agent"], now=T0 + timedelta(minutes=6))
    assert again.post.pk == reply.pk  # a second click is the same reply


def test_thank_uses_the_best_praise_template_and_counts_its_use(praised, users, teams):
    composer.create_template(praised.brand, users["admin"], name="Any thanks", body="Thanks {customer.first_name}!",
                             intent="praise")
    best = composer.create_template(praised.brand, users["admin"], name="X thanks", channel="x", intent="praise",
                                    body="Thank you {customer.first_name}, that means a lot. {agent.first_name}")
    composer.create_template(praised.brand, users["admin"], name="Complaint", channel="x", intent="complaint",
                             visibility="public", desired_outcome="refund", body="Sorry {customer.first_name}")
    sent = praise_actions.thank(praised, users["care_agent"])
    assert sent.post.text == "Thank you Dana, that means a lot. Cara"
    best.refresh_from_db()
    assert best.usage_count == 1 and best.last_used_at is not None
    assert sent.post.guardrail_check.template_id == best.pk


def test_thank_is_blocked_by_the_guardrails_like_any_reply(praised, users):
    composer.create_template(praised.brand, users["admin"], name="Bad", intent="praise",
                             body="Thanks {customer.first_name}! Write to dana@example.com")
    with pytest.raises(composer.GuardrailBlocked):
        praise_actions.thank(praised, users["care_agent"])
    assert not Post.objects.filter(direction="out").exists()


def test_thank_refuses_private_messages_and_brand_posts(brand, channel, users, praised):
    dm = inbox.ingest_post(brand, channel, incoming("d1", "love you", kind="dm", visibility="private")).post
    with pytest.raises(composer.ActionError, match="private"):
        praise_actions.thank(dm, users["care_agent"])
    reply = inbox.create_reply(praised.conversation, "Thanks!", users["care_agent"])
    with pytest.raises(composer.ActionError):
        praise_actions.thank(reply, users["care_agent"])


def test_thank_view_permissions(client, praised, users, teams):
    url = f"/b/{praised.brand.slug}/c/{praised.conversation_id}/praise/{praised.pk}/thank"
    client.force_login(users["viewer"])
    assert client.post(url).status_code == 403
    client.force_login(users["care_agent"])
    r = client.post(url)
    assert r.status_code == 303 and r["Location"].endswith(f"#post-{praised.pk}")
    assert Post.objects.filter(direction="out", conversation=praised.conversation).count() == 1
    praised.conversation.team = teams["billing"]
    praised.conversation.save()
    assert client.post(url).status_code == 404


def test_thread_shows_praise_buttons_only_on_praise(client, praised, users, brand, channel):
    client.force_login(users["care_agent"])
    page = client.get(f"/b/{brand.slug}/c/{praised.conversation_id}/").content.decode()
    assert f"/praise/{praised.pk}/thank" in page and f"/posts/{praised.pk}/like/" in page
    PostTriage.objects.filter(post=praised).update(intent="complaint", sentiment="negative")
    page = client.get(f"/b/{brand.slug}/c/{praised.conversation_id}/").content.decode()
    assert "/thank" not in page
    client.force_login(users["viewer"])
    PostTriage.objects.filter(post=praised).update(intent="praise", sentiment="positive")
    assert "/thank" not in client.get(f"/b/{brand.slug}/c/{praised.conversation_id}/").content.decode()


def _triage(post, **fields):
    return PostTriage.objects.update_or_create(post=post, defaults={"status": "triaged", **fields})[0]


def test_auto_like_queues_a_like_through_the_outbox_when_triage_reads_praise(
        brand, channel, django_capture_on_commit_callbacks):
    brand.settings = {"auto_like": True}
    brand.save()
    post = inbox.ingest_post(brand, channel, incoming("p1", "you are the best", at=T0)).post
    with django_capture_on_commit_callbacks(execute=True):
        _triage(post, intent="praise", sentiment="positive", emotion="joy")
    item = OutboxItem.objects.get(post=post)
    assert item.action == "like" and item.state == "queued"
    event = AuditEvent.objects.get(verb="praise.auto_liked")
    assert event.data["reason"] == "praise" and event.actor_label == "auto-like"
    with django_capture_on_commit_callbacks(execute=True):  # triage saved again: liked once
        _triage(post, intent="praise", sentiment="positive", emotion="optimism")
    assert OutboxItem.objects.filter(post=post).count() == 1


@pytest.mark.parametrize("fields", [
    {"intent": "abuse", "sentiment": "positive"},
    {"intent": "spam", "sentiment": "positive"},
    {"intent": "praise", "sentiment": "positive", "troll": 0.8},
    {"intent": "praise", "sentiment": "positive", "offensive": 0.7},
    {"intent": "praise", "sentiment": "negative"},
    {"intent": "chatter", "sentiment": "positive"},
])
def test_auto_like_never_fires_for_abuse_spam_trolls_or_negative(brand, channel, fields,
                                                                 django_capture_on_commit_callbacks):
    brand.settings = {"auto_like": {"enabled": True}}
    brand.save()
    post = inbox.ingest_post(brand, channel, incoming("p1", "great stuff", at=T0)).post
    with django_capture_on_commit_callbacks(execute=True):
        _triage(post, **fields)
    assert not OutboxItem.objects.filter(post=post).exists()
    assert not AuditEvent.objects.filter(verb="praise.auto_liked").exists()


def test_auto_like_off_by_default(brand, channel, django_capture_on_commit_callbacks):
    post = inbox.ingest_post(brand, channel, incoming("p1", "you are the best", at=T0)).post
    with django_capture_on_commit_callbacks(execute=True):
        _triage(post, intent="praise", sentiment="positive")
    assert not OutboxItem.objects.filter(post=post).exists()


# --- share this outcome ---------------------------------------------------------------------


def _resolved_with_csat(praised, users, score, comment=""):
    conv = praised.conversation
    inbox.assign(conv, users["care_agent"], users["admin"])
    inbox.resolve(conv, users["care_agent"], now=T0 + timedelta(hours=1))
    Survey.objects.filter(conversation=conv).update(score=score, comment=comment, answered_at=T0 + timedelta(hours=2))
    conv.refresh_from_db()
    return conv


def test_share_outcome_needs_a_resolved_case_with_a_happy_customer(brand, channel, users):
    post = inbox.ingest_post(brand, channel, incoming("p1", "parcel lost", at=T0)).post
    conv = post.conversation
    with pytest.raises(composer.ActionError, match="happy customer"):
        praise_actions.share_outcome(conv, users["care_agent"], outcome="refunded")
    inbox.resolve(conv, users["care_agent"], now=T0 + timedelta(hours=1))
    Survey.objects.filter(conversation=conv).update(score=2, answered_at=T0 + timedelta(hours=2))
    with pytest.raises(composer.ActionError, match="happy customer"):
        praise_actions.share_outcome(conv, users["care_agent"], outcome="refunded")


def test_share_outcome_quotes_with_consent_and_anonymises_without(praised, users):
    conv = _resolved_with_csat(praised, users, 5, "Quick and kind, thank you")
    share = praise_actions.share_outcome(conv, users["care_agent"], outcome="Replacement sent the same day",
                                         consent=True, queue=True)
    assert share.status == OutcomeShare.Status.QUEUED and share.consent
    assert "“Quick and kind, thank you” — @dana_k" in share.text
    anon = praise_actions.share_outcome(conv, users["care_agent"], outcome="Replacement sent the same day")
    assert anon.status == OutcomeShare.Status.DRAFT and anon.quote == ""
    assert "Quick and kind" not in anon.text and "dana_k" not in anon.text and anon.shown_handle == "@d***k"
    assert AuditEvent.objects.filter(verb="praise.outcome_shared").count() == 2
    with pytest.raises(composer.ActionError, match="300"):
        praise_actions.share_outcome(conv, users["care_agent"], outcome="")


def test_share_outcome_from_praise_after_resolution(brand, channel, users):
    author = AuthorData(platform_user_id="c9", handle="dana_k", first_name="Dana")
    first = incoming("p1", "my order is late", at=T0)
    first.author = author
    conv = inbox.ingest_post(brand, channel, first).conversation
    inbox.resolve(conv, users["care_agent"], now=T0 + timedelta(hours=1))
    later = incoming("p2", "arrived, you are stars", at=T0 + timedelta(hours=2), reply_to="p1")
    later.author = author
    post = inbox.ingest_post(brand, channel, later).post
    _triage(post, intent="praise", sentiment="positive")
    conv.refresh_from_db()
    if conv.status != "resolved":  # the customer's post reopened it; resolve again
        inbox.resolve(conv, users["care_agent"], now=T0 + timedelta(hours=3))
        Post.objects.filter(pk=post.pk).update(created_at=T0 + timedelta(hours=4))
    assert praise_actions.happy_words(conv)[0] == "arrived, you are stars"


def test_share_outcome_view_and_page(client, praised, users):
    conv = _resolved_with_csat(praised, users, 4, "Great help")
    client.force_login(users["care_agent"])
    page = client.get(f"/b/{conv.brand.slug}/c/{conv.pk}/").content.decode()
    assert "Share this outcome" in page
    r = client.post(f"/b/{conv.brand.slug}/c/{conv.pk}/share-outcome", {"outcome": "Sorted in a day",
                                                                          "consent": "on", "queue": "1"})
    assert r.status_code == 303
    page = client.get(f"/b/{conv.brand.slug}/c/{conv.pk}/").content.decode()
    assert "“Great help” — @dana_k" in page and "Queued as a public post draft" in page
    client.force_login(users["viewer"])
    assert client.post(f"/b/{conv.brand.slug}/c/{conv.pk}/share-outcome", {"outcome": "x"}).status_code == 403
    assert Template.objects.count() == 0


def test_auto_like_in_a_background_job_reads_the_brands_once_and_still_likes_praise(
        brand, other_brand, channel, django_capture_on_commit_callbacks, django_assert_num_queries):
    from parley.platforms.models import ChannelAccount
    from parley.server import jobmemo

    other_brand.settings = {"auto_like": True}
    other_brand.save()
    other_channel = ChannelAccount.objects.create(brand=other_brand, platform="x", external_id="3003", handle="Glx")
    off = inbox.ingest_post(brand, channel, incoming("p1", "you are the best", at=T0)).post
    on = inbox.ingest_post(other_brand, other_channel, incoming("p2", "you are the best", at=T0)).post
    with jobmemo.job():
        with django_capture_on_commit_callbacks(execute=True):
            _triage(off, intent="praise", sentiment="positive")
            _triage(on, intent="praise", sentiment="positive")
        with django_assert_num_queries(0):  # brands remembered; the brand's own post is never loaded
            praise_actions._auto_like_id(off.pk, off.brand_id)
    assert not OutboxItem.objects.filter(post=off).exists()
    assert OutboxItem.objects.get(post=on).action == "like"


def test_auto_like_in_a_job_where_no_brand_has_it_on_looks_at_no_post(brand, channel, django_assert_num_queries):
    from parley.server import jobmemo

    post = inbox.ingest_post(brand, channel, incoming("p1", "you are the best", at=T0)).post
    _triage(post, intent="praise", sentiment="positive")
    with jobmemo.job():
        with django_assert_num_queries(1):  # the brands' settings, once
            praise_actions._auto_like_id(post.pk)
        with django_assert_num_queries(0):
            praise_actions._auto_like_id(post.pk)
    assert not OutboxItem.objects.filter(post=post).exists()
    brand.settings = {"auto_like": True}
    brand.save()
    with jobmemo.job():  # the next job sees the brand's new setting
        praise_actions._auto_like_id(post.pk)
    assert OutboxItem.objects.get(post=post).action == "like"
