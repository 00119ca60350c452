"""Races that only a real server with concurrent connections shows (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from parley.accounts.models import Brand
from parley.inbox import actions
from parley.inbox.models import Conversation, Post
from parley.platforms.models import ChannelAccount
from tests.conftest import incoming


def run_concurrently(n, target):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


@pytest.fixture
def pg_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections to a server database")


def test_redelivered_webhook_racing_itself_stores_one_post(pg_only):
    brand = Brand.objects.create(slug="race", name="Race")
    channel = ChannelAccount.objects.create(brand=brand, platform="x", external_id="1", handle="race")
    results, errors = run_concurrently(6, lambda: actions.ingest_post(brand, channel, incoming("42", "same post")))
    assert not errors, errors
    assert Post.objects.filter(platform_id="42").count() == 1
    assert sum(r.created for r in results) == 1
    assert len({r.post.pk for r in results}) == 1


def test_same_reply_key_racing_stores_one_reply(pg_only, django_user_model):
    brand = Brand.objects.create(slug="race2", name="Race")
    conv = actions.ingest_post(brand, None, incoming("1")).conversation
    user = django_user_model.objects.create_user("racer")
    results, errors = run_concurrently(
        6, lambda: actions.create_reply(Conversation.objects.get(pk=conv.pk), "hi", user, idempotency_key="k" * 32)
    )
    assert not errors, errors
    assert Post.objects.filter(direction="out").count() == 1
    assert len({p.pk for p in results}) == 1
