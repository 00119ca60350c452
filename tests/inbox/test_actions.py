"""Actions: status lifecycle, replies, merges of customers and conversations."""

from datetime import timedelta

import pytest

from parley.inbox import actions
from parley.inbox.models import AuditEvent, Conversation, Customer, Post, Status
from tests.conftest import T0, incoming


@pytest.fixture
def conv(brand, channel):
    return actions.ingest_post(brand, channel, incoming("1", "where is my order?")).conversation


def test_status_lifecycle_and_audit(conv, users):
    agent = users["care_agent"]
    actions.set_status(conv, Status.OPEN, agent, now=T0)
    actions.set_status(conv, Status.PENDING_CUSTOMER, agent, now=T0)
    actions.resolve(conv, agent, now=T0 + timedelta(hours=1))
    assert conv.resolved_at == T0 + timedelta(hours=1)
    actions.set_status(conv, Status.CLOSED, agent, now=T0 + timedelta(hours=2))
    assert conv.closed_at == T0 + timedelta(hours=2)
    actions.set_status(conv, Status.OPEN, agent, now=T0 + timedelta(hours=3))
    assert (conv.resolved_at, conv.closed_at, conv.reopened_count) == (None, None, 1)
    verbs = list(AuditEvent.objects.filter(conversation=conv).values_list("verb", flat=True))
    assert verbs.count("conversation.status") == 4 and verbs[-1] == "conversation.reopened"


@pytest.mark.parametrize("status", ["merged", "bogus", ""])
def test_invalid_statuses_are_refused(conv, users, status):
    with pytest.raises(actions.ActionError):
        actions.set_status(conv, status, users["admin"])


def test_closed_cannot_go_straight_to_pending(conv, users):
    actions.set_status(conv, Status.CLOSED, users["admin"])
    with pytest.raises(actions.ActionError, match="cannot become"):
        actions.set_status(conv, Status.PENDING_CUSTOMER, users["admin"])


def test_reply_is_stored_pending_delivery_and_stops_the_wait(conv, users):
    post = actions.create_reply(conv, "Hi! Could you DM us the order number?", users["care_agent"], now=T0 + timedelta(minutes=7))
    conv.refresh_from_db()
    assert (post.direction, post.delivery_status, post.platform_id, post.visibility) == ("out", "pending", None, "public")
    assert post.parent.platform_id == "1" and post.author_user == users["care_agent"]
    assert conv.waiting_since is None and conv.first_response_at == T0 + timedelta(minutes=7)
    assert conv.status == Status.OPEN


def test_reply_idempotency_key(conv, users):
    a = actions.create_reply(conv, "Hello", users["admin"], idempotency_key="k1")
    b = actions.create_reply(conv, "Hello", users["admin"], idempotency_key="k1")
    assert a.pk == b.pk and Post.objects.filter(direction="out").count() == 1


@pytest.mark.parametrize("text", ["", "   ", "x" * 10_001])
def test_bad_replies_and_notes_are_refused(conv, users, text):
    with pytest.raises(actions.ActionError):
        actions.create_reply(conv, text, users["admin"])
    with pytest.raises(actions.ActionError):
        actions.add_note(conv, text, users["admin"])
    assert Post.objects.filter(direction="out").count() == 0


def test_private_reply_is_a_dm(conv, users):
    post = actions.create_reply(conv, "details here", users["admin"], visibility="private")
    assert (post.kind, post.visibility, post.parent) == ("dm", "private", None)


def test_tags_are_added_once_and_removed(conv, users):
    actions.add_tag(conv, "  delivery  ", users["admin"])
    actions.add_tag(conv, "delivery", users["admin"])
    assert list(conv.tags.values_list("name", flat=True)) == ["delivery"]
    actions.remove_tag(conv, "delivery", users["admin"])
    assert conv.tags.count() == 0
    assert AuditEvent.objects.filter(verb="conversation.tagged").count() == 1


def test_priority_bounds(conv, users):
    actions.set_priority(conv, 80, users["admin"])
    with pytest.raises(actions.ActionError):
        actions.set_priority(conv, 101, users["admin"])


def test_merge_and_unmerge_customers(brand, channel, users):
    x = actions.ingest_post(brand, channel, incoming("1", author="on-x")).conversation
    ig = actions.ingest_post(brand, None, incoming("2", author="on-ig", platform="instagram", kind="comment")).conversation
    a, b = x.customer, ig.customer
    actions.merge_customers(b, a, users["admin"])
    a.refresh_from_db(); b.refresh_from_db()
    assert b.merged_into == a
    assert sorted(a.identities.values_list("platform", flat=True)) == ["instagram", "x"]
    assert Conversation.objects.filter(customer=a).count() == 2
    identity = a.identities.get(platform="instagram")
    restored = actions.unmerge_identity(identity, users["admin"])
    assert restored == b
    b.refresh_from_db()
    assert b.merged_into is None and list(b.identities.all()) == [identity]
    assert list(Conversation.objects.filter(customer=b)) == [ig]
    assert AuditEvent.objects.filter(verb__in=["customer.merged", "customer.unmerged"]).count() == 2


def test_merge_customers_refuses_nonsense(brand, other_brand, channel, users):
    a = actions.ingest_post(brand, channel, incoming("1", author="a")).conversation.customer
    other = actions.ingest_post(other_brand, None, incoming("1", author="a")).conversation.customer
    with pytest.raises(actions.ActionError):
        actions.merge_customers(a, a, users["admin"])
    with pytest.raises(actions.ActionError):
        actions.merge_customers(a, other, users["admin"])
    with pytest.raises(actions.ActionError, match="only one"):
        actions.unmerge_identity(a.identities.get(), users["admin"])


def test_new_post_after_merge_threads_into_the_merged_customer(brand, channel, users):
    x = actions.ingest_post(brand, channel, incoming("1", author="one")).conversation
    y = actions.ingest_post(brand, channel, incoming("2", author="two")).conversation
    actions.merge_conversations(y, x, users["admin"])
    # A reply to a post of the merged-away conversation lands in the target.
    reply = actions.ingest_post(brand, channel, incoming("3", author="two", reply_to="2", at=T0 + timedelta(minutes=1)))
    assert reply.conversation.pk == x.pk
    assert Customer.objects.count() == 2


def test_deleting_the_first_post_removes_its_text_from_the_subject(brand, channel, users):
    conv = actions.ingest_post(brand, channel, incoming("1", "my email is dana@example.com")).conversation
    actions.ingest_post(brand, channel, incoming("2", "sorry, ignore that, order is late", at=T0 + timedelta(minutes=1)))
    actions.mark_post_deleted(Post.objects.get(platform_id="1"))
    conv.refresh_from_db()
    assert conv.subject == "sorry, ignore that, order is late"
    assert "dana@example.com" not in conv.subject


def test_vip_flag_is_an_audited_action(brand, channel, users):
    customer = actions.ingest_post(brand, channel, incoming("1")).conversation.customer
    actions.set_customer_vip(customer, True, users["supervisor"])
    actions.set_customer_vip(customer, True, users["supervisor"])
    customer.refresh_from_db()
    assert customer.is_vip
    assert AuditEvent.objects.filter(verb="customer.vip").count() == 1
