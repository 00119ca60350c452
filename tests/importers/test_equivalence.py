"""The bulk importer threads exactly as actions.ingest_post does, record by record.

Each test imports the same file twice: through the importer into one brand,
and through ingest_post in the importer's processing order into another;
then compares every conversation (its posts, customer, channel, status and
times), every post's parent, author and channel, and the customers.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

import pytest

from parley.accounts.models import Brand
from parley.inbox import actions
from parley.inbox.importers import arrival_order, import_file
from parley.inbox.models import Conversation, Post, Status
from parley.platforms.models import ChannelAccount
from tests.conftest import incoming

from .helpers import fixture, ingest_one_by_one, processing_order, records_of, snapshot

RECEIVED = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def two_brands(db):
    return Brand.objects.create(slug="bulk", name="Bulk"), Brand.objects.create(slug="live", name="Live")


@pytest.mark.parametrize(
    "name, batch_size",
    [("twcs_threads.csv", 5000), ("twcs_threads.csv", 3), ("ibm_dialogs.json", 4), ("posts.jsonl", 2),
     ("twcs_malformed.csv", 5000)],
)
def test_fixture_imports_like_ingest_post_in_time_order(two_brands, name, batch_size):
    bulk, live = two_brands
    path = fixture(name)
    summary = import_file(path, bulk, batch_size=batch_size, received_at=RECEIVED)
    assert summary.imported > 0
    ingest_one_by_one(live, arrival_order(records_of(path, live)), received_at=RECEIVED)
    assert snapshot(bulk) == snapshot(live)


def test_replies_in_file_before_parents_still_thread(two_brands):
    """Tiny windows leave the file's own order (replies first) for threading to sort out."""
    bulk, live = two_brands
    path = fixture("twcs_threads.csv")
    import_file(path, bulk, batch_size=2, window=3, received_at=RECEIVED)
    ingest_one_by_one(live, processing_order(records_of(path, live), 3), received_at=RECEIVED)
    assert snapshot(bulk) == snapshot(live)
    # Replies did arrive first: the conversations they opened were merged away.
    assert Conversation.objects.filter(brand=bulk, status=Status.MERGED).exists()


# --- random corpora, with history in the database ------------------------------------------

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
CHANNELS = ["AcmeHelp", "AcmeDeals", ""]


def _history(brand):
    """Posts and statuses already in the database before the import (same in both brands)."""
    brand.settings = {"reopen_window_hours": 24}
    brand.save()
    help_desk = ChannelAccount.objects.create(brand=brand, platform="x", external_id="1", handle="AcmeHelp")
    deals = ChannelAccount.objects.create(brand=brand, platform="x", external_id="2", handle="AcmeDeals")
    at = T0 - timedelta(days=1)
    for i, (customer, channel) in enumerate([("c1", help_desk), ("c2", help_desk), ("c3", deals), ("c4", help_desk)]):
        actions.ingest_post(brand, channel, incoming(f"h{i}", f"history {i}", author=customer, at=at + timedelta(minutes=i)))
    conv = Post.objects.get(brand=brand, platform_id="h0").conversation
    actions.resolve(conv, "test", now=T0 - timedelta(hours=2))  # reopened by c1 within the window
    conv = Post.objects.get(brand=brand, platform_id="h1").conversation
    actions.resolve(conv, "test", now=T0 - timedelta(hours=20))  # window runs out during the file
    conv = Post.objects.get(brand=brand, platform_id="h2").conversation
    actions.set_status(conv, Status.PENDING_CUSTOMER, "test")
    conv = Post.objects.get(brand=brand, platform_id="h3").conversation
    actions.set_status(conv, Status.CLOSED, "test", now=T0 - timedelta(hours=1))
    # A stored reply whose parent is in the file: linked and merged when the parent arrives.
    actions.ingest_post(brand, help_desk, incoming("h9", "stored early", author=None, direction="out",
                                                   reply_to="5", at=T0 + timedelta(days=3)))
    actions.ingest_post(brand, help_desk, incoming("h10", "stored early too", author="c7",
                                                   reply_to="5", at=T0 + timedelta(days=3, minutes=1)))


