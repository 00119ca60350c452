"""A private reply to a Facebook / Instagram comment: one Send API message addressed by the comment's id,
once per comment, within 7 days of it (policy, modes, client against the simulator, the outbox end to
end, the form without JavaScript, and two agents racing on PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from parley.composer import actions as composer
from parley.composer.modes import CommentFacts, modes
from parley.inbox.actions import ActionError
from parley.inbox.models import AuditEvent, Conversation, Identity, Post
from parley.platforms import outbox, policy
from parley.platforms.base import Permanent, RateLimited, SendContext, TokenInvalid
from parley.platforms.meta.client import MetaClient
from parley.platforms.models import OutboxItem, PrivateReply
from parley.platforms.simulator import payloads

from tests.inbox.test_concurrency import pg_only, run_concurrently  # noqa: F401  (pg_only is a fixture)

from .conftest import IG_ACCOUNT, PAGE_ID, deliver

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
COMMENT_ID = "448242228374517_9001"
POST_ID = "448242228374517_77"
COMMENTER = "5550001"  # the comment's author id (from.id) in the feed webhook
PSID = "7770001"  # the same person's Messenger id, which the Send API names


# --- policy (pure) -----------------------------------------------------------------------------


def test_policy_allows_a_fresh_comment_on_facebook_and_instagram():
    for platform in ("facebook", "instagram"):
        assert policy.private_reply(platform, "comment", "in", NOW - timedelta(days=6, hours=23), False, NOW) == ""
    assert policy.private_reply("facebook", "post", "in", NOW - timedelta(hours=1), False, NOW) == ""  # visitor post
    assert policy.private_reply("facebook", "comment", "in", NOW - timedelta(days=7), False, NOW) == ""  # the edge


@pytest.mark.parametrize("args, says", [
    (("x", "mention", "in", NOW, False), "Facebook and Instagram only"),
    (("youtube", "comment", "in", NOW, False), "Facebook and Instagram only"),
    (("facebook", "dm", "in", NOW, False), "not one"),
    (("instagram", "post", "in", NOW, False), "not one"),
    (("instagram", "mention", "in", NOW, False), "not one"),
    (("facebook", "comment", "out", NOW, False), "not one"),
    (("facebook", "comment", "in", NOW, True), "already sent"),
    (("instagram", "comment", "in", None, False), "time is unknown"),
    (("facebook", "comment", "in", NOW - timedelta(days=7, seconds=1), False), "7 days old"),
    (("instagram", "comment", "in", NOW - timedelta(days=30), False), "30 days old"),
])
def test_policy_refuses_with_a_plain_reason(args, says):
    platform, kind, direction, at, used = args
    assert says in policy.private_reply(platform, kind, direction, at, used, NOW)


def test_modes_offer_the_private_reply_or_say_why_not():
    fresh = modes("instagram", "public", None, NOW, CommentFacts(NOW - timedelta(days=2)))
    offered = next(m for m in fresh if m.value == "comment_dm")
    assert not offered.disabled and "5 days 0 hours left" in offered.hint and "one per comment" in offered.hint
    assert [m.value for m in fresh if m.checked] == ["public"]
    used = modes("facebook", "comment_dm", None, NOW, CommentFacts(NOW, "A private reply to this comment was already sent"))
    mode = next(m for m in used if m.value == "comment_dm")
    assert mode.disabled and "already sent" in mode.hint and not mode.checked
    assert [m.value for m in used if m.checked] == ["public"]  # a disabled mode is never the checked one
    assert "comment_dm" not in [m.value for m in modes("facebook", "private", None, NOW)]
    assert "comment_dm" not in [m.value for m in modes("x", "public", None, NOW, CommentFacts(NOW))]


# --- the client against the simulator ------------------------------------------------------------


def _reply_post(conversation_text="Hi Jo, I've messaged you privately."):
    return Post(text=conversation_text, visibility="private", platform="facebook")


@pytest.mark.django_db
def test_client_sends_by_comment_id_and_a_second_is_refused(sim, fb_channel):
    client = MetaClient(fb_channel)
    sim.add_comment(COMMENT_ID, datetime.now(timezone.utc).timestamp() - 3600, PSID)
    sent = client.send(_reply_post(), SendContext(comment_id=COMMENT_ID))
    request = sim.requests[-1]
    assert request.method == "POST" and request.path == "/v21.0/me/messages" and request.token == "page-token-1"
    assert request.body == {"recipient": {"comment_id": COMMENT_ID}, "message": {"text": "Hi Jo, I've messaged you privately."}}
    assert sent.platform_id.startswith("m_") and sent.raw["recipient_id"] == PSID
    assert sim.private_replies[COMMENT_ID]["message_id"] == sent.platform_id
    with pytest.raises(Permanent) as refused:
        client.send(_reply_post("again"), SendContext(comment_id=COMMENT_ID))
    assert refused.value.code == 10900 and "already has its private reply" in refused.value.reason
    assert not refused.value.retry


@pytest.mark.django_db
def test_client_reports_an_expired_comment(sim, ig_channel):
    sim.add_comment("18000000000000001", datetime.now(timezone.utc).timestamp() - 8 * 86400)
    with pytest.raises(Permanent) as refused:
        MetaClient(ig_channel).send(_reply_post(), SendContext(comment_id="18000000000000001"))
    assert refused.value.code == 10903 and "older than 7 days" in refused.value.reason
    assert "18000000000000001" not in sim.private_replies


@pytest.mark.django_db
def test_client_maps_token_and_throttling_errors(sim, fb_channel):
    client = MetaClient(fb_channel)
    sim.fail("token", "/me/messages")
    with pytest.raises(TokenInvalid) as token:
        client.send(_reply_post(), SendContext(comment_id=COMMENT_ID))
    assert token.value.code == 190
    for code in (4, 613):
        sim.fail("rate_limit", "/me/messages", code=code)
        with pytest.raises(RateLimited) as throttled:
            client.send(_reply_post(), SendContext(comment_id=COMMENT_ID))
        assert throttled.value.code == code and throttled.value.retry
    assert COMMENT_ID not in sim.private_replies  # none of the refused calls used the comment's one reply


# --- end to end: webhook -> composer -> outbox -> simulator -> the customer's answer ----------------


def _facebook_comment(client, at: datetime, comment_id: str = COMMENT_ID, text: str = "My blender broke after a week"):
    sender = {"id": COMMENTER, "name": "Jo Doe"}
    body = payloads.meta_delivery("page", [payloads.fb_feed_entry(
        PAGE_ID, at, payloads.fb_comment(comment_id, POST_ID, text, sender, at))])
    deliver(client, "meta", body)
    return Post.objects.get(platform_id=comment_id)


@pytest.mark.django_db
def test_private_reply_goes_out_by_comment_and_the_answer_threads_to_it(client, sim, fb_channel, users):
    now = datetime.now(timezone.utc)
    comment = _facebook_comment(client, now - timedelta(hours=2))
    sim.add_comment(COMMENT_ID, comment.created_at.timestamp(), PSID)
    agent = users["supervisor"]
    # Private data is allowed in private: the guardrails check it as a private message.
    checked = composer.send_checked_reply(comment.conversation, "Hi Jo, so sorry. Call us on 415-555-0134.", agent,
                                          visibility="comment_dm", now=now)
    reply = checked.post
    assert reply.visibility == "private" and reply.kind == "dm" and reply.parent_id == comment.pk
    assert reply.in_reply_to_id == COMMENT_ID and PrivateReply.objects.get(comment=comment).post_id == reply.pk
    assert not any(f.level == "block" for f in checked.findings)

    item = OutboxItem.objects.get(post=reply)
    assert outbox.run(item.pk, now=now) == "sent"
    assert sim.requests[-1].body["recipient"] == {"comment_id": COMMENT_ID}
    reply.refresh_from_db()
    assert reply.delivery_status == "sent" and reply.platform_id == sim.private_replies[COMMENT_ID]["message_id"]
    # The Messenger id the Send API named is now the commenter's: their answer joins this conversation.
    linked = Identity.objects.get(platform="facebook", platform_user_id=PSID)
    assert linked.customer_id == comment.author.customer_id
    assert AuditEvent.objects.filter(verb="identity.linked_private_reply").count() == 1
    answer = payloads.meta_delivery("page", [payloads.messaging_entry(
        PAGE_ID, now, PSID, PAGE_ID, "m_answer_1", "Thanks! Order 5512, bought last week.")])
    deliver(client, "meta", answer)
    assert Post.objects.get(platform_id="m_answer_1").conversation_id == comment.conversation_id
    # Its echo is recognised as the message already stored, not a second copy.
    echo = payloads.meta_delivery("page", [payloads.messaging_entry(
        PAGE_ID, now, PAGE_ID, PSID, reply.platform_id, reply.text, echo=True)])
    deliver(client, "meta", echo)
    assert Post.objects.filter(direction="out", conversation=comment.conversation).count() == 1


@pytest.mark.django_db
def test_second_private_reply_and_an_old_comment_are_refused_before_storing(client, sim, fb_channel, users):
    now = datetime.now(timezone.utc)
    comment = _facebook_comment(client, now - timedelta(days=1))
    conversation = comment.conversation
    first = composer.send_checked_reply(conversation, "Hi Jo, I've sent you the details.", users["supervisor"],
                                        visibility="comment_dm", now=now, idempotency_key="k" * 32).post
    # The same submit again (a double click) answers with the stored reply, never a refusal.
    again = composer.send_checked_reply(conversation, "Hi Jo, I've sent you the details.", users["supervisor"],
                                        visibility="comment_dm", now=now, idempotency_key="k" * 32).post
    assert again.pk == first.pk and PrivateReply.objects.count() == 1
    with pytest.raises(ActionError, match="already sent"):
        composer.send_checked_reply(conversation, "Hi Jo, one more thing.", users["admin"], visibility="comment_dm", now=now)
    assert Post.objects.filter(direction="out").count() == 1
    PrivateReply.objects.all().delete()
    with pytest.raises(ActionError, match="9 days old: a private reply is allowed only within 7 days"):
        composer.send_checked_reply(conversation, "Too late?", users["admin"], visibility="comment_dm",
                                    now=now + timedelta(days=8))
    assert Post.objects.filter(direction="out").count() == 1


@pytest.mark.django_db
def test_a_dm_conversation_offers_no_private_reply(client, sim, fb_channel, users):
    deliver(client, "meta", payloads.meta_delivery("page", [payloads.messaging_entry(
        PAGE_ID, datetime.now(timezone.utc), PSID, PAGE_ID, "m_q", "Hello, where is my order?")]))
    conversation = Conversation.objects.get()
    with pytest.raises(ActionError, match="not one"):
        composer.send_checked_reply(conversation, "Hi!", users["supervisor"], visibility="comment_dm")


@pytest.mark.django_db
def test_outbox_refuses_a_private_reply_that_waited_past_seven_days(client, sim, ig_channel, users):
    now = datetime.now(timezone.utc)
    at = now - timedelta(days=6)
    comment_id = "18000000000000077"
    body = payloads.meta_delivery("instagram", [{"id": IG_ACCOUNT, "time": int(at.timestamp()), "changes": [
        {"field": "comments", "value": {"id": comment_id, "text": "Wrong size delivered", "timestamp": int(at.timestamp()),
                                        "from": {"id": "ig-555", "username": "jo.doe"}, "media": {"id": "17900000000000001"}}}]}])
    deliver(client, "meta", body)
    comment = Post.objects.get(platform_id=comment_id)
    reply = composer.send_checked_reply(comment.conversation, "Hi Jo, let's fix this in private.", users["supervisor"],
                                        visibility="comment_dm", now=now).post
    item = OutboxItem.objects.get(post=reply)
    assert outbox.run(item.pk, now=now + timedelta(days=1, hours=1)) == "failed"  # e.g. held by a throttled channel
    reply.refresh_from_db()
    assert reply.delivery_status == "failed" and "7 days" in reply.delivery_error
    assert not [r for r in sim.requests if r.path.endswith("/messages")]


@pytest.mark.django_db
def test_throttled_private_reply_is_retried_and_then_sent_once(client, sim, fb_channel, users):
    now = datetime.now(timezone.utc)
    comment = _facebook_comment(client, now - timedelta(hours=1))
    reply = composer.send_checked_reply(comment.conversation, "Hi Jo, see your inbox.", users["supervisor"],
                                        visibility="comment_dm", now=now).post
    item = OutboxItem.objects.get(post=reply)
    sim.fail("rate_limit", "/me/messages", code=613)
    assert outbox.run(item.pk, now=now) == "retry"
    item.refresh_from_db()
    fb_channel.refresh_from_db()
    assert item.state == "retry" and fb_channel.paused_until is not None
    assert outbox.run(item.pk, now=fb_channel.paused_until + timedelta(seconds=1)) == "sent"
    assert len(sim.private_replies) == 1


# --- the form, without JavaScript ------------------------------------------------------------------


@pytest.mark.django_db
def test_form_offers_sends_and_then_shows_the_mode_as_used(client, sim, fb_channel, users):
    comment = _facebook_comment(client, datetime.now(timezone.utc) - timedelta(hours=3))
    conversation = comment.conversation
    client.force_login(users["supervisor"])
    page_url = f"/b/{conversation.brand.slug}/c/{conversation.pk}/"
    page = client.get(page_url).content.decode()
    assert 'value="comment_dm"' in page and "Private reply to this comment" in page
    assert 'value="comment_dm" disabled' not in page
    response = client.post(page_url + "replies/", {"text": "Hi Jo, I've sent you a private message.",
                                                   "visibility": "comment_dm", "key": "a" * 32})
    assert response.status_code in (302, 303), response.content[:500]
    assert PrivateReply.objects.get(comment=comment).post.text == "Hi Jo, I've sent you a private message."
    page = client.get(page_url).content.decode()
    assert 'value="comment_dm" disabled' in page and "already sent" in page


# --- two agents at once (PostgreSQL: real concurrent connections) ------------------------------------


def test_two_agents_racing_store_one_private_reply(pg_only, django_user_model):  # noqa: F811
    import threading

    from parley.accounts.models import Brand, Role
    from parley.inbox import actions as inbox
    from parley.platforms.models import ChannelAccount
    from tests.conftest import incoming, make_user

    brand = Brand.objects.create(slug="race-private", name="Race")
    channel = ChannelAccount.objects.create(brand=brand, platform="facebook", external_id=PAGE_ID, handle="race")
    for round_ in range(3):  # a race may be won cleanly by chance: repeat it on fresh comments
        comment = inbox.ingest_post(brand, channel, incoming(
            f"{POST_ID}_{round_}", "It broke", platform="facebook", kind="comment", author=f"c{round_}",
            at=datetime.now(timezone.utc) - timedelta(hours=1))).post
        agents = iter([make_user(django_user_model, f"sup{round_}{i}", brand, Role.SUPERVISOR) for i in range(4)])
        picked = {}

        def send():
            me = picked.setdefault(threading.get_ident(), next(agents))
            return composer.send_checked_reply(Conversation.objects.get(pk=comment.conversation_id),
                                               f"Hi, {me.username} here: see your inbox.", me, visibility="comment_dm")

        results, errors = run_concurrently(4, send)
        assert len(results) == 1, (results, errors)
        assert len(errors) == 3 and all(isinstance(e, ActionError) and "already sent" in str(e) for e in errors), errors
        assert PrivateReply.objects.filter(comment=comment).count() == 1
        assert Post.objects.filter(conversation_id=comment.conversation_id, direction="out").count() == 1


def test_claims_inserted_at_the_same_moment_one_wins_in_the_database(pg_only, django_user_model):  # noqa: F811
    """Both passed every check and claim the comment at the same moment: the unique comment decides."""
    import threading

    from django.db import transaction

    from parley.accounts.models import Brand
    from parley.composer import private_reply
    from parley.inbox import actions as inbox
    from tests.conftest import incoming

    brand = Brand.objects.create(slug="race-claim", name="Race")
    comment = inbox.ingest_post(brand, None, incoming(f"{POST_ID}_c", "It broke", platform="facebook", kind="comment",
                                                      at=datetime.now(timezone.utc))).post
    conversation = Conversation.objects.get(pk=comment.conversation_id)
    # Two replies stored already (in the composer, replies to one conversation queue on its row; the
    # claim is what stops a second private reply even where nothing else serialises the two).
    replies = iter([inbox.create_reply(conversation, f"See your inbox ({n})", "agent", visibility="private")
                    for n in range(2)])
    picked = {}
    together = threading.Barrier(2)

    def claim():
        post = picked.setdefault(threading.get_ident(), next(replies))
        with transaction.atomic():
            together.wait(timeout=10)
            return private_reply.claim(post, Post.objects.get(pk=comment.pk), datetime.now(timezone.utc))

    results, errors = run_concurrently(2, claim)
    assert len(results) == 1 and len(errors) == 1, (results, errors)
    assert isinstance(errors[0], ActionError) and "by someone else" in str(errors[0])
    assert PrivateReply.objects.filter(comment=comment).count() == 1


# --- the REST API -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_sends_a_private_reply_once(client, sim, fb_channel, users):
    from tests.api.conftest import client_for, conv_url

    comment = _facebook_comment(client, datetime.now(timezone.utc) - timedelta(hours=1))
    api = client_for(users["supervisor"])
    url = conv_url(comment.conversation, "replies/")
    sent = api.post(url, {"text": "Hi Jo, check your inbox please.", "visibility": "comment_dm"}, format="json")
    assert sent.status_code == 201, sent.content
    assert sent.json()["visibility"] == "private" and PrivateReply.objects.get(comment=comment).post_id == sent.json()["id"]
    again = api.post(url, {"text": "Hi Jo, one more.", "visibility": "comment_dm"}, format="json")
    assert again.status_code == 400 and "already sent" in again.json()["detail"], again.content


@pytest.mark.django_db
def test_a_private_reply_held_for_approval_is_claimed_when_approved(client, sim, fb_channel, users):
    comment = _facebook_comment(client, datetime.now(timezone.utc) - timedelta(hours=1))
    held = composer.send_checked_reply(comment.conversation, "Hi Jo, our lawyer will contact you.", users["care_agent"],
                                       visibility="comment_dm")
    assert held.post is None and held.approval.visibility == "comment_dm" and not PrivateReply.objects.exists()
    post = composer.approve_reply(held.approval, users["supervisor"])
    assert post.visibility == "private" and PrivateReply.objects.get(comment=comment).post_id == post.pk
    assert post.author_user_id == users["care_agent"].pk
