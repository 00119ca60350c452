#!/usr/bin/env python
"""Inbox list and full-text search latency at 1,000,000 posts in 200,000 conversations.

    .venv/bin/python bench/bench_inbox.py                       # SQLite in a temporary folder
    .venv/bin/python bench/bench_inbox.py --database-url postgres://postgres@127.0.0.1:5432/postgres

It sets up Django on a fresh database (SQLite: a temporary PARLEY_DATA_DIR;
PostgreSQL: a database named parley_bench_inbox, created and dropped on the
server the URL names), migrates it, writes the data set with bulk SQL, then
times what the inbox page does, through the real query functions:
queries.conversations(...) paged by Django's paginator with the related rows
the page shows, plus queries.view_counts(...), for an admin and for a
team-scoped agent; and the same list filtered by a full-text query. Prints
wall-clock p50/p95/p99 and this process's CPU time in milliseconds as a
Markdown table (for docs/benchmarks.md). See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_DB = os.environ.get("PARLEY_BENCH_DB", "parley_bench_inbox")  # another name beside a colleague's run
PAGE_TARGET_MS = 100
SEARCH_TARGET_MS = 200
DAY = 86400

# --- the words posts are made of ---------------------------------------------------------
# A Zipf distribution over a few hundred everyday words and a long tail of made-up
# ones gives search realistic selectivity: "order" is in about a quarter of the
# posts, a tail word in a few dozen.
COMMON = (
    "the my i to order and is a it for you of this not on your was have in me with "
    "refund still delivery help please account been can but why no package day days "
    "week app phone card payment charged twice cancel cancelled waiting wait late "
    "broken damaged missing wrong item size colour return returns store online email "
    "number support chat call called hours tracking shipped arrived never received "
    "thanks thank great love service customer agent manager price discount code coupon "
    "voucher password login reset update error crash screen website checkout basket "
    "subscription plan bill invoice address change new old again today tomorrow yesterday "
    "morning night weekend hour minutes time still nobody answered reply dm sent message "
    "problem issue fix fixed working broke stopped open closed branch staff rude friendly "
    "quick slow fast awful terrible amazing happy unhappy disappointed angry seriously "
    "really just so very what when where how who any some all more less first last "
    "battery charger cable screen laptop kettle toaster blender shoes jacket dress shirt "
    "parcel courier driver van doorstep neighbour photo proof receipt warranty repair "
    "replacement exchange voucher points loyalty member membership gift birthday sale "
    "deal offer stock available sold out restock preorder release version feature bug"
).split()
COMMON = list(dict.fromkeys(COMMON))  # keep the first occurrence of each word
COMMON.insert(4, COMMON.pop(COMMON.index("order")))  # "order" is the 5th commonest word
TAIL_SIZE = 20000
SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
WORDS_PER_POST = range(6, 25)
NO_MATCH = "xylophonequartz"


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    words, seen = list(COMMON), set(COMMON)
    while len(words) < len(COMMON) + TAIL_SIZE:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    total, cumulative = 0.0, []
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank**1.05
        cumulative.append(total)
    return words, cumulative


# --- Django on a fresh database -------------------------------------------------------------


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(sql)


def setup_django(args) -> tuple[str, callable]:
    """Point Django at a fresh database; returns its label and a cleanup function."""
    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="parley-bench-inbox-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PARLEY_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "parley.settings"
    os.environ.pop("PARLEY_DB_CONN_MAX_AGE", None)
    if args.database_url:
        if not args.reuse:
            _pg_admin(args.database_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
            _pg_admin(args.database_url, f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = _with_db(args.database_url, BENCH_DB)
        label = "PostgreSQL"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
        label = "SQLite"

    def cleanup():
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept the database ({os.environ['DATABASE_URL']})")
            return
        if args.database_url:
            _pg_admin(args.database_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    label += " " + (connection.cursor().execute("SELECT sqlite_version()").fetchone()[0]
                    if connection.vendor == "sqlite" else str(connection.pg_version // 10000))
    return label, cleanup


# --- the data set ---------------------------------------------------------------------------


class Writer:
    """Bulk rows into a table: COPY on PostgreSQL, multi-row INSERTs on SQLite."""

    def __init__(self, connection):
        self.connection = connection
        self.pg = connection.vendor == "postgresql"
        self.seconds: dict[str, float] = {}

    def write(self, model, columns: list[str], rows) -> int:
        expected = {f.column for f in model._meta.concrete_fields}
        if set(columns) != expected:
            raise SystemExit(f"{model.__name__} columns changed; update the bench: {sorted(expected ^ set(columns))}")
        table = model._meta.db_table
        rows = list(rows)
        started = time.monotonic()
        with self.connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                # Multi-row INSERTs, as bulk_create writes them: one statement per
                # thousand rows lets FTS5 flush its pending index once per statement.
                raw = cursor.cursor  # the sqlite3 cursor: no placeholder rewriting
                per = 32000 // len(columns)
                one = "(" + ", ".join(["?"] * len(columns)) + ")"
                full = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([one] * per)}"
                for start in range(0, len(rows), per):
                    chunk = rows[start:start + per]
                    if len(chunk) < per:
                        full = full[: full.index(" VALUES ") + 8] + ", ".join([one] * len(chunk))
                    sql = full
                    raw.execute(sql, [v for row in chunk for v in row])
        self.seconds[table] = self.seconds.get(table, 0.0) + time.monotonic() - started
        return len(rows)

    def reset_sequences(self, *models) -> None:
        if not self.pg:
            return
        with self.connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


def _aware(ts: float) -> datetime:
    return datetime.fromtimestamp(int(ts), tz=timezone.utc)


def _sqlite_text(ts: float) -> str:
    """A UTC time as Django stores it in SQLite."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(int(ts)))


