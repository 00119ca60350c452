#!/usr/bin/env python
"""Routing and assignment decisions per second (policy alone), and the SLA sweep over 100,000 open conversations.

    .venv/bin/python bench/bench_workflow.py                       # SQLite in a temporary folder
    .venv/bin/python bench/bench_workflow.py --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/bench_workflow.py --conversations 20000 # a quick look

1. Policy: 20,000 generated inbound posts (texts, triage fields, reach, VIP) run through
   25 compiled routing rules (keywords, RE2 patterns, triage and reach conditions, business
   hours) with routing.rules.evaluate, then routing.assignment.choose picks one of 30 agents
   (teams, languages, platforms, shifts, capacity). Pure functions, no database. Target:
   at least 5,000 posts/s.
2. Sweep: a fresh database with 100,000 active conversations over the last four days (two
   brands, teams with business-hours calendars, VIPs, replies and waiting customers) and
   four SLA policies; times sla.sweep.sweep(now) end to end: the query, judging every
   running timer and storing alerts. The first sweep stores every alert; later sweeps find
   them already raised (the steady state a periodic job sees). Target: under 2 s.
Prints a Markdown report for docs/benchmarks.md.
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
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_DB = "parley_bench_workflow"
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=timezone.utc)  # a Wednesday afternoon
WORDS = ("order refund delivery late broken app login password charged twice cancel subscription store "
         "staff rude parcel missing tracking screen battery price discount thanks love great help please "
         "still waiting nobody answered account locked error crash update invoice bill").split()


def setup_django(args):
    data_dir = Path(tempfile.mkdtemp(prefix="parley-bench-workflow-"))
    os.environ["PARLEY_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "parley.settings"
    os.environ["PARLEY_TRIAGE_ENABLED"] = "false"
    if args.database_url:
        import psycopg

        admin = args.database_url.replace("postgres://", "postgresql://", 1)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(args.database_url)._replace(path="/" + BENCH_DB))
        label = "PostgreSQL"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
        label = "SQLite"

    def cleanup():
        from django.db import connections

        connections.close_all()
        if args.database_url:
            import psycopg

            with psycopg.connect(args.database_url.replace("postgres://", "postgresql://", 1),
                                 autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        shutil.rmtree(data_dir, ignore_errors=True)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return label, cleanup


# --- 1. policy ---------------------------------------------------------------------------------


def rules_and_agents(rng):
    from parley.routing.assignment import Agent
    from parley.routing.rules import compile_rule
    from parley.sla.calendar import Calendar

    teams = ["care", "billing", "logistics", "product", "pr"]
    raw = [
        {"conditions": {"all": [{"field": "text", "op": "matches", "value": r"(crypto|bitcoin)\s+(giveaway|airdrop)"}]},
         "actions": [{"type": "mark_spam"}, {"type": "hide"}], "stop": True},
        {"conditions": {"all": [{"field": "troll", "op": "gte", "value": 0.9}]}, "actions": [{"type": "add_tag", "tag": "troll"}]},
        {"conditions": {"any": [{"field": "vip", "op": "is", "value": True}, {"field": "reach", "op": "gte", "value": 50000}]},
         "actions": [{"type": "raise_priority", "to": 80}, {"type": "escalate", "to": "role:supervisor"}]},
        {"conditions": {"all": [{"field": "text", "op": "keywords", "value": ["refund", "charged twice", "invoice", "bill"]}]},
         "actions": [{"type": "set_team", "team": "billing"}, {"type": "add_tag", "tag": "billing"}]},
        {"conditions": {"all": [{"field": "text", "op": "keywords", "value": ["parcel", "delivery", "tracking", "late"]}]},
         "actions": [{"type": "set_team", "team": "logistics"}]},
        {"conditions": {"all": [{"field": "text", "op": "keywords", "value": ["app", "crash", "error", "update", "login"]}]},
         "actions": [{"type": "set_team", "team": "product"}]},
        {"conditions": {"all": [{"field": "followers", "op": "gte", "value": 100000}, {"field": "public", "op": "is", "value": True}]},
         "actions": [{"type": "set_team", "team": "pr"}, {"type": "notify", "to": "team:pr"}]},
        {"conditions": {"all": [{"field": "intent", "op": "eq", "value": "complaint"}, {"field": "severity", "op": "gte", "value": 3}]},
         "actions": [{"type": "raise_priority", "to": 70}]},
        {"conditions": {"all": [{"field": "anger", "op": "gte", "value": 0.8}]}, "actions": [{"type": "add_tag", "tag": "angry"}]},
        {"conditions": {"all": [{"field": "business_hours", "op": "is", "value": False}]},
         "actions": [{"type": "acknowledge", "text": "We're away; a person answers from 09:00."}]},
        {"conditions": {"all": [{"field": "topics", "op": "contains_any", "value": ["shipping", "returns"]}]},
         "actions": [{"type": "add_tag", "tag": "ops"}]},
        {"conditions": {"all": [{"field": "language", "op": "in", "value": ["de", "fr", "es"]}]},
         "actions": [{"type": "add_tag", "tag": "non-english"}]},
        {"conditions": {"all": [{"field": "text", "op": "matches", "value": r"\border\s*#?\s*\d{6,}"}]},
         "actions": [{"type": "add_tag", "tag": "order-number"}]},
        {"conditions": {"all": [{"field": "kind", "op": "eq", "value": "dm"}]}, "actions": [{"type": "add_tag", "tag": "private"}]},
    ]
    for i in range(11):  # brand-specific keyword rules, as a real rule list grows
        raw.append({"conditions": {"all": [{"field": "text", "op": "keywords", "value": [f"product{i}", f"model {i}x"]},
                                           {"field": "platform", "op": "in", "value": ["x", "facebook"]}]},
                    "actions": [{"type": "add_tag", "tag": f"product-{i}"}]})
    raw.append({"conditions": {}, "actions": [{"type": "set_team", "team": "care"}, {"type": "assign", "to": "auto"}]})
    rules = [compile_rule(r, i) for i, r in enumerate(raw)]
    shift = Calendar.from_config({"timezone": "Europe/London", "hours": {
        d: [["07:00", "19:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}})
    agents = [
        Agent(user_id=i, online=rng.random() < 0.8, capacity=20, open_count=rng.randint(0, 22),
              teams=frozenset({i % 5}), languages=frozenset(rng.sample(["en", "de", "fr", "es"], 2)),
              platforms=frozenset() if i % 3 else frozenset({"x"}), on_shift=shift.is_open if i % 4 else None,
              last_assigned_at=NOW - timedelta(minutes=rng.randint(0, 600)))
        for i in range(30)
    ]
    return rules, agents, {t: i for i, t in enumerate(teams)}


def generate_posts(rng, n):
    from parley.routing.rules import PostFacts

    posts = []
    for i in range(n):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30)))
        if i % 50 == 0:
            text += f" order #{rng.randint(100000, 999999)}"
        if i % 500 == 0:
            text += " crypto giveaway"
        posts.append(PostFacts(
            text=text, platform=rng.choice(["x", "facebook", "instagram", "youtube"]), channel="acme",
            kind=rng.choice(["mention", "reply", "dm"]), visibility="public" if i % 4 else "private",
            language=rng.choice(["en", "en", "en", "de", "fr"]), vip=i % 97 == 0,
            followers=int(rng.paretovariate(1.2) * 50), likes=rng.randint(0, 50),
            triage={"intent": rng.choice(["complaint", "question", "praise"]), "severity": rng.randint(0, 4),
                    "anger": rng.random(), "troll": rng.random() * 0.95, "topics": rng.sample(
                        ["shipping", "returns", "billing", "app", "store"], 2)},
        ))
    return posts


def bench_policy(rng, n=20000, reps=3):
    from parley.routing.assignment import Need, choose
    from parley.routing.rules import Context, evaluate
    from parley.sla.calendar import Calendar

    rules, agents, team_ids = rules_and_agents(rng)
    posts = generate_posts(rng, n)
    office = Calendar.from_config({"timezone": "Europe/London", "hours": {
        d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}})
    ctx = Context(now=NOW, tz=office.tz, is_open=office.is_open)
    rates, assigned, matched = [], 0, 0
    for _ in range(reps):
        assigned = matched = 0
        started = time.perf_counter()
        for k, facts in enumerate(posts):
            now = NOW + timedelta(seconds=k)
            decision = evaluate(facts, rules, now, ctx)
            matched += len(decision.matched)
            if decision.assignee == "auto":
                agent = choose(Need(team_id=team_ids.get(decision.team), language=facts.language,
                                    platform=facts.platform), agents, now)
                assigned += agent is not None
        rates.append(n / (time.perf_counter() - started))
    return {"posts": n, "rules": len(rules), "agents": len(agents), "rate": statistics.median(rates),
            "best": max(rates), "matched": matched / n, "assigned": assigned}


# --- 2. sweep ------------------------------------------------------------------------------------


def build_conversations(rng, n):
    from parley.accounts.models import Brand, Team
    from parley.inbox.models import Conversation, Customer
    from parley.sla.models import BusinessCalendar, SlaPolicy

    week = {d: [["08:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
    brands = []
    for slug, tz in (("acme", "Europe/London"), ("globex", "America/New_York")):
        brand = Brand.objects.create(slug=slug, name=slug.title())
        teams = [Team.objects.create(brand=brand, slug=f"t{i}", name=f"Team {i}") for i in range(4)]
        BusinessCalendar.objects.create(brand=brand, name="office", config={"timezone": tz, "hours": week,
                                                                              "holidays": ["2026-11-26"]})
        for i, team in enumerate(teams[:2]):
            BusinessCalendar.objects.create(brand=brand, team=team, name=f"{team.name} hours", config={
                "timezone": tz, "hours": {d: [["06:00", "22:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}})
        SlaPolicy.objects.create(brand=brand, name="VIP", position=0, vip=True, business_hours=False,
                                 first_response_minutes=30, next_response_minutes=60, resolution_minutes=8 * 60)
        SlaPolicy.objects.create(brand=brand, name="Urgent", position=1, min_priority=70,
                                 first_response_minutes=60, next_response_minutes=120, resolution_minutes=24 * 60)
        SlaPolicy.objects.create(brand=brand, name="X", position=2, platforms=["x"],
                                 first_response_minutes=120, next_response_minutes=240, resolution_minutes=48 * 60)
        SlaPolicy.objects.create(brand=brand, name="Default", position=3, first_response_minutes=240,
                                 next_response_minutes=480, resolution_minutes=72 * 60)
        customers = Customer.objects.bulk_create(
            [Customer(brand=brand, display_name=f"c{i}", is_vip=i % 50 == 0) for i in range(2000)], batch_size=2000)
        brands.append((brand, teams, customers))
    rows = []
    for i in range(n):
        brand, teams, customers = brands[0] if i % 10 < 9 else brands[1]
        created = NOW - timedelta(seconds=rng.randint(60, 4 * 86400))
        answered = rng.random() < 0.55
        first = created + timedelta(minutes=rng.randint(5, 600)) if answered else None
        if first and first > NOW:
            first = None
        waiting = None
        if first is not None and rng.random() < 0.5:
            waiting = first + timedelta(minutes=rng.randint(1, 2000))
            waiting = waiting if waiting < NOW else None
        rows.append(Conversation(
            brand=brand, customer=rng.choice(customers), platform=rng.choice(["x", "x", "facebook", "instagram"]),
            status=rng.choice(["new", "open", "open", "pending_customer", "pending_internal"]),
            team=rng.choice(teams + [None]), priority=rng.choice([0, 10, 30, 50, 75, 90]),
            created_at=created, last_post_at=waiting or first or created, first_response_at=first,
            waiting_since=waiting if first else created,
        ))
    Conversation.objects.bulk_create(rows, batch_size=5000)


def bench_sweep(rng, n, reps):
    from django.db import connection

    from parley.sla.models import SlaAlert
    from parley.sla.sweep import sweep

    started = time.perf_counter()
    build_conversations(rng, n)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    build = time.perf_counter() - started
    started = time.perf_counter()
    first = sweep(NOW, email=False)
    first_s = time.perf_counter() - started
    steady = []
    for k in range(reps):
        started = time.perf_counter()
        result = sweep(NOW + timedelta(seconds=k), email=False)
        steady.append(time.perf_counter() - started)
    return {"conversations": n, "build": build, "first": first_s, "first_result": first,
            "steady_p50": statistics.median(steady), "steady_max": max(steady), "steady_result": result,
            "alerts": SlaAlert.objects.count()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite in a temporary folder)")
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    label, cleanup = setup_django(args)
    rng = random.Random(20261123)
    try:
        policy = bench_policy(rng, args.posts)
        sweep_figures = bench_sweep(rng, args.conversations, args.reps)
    finally:
        cleanup()
    cpu = platform.processor() or platform.machine()
    print(f"\nMeasured {datetime.now(timezone.utc):%Y-%m-%d} on {platform.system()} {cpu}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {label}.\n")
    print("| measure | figure | target |\n|---|---:|---|")
    print(f"| routing + assignment decisions ({policy['posts']:,} posts, {policy['rules']} rules, "
          f"{policy['agents']} agents; median of 3) | **{policy['rate']:,.0f} posts/s** (best {policy['best']:,.0f}) "
          f"| ≥ 5,000 posts/s |")
    f = sweep_figures
    print(f"| SLA sweep, first run ({f['conversations']:,} open conversations; stores "
          f"{len(f['first_result'].new_alerts):,} alerts) | {f['first']:.2f} s | |")
    print(f"| SLA sweep, steady state (alerts already raised; median of {args.reps}) | **{f['steady_p50']:.2f} s** "
          f"(max {f['steady_max']:.2f} s) | < 2 s |")
    print(f"\n{policy['matched']:.1f} rules matched per post on average; {policy['assigned']:,} posts found an agent. "
          f"Sweep: {f['steady_result'].summary()}. Building the data set took {f['build']:.1f} s.")


if __name__ == "__main__":
    main()
