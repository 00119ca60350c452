#!/usr/bin/env python
"""What one deletion on the platform costs as kept webhook bodies grow.

    .venv/bin/python bench/bench_deletion.py --kept 10000              # SQLite in a temporary folder
    .venv/bin/python bench/bench_deletion.py --kept 100000 --database-url postgres://postgres@127.0.0.1:5432/postgres

It migrates a fresh database (SQLite: a temporary PARLEY_DATA_DIR; PostgreSQL: a database named
parley_bench_deletion, created and dropped), connects an X account and stores `--kept` processed
X deliveries (one mention each, received over the 12 hours before the deletions, so all of them are
inside the window a deletion used to scan). Where the code lists which posts each body carries
(CarriedPost), the stored bodies are listed the way `parley webhooks scrub-deleted` does (timed
apart: a one-off for bodies stored before the list; processing lists new bodies as it finishes them).

Then it applies `--deletions` X deletions of kept tweets that were never stored as posts (the
"deletion before its post" path: a tombstone, and every kept body carrying the tweet redacted),
each in its own transaction as the worker does, and reports the median and 90th percentile in ms
on the wall clock, the median CPU ms of this process (steadier than the wall clock on a loaded
machine), with the load average. The same script runs on older code (it only uses
`processing.apply`), so two checkouts can be compared on the same machine.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_webhooks import _pg_admin, fresh_database  # noqa: E402

BENCH_DB = "parley_bench_deletion"
X_ACCOUNT = "1001"
AT = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL; SQLite when omitted")
    parser.add_argument("--kept", type=int, default=10000, help="processed deliveries kept")
    parser.add_argument("--deletions", type=int, default=30, help="deletions to time")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="parley-bench-deletion-"))
    os.environ.update(PARLEY_DATA_DIR=str(tmp), PARLEY_LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="parley.settings",
                      PARLEY_TRIAGE_ENABLED="false")
    label = fresh_database(args.database_url, BENCH_DB)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections, transaction

    call_command("migrate", verbosity=0)
    from parley.accounts.models import Brand
    from parley.platforms import processing
    from parley.platforms.base import Deleted
    from parley.platforms.models import ChannelAccount, WebhookDelivery
    from parley.platforms.simulator import payloads as p

    try:
        brand = Brand.objects.create(slug="bench", name="Bench")
        channel = ChannelAccount.objects.create(brand=brand, platform="x", external_id=X_ACCOUNT, handle="AcmeHelp")
        rng = random.Random(7)
        fans = [p.x_user(str(5000 + n), f"fan{n}", f"Fan {n}", followers=n) for n in range(500)]
        start = time.perf_counter()
        rows = []
        for n in range(args.kept):
            at = AT - timedelta(hours=12) + timedelta(seconds=n * 43200 / args.kept)
            tweet = p.x_tweet(str(1900000000000000000 + n), f"@AcmeHelp order {n} is late, card ending {n % 9999:04} "
                              "charged twice, please call me back today", rng.choice(fans), at)
            body = p.x_delivery(X_ACCOUNT, tweet_create_events=[tweet])
            rows.append(WebhookDelivery(platform="x", key=f"{n:064x}", body=body, received_at=at,
                                        state=WebhookDelivery.State.DONE, processed_at=at, attempts=1))
        WebhookDelivery.objects.bulk_create(rows, batch_size=1000)
        stored_s = time.perf_counter() - start
        listed = ""
        if hasattr(WebhookDelivery, "carried_indexed"):
            from parley.platforms import scrub

            start = time.perf_counter()
            scrub.backfill_carried()
            listed = f", listed in {time.perf_counter() - start:.1f} s (one-off backfill)"
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"{label}: {args.kept} kept deliveries stored in {stored_s:.1f} s{listed}")

        victims = rng.sample(range(args.kept), args.deletions)
        times, cpus = [], []
        for n in victims:
            event = Deleted(platform="x", account_id=X_ACCOUNT, platform_id=str(1900000000000000000 + n),
                            at=AT + timedelta(minutes=n % 60))
            start, cpu = time.perf_counter(), time.process_time()
            with transaction.atomic():
                outcome = processing.apply(channel, event)
            times.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            assert outcome == "deleted_before_arrival", outcome
        redacted = WebhookDelivery.objects.filter(summary__has_key="redacted_posts").count()
        assert redacted == args.deletions, redacted  # each deletion redacted its tweet's body, no other
        times.sort()
        load = os.getloadavg()
        print(f"{args.deletions} deletions: median {statistics.median(times):.1f} ms, "
              f"p90 {times[int(len(times) * 0.9) - 1]:.1f} ms, max {times[-1]:.1f} ms; CPU of this process "
              f"median {statistics.median(cpus):.1f} ms (SQLite's work included, PostgreSQL's not); "
              f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    finally:
        connections.close_all()
        if args.database_url:
            _pg_admin(args.database_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
