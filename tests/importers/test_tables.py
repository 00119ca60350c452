"""The importer's row writer stores what the ORM would, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection, transaction

from parley.inbox.importers.tables import Table, sqlite_time
from parley.inbox.models import AuditEvent, Conversation, Customer, Post


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2017, 10, 1, 5, 6, 7, tzinfo=timezone.utc),
        datetime(2017, 10, 1, 5, 6, 7, 120, tzinfo=timezone.utc),
        datetime(2017, 10, 1, 5, 6, 7, tzinfo=timezone(timedelta(hours=2))),
    ],
)
def test_sqlite_time_text_is_djangos(moment):
    field = Post._meta.get_field("created_at")
    if connection.vendor == "sqlite":
        assert sqlite_time(moment) == field.get_db_prep_save(moment, connection)
    with pytest.raises(ValueError, match="naive"):
        sqlite_time(moment.replace(tzinfo=None))


def test_rows_read_back_through_the_orm(brand, channel):
    now = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
    at = datetime(2026, 11, 20, 8, 30, 15, 250000, tzinfo=timezone(timedelta(hours=-5)))
    with transaction.atomic():
        customers, conversations, posts = Table(Customer), Table(Conversation), Table(Post)
        (customer_id,) = customers.allocate(1)
        customers.insert(["id", "brand_id", "display_name"], [(customer_id, brand.pk, "Dana")], now)
        (conversation_id,) = conversations.allocate(1)
        conversations.insert(
            ["id", "brand_id", "customer_id", "channel_id", "platform", "status", "subject", "started_public",
             "created_at", "last_post_at"],
            [(conversation_id, brand.pk, customer_id, channel.pk, "x", "new", "ünïcode ✓", True, at, at)],
            now,
        )
        first, second = posts.allocate(2)
        names = ["id", "brand_id", "conversation_id", "platform", "platform_id", "text", "parent_id", "created_at",
                 "received_at", "raw", "likes"]
        posts.insert(names, [
            (second, brand.pk, conversation_id, "x", "p2", "reply", first, at, now, None, 0),
            (first, brand.pk, conversation_id, "x", "p1", "<b>hi</b> 😀", None, at, now, {"k": [1, "two"]}, 7),
        ], now)
    conv = Conversation.objects.get()
    assert (conv.customer.display_name, conv.subject, conv.started_public, conv.priority) == (
        "Dana", "ünïcode ✓", True, 0,
    )
    assert conv.created_at == at and conv.updated_at == now and conv.reopened_count == 0
    root = Post.objects.get(platform_id="p1")
    assert (root.text, root.raw, root.likes, root.kind, root.is_deleted, root.idempotency_key) == (
        "<b>hi</b> 😀", {"k": [1, "two"]}, 7, "post", False, None,
    )
    assert root.created_at == at and root.received_at == now
    reply = Post.objects.get(platform_id="p2")
    assert reply.parent == root and reply.raw is None
    # The database's own sequence moves on past the keys taken.
    later = Customer.objects.create(brand=brand, display_name="Lee")
    assert later.pk > customer_id
    assert Post.objects.create(
        brand=brand, conversation=conv, platform="x", platform_id="p3", created_at=at, received_at=now
    ).pk > second


def test_update_and_select(brand):
    now = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
    conv = Conversation.objects.create(brand=brand, platform="x", created_at=now, last_post_at=now)
    table = Table(Conversation)
    later = now + timedelta(hours=1)
    with transaction.atomic():
        table.update(["status", "waiting_since"], [("open", later, conv.pk)])
        rows = list(table.select_in(["id", "status", "waiting_since"], {"brand_id": brand.pk}, "id", [conv.pk, 0], 1))
    assert rows == [(conv.pk, "open", later)]
    conv.refresh_from_db()
    assert (conv.status, conv.waiting_since) == ("open", later)


def test_many_rows_span_several_statements(brand):
    now = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
    table = Table(AuditEvent)
    with transaction.atomic():
        keys = table.allocate(1203)
        table.insert(["id", "brand_id", "verb", "object_type", "object_id", "data"],
                     [(k, brand.pk, "test", "thing", str(k), {"n": k}) for k in keys], now)
    assert AuditEvent.objects.count() == 1203
    assert AuditEvent.objects.get(pk=keys[-1]).data == {"n": keys[-1]}
