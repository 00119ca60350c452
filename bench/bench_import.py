"""Import throughput: a generated 200,000-post twcs corpus into a fresh database.

    .venv/bin/python bench/bench_import.py [--posts 200000] [--database-url postgres://...]

Generates a "Customer Support on Twitter"-style CSV (threads of 1-6 posts
between customers and several companies, rows shuffled locally the way the
real file is, replies often before the tweet they answer), imports it with
`parley import`'s code path into a fresh SQLite file database (and into a
fresh PostgreSQL database, parley_bench_import, created on the server named by
--database-url and dropped after), and prints posts/s. The figures go into the
"Import throughput" section of docs/benchmarks.md unless --no-docs is given.

Each database runs in its own child process, because Django reads its
settings (DATABASE_URL, PARLEY_DATA_DIR) once per process.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Import throughput"
TARGET = 5000
PG_DATABASE = "parley_bench_import"

COMPANIES = ["AcmeAirHelp", "BetaBankCares", "GammaTelSupport", "DeltaRailUK", "EpsilonShop", "ZetaStreamHelp",
             "EtaGamesSupport", "ThetaPowerCo", "IotaInsure", "KappaFoodCare", "LambdaCloudOps", "MuMobileHelp"]
TOPICS = ["my order hasn't arrived", "the app crashes when I log in", "I was charged twice",
          "the train was cancelled again", "my internet keeps dropping", "I can't reset my password",
          "the refund still hasn't shown up", "my parcel says delivered but it isn't here",
          "the update broke my settings", "nobody answers the phone line", "the discount code doesn't work",
          "my seat was given away"]
ANSWERS = ["Sorry to hear that. Could you DM us your account details so we can check?",
           "Thanks for flagging this, we're looking into it now.",
           "That's not the experience we want for you. Which version are you on?",
           "We've passed this to the team, expect an update within 24 hours.",
           "Please try again now, it should be fixed. Let us know either way!"]
FOLLOW_UPS = ["done, sent you a DM", "still not working", "ok thanks, that fixed it", "it's version 4.2",
              "any news?", "that was quick, thank you!"]
SIGNATURES = ["^AB", "^KL", "^JM", "^SA", "^PT", "-RR"]


# --- the corpus --------------------------------------------------------------------------


def generate(path: Path, posts: int, seed: int = 7) -> None:
    """Write a twcs CSV of exactly `posts` rows."""
    rng = random.Random(seed)
    start = datetime(2017, 10, 1, tzinfo=timezone.utc)
    customers = max(posts // 5, 10)
    rows = []
    next_id = 1
    while len(rows) < posts:
        company = rng.choice(COMPANIES)
        customer = str(100_000 + rng.randrange(customers))
        size = min(rng.choice((1, 2, 2, 3, 3, 4, 4, 5, 6)), posts - len(rows))
        at = start + timedelta(seconds=rng.randrange(60 * 86400))
        thread = []
        for k in range(size):
            inbound = k % 2 == 0
            at += timedelta(seconds=rng.randrange(30, 4 * 3600))
            if inbound:
                text = f"@{company} {rng.choice(TOPICS) if k == 0 else rng.choice(FOLLOW_UPS)}"
            else:
                text = f"@{customer} {rng.choice(ANSWERS)} {rng.choice(SIGNATURES)}"
            thread.append([str(next_id), customer if inbound else company, "True" if inbound else "False", at, text])
            next_id += 1
        for k, row in enumerate(thread):
            child = thread[k + 1][0] if k + 1 < len(thread) else ""
            parent = thread[k - 1][0] if k > 0 else ""
            row += [child, parent]
        rows.extend(thread)
    # Locally shuffled, as in the real file: a thread's rows sit near each other
    # but not in order, and often a reply comes before the tweet it answers.
    block = 24
    for i in range(0, len(rows), block):
        chunk = rows[i : i + block]
        rng.shuffle(chunk)
        rows[i : i + block] = chunk
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
                         "in_response_to_tweet_id"])
        for tweet_id, author, inbound, at, text, child, parent in rows:
            writer.writerow([tweet_id, author, inbound, at.strftime("%a %b %d %H:%M:%S +0000 %Y"), text, child, parent])


# --- one run, in a child process -------------------------------------------------------------


def run_child(corpus: Path, batch_size: int, profile: str) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from parley.accounts.models import Brand
    from parley.inbox.importers import import_file
    from parley.inbox.models import Conversation, Post

    call_command("migrate", verbosity=0)
    brand = Brand.objects.create(slug="bench", name="Bench")
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu = time.perf_counter(), time.process_time()
    summary = import_file(corpus, brand, batch_size=batch_size)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profile:
        profiler.disable()
        profiler.dump_stats(profile)
    again = time.perf_counter()
    second = import_file(corpus, brand, batch_size=batch_size)
    again = time.perf_counter() - again
    return {
        "vendor": connection.vendor,
        "read": summary.read,
        "imported": summary.imported,
        "rejected": summary.rejected,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "posts_per_second": round(summary.imported / seconds),
        "posts": Post.objects.count(),
        "conversations": Conversation.objects.exclude(status="merged").count(),
        "reimport_duplicates": second.duplicates,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "reimport_seconds": round(again, 2),
    }


def child(database_url: str, data_dir: Path, corpus: Path, batch_size: int, profile: str) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url, PARLEY_DATA_DIR=str(data_dir), PARLEY_LOG_LEVEL="WARNING")
    command = [sys.executable, __file__, "--child", str(corpus), "--batch-size", str(batch_size)]
    if profile:
        command += ["--profile", profile]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _pg_admin(database_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql)


def _pg_url(database_url: str, name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(database_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


# --- the machine and the docs ----------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        ram = f"{kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        ram = "unknown RAM"
    return f"{os.cpu_count()} CPUs (`nproc`), {cpu}, {ram}"


def write_docs(results: list[dict], posts: int, command: str, note: str, load: tuple[float, float]) -> None:
    lines = [
        SECTION,
        "",
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d} by `bench/bench_import.py`: a generated "
        f"{posts:,}-post twcs-style CSV (threads of 1-6 posts, {len(COMPANIES)} companies, rows shuffled "
        "locally so replies often precede their parents) imported into a fresh database through the same code "
        "as `parley import`. Time covers reading the file twice, threading and writing. Target: "
        f"at least {TARGET:,} posts/s into SQLite.",
        "",
        "| database | posts | time | posts/s | CPU time of the importer | peak memory | conversations "
        "| re-import (all duplicates) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['vendor']} | {r['imported']:,} | {r['seconds']:.1f} s | **{r['posts_per_second']:,}** | "
            f"{r['cpu_seconds']:.1f} s | {r['peak_rss_mb']:,} MB | {r['conversations']:,} | "
            f"{r['reimport_seconds']:.1f} s |"
        )
    server = " PostgreSQL runs as a separate server on the same CPUs." if len(results) > 1 else ""
    lines += [
        "",
        f"Machine: {machine()}; load average {load[0]:.1f} before the run and {load[1]:.1f} after it "
        "(other jobs share the CPUs). The time is wall-clock time; the importer's CPU time shows what it "
        f"needs alone (posts / CPU time = {results[0]['imported'] / results[0]['cpu_seconds']:,.0f} posts/s "
        f"on {results[0]['vendor']}).{server} {note}".rstrip(),
        "",
        f"Rerun: `{command}`",
        "",
    ]
    section = "\n".join(lines)
    text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n\nFigures measured by the scripts in `bench/`.\n\n"
    start = text.find(SECTION)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + (text[end + 1 :] if end != -1 else "")
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--database-url", help="a PostgreSQL server URL; the benchmark creates and drops its own database")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--note", default="", help="a sentence added to the docs (e.g. the machine was shared)")
    parser.add_argument("--profile", help="write a cProfile of the SQLite import to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(Path(args.child), args.batch_size, args.profile or "")))
        return

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="parley-bench-import-") as tmp:
        tmp_path = Path(tmp)
        corpus = tmp_path / "corpus.csv"
        t = time.perf_counter()
        generate(corpus, args.posts)
        print(f"generated {args.posts:,} posts in {time.perf_counter() - t:.1f} s ({corpus.stat().st_size / 1e6:.1f} MB)")
        results = []
        sqlite = child(f"sqlite:///{tmp_path / 'bench.sqlite3'}", tmp_path, corpus, args.batch_size, args.profile)
        results.append(sqlite)
        print(f"sqlite:     {sqlite['imported']:,} posts in {sqlite['seconds']} s = {sqlite['posts_per_second']:,} posts/s"
              f" (CPU time {sqlite['cpu_seconds']} s, peak memory {sqlite['peak_rss_mb']} MB)"
              f" (re-import {sqlite['reimport_seconds']} s, {sqlite['reimport_duplicates']:,} duplicates)")
        if args.database_url:
            _pg_admin(args.database_url, f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            _pg_admin(args.database_url, f"CREATE DATABASE {PG_DATABASE}")
            try:
                pg = child(_pg_url(args.database_url, PG_DATABASE), tmp_path, corpus, args.batch_size, "")
            finally:
                _pg_admin(args.database_url, f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            results.append(pg)
            print(f"postgresql: {pg['imported']:,} posts in {pg['seconds']} s = {pg['posts_per_second']:,} posts/s"
                  f" (CPU time of this process {pg['cpu_seconds']} s; re-import {pg['reimport_seconds']} s)")
    status = "meets" if sqlite["posts_per_second"] >= TARGET else "misses"
    print(f"SQLite {status} the target of {TARGET:,} posts/s")
    if not args.no_docs:
        command = ".venv/bin/python bench/bench_import.py" + (f" --posts {args.posts}" if args.posts != 200_000 else "")
        if args.database_url:
            command += " --database-url postgres://USER@HOST:5432/postgres"
        write_docs(results, args.posts, command, args.note, (load_before, os.getloadavg()[0]))
        print(f"wrote the figures to {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
