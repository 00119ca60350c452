#!/usr/bin/env python
"""Webhook intake and processing in one process, without an HTTP server or a load client.

    .venv/bin/python bench/bench_intake_inprocess.py                  # SQLite in a temporary folder
    .venv/bin/python bench/bench_intake_inprocess.py --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/bench_intake_inprocess.py --deliveries 1000

On a shared machine the HTTP benchmark (bench_webhooks.py) mostly measures the neighbours; this
one reports CPU time per delivery of this process, which a busy machine disturbs much less:

- intake through the Django view (the test client: middleware, thread-free), µs per delivery;
- intake through the ASGI path (`parley.asgi.application`: signature check, group commit), driven
  by asyncio with --concurrency requests in flight, µs per delivery and requests/s;
- processing of the stored deliveries (parse, idempotent ingest, threading, listeners): one
  delivery at a time (`processing.process`) and batched (`processing.process_many`, what the
  intake's jobs run), posts/s and database statements per post.

It migrates a fresh database (SQLite: a temporary PARLEY_DATA_DIR; PostgreSQL: a database named
parley_bench_intake, created and dropped) and prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_webhooks import ACCOUNT, SECRET, _pg_admin, fresh_database  # noqa: E402

BENCH_DB = "parley_bench_intake"


def bodies(count: int, offset: int) -> list[bytes]:
    from parley.platforms.simulator import payloads

    now = datetime.now(timezone.utc)
    out = []
    for n in range(offset, offset + count):
        user = payloads.x_user(str(6_000_000 + n % 3000), f"fan{n % 3000}", f"Fan {n % 3000}")
        tweet = payloads.x_tweet(str(1_700_000_000_000_000_000 + n), f"@AcmeHelp parcel {n} is late", user, now)
        out.append(payloads.x_delivery(ACCOUNT, tweet_create_events=[tweet]))
    return out


class Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def cpu() -> float:
    t = os.times()
    return t.user + t.system


def via_view(items: list[bytes]) -> float:
    from django.test import Client

    from parley.platforms.x.webhooks import sign

    client = Client()
    warm = 20  # the first requests load modules and settle caches; they are not timed
    for n, body in enumerate(items):
        if n == warm:
            began = cpu()
        response = client.post("/hooks/x/", data=body, content_type="application/json",
                               HTTP_X_TWITTER_WEBHOOKS_SIGNATURE=sign(SECRET, body))
        assert response.status_code == 200, response.content
    return (cpu() - began) / (len(items) - warm) * 1e6


def via_asgi(items: list[bytes], concurrency: int) -> tuple[float, float]:
    from parley.asgi import application
    from parley.platforms import intake
    from parley.platforms.x.webhooks import SIGNATURE_HEADER, sign

    async def one(body: bytes):
        headers = [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/json"),
                   (b"content-length", str(len(body)).encode()), (SIGNATURE_HEADER.encode(), sign(SECRET, body).encode())]
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        sent = []

        async def receive():
            return messages.pop() if messages else {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/hooks/x/", "headers": headers, "query_string": b"",
                 "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 8000), "scheme": "http"}  # as uvicorn gives
        await application(scope, receive, send)
        assert sent[0]["status"] == 200, sent

    async def run():
        pending = iter(items)

        async def lane():
            for body in pending:
                await one(body)

        await asyncio.gather(*(lane() for _ in range(concurrency)))

    began_cpu, began = cpu(), time.perf_counter()
    asyncio.run(run())
    elapsed = time.perf_counter() - began
    used = cpu() - began_cpu
    intake.writer().close()
    return used / len(items) * 1e6, len(items) / elapsed


def processing_rate(batched: bool) -> tuple[float, float, int]:
    from django.db import connection

    from parley.inbox.models import Post
    from parley.platforms import processing
    from parley.platforms.models import WebhookDelivery

    ids = list(WebhookDelivery.objects.filter(state="queued").order_by("pk").values_list("pk", flat=True))
    posts_before = Post.objects.count()
    counter = Counter()
    began_cpu, began = cpu(), time.perf_counter()
    with connection.execute_wrapper(counter):
        if batched:
            for start in range(0, len(ids), 256):
                processing.process_many(ids[start:start + 256])
        else:
            for pk in ids:
                processing.process(WebhookDelivery.objects.get(pk=pk))
    elapsed, used = time.perf_counter() - began, cpu() - began_cpu
    posts = Post.objects.count() - posts_before
    return posts / elapsed, counter.count / max(posts, 1), posts, used / max(posts, 1) * 1e3


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL; SQLite when omitted")
    parser.add_argument("--deliveries", type=int, default=2000, help="deliveries per measurement")
    parser.add_argument("--concurrency", type=int, default=64, help="ASGI requests in flight")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="parley-bench-intake-"))
    os.environ.update(PARLEY_DATA_DIR=str(tmp), PARLEY_X_CONSUMER_SECRET=SECRET, PARLEY_LOG_LEVEL="WARNING",
                      PARLEY_TRIAGE_ENABLED="false", DJANGO_SETTINGS_MODULE="parley.settings")
    label = fresh_database(args.database_url, BENCH_DB)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    from parley.accounts.models import Brand
    from parley.platforms.models import ChannelAccount

    brand = Brand.objects.create(slug="bench", name="Bench")
    ChannelAccount.objects.create(brand=brand, platform="x", external_id=ACCOUNT, handle="AcmeHelp")
    n = args.deliveries
    load = os.getloadavg()[0]
    view_us = via_view(bodies(n, 0))
    single_rate, single_q, single_posts, single_ms = processing_rate(batched=False)
    from parley.platforms import processing

    batched = hasattr(processing, "process_many")  # False when measuring an older checkout
    if batched:
        asgi_us, asgi_rps = via_asgi(bodies(n, n), args.concurrency)
        batch_rate, batch_q, batch_posts, batch_ms = processing_rate(batched=True)
    print(f"\n### Webhook intake and processing in-process, {label}, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n")
    print(f"Machine: {platform.node()}, {os.cpu_count()} CPUs, load average {load:.1f} at the start; "
          f"Python {platform.python_version()}; {n:,} deliveries per row (one new tweet each).\n")
    print("| step | CPU per delivery | rate (wall clock) | statements per post |")
    print("|---|---:|---:|---:|")
    print(f"| intake, Django view (test client) | {view_us:,.0f} µs | | |")
    print(f"| processing, one delivery at a time | {single_ms:,.1f} ms | {single_rate:,.0f} posts/s ({single_posts:,}) | {single_q:.1f} |")
    if batched:
        print(f"| intake, ASGI path ({args.concurrency} in flight, group commit) | {asgi_us:,.0f} µs | {asgi_rps:,.0f} requests/s | |")
        print(f"| processing, batches of 256 | {batch_ms:,.1f} ms | {batch_rate:,.0f} posts/s ({batch_posts:,}) | {batch_q:.1f} |")
    connections.close_all()
    if args.database_url:
        _pg_admin(args.database_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