def generate(args, connection) -> dict:
    """Write the data set; returns the objects the measurements need."""
    from parley.accounts.models import AgentProfile, Brand, Membership, Role, Team
    from parley.inbox import search
    from parley.inbox.models import ACTIVE_STATUSES, Conversation, Customer, Identity, Post, Tag
    from parley.platforms.models import ChannelAccount
    from parley.triage.models import PostTriage
    from django.contrib.auth import get_user_model
    from django.db import transaction

    rng = random.Random(args.seed)
    words, cumulative = vocabulary(rng)
    now = time.time()
    User = get_user_model()
    writer = Writer(connection)
    _at = _aware if writer.pg else _sqlite_text
    started = time.monotonic()

    # Two brands: the big one with four teams, a small second one (a tenth of the traffic).
    brands = []
    layout = (("bench-acme", ["care", "billing", "shipping", "social"]), ("bench-globex", ["care", "sales"]))
    for slug, team_slugs in layout:
        brand = Brand.objects.create(slug=slug, name=slug.title())
        teams = [Team.objects.create(brand=brand, slug=s, name=s.title()) for s in team_slugs]
        channels = [
            ChannelAccount.objects.create(brand=brand, platform=p, external_id=f"{slug}-{p}", handle=f"{slug}_{p}")
            for p in ("x", "facebook", "instagram", "youtube")
        ]
        tags = [Tag.objects.create(brand=brand, name=n) for n in
                ("delivery", "refund", "complaint", "praise", "vip", "bug", "billing", "pile-on", "spam", "urgent")]
        agents = {}
        for team in teams:
            agents[team.pk] = []
            for n in range(5):
                user = User.objects.create_user(username=f"{slug}-{team.slug}-{n}", password=None)
                Membership.objects.create(user=user, brand=brand, role=Role.AGENT)
                AgentProfile.objects.create(user=user, public_first_name=f"Agent{n}").teams.add(team)
                agents[team.pk].append(user.pk)
        brands.append({"brand": brand, "teams": teams, "channels": channels, "tags": tags, "agents": agents})
    acme = brands[0]
    admin = User.objects.create_user(username="bench-admin", password=None)
    Membership.objects.create(user=admin, brand=acme["brand"], role=Role.ADMIN)
    # The measured agent is the first agent of the shipping team.
    shipping = acme["teams"][2]
    agent = User.objects.get(pk=acme["agents"][shipping.pk][0])

    n_conv, n_posts = args.conversations, args.posts
    counts = [1] * n_conv
    for i in rng.choices(range(n_conv), k=n_posts - n_conv):
        counts[i] += 1

    customers, identities, conversations, tag_rows = [], [], [], []
    identity_columns = ["id", "brand_id", "customer_id", "original_customer_id", "platform", "platform_user_id",
                        "handle", "display_name", "first_name", "followers", "verified", "created_at", "updated_at"]
    span = 365 * DAY
    customers_per_brand = {}
    for b, info in enumerate(brands):
        share = 0.9 if b == 0 else 0.1
        customers_per_brand[b] = max(1, int(n_conv * share * 0.6))
    next_customer = 1
    customer_ranges = {}
    for b, info in enumerate(brands):
        first = next_customer
        for _ in range(customers_per_brand[b]):
            cid = next_customer
            platform = rng.choice(("x", "facebook", "instagram", "youtube"))
            at = _at(now - span - rng.random() * 30 * DAY)
            customers.append((cid, info["brand"].pk, f"Customer {cid}", False, "", None, at))
            identities.append((cid, info["brand"].pk, cid, cid, platform, f"u{cid}", f"user{cid}",
                              f"Customer {cid}", "", rng.randint(0, 5000), False, at, at))
            next_customer += 1
        customer_ranges[b] = (first, next_customer - 1)
    customer_columns = ["id", "brand_id", "display_name", "is_vip", "notes", "merged_into_id", "created_at"]
    writer.write(Customer, customer_columns, customers)
    writer.write(Identity, identity_columns, identities)
    identity_platform = {row[0]: row[4] for row in identities}
    del customers, identities

    # Conversations in creation order, so ids grow with time as in a live installation.
    plans = []
    for cid in range(1, n_conv + 1):
        b = 0 if rng.random() < 0.9 else 1
        info = brands[b]
        created = now - span + span * (cid - 1) / n_conv + rng.random() * 600
        gaps = [rng.uniform(120, 6 * 3600) for _ in range(counts[cid - 1] - 1)]
        times = [created]
        for gap in gaps:
            times.append(times[-1] + gap)
        recent = now - times[-1] < 30 * DAY
        roll = rng.random()
        if roll < (0.8 if recent else 0.08):
            status = rng.choices(list(ACTIVE_STATUSES), weights=(25, 40, 20, 15))[0]
        elif roll < 0.995:
            status = "resolved" if rng.random() < 0.35 else "closed"
        else:
            status = "merged"
        active = status in ACTIVE_STATUSES
        # waiting_since follows the posts, not the status: a conversation resolved
        # after the customer's last word ("thanks!") still has it.
        if active:
            waiting = status != "pending_customer" and rng.random() < 0.75
        else:
            waiting = rng.random() < 0.3 or len(times) == 1
        team = None if rng.random() < 0.1 else rng.choice(info["teams"])
        assignee = None
        if team is not None and (not active or rng.random() < 0.5):
            assignee = rng.choice(info["agents"][team.pk])
        customer = rng.randint(*customer_ranges[b])
        channel = next(c for c in info["channels"] if c.platform == identity_platform[customer])
        # Directions alternate, customer first; a waiting conversation ends on the customer.
        directions = ["in" if k % 2 == 0 else "out" for k in range(len(times))]
        if waiting:
            directions[-1] = "in"
        elif len(times) > 1:
            directions[-1] = "out"
        last_in = max((t for t, d in zip(times, directions) if d == "in"), default=None)
        first_out = next((t for t, d in zip(times, directions) if d == "out"), None)
        resolved = times[-1] + 3600 if status in ("resolved", "closed") else None
        conversations.append((
            cid, info["brand"].pk, customer, channel.pk, channel.platform, status, team.pk if team else None,
            assignee, int(rng.betavariate(1.3, 4) * 100), "", True, None, _at(created), _at(times[-1]),
            _at(times[-1]), _at(last_in) if last_in else None, _at(last_in) if waiting else None,
            _at(first_out) if first_out else None, _at(resolved) if resolved else None,
            _at(resolved + DAY) if status == "closed" else None, 0,
        ))
        plans.append((b, (channel.pk, channel.platform), customer, times, directions))
        for tag in rng.sample(info["tags"], k=rng.choices((0, 1, 2), weights=(6, 3, 1))[0]):
            tag_rows.append((len(tag_rows) + 1, cid, tag.pk))
    conv_columns = ["id", "brand_id", "customer_id", "channel_id", "platform", "status", "team_id", "assignee_id",
                    "priority", "subject", "started_public", "merged_into_id", "created_at", "updated_at",
                    "last_post_at", "last_inbound_at", "waiting_since", "first_response_at", "resolved_at",
                    "closed_at", "reopened_count"]
    with transaction.atomic():
        writer.write(Conversation, conv_columns, conversations)
        writer.write(Conversation.tags.through, ["id", "conversation_id", "tag_id"], tag_rows)
    del conversations, tag_rows

    post_columns = ["id", "brand_id", "conversation_id", "channel_id", "platform", "platform_id", "kind",
                    "direction", "visibility", "text", "language", "author_id", "author_user_id", "parent_id",
                    "in_reply_to_id", "platform_conversation_id", "url", "created_at", "received_at", "likes",
                    "reposts", "replies", "raw", "is_edited", "edited_at", "is_deleted", "deleted_at",
                    "delivery_status", "delivery_error", "idempotency_key"]
    post_id, batch = 0, []
    progress_every = max(1, n_posts // 10)
    brand_pks = [info["brand"].pk for info in brands]
    if writer.pg:
        # GIN builds far faster in one pass than row by row: drop it for the bulk load,
        # as a bulk import into PostgreSQL would (SQLite's FTS5 triggers stay on).
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX {search.PG_INDEX}")

    triage_rng = random.Random(args.seed + 1)  # its own stream: the posts stay as they were

    def flush():
        texts = _texts(rng, words, cumulative, len(batch))
        with transaction.atomic():
            writer.write(Post, post_columns, (row[:9] + (text,) + row[9:] for row, text in zip(batch, texts)))
            writer.write(PostTriage, TRIAGE_COLUMNS,
                         [_triage_row(triage_rng, row[0], row[16], _at) for row in batch if row[7] == "in"])
        batch.clear()

    for cid, (b, channel, customer, times, directions) in enumerate(plans, start=1):
        for at, direction in zip(times, directions):
            post_id += 1
            created = _at(at)
            deleted = rng.random() < 0.005
            inbound = direction == "in"
            batch.append((
                post_id, brand_pks[b], cid, channel[0], channel[1], str(post_id),
                "mention" if inbound else "reply", direction, "public", "en", customer if inbound else None,
                None, None, "", "", "", created, created, rng.randint(0, 20), 0, 0, None, False, None,
                deleted, created if deleted else None, "" if inbound else "sent", "", None,
            ))
            if len(batch) >= 20000:
                flush()
            if post_id % progress_every == 0:
                print(f"  {post_id:>9,} posts  {time.monotonic() - started:6.1f}s", flush=True)
    if batch:
        flush()
    if writer.pg:
        with connection.cursor() as cursor:
            cursor.execute(search.PG_CREATE[-1])
    writer.reset_sequences(Customer, Identity, Conversation, Conversation.tags.through, Post)
    load_s = time.monotonic() - started
    print("  seconds writing: " + ", ".join(f"{t} {s:.1f}" for t, s in writer.seconds.items()), flush=True)
    # The triage rows were written in bulk, past the write path: build the conversations'
    # triage summary as `parley triage_summary` would after a bulk load.
    from parley.triage.summary import rebuild

    summary_started = time.monotonic()
    flags = rebuild()
    print(f"  triage summary: {flags:,} flags in {time.monotonic() - summary_started:.1f}s", flush=True)
    if writer.pg:
        with connection.cursor() as cursor:
            # What autovacuum does after a bulk load: statistics and the visibility map.
            cursor.execute("VACUUM ANALYZE")
    return {"admin": admin, "agent": agent, "brand": acme["brand"], "shipping": shipping,
            "load_s": load_s, "total_s": time.monotonic() - started, "words": words}


# Triage of every inbound post, drawn to look like a care inbox: a third complaints, a few
# trolls, private data in about one post in a hundred, a few non-English posts.
TRIAGE_COLUMNS = [
    "post_id", "status", "reason", "attempts", "model_version", "profile", "intent", "intent_scores", "complaint",
    "sentiment", "sentiment_scores", "emotion", "emotion_scores", "severity", "anger", "offensive", "hate", "troll",
    "desired_outcome", "desired_outcome_scores", "outcome_unclear", "needs_response", "language", "topics",
    "private_data_posted", "private_data_spans", "explanation", "priority", "priority_breakdown", "created_at",
    "updated_at", "triaged_at", "next_attempt_at",
]
INTENT_WEIGHTS = {"complaint": 30, "question": 25, "request": 12, "praise": 8, "feedback": 8, "chatter": 10,
                  "abuse": 4, "spam": 3}
BENCH_OUTCOMES = ("refund", "replacement", "repair", "return", "cancellation", "delivery", "account_access",
                  "information", "apology", "to_be_heard", "none")
BENCH_TOPICS = ("billing", "refund", "delivery", "defect", "app", "account", "service", "price", "outage", "travel")


def _triage_row(rng: random.Random, post_id: int, created, _at) -> tuple:
    import json

    intent = rng.choices(list(INTENT_WEIGHTS), weights=list(INTENT_WEIGHTS.values()))[0]
    severity = rng.choices((1, 2, 3, 4), weights=(40, 30, 20, 10))[0] if intent == "complaint" else 0
    troll = rng.uniform(0.5, 0.95) if intent == "abuse" and rng.random() < 0.5 else rng.random() * 0.1
    sentiment = rng.choices(("negative", "neutral", "positive"), weights=(40, 40, 20))[0]
    private = [rng.choice(("email", "phone", "order_number"))] if rng.random() < 0.01 else []
    language = rng.choices(("en", "es", "fr"), weights=(95, 3, 2))[0]
    topics = rng.sample(BENCH_TOPICS, k=rng.choices((0, 1, 2), weights=(4, 4, 2))[0])
    priority = rng.randint(0, 90)
    breakdown = [{"factor": "intent", "points": 20, "why": intent}, {"factor": "public", "points": 6, "why": "public post"}]
    return (
        post_id, "triaged", "", 1, "bench", "fast", intent, "{}", 0.9 if intent == "complaint" else 0.1, sentiment,
        "{}", "neutral", "{}", severity, rng.random() * 0.6, rng.random() * 0.3, rng.random() * 0.1, troll,
        rng.choice(BENCH_OUTCOMES), "{}", rng.random() < 0.15, rng.random(), language, json.dumps(topics),
        json.dumps(private), "[]", "{}", priority, json.dumps(breakdown), created, created, created, None,
    )


def _texts(rng: random.Random, words: list[str], cumulative: list[float], n: int) -> list[str]:
    lengths = rng.choices(WORDS_PER_POST, k=n)
    drawn = rng.choices(words, cum_weights=cumulative, k=sum(lengths))
    texts, at = [], 0
    for length in lengths:
        text = " ".join(drawn[at:at + length])
        at += length
        if rng.random() < 0.1:
            text += f" order {rng.randint(1_000_000, 9_999_999)}"
        texts.append(text.capitalize())
    return texts


# --- measurements -----------------------------------------------------------------------------


def inbox_page(user_pk: int, brand_slug: str, params: dict) -> int:
    """The queries of one inbox request (parley/inbox/views.py), after the session lookup:
    the user, the brand and role, the first page through Django's paginator (its
    count, then 50 rows with what the rows show) and the tab counts."""
    from django.contrib.auth import get_user_model
    from django.core.paginator import Paginator
    from django.http import QueryDict

    from django.conf import settings
    from django.utils import timezone as dj_timezone

    from parley.inbox import queries
    from parley.inbox.access import access_brand
    from parley.sla import listing as sla_listing
    from parley.triage.queries import latest_inbound_triage

    user = get_user_model().objects.get(pk=user_pk)
    brand, _role = access_brand(user, brand_slug)
    query = QueryDict(mutable=True)
    query.update(params)
    f = queries.InboxFilter.from_params(query)
    qs = (
        queries.conversations(user, brand, f)
        .select_related("customer", "channel", "team", "assignee", "assignee__agent_profile")
        .prefetch_related("tags", "customer__identities")
    )
    now = dj_timezone.now()
    if f.sla or f.sort == "sla":  # judged in Python over the list's first PARLEY_INBOX_SLA_SCAN_CAP rows
        ids, _capped = sla_listing.ranked_ids(qs, brand.pk, now, f.sla, f.sort == "sla",
                                              settings.PARLEY_INBOX_SLA_SCAN_CAP)
        page = Paginator(ids, 50).get_page(1)
        by_id = qs.model.objects.filter(pk__in=list(page.object_list)).select_related(
            "customer", "channel", "team", "assignee", "assignee__agent_profile"
        ).prefetch_related("tags", "customer__identities").in_bulk()
        rows = [by_id[pk] for pk in page.object_list if pk in by_id]
    else:
        page = Paginator(qs, 50).get_page(1)
        rows = list(page.object_list)
    sla_listing.annotate(rows, brand.pk, now)  # each row's most urgent SLA timer
    latest_inbound_triage(c.pk for c in rows)  # the badges of the rows
    queries.view_counts(user, brand)
    return len(rows)


def timed(fn, reps: int, warmup: int = 3) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU milliseconds of each run (CPU: this process, SQLite's work included)."""
    for _ in range(warmup):
        result = fn()
    wall, cpu = [], []
    for _ in range(reps):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu, result


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def cases(data: dict) -> list[tuple[str, str, object, dict]]:
    admin, agent = data["admin"].pk, data["agent"].pk
    words = data["words"]
    rare = words[-60]
    team = str(data["shipping"].pk)
    page = [
        ("admin: active, longest waiting", admin, {"view": "active", "sort": "waiting"}),
        ("admin: active, priority", admin, {"view": "active", "sort": "priority"}),
        ("admin: unassigned, longest waiting", admin, {"view": "unassigned", "sort": "waiting"}),
        ("admin: team filter, longest waiting", admin, {"view": "active", "team": team, "sort": "waiting"}),
        ("admin: tag filter, priority", admin, {"view": "active", "tag": "refund", "sort": "priority"}),
        ("admin: X channel, priority >= 70", admin, {"view": "active", "platform": "x", "priority_min": "70"}),
        ("admin: resolved, most recent", admin, {"view": "resolved", "sort": "recent"}),
        ("admin: all, longest waiting", admin, {"view": "all", "sort": "waiting"}),
        ("agent: active, longest waiting", agent, {"view": "active", "sort": "waiting"}),
        ("agent: mine, priority", agent, {"view": "mine", "sort": "priority"}),
        ("agent: waiting, longest waiting", agent, {"view": "waiting", "sort": "waiting"}),
        ("admin: triage intent complaint", admin, {"view": "active", "intent": "complaint"}),
        ("admin: triage troll (rare), priority", admin, {"view": "active", "troll": "yes", "sort": "priority"}),
        ("admin: triage private data (rare)", admin, {"view": "active", "private_data": "yes"}),
        ("admin: triage topic refund, severity >= 3", admin, {"view": "active", "topic": "refund", "severity_min": "3"}),
        ("admin: triage language fr, all", admin, {"view": "all", "language": "fr"}),
        ("agent: triage negative, waiting", agent, {"view": "waiting", "sentiment": "negative"}),
        ("admin: active, SLA breached", admin, {"view": "active", "sla": "breached"}),
        ("admin: active, SLA due within 1 h", admin, {"view": "active", "sla": "due_1h"}),
        ("admin: active, sort by SLA time left", admin, {"view": "active", "sort": "sla"}),
        ("agent: active, sort by SLA time left", agent, {"view": "active", "sort": "sla"}),
    ]
    search = [
        ("admin: common word (\"order\"), active", admin, {"view": "active", "q": "order"}),
        ("admin: common word (\"order\"), all", admin, {"view": "all", "q": "order"}),
        (f"admin: rare word (\"{rare}\"), all", admin, {"view": "all", "q": rare}),
        ("admin: two words (\"refund broken\"), all", admin, {"view": "all", "q": "refund broken"}),
        ("admin: no match, all", admin, {"view": "all", "q": NO_MATCH}),
        ("agent: common word (\"order\"), active", agent, {"view": "active", "q": "order"}),
        (f"agent: rare word (\"{rare}\"), all", agent, {"view": "all", "q": rare}),
    ]
    return [("page", *c) for c in page] + [("search", *c) for c in search]


def time_priority_refresh(brand) -> list:
    """Run the priority refresh twice: at the data set's `now` (every stored score is stale),
    then a minute later (what each periodic run costs in steady state)."""
    from django.utils import timezone as dj_timezone

    from parley.triage.actions import refresh_priorities

    out = []
    now = dj_timezone.now()
    for name, at in (("first run (all stale)", now), ("a minute later", now + timedelta(minutes=1))):
        started = time.perf_counter()
        summary = refresh_priorities(at)
        out.append((name, summary, time.perf_counter() - started))
        print(f"  priority refresh, {name}: {summary} in {out[-1][2]:.1f}s", flush=True)
    return out


def matches(brand, q: str) -> int:
    """How many of the brand's conversations match `q` with no limit, for the report."""
    from parley.inbox import search

    return len(search.conversation_ids_matching(brand, q, limit=10**9))


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"nproc {nproc}, {cpu}, {mem_kb / 1024 / 1024:.0f} GiB RAM"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--conversations", type=int, default=200_000)
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL; SQLite when omitted")
    parser.add_argument("--reps", type=int, default=60, help="timed repetitions per case (default %(default)s)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data-dir", default="", help="keep the SQLite database here instead of a temporary folder")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database (skips generation)")
    parser.add_argument("--sqlite-analyze", action="store_true",
                        help="run ANALYZE on SQLite first (Parley itself does not; PostgreSQL's autovacuum does)")
    parser.add_argument("--no-sla", action="store_true",
                        help="time the pages without SLA policies (delete the brand's; rows then show no timer)")
    parser.add_argument("--only", default="", help="time only the cases whose name contains this")
    parser.add_argument("--priority-refresh", action="store_true",
                        help="also time the periodic priority refresh over the data set (writes to it)")
    args = parser.parse_args(argv)
    if args.posts < args.conversations:
        parser.error("--posts must be at least --conversations")

    label, cleanup = setup_django(args)
    try:
        return run(args, label)
    finally:
        cleanup()


def sla_setup(brand) -> None:
    """SLA policies on business hours (the costlier case: every timer walks the calendar), so each
    row shows its most urgent timer (parley.sla.listing). Created once; kept with --keep."""
    from parley.sla.models import BusinessCalendar, SlaPolicy

    if not BusinessCalendar.objects.filter(brand=brand, team__isnull=True).exists():
        BusinessCalendar.objects.create(brand=brand, name="Office", config={
            "timezone": "Europe/London", "hours": {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
            "holidays": ["2026-12-25", "2026-12-26"]})
    if not SlaPolicy.objects.filter(brand=brand).exists():
        SlaPolicy.objects.create(brand=brand, name="Urgent", position=10, min_priority=70, first_response_minutes=60,
                                 next_response_minutes=60, resolution_minutes=8 * 60, business_hours=False)
        SlaPolicy.objects.create(brand=brand, name="Standard", position=20, first_response_minutes=4 * 60,
                                 next_response_minutes=2 * 60, resolution_minutes=3 * 8 * 60, business_hours=True)


def run(args, label: str) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from parley.accounts.models import Brand, Team
    from parley.inbox.models import Conversation, Post

    if args.reuse and Brand.objects.filter(slug="bench-acme").exists():
        User = get_user_model()
        brand = Brand.objects.get(slug="bench-acme")
        data = {"admin": User.objects.get(username="bench-admin"),
                "agent": User.objects.get(username="bench-acme-shipping-0"),
                "brand": brand, "shipping": Team.objects.get(brand=brand, slug="shipping"), "load_s": 0, "total_s": 0,
                "words": vocabulary(random.Random(args.seed))[0]}
    else:
        print(f"generating {args.posts:,} posts in {args.conversations:,} conversations on {label} ...", flush=True)
        data = generate(args, connection)
        print(f"loaded in {data['load_s']:.0f}s ({args.posts / max(data['load_s'], 1e-9):,.0f} posts/s),"
              f" {data['total_s']:.0f}s in all", flush=True)

    if args.sqlite_analyze and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            analyzed = cursor.fetchone()[0] and cursor.execute("SELECT count(*) FROM sqlite_stat1").fetchone()[0] > 0
            label += ", with ANALYZE statistics" if analyzed else ", no ANALYZE statistics (as a fresh install)"
    if args.no_sla:  # the pages as before SLA timers (no policy: no timer to judge)
        from parley.sla.models import SlaPolicy

        SlaPolicy.objects.filter(brand=data["brand"]).delete()
    else:
        sla_setup(data["brand"])
    posts, convs = Post.objects.count(), Conversation.objects.count()
    rows, worst = [], {"page": 0.0, "search": 0.0}
    load_before = os.getloadavg()[0]
    for kind, name, user_pk, params in cases(data):
        if args.only and args.only not in name:
            continue
        samples, cpu, shown = timed(lambda: inbox_page(user_pk, data["brand"].slug, params), args.reps)
        cpu50, cpu95 = percentile(cpu, 50), percentile(cpu, 95)
        p50, p95, p99 = (percentile(samples, p) for p in (50, 95, 99))
        worst[kind] = max(worst[kind], p95)
        extra = f"{matches(data['brand'], params['q']):,}" if "q" in params else ""
        rows.append((kind, name, shown, extra, p50, p95, p99, cpu50, cpu95))
        print(f"  {kind:6} {name:48} {shown:3} rows  p50 {p50:7.1f}  p95 {p95:7.1f}  p99 {p99:7.1f} ms"
              f"  (cpu p50 {cpu50:5.1f} p95 {cpu95:5.1f})", flush=True)

    refresh = time_priority_refresh(data["brand"]) if args.priority_refresh else None

    print()
    print(f"### {label}: {posts:,} posts, {convs:,} conversations\n")
    print(f"Machine: {machine()}; {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; {args.reps} timed runs per case"
          f" after 3 warm-up runs; load average {load_before:.1f} before the timings,"
          f" {os.getloadavg()[0]:.1f} after.\n")
    if data["load_s"]:
        print(f"Generation: {data['load_s']:.0f}s for the rows ({args.posts / data['load_s']:,.0f} posts/s),"
              f" {data['total_s']:.0f}s in all.\n")
    print("| measured | case | rows shown | conversations matching"
          " | p50 ms | p95 ms | p99 ms | CPU p50 ms | CPU p95 ms |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind, name, shown, extra, p50, p95, p99, cpu50, cpu95 in rows:
        what = "inbox page" if kind == "page" else "search page"
        print(f"| {what} | {name} | {shown} | {extra} | {p50:.1f} | {p95:.1f} | {p99:.1f}"
              f" | {cpu50:.1f} | {cpu95:.1f} |")
    if refresh:
        print("\nPriority refresh (the periodic job `triage.priority`, `refresh_priorities(now)` over every"
              " brand):\n")
        print("| run | waiting conversations read | raised | audit events | post scores written | seconds |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, summary, seconds in refresh:
            print(f"| {name} | {summary.conversations:,} | {summary.raised:,} | {summary.audited:,}"
                  f" | {summary.triage_updated:,} | {seconds:.1f} |")
    ok = worst["page"] < PAGE_TARGET_MS and worst["search"] < SEARCH_TARGET_MS
    print(f"\nWorst p95: inbox page {worst['page']:.1f} ms (target < {PAGE_TARGET_MS}),"
          f" search {worst['search']:.1f} ms (target < {SEARCH_TARGET_MS}): {'met' if ok else 'NOT met'}.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