def random_corpus(seed: int, threads: int = 30) -> list[dict]:
    rng = random.Random(seed)
    customers = [f"c{i}" for i in range(1, 10)]
    used_seconds = set()
    posts, all_ids = [], []
    next_id = 1

    def moment(base: datetime) -> datetime:
        while True:
            second = int((base - T0).total_seconds()) + rng.randint(0, 59)
            if second not in used_seconds:
                used_seconds.add(second)
                return T0 + timedelta(seconds=second)

    for t in range(threads):
        customer, channel = rng.choice(customers), rng.choice(CHANNELS)
        dm = rng.random() < 0.2
        at = T0 + timedelta(minutes=rng.randint(0, 60 * 24 * 5))
        previous = rng.choice(["", "", "", "h0", "h1", "h2", f"gone{t}"]) if rng.random() < 0.4 else ""
        if previous == "" and all_ids and rng.random() < 0.15:
            previous = rng.choice(all_ids)  # a reply into another customer's thread
        root = ""
        for k in range(rng.randint(1, 6)):
            pid = str(next_id)
            next_id += 1
            inbound = (k % 2 == 0) if rng.random() < 0.85 else rng.random() < 0.5
            at += timedelta(minutes=rng.randint(1, 600))
            created = moment(at - timedelta(minutes=3) if rng.random() < 0.1 else at)  # some clocks run behind
            post = {
                "platform": "x", "id": pid, "created_at": created.isoformat(), "channel": channel,
                "direction": "in" if inbound else "out", "text": f"post {pid} of thread {t}",
                "kind": "dm" if dm else ("reply" if previous else "mention"),
            }
            if inbound:
                post["author"] = {"id": customer if rng.random() < 0.9 else rng.choice(customers),
                                  "name": f"Customer {customer}" if rng.random() < 0.5 else ""}
            if previous:
                post["in_reply_to"] = previous
            if dm:
                post["conversation_id"] = f"dm-{customer}"
            elif root and rng.random() < 0.3:
                post["conversation_id"] = root
            posts.append(post)
            all_ids.append(pid)
            root = root or pid
            previous = pid
    for post in rng.sample(posts, k=len(posts) // 20):
        posts.append(dict(post, text="delivered twice"))
    rng.shuffle(posts)
    return posts


@pytest.mark.parametrize(
    "seed, batch_size, window",
    [(1, 5000, 10**6), (2, 7, 10**6), (3, 5, 23), (4, 1, 10**6), (5, 11, 17), (6, 5000, 40)],
)
def test_random_corpus_with_history_imports_like_ingest_post(two_brands, tmp_path, seed, batch_size, window):
    bulk, live = two_brands
    for brand in two_brands:
        _history(brand)
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in random_corpus(seed)) + "\n")

    summary = import_file(path, bulk, batch_size=batch_size, window=window, received_at=RECEIVED)
    ingest_one_by_one(live, processing_order(records_of(path, live), window), received_at=RECEIVED)

    assert summary.rejected == 0 and summary.duplicates > 0
    assert snapshot(bulk) == snapshot(live)


def test_batch_size_changes_nothing(db, tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in random_corpus(11)) + "\n")
    shots = []
    for size in (1, 9, 5000):
        brand = Brand.objects.create(slug=f"b{size}", name="B")
        _history(brand)
        import_file(path, brand, batch_size=size, received_at=RECEIVED)
        shots.append(snapshot(brand))
    assert shots[0] == shots[1] == shots[2]


def test_second_file_extending_the_first_imports_like_ingest_post(two_brands, tmp_path):
    """Re-importing with new posts mixed in: stored ones are duplicates, new ones thread onto them."""
    bulk, live = two_brands
    posts = random_corpus(21)
    first, everything = tmp_path / "first.jsonl", tmp_path / "all.jsonl"
    first.write_text("\n".join(json.dumps(p) for p in posts[::2]) + "\n")
    everything.write_text("\n".join(json.dumps(p) for p in posts) + "\n")
    for path in (first, everything):
        import_file(path, bulk, batch_size=13, received_at=RECEIVED)
        ingest_one_by_one(live, arrival_order(records_of(path, live)), received_at=RECEIVED)
    assert snapshot(bulk) == snapshot(live)
    again = import_file(everything, bulk, batch_size=13, received_at=RECEIVED)
    assert again.imported == 0 and again.duplicates == again.read
