"""Ingestion through the action: idempotency, threading, out-of-order arrival, bad input."""

from datetime import timedelta

import pytest

from parley.inbox import actions
from parley.inbox.models import Conversation, Customer, Identity, Post, Status
from tests.conftest import T0, incoming


def ingest(brand, channel, post):
    return actions.ingest_post(brand, channel, post)


def test_first_post_creates_customer_identity_and_conversation(brand, channel):
    result = ingest(brand, channel, incoming("1", "my parcel is late"))
    assert result.created
    conv = result.conversation
    assert conv.status == Status.NEW
    assert conv.subject == "my parcel is late"
    assert conv.waiting_since == T0
    assert conv.customer.identities.get().platform_user_id == "c1"


def test_redelivery_never_creates_a_second_post(brand, channel):
    first = ingest(brand, channel, incoming("1"))
    again = ingest(brand, channel, incoming("1", "edited text"))
    assert not again.created
    assert again.post.pk == first.post.pk
    assert Post.objects.count() == 1 and Conversation.objects.count() == 1


def test_same_platform_id_on_other_brand_is_a_different_post(brand, other_brand, channel):
    ingest(brand, channel, incoming("1"))
    ingest(other_brand, None, incoming("1"))
    assert Post.objects.count() == 2
    assert Customer.objects.count() == 2


def test_reply_chain_threads_brand_reply_and_customer_answer(brand, channel):
    ingest(brand, channel, incoming("1", "help"))
    ingest(brand, channel, incoming("2", "DM us", author=None, direction="out", kind="reply", reply_to="1",
                                    at=T0 + timedelta(minutes=5)))
    ingest(brand, channel, incoming("3", "done", reply_to="2", at=T0 + timedelta(minutes=9)))
    assert Conversation.objects.count() == 1
    conv = Conversation.objects.get()
    assert conv.first_response_at == T0 + timedelta(minutes=5)
    assert conv.waiting_since == T0 + timedelta(minutes=9)
    assert Post.objects.get(platform_id="3").parent.platform_id == "2"


def test_brand_reply_clears_waiting(brand, channel):
    ingest(brand, channel, incoming("1"))
    ingest(brand, channel, incoming("2", author=None, direction="out", reply_to="1", at=T0 + timedelta(minutes=1)))
    assert Conversation.objects.get().waiting_since is None


def test_dm_from_same_customer_joins_open_public_conversation(brand, channel):
    ingest(brand, channel, incoming("1", "public complaint"))
    ingest(brand, channel, incoming("dm1", "here is my order", kind="dm", at=T0 + timedelta(minutes=3)))
    conv = Conversation.objects.get()
    assert list(conv.posts.values_list("visibility", flat=True).order_by("created_at")) == ["public", "private"]


def test_reply_arriving_before_parent_threads_once_parent_arrives(brand, channel):
    ingest(brand, channel, incoming("r", "we're on it", author=None, direction="out", reply_to="p",
                                    at=T0 + timedelta(minutes=4)))
    ingest(brand, channel, incoming("p", "broken", author="c9", at=T0))
    live = Conversation.objects.exclude(status=Status.MERGED)
    assert live.count() == 1
    conv = live.get()
    assert conv.customer is not None
    assert Post.objects.get(platform_id="r").parent.platform_id == "p"
    assert conv.created_at == T0
    assert conv.first_response_at == T0 + timedelta(minutes=4)
    assert conv.waiting_since is None


def test_two_customer_chains_joined_by_late_root_merge(brand, channel):
    # Replies from two branches arrive first; the root ties them together.
    ingest(brand, channel, incoming("b", "me too", author="c2", reply_to="root", at=T0 + timedelta(minutes=2)))
    ingest(brand, channel, incoming("c", "same here", author="c3", reply_to="root", at=T0 + timedelta(minutes=3)))
    assert Conversation.objects.exclude(status=Status.MERGED).count() == 2
    ingest(brand, channel, incoming("root", "outage?", author="c1", at=T0))
    live = Conversation.objects.exclude(status=Status.MERGED)
    assert live.count() == 1
    assert live.get().posts.count() == 3
    merged = Conversation.objects.filter(status=Status.MERGED)
    assert merged.count() == 1 and merged.get().merged_into_id == live.get().pk


