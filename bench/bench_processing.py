#!/usr/bin/env python
"""Processing stored webhook deliveries into the inbox, with the real task code, in one process.

    .venv/bin/python bench/bench_processing.py                      # SQLite in a temporary folder
    .venv/bin/python bench/bench_processing.py --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/bench_processing.py --deliveries 4000 --profile

It migrates a fresh database (SQLite: a temporary PARLEY_DATA_DIR; PostgreSQL: a database named
parley_bench_processing unless --bench-db names another, created and dropped), connects an X account, a Facebook Page (feed and
Messenger) and stores N deliveries the way the intake does (`accept_deliveries`, groups of 256, one
`process_deliveries` job per group). The mix: X mentions from a pool of returning fans, replies to
their earlier tweets, X DMs, Facebook comments on the Page's posts, Messenger messages, and a few
deletions of earlier tweets. Then it drains every queued job with django-tasks-db's own worker
(`db_worker --batch`, in this process) with triage on (the configured profile, `accurate` by default)
and routing on, exactly as `parley worker` would, and reports:

- posts/s on the wall clock and CPU ms per post of this process (SQLite's work included; PostgreSQL's
  server work is not), with the load average (the machine may be shared);
- database statements per post;
- with --profile, where the time goes (cProfile, cumulative seconds of the main stages);
- a fingerprint of the results (posts, threads, parents, deletions, triage, routing decisions,
  conversations' clocks and priority) to compare two versions of the code on the same input.

Triage models are loaded before timing (a worker loads them once).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import platform
import pstats
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_webhooks import _pg_admin, fresh_database  # noqa: E402

BENCH_DB = "parley_bench_processing"
X_ACCOUNT = "1001"
PAGE_ID = "2001"
FANS = 600
GROUP = 256  # deliveries per intake group commit (one process_deliveries job each)

# (cProfile function name suffix, label) of the stages reported with --profile
STAGES = [
    ("processing.py:process_many", "process_deliveries (all of it)"),
    ("parse.py:parse", "parse"),
    ("actions.py:ingest_post", "ingest_post"),
    ("actions.py:ingest_posts", "ingest_posts (batched)"),
    ("tasks.py:triage_post", "triage task"),
    ("service.py:triage_posts", "triage (batched)"),
    ("pipeline.py:triage_many", "triage models, batch"),
    ("pipeline.py:triage", "triage models, one post"),
    ("listeners.py:_route", "routing"),
    ("actions.py:route_posts", "routing (batched)"),
    ("listeners.py:post_ingested", "post-ingested listeners"),
    ("listeners.py:_implicit_feedback", "implicit feedback (SLA)"),
    ("db_worker.py:run_task", "task runs (worker)"),
    ("query.py:get_locked", "claiming jobs"),
]


def deliveries(count: int, start: datetime) -> list[tuple[str, bytes]]:
    """`count` (family, body) pairs; deterministic, so two runs see the same input."""
    from parley.platforms.simulator import payloads as p

    out: list[tuple[str, bytes]] = []
    tweets: list[tuple[str, dict]] = []  # (tweet id, author) of stored mentions, for replies and deletions
    page_posts = [f"{PAGE_ID}_{900_000 + k}" for k in range(20)]
    words = ["my parcel {n} is late", "refund for order {n} please", "love the new blender {n}!",
             "where is my package {n}?", "the app crashes when I pay {n}", "thanks for the quick help {n}",
             "the product arrived broken {n}", "how do I change my address {n}", "worst service ever {n}"]
    for n in range(count):
        at = start + timedelta(seconds=n)
        fan = n * 7919 % FANS
        user = p.x_user(str(6_000_000 + fan), f"fan{fan}", f"Fan {fan}", followers=fan * 13)
        text = words[n % len(words)].format(n=n)
        kind = n % 20
        if kind < 7 or (kind < 10 and not tweets):  # mention (35 %)
            tid = str(1_700_000_000_000_000_000 + n)
            tweet = p.x_tweet(tid, f"@AcmeHelp {text}", user, at)
            tweets.append((tid, user))
            out.append(("x", p.x_delivery(X_ACCOUNT, tweet_create_events=[tweet])))
        elif kind < 10:  # a reply to an earlier mention of the same thread (15 %)
            parent_id, parent_user = tweets[(n * 31) % len(tweets)]
            tid = str(1_700_000_000_000_000_000 + n)
            tweet = p.x_tweet(tid, f"@AcmeHelp still waiting: {text}", parent_user, at,
                              reply_to=parent_id, reply_to_user=parent_user["id_str"])
            out.append(("x", p.x_delivery(X_ACCOUNT, tweet_create_events=[tweet])))
        elif kind < 13:  # X DM (15 %)
            dm = p.x_dm(f"dm{n}", user["id_str"], X_ACCOUNT, text, at)
            out.append(("x", p.x_delivery(X_ACCOUNT, direct_message_events=[dm],
                                          users={user["id_str"]: user})))
        elif kind < 16:  # Facebook comment on one of the Page's posts (15 %)
            post_id = page_posts[n % len(page_posts)]
            sender = {"id": str(7_000_000 + fan), "name": f"Fan {fan}"}
            comment = p.fb_comment(f"{post_id.split('_')[1]}_{n}", post_id, text, sender, at)
            out.append(("meta", p.meta_delivery("page", [p.fb_feed_entry(PAGE_ID, at, comment)])))
        elif kind < 19:  # Messenger message (15 %)
            entry = p.messaging_entry(PAGE_ID, at, str(8_000_000 + fan), PAGE_ID, f"m_{n}", text)
            out.append(("meta", p.meta_delivery("page", [entry])))
        else:  # a deletion of an earlier tweet (5 %)
            tid, owner = tweets[(n * 17) % len(tweets)] if tweets else (str(n), user)
            out.append(("x", p.x_delivery(X_ACCOUNT, tweet_delete_events=[p.x_delete(tid, owner["id_str"], at)])))
    return out


class Statements:
    """Counts statements, in all and per kind of job (the task running when each was sent)."""

    def __init__(self):
        self.count = 0
        self.job = "worker (claiming, finishing jobs)"
        self.by_job: dict[str, int] = {}
        self.runs: dict[str, int] = {}

    def started(self, sender, task_result, **kwargs):
        self.job = task_result.task.name
        self.runs[self.job] = self.runs.get(self.job, 0) + 1

    def finished(self, sender, task_result, **kwargs):
        self.job = "worker (claiming, finishing jobs)"

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        self.by_job[self.job] = self.by_job.get(self.job, 0) + 1
        return execute(sql, params, many, context)


def cpu() -> float:
    t = os.times()
    return t.user + t.system


def fingerprint() -> tuple[str, dict]:
    """A digest of what processing decided, independent of row ids and of when the run happened."""
    from parley.inbox.models import Conversation, Post
    from parley.routing.models import RoutingResult
    from parley.triage.models import PostTriage

    posts = {p.pk: p for p in Post.objects.all()}
    pid = {pk: (p.platform, p.platform_id) for pk, p in posts.items()}
    first_of: dict[int, tuple] = {}
    for p in sorted(posts.values(), key=lambda p: (p.created_at, p.platform_id)):
        first_of.setdefault(p.conversation_id, pid[p.pk])
    triage = {t.post_id: (t.status, t.intent, t.sentiment, t.priority) for t in PostTriage.objects.all()}
    routed = {r.post_id: (json.dumps(r.decision, sort_keys=True), r.applied) for r in RoutingResult.objects.all()}
    rows = []
    for pk, p in posts.items():
        rows.append([*pid[pk], p.kind, p.direction, first_of[p.conversation_id],
                     pid.get(p.parent_id), p.is_deleted, p.author.platform_user_id if p.author_id else None,
                     triage.get(pk), routed.get(pk)])
    for c in Conversation.objects.all():
        rows.append(["conversation", first_of.get(c.pk), c.status, c.priority, c.customer_id is not None,
                     str(c.waiting_since), str(c.last_inbound_at), str(c.first_response_at), c.subject])
    rows.sort(key=lambda r: json.dumps(r, default=str))
    if os.environ.get("BENCH_DUMP"):  # one row a line, to diff two versions' results
        Path(os.environ["BENCH_DUMP"]).write_text("\n".join(json.dumps(r, default=str) for r in rows))
    digest = hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()[:16]
    counts = {"posts": len(posts), "conversations": Conversation.objects.count(), "triaged": len(triage),
              "routed": len(routed), "deleted": sum(p.is_deleted for p in posts.values())}
    return digest, counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL; SQLite when omitted")
    parser.add_argument("--deliveries", type=int, default=2000, help="deliveries to store and process")
    parser.add_argument("--triage", choices=["on", "off"], default="on", help="triage on (the default) or off")
    parser.add_argument("--profile", action="store_true", help="run under cProfile and print the stages")
    parser.add_argument("--bench-db", default=BENCH_DB,
                        help=f"PostgreSQL database to create and drop (default {BENCH_DB}; name your own to run "
                             "beside another bench)")
    args = parser.parse_args(argv)
    if not (args.bench_db.isidentifier() and args.bench_db.isascii()):
        parser.error(f"--bench-db {args.bench_db!r}: use letters, digits and underscores only")

    tmp = Path(tempfile.mkdtemp(prefix="parley-bench-processing-"))
    os.environ.update(PARLEY_DATA_DIR=str(tmp), PARLEY_LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="parley.settings",
                      PARLEY_TRIAGE_ENABLED="true" if args.triage == "on" else "false")
    label = fresh_database(args.database_url, args.bench_db)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    call_command("migrate", verbosity=0)
    from parley.accounts.models import Brand
    from parley.inbox.models import Post
    from parley.platforms import actions
    from parley.platforms.models import ChannelAccount, WebhookDelivery

    brand = Brand.objects.create(slug="bench", name="Bench")
    ChannelAccount.objects.create(brand=brand, platform="x", external_id=X_ACCOUNT, handle="AcmeHelp")
    ChannelAccount.objects.create(brand=brand, platform="facebook", external_id=PAGE_ID, handle="Acme")
    items = deliveries(args.deliveries, datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc))
    for at in range(0, len(items), GROUP):
        actions.accept_deliveries(items[at:at + GROUP])
    if settings.PARLEY_TRIAGE_ENABLED:
        from parley.triage import service

        service.triager_for(brand).triage_many(["warm the models up"])  # a worker loads them once

    load = os.getloadavg()
    counter = Statements()
    from django_tasks.signals import task_finished, task_started

    task_started.connect(counter.started)
    task_finished.connect(counter.finished)
    profiler = cProfile.Profile() if args.profile else None
    began_cpu, began = cpu(), time.perf_counter()
    with connection.execute_wrapper(counter):
        if profiler:
            profiler.enable()
        call_command("db_worker", batch=True, interval=0, startup_delay=False, queue_name="*", verbosity=0)
        if profiler:
            profiler.disable()
    elapsed, used = time.perf_counter() - began, cpu() - began_cpu
    posts = Post.objects.count()
    states = dict(WebhookDelivery.objects.values_list("state").annotate(n=django.db.models.Count("id")))
    digest, counts = fingerprint()

    print(f"\n### Processing stored deliveries, {label}, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n")
    print(f"Machine: {platform.node()}, {os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} "
          f"(1 / 5 min) at the start, {os.getloadavg()[0]:.1f} at the end; Python {platform.python_version()}; "
          f"triage {'on, profile ' + settings.PARLEY_TRIAGE_PROFILE if settings.PARLEY_TRIAGE_ENABLED else 'off'}; "
          f"{args.deliveries:,} deliveries in jobs of {GROUP}.\n")
    print("| posts | wall s | posts/s | CPU ms per post | statements per post | deliveries | fingerprint |")
    print("|---:|---:|---:|---:|---:|---|---|")
    print(f"| {posts:,} | {elapsed:.1f} | **{posts / elapsed:,.0f}** | {used / max(posts, 1) * 1e3:.2f} | "
          f"{counter.count / max(posts, 1):.1f} | {states} | `{digest}` |")
    print(f"\n{counts}\n\n| job | runs | statements | per post |\n|---|---:|---:|---:|")
    for job, n in sorted(counter.by_job.items(), key=lambda kv: -kv[1]):
        print(f"| {job} | {counter.runs.get(job, '')} | {n:,} | {n / max(posts, 1):.1f} |")
    if profiler:
        stats = pstats.Stats(profiler)
        total = sum(v[3] for k, v in stats.stats.items() if k[2] == "<module>") or None
        print("\n| stage | cumulative s | share of the drain |\n|---|---:|---:|")
        for suffix, name in STAGES:
            found = [v for k, v in stats.stats.items() if f"{Path(k[0]).name}:{k[2]}" == suffix]
            if found:
                cum = max(v[3] for v in found)
                print(f"| {name} | {cum:.2f} | {cum / elapsed * 100:.0f} % |")
        if os.environ.get("BENCH_PROFILE_TOP"):
            stats.sort_stats("cumulative").print_stats(int(os.environ["BENCH_PROFILE_TOP"]))
            stats.sort_stats("tottime").print_stats(int(os.environ["BENCH_PROFILE_TOP"]))
        if os.environ.get("BENCH_PROFILE_CALLEES"):  # e.g. "_apply_many": what that function's time went to
            stats.sort_stats("cumulative").print_callees(os.environ["BENCH_PROFILE_CALLEES"])
    connections.close_all()
    if args.database_url:
        _pg_admin(args.database_url, f"DROP DATABASE IF EXISTS {args.bench_db}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
