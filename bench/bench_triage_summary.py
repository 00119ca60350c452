#!/usr/bin/env python
"""The triage summary on a kept bench_inbox database: its rebuild, and filter pairs old vs new.

    .venv/bin/python bench/bench_inbox.py --data-dir var/b --keep --only triage     # once: the data set
    .venv/bin/python bench/bench_triage_summary.py --data-dir var/b                   # SQLite
    .venv/bin/python bench/bench_inbox.py --database-url postgres://postgres@127.0.0.1:5432/postgres --keep
    .venv/bin/python bench/bench_triage_summary.py --database-url postgres://postgres@127.0.0.1:5432/postgres

(PARLEY_BENCH_DB names another PostgreSQL database than parley_bench_inbox, for both.)

1. `summary.rebuild()` (what `parley triage_summary` and the migrations run), timed
   whole: first with the flags computed in Python (`in_sql=False`), then in SQL
   (`in_sql=True`, the default). With --old,
   also the former rebuild (ORM bulk_create of every flag in one transaction,
   ignoring duplicates) first. Prints the flags, and how many are combined flags of
   the pairs added after the first one (topic + severity).
2. The inbox list filtered on each pair with a combined flag (count capped at 1,000
   and the first 50 rows, `queries.conversations(...)` alone, as docs/benchmarks.md's
   A/B): with the pairs' combined flags (new) and with the topic + severity flag
   only (old: a flag per value, plus the check that one post has both), alternating,
   median of --reps. SQLite: this process's CPU ms (the query runs in-process);
   PostgreSQL: wall ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASES = (("topic refund, severity >= 3", {"view": "active", "topic": "refund", "severity_min": "3"}),
         ("topic refund, severity >= 3, negative", {"view": "active", "topic": "refund", "severity_min": "3",
                                                    "sentiment": "negative"}),
         ("intent complaint, severity >= 3", {"view": "active", "intent": "complaint", "severity_min": "3"}),
         ("intent complaint, topic delivery", {"view": "active", "intent": "complaint", "topic": "delivery"}),
         ("sentiment negative, topic billing", {"view": "active", "sentiment": "negative", "topic": "billing"}),
         ("intent complaint, language fr", {"view": "active", "intent": "complaint", "language": "fr"}),
         ("intent question, sentiment negative", {"view": "active", "intent": "question", "sentiment": "negative"}),
         ("intent praise, topic outage", {"view": "all", "intent": "praise", "topic": "outage"}))


def old_rebuild(batch_size: int = 20_000) -> int:
    """The rebuild before 2026-11-23 16:30 UTC (ORM objects, one transaction), kept as the baseline."""
    from django.db import transaction

    from parley.triage.models import ConversationTriageFlag, PostTriage
    from parley.triage.summary import COLUMNS, _flag_rows

    with transaction.atomic():
        ConversationTriageFlag.objects.all().delete()
        last = 0
        while True:
            rows = list(PostTriage.objects.filter(post_id__gt=last).order_by("post_id")
                        .values_list("post_id", "post__conversation_id", *COLUMNS)[:batch_size])
            if not rows:
                break
            last = rows[-1][0]
            ConversationTriageFlag.objects.bulk_create(
                [ConversationTriageFlag(conversation_id=c, flag=f) for c, f in sorted(_flag_rows(r[1:] for r in rows))],
                ignore_conflicts=True, batch_size=5000)
        return ConversationTriageFlag.objects.count()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default="", help="the SQLite bench database's folder (bench_inbox --data-dir)")
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL (database parley_bench_inbox)")
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--old", action="store_true", help="also time the former rebuild")
    parser.add_argument("--no-rebuild", action="store_true")
    parser.add_argument("--rebuilds", default="python,sql", help="which rebuilds to time, in order (python, sql)")
    parser.add_argument("--no-pages", action="store_true", help="time the rebuilds only")
    args = parser.parse_args(argv)
    if args.database_url:
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(args.database_url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + os.environ.get("PARLEY_BENCH_DB", "parley_bench_inbox")))
    elif args.data_dir:
        os.environ["PARLEY_DATA_DIR"] = str(Path(args.data_dir).resolve())
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.data_dir).resolve() / 'bench.sqlite3'}"
    else:
        parser.error("give --data-dir or --database-url")
    os.environ["DJANGO_SETTINGS_MODULE"] = "parley.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.http import QueryDict

    from parley.accounts.models import Brand
    from parley.inbox import queries
    from parley.triage import summary
    from parley.triage.models import PostTriage

    pg = connection.vendor == "postgresql"
    print(f"{connection.vendor}; {PostTriage.objects.count():,} triage rows; load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    if not args.no_rebuild:
        runs = [("old ORM", old_rebuild)] if args.old else []
        for name in args.rebuilds.split(","):
            runs.append(("SQL", lambda: summary.rebuild(in_sql=True)) if name == "sql" else
                        ("Python rows", lambda: summary.rebuild(in_sql=False)))
        for name, fn in runs:
            wall, cpu = time.perf_counter(), time.process_time()
            flags = fn()
            print(f"rebuild {name}: {flags:,} flags in {time.perf_counter() - wall:.1f} s wall, "
                  f"{time.process_time() - cpu:.1f} s CPU (this process); load "
                  f"{os.getloadavg()[0]:.1f}", flush=True)
        from parley.triage.models import ConversationTriageFlag

        added = ConversationTriageFlag.objects.filter(flag__contains="&").exclude(flag__startswith="severity>=").count()
        print(f"of which combined flags of the pairs after topic + severity: {added:,}", flush=True)
        if pg:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE triage_conversationtriageflag")

    if args.no_pages:
        return 0
    admin = get_user_model().objects.get(username="bench-admin")
    brand = Brand.objects.get(slug="bench-acme")
    new_required = summary.required_flags

    def old_required(**values):  # the plan before the other pairs: only topic + severity combined
        return new_required(**values, pairs=summary.PAIRS[:1])

    def page(params) -> tuple[float, int]:
        q = QueryDict(mutable=True)
        q.update(params)
        f = queries.InboxFilter.from_params(q)
        clock = time.perf_counter if pg else time.process_time
        start = clock()
        qs = queries.conversations(admin, brand, f)
        n = qs.count()
        list(qs[:50])
        return (clock() - start) * 1000, n

    print("\n| case | old ms | new ms | count (capped at 1,000) |\n|---|---:|---:|---:|")
    for name, params in CASES:
        timings = {"old": [], "new": []}
        counts = set()
        for _ in range(args.reps):
            for plan in ("old", "new"):
                summary.required_flags = old_required if plan == "old" else new_required
                ms, n = page(params)
                timings[plan].append(ms)
                counts.add(n)
        summary.required_flags = new_required
        assert len(counts) == 1, f"plans disagree on {name}: {counts}"
        print(f"| {name} | {statistics.median(timings['old']):.1f} | {statistics.median(timings['new']):.1f} "
              f"| {counts.pop()} |", flush=True)
    print(f"\n{'wall' if pg else 'CPU'} ms, median of {args.reps}; load average after: "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