def test_post_after_resolution_reopens_within_window(brand, channel):
    conv = ingest(brand, channel, incoming("1")).conversation
    actions.resolve(conv, "test", now=T0 + timedelta(hours=1))
    again = ingest(brand, channel, incoming("2", at=T0 + timedelta(hours=5))).conversation
    assert again.pk == conv.pk
    again.refresh_from_db()
    assert again.status == Status.OPEN and again.reopened_count == 1


def test_post_long_after_resolution_starts_new_conversation(brand, channel):
    conv = ingest(brand, channel, incoming("1")).conversation
    actions.resolve(conv, "test", now=T0 + timedelta(hours=1))
    again = ingest(brand, channel, incoming("2", at=T0 + timedelta(days=10))).conversation
    assert again.pk != conv.pk


def test_brand_setting_changes_reopen_window(brand, channel):
    brand.settings = {"reopen_window_hours": 0}
    brand.save()
    conv = ingest(brand, channel, incoming("1")).conversation
    actions.resolve(conv, "test", now=T0 + timedelta(hours=1))
    again = ingest(brand, channel, incoming("2", at=T0 + timedelta(hours=2))).conversation
    assert again.pk != conv.pk


def test_pending_customer_becomes_open_when_customer_writes(brand, channel):
    conv = ingest(brand, channel, incoming("1")).conversation
    actions.set_status(conv, Status.PENDING_CUSTOMER, "test")
    ingest(brand, channel, incoming("2", at=T0 + timedelta(minutes=1)))
    conv.refresh_from_db()
    assert conv.status == Status.OPEN


@pytest.mark.parametrize(
    "bad, message",
    [
        (dict(platform="myspace"), "unknown platform"),
        (dict(kind="poke"), "unknown kind"),
        (dict(direction="sideways"), "unknown direction"),
        (dict(author=None), "needs an author"),
        (dict(platform_id=""), "missing platform id"),
        (dict(platform_id="x" * 600), "longer than"),  # ids are up to 512 characters
        (dict(likes=-1), "likes"),
    ],
)
def test_invalid_posts_are_refused_with_reason_and_write_nothing(brand, channel, bad, message):
    post = incoming("1")
    for key, value in bad.items():
        setattr(post, key, value)
    with pytest.raises(actions.InvalidPost, match=message):
        ingest(brand, channel, post)
    assert Post.objects.count() == 0 and Conversation.objects.count() == 0 and Identity.objects.count() == 0


def test_naive_time_is_refused(brand, channel):
    post = incoming("1", at=T0.replace(tzinfo=None))
    with pytest.raises(actions.InvalidPost, match="time zone"):
        ingest(brand, channel, post)


def test_hostile_text_is_stored_as_written_but_nul_and_size_capped(brand, channel, settings):
    settings.PARLEY_MAX_POST_CHARS = 1000
    hostile = "<script>alert(1)</script>\u200b\u202eevil\x00" + "😡" * 5000
    post = ingest(brand, channel, incoming("1", hostile)).post
    assert post.text.startswith("<script>alert(1)</script>\u200b\u202eevil😡")
    assert "\x00" not in post.text
    assert len(post.text) == 1000


def test_identity_profile_refreshes_but_never_erases(brand, channel):
    p = incoming("1")
    p.author.first_name = "Dana"
    p.author.followers = 10
    ingest(brand, channel, p)
    q = incoming("2", at=T0 + timedelta(minutes=1))
    q.author.followers = 25
    ingest(brand, channel, q)
    identity = Identity.objects.get()
    assert (identity.first_name, identity.followers) == ("Dana", 25)


def test_nul_characters_in_the_raw_payload_are_dropped_not_refused(brand, channel):
    # PostgreSQL's jsonb refuses \u0000: a payload carrying one must still be stored (without it).
    raw = {"text": "a\x00b", "nested": [{"k\x00": "v\x00"}], "n": 3}
    post = actions.ingest_post(brand, channel, incoming("nul1", "hello", raw=raw)).post
    post.refresh_from_db()
    assert post.raw == {"text": "ab", "nested": [{"k": "v"}], "n": 3}
