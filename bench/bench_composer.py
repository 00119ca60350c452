#!/usr/bin/env python
"""Composer speed: guardrail check p95 per draft, and suggestions p95 with 100,000 past conversations.

    .venv/bin/python bench/bench_composer.py                       # full run (SQLite in a temporary folder)
    .venv/bin/python bench/bench_composer.py --conversations 10000 # a quick look

1. Guardrails: every check (`parley.composer.guardrails.check`) on the labelled drafts of
   tests/composer/labelled, the brands' real replies in ../shared/data when present, and hostile
   texts (10 kB of emoji, zero-width floods, RTL overrides, HTML, 50,000 characters), each with
   a full context (known private data, 300 recent replies for the blanket check, brand patterns).
2. Suggestions: a fresh SQLite database with N past conversations (an inbound post and the reply
   an agent gave, through bulk inserts), then `suggestions_for(conversation, agent)` end to end
   (database reads, retrieval over the brand's index, templates, guardrail checks of every
   candidate) for 200 open conversations. The index is built once per process (timed apart).
Prints a Markdown report for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GUARDRAIL_TARGET_MS = 50
SUGGEST_TARGET_MS = 150

TOPICS = [
    ("parcel", ["my parcel never arrived", "tracking says delivered but no parcel", "where is my package",
                "order still not here after {n} days", "courier left my parcel in the rain"],
     ["So sorry! I've opened a courier trace and will update you by {t}.",
      "Sorry about this. Please DM us your order number and we'll check with the courier."]),
    ("refund", ["still waiting for my refund", "when will I get my money back", "refund not received after {n} days",
                "you charged me twice for one order"],
     ["Sorry for the wait. Refunds reach your bank within 3 to 5 working days; DM us if it's longer.",
      "That's not right, sorry. Send us a DM and we'll get the double charge reversed by {t}."]),
    ("app", ["the app keeps crashing", "app crashes when I open my basket", "can't log in to the app",
             "app stuck on the loading screen"],
     ["Sorry about that! Please update to the latest version and restart your phone.",
      "Thanks for flagging. A fix is rolling out today; reinstalling the app helps meanwhile."]),
    ("broadband", ["internet down again", "wifi keeps dropping every evening", "broadband speed is terrible",
                   "no signal at home since {n} days"],
     ["Sorry for the trouble. There's work in your area finishing by {t}; DM us if it's still down after.",
      "Sorry about the drops. Please restart the router; if it keeps happening DM us for a line test."]),
    ("size", ["jacket too small can I exchange it", "wrong size delivered", "do these shoes run small",
              "need to return a dress that doesn't fit"],
     ["No problem! Exchanges are free within 30 days: start one under Orders > Return.",
      "They come up slightly small, so we'd suggest a size up."]),
    ("food", ["my food arrived cold", "order missing the drinks", "rider went to the wrong address",
              "waited {n} minutes for a delivery"],
     ["So sorry your meal arrived cold. DM us and we'll refund it today.",
      "Sorry the drinks were missing! Send us a DM and we'll put it right."]),
    ("account", ["locked out of my account", "password reset email never comes", "someone hacked my account",
                 "can't change my email address"],
     ["Sorry! Check your spam folder for the reset email; DM us if it hasn't arrived within 10 minutes.",
      "Let's secure it now: please DM us and don't share your password with anyone."]),
    ("praise", ["love the new menu", "great service today thank you", "best coffee in town",
                "thanks for the quick help"],
     ["Thank you so much! We'll pass this on to the team.", "That's lovely to hear, thanks for sharing!"]),
]
FILLER = ("really seriously again today still please help why this is not ok the honestly so annoying "
          "yesterday this morning any update anyone").split()
FIRST = ["Maya", "Tom", "Aisha", "Luis", "Hannah", "Kenji", "Sofia", "Liam", "Priya", "Noah", "Chloe", "Omar"]


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def setup_django(data_dir: Path) -> None:
    os.environ["PARLEY_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "parley.settings"
    os.environ["PARLEY_TRIAGE_ENABLED"] = "false"
    os.environ.pop("PARLEY_TEST_DB_NAME", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- 1. guardrails --------------------------------------------------------------------------


def guardrail_drafts(shared: Path) -> list[tuple[str, dict]]:
    from parley.composer.guardrails.base import Context  # noqa: F401  (imports the checks)

    drafts = []
    for name in ("drafts.jsonl", "heldout.jsonl", "heldout2.jsonl", "heldout3.jsonl", "heldout4.jsonl"):
        path = ROOT / "tests" / "composer" / "labelled" / name
        for line in open(path, encoding="utf-8"):
            record = json.loads(line)
            drafts.append(("labelled", record))
    if (shared / "data" / "twcs-labelled").exists():
        from parley.composer.quality import real_replies

        drafts += [("real", r) for r in real_replies(shared / "data")]
    hostile = ["😀" * 2_500, "\u200b" * 10_000, "\u202eevil\u202c " * 1_000,
               "<script>alert(1)</script><img src=x onerror=alert(1)>" * 100, "a" * 50_000, "مرحبا " * 1_000,
               "9" * 10_000, "We'll " * 5_000, ("call me at 415-555-0134 " * 400)]
    drafts += [("hostile", {"text": t}) for t in hostile]
    rng = random.Random(7)
    recent = [{"text": rng.choice(TOPICS)[2][0].replace("{t}", "5 pm") + f" #{i}", "customer": f"c{i}"} for i in range(300)]
    full = {"customer": {"first_name": "Dana", "email": "dana@example.com", "phone": "+1 415 555 0134",
                         "address": "12 Harbour Road, Leith", "order_numbers": ["WL-88231", "113-1234567-1234567"]},
            "agent": {"first_name": "Sam", "signature": "^SK"},
            "context": {"intent": "complaint", "troll": False, "recent_replies": recent},
            "brand": {"apology_policy": "always_apologise", "signature_required": True,
                      "private_patterns": [{"name": "ticket", "pattern": r"TKT-\d{6}"}]}}
    out = []
    for kind, record in drafts:
        merged = {**full, **{k: v for k, v in record.items() if k in ("channel", "visibility")}}
        out.append((kind, {**merged, "text": record["text"]}))
    return out


def bench_guardrails(shared: Path, reps: int) -> dict:
    from parley.composer.guardrails import Context, check

    drafts = guardrail_drafts(shared)
    contexts = [(kind, record["text"], Context.from_dict(record)) for kind, record in drafts]
    for _, text, ctx in contexts[:50]:
        check(text, ctx)  # warm-up
    samples: dict[str, list[float]] = {"all": [], "labelled": [], "real": [], "hostile": [], "all (CPU time)": []}
    for _ in range(reps):
        for kind, text, ctx in contexts:
            started, cpu = time.perf_counter(), time.process_time()
            check(text, ctx)
            elapsed = (time.perf_counter() - started) * 1000
            samples["all (CPU time)"].append((time.process_time() - cpu) * 1000)
            samples["all"].append(elapsed)
            samples[kind].append(elapsed)
    return {k: v for k, v in samples.items() if v}


# --- 2. suggestions -------------------------------------------------------------------------


def generate(n: int, rng: random.Random):
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from parley.accounts.models import AgentProfile, Brand, Membership, Role
    from parley.composer import actions as composer
    from parley.inbox.models import Conversation, Customer, Identity, Post
    from parley.platforms.models import ChannelAccount

    brand = Brand.objects.create(slug="bench", name="Bench Brand")
    channel = ChannelAccount.objects.create(brand=brand, platform="x", external_id="1", handle="BenchHelp")
    user = get_user_model().objects.create_user("agent", password="x" * 12)
    Membership.objects.create(user=user, brand=brand, role=Role.ADMIN)
    AgentProfile.objects.create(user=user, public_first_name="Sam", signature="^SK")
    for i, (topic, _, replies) in enumerate(TOPICS):
        composer.create_template(brand, user, name=f"{topic} default", body="Hi {customer.first_name|there}, " +
                                 replies[0].replace("{t}", "5 pm"))
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    batch = 5_000
    made = 0
    while made < n:
        size = min(batch, n - made)
        with transaction.atomic():
            customers = Customer.objects.bulk_create([Customer(brand=brand, display_name=f"c{made + i}") for i in range(size)])
            identities = Identity.objects.bulk_create([
                Identity(brand=brand, customer=c, original_customer=c, platform="x", platform_user_id=f"u{made + i}",
                         handle=f"user{made + i}", first_name=rng.choice(FIRST)) for i, c in enumerate(customers)])
            when = [start + timedelta(minutes=5 * (made + i)) for i in range(size)]
            convs = Conversation.objects.bulk_create([
                Conversation(brand=brand, customer=c, channel=channel, platform="x", status="resolved",
                             created_at=w, last_post_at=w + timedelta(minutes=30), resolved_at=w + timedelta(hours=1))
                for c, w in zip(customers, when)])
            inbound = []
            picks = []
            for i, (conv, ident, w) in enumerate(zip(convs, identities, when)):
                topic = rng.choice(TOPICS)
                picks.append(topic)
                text = rng.choice(topic[1]).replace("{n}", str(rng.randint(2, 14)))
                text = f"@BenchHelp {text} " + " ".join(rng.sample(FILLER, rng.randint(0, 4)))
                inbound.append(Post(brand=brand, conversation=conv, channel=channel, platform="x",
                                    platform_id=f"in{made + i}", kind="mention", direction="in", visibility="public",
                                    text=text, author=ident, created_at=w, received_at=w))
            inbound = Post.objects.bulk_create(inbound)
            replies = []
            for i, (conv, post, topic, w) in enumerate(zip(convs, inbound, picks, when)):
                text = rng.choice(topic[2]).replace("{t}", rng.choice(["5 pm", "noon", "tomorrow"]))
                replies.append(Post(brand=brand, conversation=conv, channel=channel, platform="x",
                                    platform_id=f"out{made + i}", kind="reply", direction="out", visibility="public",
                                    text=f"@user{made + i} Hi {post.author.first_name}, {text} ^SK", parent=post,
                                    author_user=user, created_at=w + timedelta(minutes=30),
                                    received_at=w + timedelta(minutes=30)))
            Post.objects.bulk_create(replies)
        made += size
        print(f"  {made:,} conversations", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    # Open conversations to suggest for: a new post each, no reply yet.
    open_convs = []
    for i in range(200):
        topic = rng.choice(TOPICS)
        customer = Customer.objects.create(brand=brand, display_name=f"open{i}")
        ident = Identity.objects.create(brand=brand, customer=customer, original_customer=customer, platform="x",
                                        platform_user_id=f"open{i}", handle=f"open{i}", first_name=rng.choice(FIRST))
        w = start + timedelta(minutes=5 * n + i)
        conv = Conversation.objects.create(brand=brand, customer=customer, channel=channel, platform="x",
                                           status="new", created_at=w, last_post_at=w)
        Post.objects.create(brand=brand, conversation=conv, channel=channel, platform="x", platform_id=f"open{i}",
                            kind="mention", direction="in", visibility="public", author=ident,
                            text="@BenchHelp " + rng.choice(topic[1]).replace("{n}", "3"), created_at=w, received_at=w)
        open_convs.append(conv)
    connection.close()
    return brand, user, open_convs


def bench_suggestions(n: int, rng: random.Random) -> dict:
    from parley.composer.suggestions.history import index_for, suggestions_for

    started = time.perf_counter()
    brand, user, convs = generate(n, rng)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    index = index_for(brand)
    built = time.perf_counter() - started
    user = type(user).objects.select_related("agent_profile").get(pk=user.pk)
    for conv in convs[:10]:
        suggestions_for(conv, user)  # warm-up
    samples, cpu, empty = [], [], 0
    for conv in convs:
        t0, c0 = time.perf_counter(), time.process_time()
        items = suggestions_for(conv, user)
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        empty += not any(s.kind == "history" for s in items)
    return {"samples": samples, "cpu": cpu, "index_pairs": len(index), "index_seconds": built,
            "generate_seconds": generated, "without_history": empty}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=3, help="passes over the guardrail drafts")
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared data folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="parley-bench-composer-"))
    try:
        setup_django(data_dir)
        g = bench_guardrails(Path(args.shared), args.reps)
        s = bench_suggestions(args.conversations, random.Random(42))
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(f"Machine: {machine()}; {datetime.now(timezone.utc):%Y-%m-%d}; SQLite\n")
    print("| measure | n | p50 ms | p95 ms | p99 ms | max ms | target |")
    print("|---|---|---|---|---|---|---|")
    for kind, samples in g.items():
        print(f"| guardrails, {kind} drafts | {len(samples):,} | {statistics.median(samples):.2f} | "
              f"{percentile(samples, 95):.2f} | {percentile(samples, 99):.2f} | {max(samples):.2f} | "
              f"p95 < {GUARDRAIL_TARGET_MS} |")
    sm = s["samples"]
    print(f"| suggestions, {args.conversations:,} past conversations | {len(sm)} | {statistics.median(sm):.1f} | "
          f"{percentile(sm, 95):.1f} | {percentile(sm, 99):.1f} | {max(sm):.1f} | p95 < {SUGGEST_TARGET_MS} |")
    print(f"| suggestions, CPU time of this process | {len(sm)} | {statistics.median(s['cpu']):.1f} | "
          f"{percentile(s['cpu'], 95):.1f} | {percentile(s['cpu'], 99):.1f} | {max(s['cpu']):.1f} | |")
    print(f"\nIndex of {s['index_pairs']:,} past replies built in {s['index_seconds']:.1f} s (once per process, "
          f"then every PARLEY_COMPOSER_SUGGESTION_REFRESH_SECONDS); data set written in {s['generate_seconds']:.0f} s; "
          f"{s['without_history']} of {len(sm)} conversations got no suggestion from history.")
    ok = percentile(g["all"], 95) < GUARDRAIL_TARGET_MS and percentile(sm, 95) < SUGGEST_TARGET_MS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
