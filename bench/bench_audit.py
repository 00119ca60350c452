#!/usr/bin/env python
"""The audit-log browser's page time at 100,000 audit events (and the CSV export's rate).

    .venv/bin/python bench/bench_audit.py                      # SQLite in a temporary folder
    .venv/bin/python bench/bench_audit.py --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/bench_audit.py --events 20000       # a quick look

A fresh database gets two brands; the first holds `--events` audit events (the second a tenth
as many) spread over 90 days across 5,000 conversations, 2,000 customers, 12 actors and 25
verbs, written with bulk inserts. Each case is one GET of /b/<brand>/audit/ by an admin
through Django's test client (the whole view: access check, filters, one keyset page of
PARLEY_AUDIT_PAGE_SIZE rows, the verbs list, template rendering). Prints a Markdown table
for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_DB = "parley_bench_audit"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
VERBS = [f"{obj}.{what}" for obj in ("conversation", "reply", "customer", "note", "followup")
         for what in ("created", "assigned", "status", "merged", "tagged")]


def setup_django(database_url: str | None):
    data_dir = Path(tempfile.mkdtemp(prefix="parley-bench-audit-"))
    os.environ["PARLEY_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "parley.settings"
    os.environ["PARLEY_TRIAGE_ENABLED"] = "false"
    if database_url:
        import psycopg

        with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(database_url)._replace(path="/" + BENCH_DB))
        # Keep connections between requests, as docs/configuration.md advises behind a busy server;
        # otherwise every request pays for a new PostgreSQL connection.
        os.environ.setdefault("PARLEY_DB_CONN_MAX_AGE", "60")
        label = "PostgreSQL"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
        label = "SQLite"

    def cleanup():
        from django.db import connections

        connections.close_all()
        if database_url:
            import psycopg

            with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        shutil.rmtree(data_dir, ignore_errors=True)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return label, cleanup


def build(events: int, rng: random.Random):
    from django.contrib.auth import get_user_model

    from parley.accounts.models import Brand, Membership, Role
    from parley.inbox.models import AuditEvent, Conversation, Customer

    brands = [Brand.objects.create(slug="acme", name="Acme"), Brand.objects.create(slug="globex", name="Globex")]
    User = get_user_model()
    admin = User.objects.create_user("admin", password="bench-password-1")
    Membership.objects.create(user=admin, brand=brands[0], role=Role.ADMIN)
    actors = [User.objects.create_user(f"agent{i}") for i in range(11)] + [admin]
    customers = Customer.objects.bulk_create(
        [Customer(brand=brands[0], display_name=f"Customer {i}") for i in range(2000)]
    )
    conversations = Conversation.objects.bulk_create([
        Conversation(brand=brands[0], customer=rng.choice(customers), platform="x", created_at=NOW, last_post_at=NOW)
        for _ in range(5000)
    ])
    # Spread the events over 90 days: created_at is auto_now_add, which bulk_create would overwrite.
    AuditEvent._meta.get_field("created_at").auto_now_add = False
    start = NOW - timedelta(days=90)
    step = timedelta(days=90) / max(1, events)
    rows = []
    for i in range(events + events // 10):
        brand = brands[0] if i % 11 else brands[1]
        verb = rng.choice(VERBS)
        conversation = rng.choice(conversations) if brand is brands[0] and not verb.startswith("customer") else None
        customer = rng.choice(customers) if verb.startswith("customer") else None
        actor = rng.choice(actors)
        rows.append(AuditEvent(
            brand=brand, actor=actor, actor_label=actor.username, verb=verb,
            object_type="customer" if customer else "conversation",
            object_id=str(customer.pk if customer else conversation.pk if conversation else 0),
            conversation=conversation, data={"n": i}, created_at=start + step * (i * 10 // 11),
        ))
        if len(rows) == 5000:
            AuditEvent.objects.bulk_create(rows)
            rows = []
    AuditEvent.objects.bulk_create(rows)
    return admin, conversations, customers


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    label, cleanup = setup_django(args.database_url)
    try:
        run(label, args)
    finally:
        cleanup()


def run(label, args):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from parley.inbox.models import AuditEvent

    rng = random.Random(args.seed)
    started = time.perf_counter()
    admin, conversations, customers = build(args.events, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    built = time.perf_counter() - started
    total = AuditEvent.objects.filter(brand__slug="acme").count()
    ids = sorted(AuditEvent.objects.filter(brand__slug="acme").values_list("pk", flat=True))
    client = Client()
    client.force_login(admin)
    cases = [
        ("newest page, no filter", {}),
        ("deep page (before the median id)", {"before": ids[len(ids) // 2]}),
        ("oldest page (before the 50th id)", {"before": ids[50]}),
        ("action filter (one of 25 verbs)", {"verb": "reply.assigned"}),
        ("action prefix (customer.)", {"verb": "customer."}),
        ("actor filter (one of 12)", {"actor": "agent3"}),
        ("one conversation", {"conversation": conversations[17].pk}),
        ("one customer", {"customer": customers[5].pk}),
        ("date range (one week, 60 days ago)", {"since": (NOW - timedelta(days=60)).date().isoformat(),
                                                 "until": (NOW - timedelta(days=54)).date().isoformat()}),
        ("actor + action + date range", {"actor": "agent3", "verb": "note.tagged",
                                          "since": (NOW - timedelta(days=30)).date().isoformat()}),
    ]
    print(f"## Audit-log browser ({label}, {total:,} events in the brand, built in {built:.1f} s)\n")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{args.reps} requests a case after one warm-up.\n")
    print("| case | rows on the page | p50 ms | p95 ms | of which SQL, p50 ms |")
    print("|---|---:|---:|---:|---:|")
    for name, params in cases:
        url = "/b/acme/audit/?" + urlencode(params)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        rows = response.content.decode().count("<td><code>")
        times, sql = [], []
        for _ in range(args.reps):
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - t) * 1000)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(f"| {name} | {rows} | {statistics.median(times):.1f} | {p95:.1f} | {statistics.median(sql):.1f} |")
    t = time.perf_counter()
    response = client.get("/b/acme/audit/export.csv")
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
    elapsed = time.perf_counter() - t
    print(f"\nCSV export of the whole brand log: {lines:,} rows in {elapsed:.2f} s ({lines / elapsed:,.0f} rows/s).")


if __name__ == "__main__":
    main()
