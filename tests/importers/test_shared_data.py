"""The real files in ../shared/data (skipped in a fresh clone without them)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timezone

from parley.accounts.models import Brand
from parley.inbox.importers import arrival_order, import_file
from parley.inbox.models import Post
from tests.conftest import shared_path

from .helpers import ingest_one_by_one, partition, records_of, snapshot

RECEIVED = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def test_twcs_sample_imports_like_ingest_post(db):
    path = shared_path("data", "twcs-sample", "sample.csv")
    bulk, live = Brand.objects.create(slug="bulk", name="B"), Brand.objects.create(slug="live", name="L")
    summary = import_file(path, bulk, batch_size=17, received_at=RECEIVED)
    assert summary.read > 0 and summary.rejected == 0 and summary.imported == summary.read
    ingest_one_by_one(live, arrival_order(records_of(path, live)), received_at=RECEIVED)
    assert snapshot(bulk) == snapshot(live)
    again = import_file(path, bulk)
    assert again.duplicates == summary.read and again.imported == 0


def test_ibm_dev_dialogs_become_conversations(brand):
    path = shared_path("data", "ibm-twitter-customer-care", "dev.json")
    summary = import_file(path, brand)
    assert summary.rejected == 0
    assert summary.imported + summary.duplicates == summary.read
    assert summary.duplicates > 0  # a few tweets appear in two dialogs
    dialogs = json.loads(path.read_text())
    groups = {pid: group for group in partition(brand) for pid in group}
    held_together = 0
    for dialog in dialogs:
        ids = [m["tweet_ID"] for m in dialog["dialogContent"]] + [dialog["agentURL"]["tweet_ID"]]
        assert len({groups[i] for i in ids}) == 1  # the whole dialog in one conversation
        held_together += 1
    assert held_together == len(dialogs)
    by_company = defaultdict(set)
    for dialog in dialogs:
        by_company[dialog["dialogHeader"]["company"]].add(dialog["agentURL"]["tweet_ID"])
    for company, ids in by_company.items():
        assert set(Post.objects.filter(platform_id__in=ids).values_list("channel__handle", flat=True)) == {company}


def test_ibm_dev_sample_imports_like_ingest_post(db, tmp_path):
    dialogs = json.loads(shared_path("data", "ibm-twitter-customer-care", "dev.json").read_text())
    path = tmp_path / "dev-part.json"
    path.write_text(json.dumps(dialogs[:60]))
    bulk, live = Brand.objects.create(slug="bulk", name="B"), Brand.objects.create(slug="live", name="L")
    import_file(path, bulk, batch_size=50, received_at=RECEIVED)
    ingest_one_by_one(live, arrival_order(records_of(path, live)), received_at=RECEIVED)
    assert snapshot(bulk) == snapshot(live)
