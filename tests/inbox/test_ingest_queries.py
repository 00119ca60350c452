"""How many statements storing one arriving post takes (the inbox's hot path for webhooks and polling).

Upper bounds, so a change that adds a query per post shows here; the figures of
docs/benchmarks.md come from bench/, not from these tests.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parley.inbox import actions
from parley.inbox.ingest import AuthorData, IncomingPost
from tests.conftest import T0

pytestmark = pytest.mark.django_db


def arriving(n: int, author: str = "u1", reply_to: str = "", thread: str = "") -> IncomingPost:
    return IncomingPost(platform="x", platform_id=str(1000 + n), text=f"parcel {n} is late", author=AuthorData(author, f"fan{author}"),
                        created_at=T0 + timedelta(minutes=n), in_reply_to_id=reply_to, platform_conversation_id=thread)


def statements(brand, channel, post) -> tuple[actions.IngestResult, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        result = actions.ingest_post(brand, channel, post)
    # Savepoints are counted too: each is a round trip to the database.
    return result, [q["sql"] for q in captured.captured_queries]


def test_a_new_customers_first_post(brand, channel):
    result, sql = statements(brand, channel, arriving(1))
    assert result.created and result.conversation.waiting_since == T0 + timedelta(minutes=1)
    assert len(sql) <= 13, "\n".join(sql)  # was 17 before the hot path was trimmed; +1: SLA policies (sla.stored)


def test_a_known_customers_reply_in_a_thread(brand, channel):
    first = actions.ingest_post(brand, channel, arriving(1)).post
    result, sql = statements(brand, channel, arriving(2, reply_to="1001", thread="1001"))
    assert result.created and result.post.parent == first and result.conversation == first.conversation
    assert len(sql) <= 12, "\n".join(sql)  # was 15; +1: the SLA policies for the stored due time


def test_a_redelivered_post_is_one_lookup(brand, channel):
    actions.ingest_post(brand, channel, arriving(1))
    result, sql = statements(brand, channel, arriving(1))
    assert not result.created and len(sql) == 1


def test_an_early_reply_still_gets_its_parent_when_the_parent_arrives(brand, channel):
    reply = actions.ingest_post(brand, channel, arriving(2, author="u2", reply_to="1001", thread="1001")).post
    parent, sql = statements(brand, channel, arriving(1))
    reply.refresh_from_db()
    assert reply.parent == parent.post and reply.conversation == parent.conversation
    assert len(sql) <= 20, "\n".join(sql)  # the out-of-order case merges; it may cost more
