#!/usr/bin/env python
"""Webhook intake on loopback: signed X deliveries against `parley serve`, then the worker's processing.

    .venv/bin/python bench/bench_webhooks.py                          # SQLite in a temporary folder
    .venv/bin/python bench/bench_webhooks.py --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/bench_webhooks.py --rate 300 --seconds 10   # a quick look
    .venv/bin/python bench/bench_webhooks.py --sustained --seconds 60  # 1,000/s held for a minute

It migrates a fresh database (SQLite: a temporary PARLEY_DATA_DIR; PostgreSQL: a database named
parley_bench_webhooks, created and dropped on the server the URL names), adds one brand with an X
channel, starts `parley serve --no-worker` on a loopback port, and pre-builds and signs one Account
Activity delivery per unique tweet (a share of them sent twice, as platforms redeliver). An asyncio
client then sends them open-loop at --rate per second over --connections keep-alive connections and
records each response's latency (from the moment the request was due, so a server falling behind
shows in the figures). Then `parley db_worker --batch` processes the stored deliveries and the run
checks: deliveries stored = unique bodies sent, posts stored = unique tweet ids sent, none lost or
doubled. Prints a Markdown report for docs/benchmarks.md. The client runs on the same machine and
takes CPU from the server: the figures are a floor.

--sustained holds the offered rate (1,000/s unless --rate says otherwise) for the whole --seconds and
reports p50 / p99 per --window seconds (by when each request was due) as well as overall, so a server
that keeps up for a while and then falls behind shows. It counts the stored deliveries right after the
load (before any processing), then drains the worker with a progress bar (posts stored / unique ids;
minutes on a small machine) and checks that the posts equal the unique tweet ids sent.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_DB = "parley_bench_webhooks"
SECRET = "bench-consumer-secret"
ACCOUNT = "1001"
TARGET_RATE = 1000
TARGET_P99_MS = 100


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def fresh_database(database_url: str, name: str) -> str:
    """Point DATABASE_URL at a new, empty benchmark database (PostgreSQL: `name`, dropped and created
    again; SQLite when database_url is empty: the file under PARLEY_DATA_DIR). Returns its label."""
    if not database_url:
        os.environ.pop("DATABASE_URL", None)
        return "SQLite (WAL)"
    _pg_admin(database_url, f"DROP DATABASE IF EXISTS {name}")
    _pg_admin(database_url, f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = _with_db(database_url, name)
    return "PostgreSQL"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def build_bodies(count: int, duplicate_share: float) -> tuple[list[bytes], int]:
    """Signed request bytes: `count` unique tweets, plus redeliveries of some of them."""
    from parley.platforms.simulator import payloads
    from parley.platforms.x.webhooks import SIGNATURE_HEADER, sign

    now = datetime.now(timezone.utc)
    bodies = []
    for n in range(count):
        user = payloads.x_user(str(5_000_000 + n % 5000), f"customer{n % 5000}", f"Customer {n % 5000}")
        tweet = payloads.x_tweet(str(1_800_000_000_000_000_000 + n), f"@AcmeHelp order {n} is late, help?", user, now)
        bodies.append(payloads.x_delivery(ACCOUNT, tweet_create_events=[tweet]))
    step = int(1 / duplicate_share) if duplicate_share > 0 else 0
    sends = []
    for n, body in enumerate(bodies):
        sends.append(body)
        if step and n % step == 0:
            sends.append(body)  # the platform redelivers this one
    requests = []
    for body in sends:
        head = (
            "POST /hooks/x/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{SIGNATURE_HEADER}: {sign(SECRET, body)}\r\n\r\n"
        ).encode()
        requests.append(head + body)
    return requests, count


async def _read_response(reader) -> int:
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def load(port: int, requests: list[bytes], rate: float, connections: int, dues: list[float] | None = None,
               probe: "ClientProbe | None" = None):
    """Offer `requests` open-loop at `rate`; each answer's latency (ms) from when it was due, in answer
    order, and in `dues` (when given) the second of the run it was due at, in the same order. With a
    `probe`, the client's own stalls are recorded too (how late each request was written, its event
    loop's lag, its GC pauses), so that a late client is not mistaken for a slow server."""
    queue: asyncio.Queue = asyncio.Queue()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    start = time.perf_counter() + 0.2
    if probe is not None:
        probe.start = start
        lag_task = asyncio.get_running_loop().create_task(probe.watch_loop())

    async def producer():
        for n, request in enumerate(requests):
            due = start + n / rate
            wait = due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            await queue.put((due, request))
        for _ in range(connections):
            await queue.put(None)

    async def connection():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while True:
            item = await queue.get()
            if item is None:
                break
            due, request = item
            if probe is not None:
                probe.sent.append((due - start, (time.perf_counter() - due) * 1000))
            writer.write(request)
            await writer.drain()
            status = await _read_response(reader)
            latencies.append((time.perf_counter() - due) * 1000)
            if dues is not None:
                dues.append(due - start)
            statuses[status] = statuses.get(status, 0) + 1
        writer.close()

    await asyncio.gather(producer(), *(connection() for _ in range(connections)))
    if probe is not None:
        lag_task.cancel()
    # From the first request's due time (not from before the 0.2 s lead-in) to the last answer.
    return latencies, statuses, time.perf_counter() - start


class ClientProbe:
    """The load client's own stalls, on the server trace's clock (perf_counter: CLOCK_MONOTONIC)."""

    def __init__(self):
        self.start = 0.0
        self.sent: list[tuple[float, float]] = []  # (s of the run it was due, ms late when written)
        self.lag: list[tuple[float, float]] = []  # (s of the run, ms the loop woke late for a 10 ms sleep)
        self.gc: list[tuple[float, int, float]] = []  # (s of the run, generation, ms)
        self._gc_began = 0.0

    def install(self) -> None:
        gc.callbacks.append(self._gc)

    def remove(self) -> None:
        gc.callbacks.remove(self._gc)

    def _gc(self, phase, info) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._gc_began = now
        else:
            self.gc.append((now - self.start, info["generation"], (now - self._gc_began) * 1000))

    async def watch_loop(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.010)
            now = time.perf_counter()
            self.lag.append((now - self.start, (now - before - 0.010) * 1000))


def read_trace(folder: Path, start: float) -> list[dict]:
    """The server processes' trace lines (parley/platforms/intaketrace.py), `at` made seconds of the run."""
    events = []
    for path in sorted(folder.glob("intake-*.jsonl")):
        for line in path.read_text().splitlines():
            event = json.loads(line)
            event["at"] -= start
            event["pid"] = path.stem.split("-")[1]
            events.append(event)
    return events


def trace_report(dues, latencies, probe: ClientProbe, events: list[dict], worst: int = 8) -> None:
    """Where the time went in the worst 1 s windows (by p99), and over the whole run."""
    per_second: dict[int, list[float]] = {}
    for due, latency in zip(dues, latencies):
        per_second.setdefault(int(due), []).append(latency)
    ranked = sorted(per_second, key=lambda k: percentile(per_second[k], 99), reverse=True)[:worst]

    def within(rows, second, key=lambda r: r[0]):
        return [r for r in rows if second <= key(r) < second + 1]

    def top(values):
        return f"{max(values):,.0f}" if values else "–"

    groups = [e for e in events if e["k"] == "group"]
    gcs = [e for e in events if e["k"] == "gc"]
    lags = [e for e in events if e["k"] == "lag"]
    print("\nTrace (`--trace`): the worst 1 s windows by p99 (requests due in that second); server figures are "
          "for group commits / pauses that ended in it, max over both processes; client = this load client.\n")
    print("| second | p99 ms | client: late write max / loop lag max / GC max ms | groups | batch max | "
          "queue wait max | accept max | BEGIN max | COMMIT max | server GC ms (gen 2 count) | server loop lag max |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---|---:|")
    for k in sorted(ranked):
        g = within(groups, k, lambda e: e["at"])
        c = within(gcs, k, lambda e: e["at"])
        lag = within(lags, k, lambda e: e["at"])
        client = (f"{top([m for _, m in within(probe.sent, k)])} / {top([m for _, m in within(probe.lag, k)])} / "
                  f"{top([m for _, _, m in within(probe.gc, k)])}")
        print(f"| {k}–{k + 1} s | {percentile(per_second[k], 99):,.0f} | {client} | {len(g)} | "
              f"{top([e['n'] for e in g])} | {top([e['wait'] for e in g])} | {top([e['accept'] for e in g])} | "
              f"{top([e['begin'] for e in g])} | {top([e['commit'] for e in g])} | "
              f"{sum(e['ms'] for e in c):,.0f} ({sum(1 for e in c if e['gen'] == 2)}) | {top([e['ms'] for e in lag])} |")

    def spread(values):
        if not values:
            return "–"
        return (f"p50 {percentile(values, 50):,.1f} / p99 {percentile(values, 99):,.1f} / max {max(values):,.1f}")

    print("\nWhole run: group commits " + f"{len(groups):,}" + f", batch {spread([e['n'] for e in groups])}; "
          f"queue wait ms {spread([e['wait'] for e in groups])} (of it, waiting for the other writer's turn: "
          f"{spread([e.get('turn', 0.0) for e in groups])}); accept ms {spread([e['accept'] for e in groups])}; "
          f"BEGIN ms {spread([e['begin'] for e in groups])}; COMMIT ms {spread([e['commit'] for e in groups])}; "
          f"writer CPU ms in accept {spread([e.get('cpu', 0.0) for e in groups])}.  ")
    for gen in (0, 1, 2):
        server = [e["ms"] for e in gcs if e["gen"] == gen]
        client = [m for _, g, m in probe.gc if g == gen]
        server_cpu = [e.get("cpu", 0.0) for e in gcs if e["gen"] == gen]
        print(f"GC gen {gen}: server (pauses of 1 ms or more, all of gen 2) {len(server)}, max "
              f"{top(server)} ms, total {sum(server):,.0f} ms (CPU in them {sum(server_cpu):,.0f} ms, max "
              f"{top(server_cpu)}); client {len(client)}, max {top(client)} ms.  ")
    ckpts = [e for e in events if e["k"] == "ckpt"]
    if ckpts:
        print(f"WAL checkpoints on their own thread: {len(ckpts)}, ms {spread([e['ms'] for e in ckpts])}, frames "
              f"copied {spread([e['copied'] for e in ckpts])}.  ")
    late = [m for _, m in probe.sent]
    print(f"Server loop lag >= 5 ms: {len(lags)} times, max {top([e['ms'] for e in lags])} ms; client loop lag "
          f"{spread([m for _, m in probe.lag])} ms; client late writes (ms after due) {spread(late)}.")


def windows(dues: list[float], latencies: list[float], width: float) -> list[tuple[float, int, int, float, float]]:
    """Per `width` seconds of the run: (start s, requests due in it, answers given in it, p50 ms, p99 ms
    of the requests due in it)."""
    groups: dict[int, list[float]] = {}
    answered: dict[int, int] = {}
    for due, latency in zip(dues, latencies):
        groups.setdefault(int(due // width), []).append(latency)
        done = int((due + latency / 1000) // width)
        answered[done] = answered.get(done, 0) + 1
    keys = sorted(set(groups) | set(answered))
    return [(k * width, len(groups.get(k, [])), answered.get(k, 0), percentile(groups.get(k, []), 50),
             percentile(groups.get(k, []), 99)) for k in keys]


def drain(cli: list[str], env: dict, unique: int) -> tuple[float, int]:
    """Run `parley db_worker --batch` until the queue is empty, showing posts stored / unique ids;
    (seconds taken, exit status)."""
    from tqdm import tqdm

    from django.db import connections

    from parley.inbox.models import Post

    began = time.perf_counter()
    worker = subprocess.Popen([*cli, "db_worker", "--batch", "--no-startup-delay", "--interval", "0"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with tqdm(total=unique, desc="processing", unit="post") as bar:
        while True:
            done = worker.poll() is not None
            stored = Post.objects.filter(platform="x").count()
            connections.close_all()  # no open read transaction on the worker's database
            bar.update(stored - bar.n)
            if done:
                break
            time.sleep(1)
    return time.perf_counter() - began, worker.returncode


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of `pid` and every process under it (Linux /proc); what the server spent,
    whatever else the machine was doing, so that runs on a loaded machine still compare."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, IndexError, ValueError):
            continue
    return total


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                if b"200" in s.recv(100):
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("parley serve did not come up")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL; SQLite when omitted")
    parser.add_argument("--rate", type=float, default=TARGET_RATE, help="deliveries per second offered")
    parser.add_argument("--seconds", type=float, default=20, help="how long to offer them")
    parser.add_argument("--connections", type=int, default=64, help="concurrent keep-alive connections")
    parser.add_argument("--workers", type=int, default=2, help="server processes (uvicorn --workers)")
    parser.add_argument("--duplicates", type=float, default=0.05, help="share of deliveries sent twice")
    parser.add_argument("--sustained", action="store_true",
                        help="hold the rate for the whole run; p50/p99 per --window; drain the worker with a progress bar")
    parser.add_argument("--no-drain", action="store_true",
                        help="sustained: stop after counting the stored deliveries (no processing; posts not checked)")
    parser.add_argument("--window", type=float, default=10, help="seconds per window of the sustained report")
    parser.add_argument("--trace", action="store_true",
                        help="time the server's group commits, GC pauses and loop lag (PARLEY_INTAKE_TRACE) and the "
                             "client's own stalls; report the worst 1 s windows")
    args = parser.parse_args(argv)
    if args.window <= 0 or args.seconds <= 0 or args.rate <= 0:
        parser.error("--rate, --seconds and --window must be positive")

    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="parley-bench-webhooks-"))
    env = dict(os.environ, PARLEY_DATA_DIR=str(tmp), PARLEY_X_CONSUMER_SECRET=SECRET, PARLEY_LOG_LEVEL="WARNING",
               PARLEY_TRIAGE_ENABLED="false", DJANGO_SETTINGS_MODULE="parley.settings")
    if args.database_url:
        db_url = _with_db(args.database_url, BENCH_DB)
        _pg_admin(args.database_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
        _pg_admin(args.database_url, f"CREATE DATABASE {BENCH_DB}")
        env["DATABASE_URL"] = db_url
        label = "PostgreSQL"
    else:
        env.pop("DATABASE_URL", None)
        label = "SQLite (WAL)"
    if args.trace:
        env["PARLEY_INTAKE_TRACE"] = str(tmp / "trace")
    os.environ.update(env)
    if not args.database_url:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from parley.accounts.models import Brand
    from parley.platforms.models import ChannelAccount

    brand = Brand.objects.create(slug="bench", name="Bench")
    ChannelAccount.objects.create(brand=brand, platform="x", external_id=ACCOUNT, handle="AcmeHelp")
    from django.db import connections

    connections.close_all()

    unique = int(args.rate * args.seconds)
    requests, unique = build_bodies(unique, args.duplicates)
    port = free_port()
    cli = [sys.executable, "-m", "parley.cli"]
    server = subprocess.Popen([*cli, "serve", "--no-worker", "--port", str(port), "--workers", str(args.workers),
                               "--no-access-log"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(port)
        cpu_before = os.times()
        server_cpu_before = tree_cpu_seconds(server.pid)
        dues: list[float] = []
        probe = ClientProbe() if args.trace else None
        if probe is not None:
            probe.install()
        latencies, statuses, elapsed = asyncio.run(load(port, requests, args.rate, args.connections, dues, probe))
        if probe is not None:
            probe.remove()
        cpu_after = os.times()
        server_cpu = tree_cpu_seconds(server.pid) - server_cpu_before
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    from parley.inbox.models import Post
    from parley.platforms.models import WebhookDelivery

    stored_before = WebhookDelivery.objects.count()  # what the intake stored, before any processing
    if args.sustained and args.no_drain:
        processing_s = None
    elif args.sustained:
        processing_s, status = drain(cli, env, unique)
        if status != 0:
            raise SystemExit(f"parley db_worker exited with {status}")
    else:
        began = time.perf_counter()
        subprocess.run([*cli, "db_worker", "--batch", "--no-startup-delay", "--interval", "0"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processing_s = time.perf_counter() - began

    deliveries = WebhookDelivery.objects.count()
    posts = Post.objects.filter(platform="x").count()
    dead = WebhookDelivery.objects.filter(state="dead").count()
    ok = statuses.get(200, 0)
    client_cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    p50, p95, p99 = (percentile(latencies, p) for p in (50, 95, 99))
    achieved = len(latencies) / elapsed if elapsed else 0
    lost = unique - (stored_before if processing_s is None else posts)
    print(f"\n### Webhook intake, {label}, {datetime.now(timezone.utc):%Y-%m-%d}\n")
    print(f"Machine: {platform.node()}, {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), "
          f"load average before {load_before:.1f}, after {os.getloadavg()[0]:.1f}; Python {platform.python_version()}; "
          f"`parley serve --no-worker --no-access-log --workers {args.workers}`; client: {args.connections} keep-alive connections "
          f"in this process ({client_cpu:.1f} s CPU); server processes {server_cpu:.1f} s CPU during the load "
          f"({server_cpu * 1000 / max(len(latencies), 1):.2f} ms a request).\n")
    print("| offered | achieved | requests | 200 | other | p50 ms | p95 ms | p99 ms | unique ids | deliveries stored | posts | lost / doubled | dead | processing |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    other = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()) if k != 200) or "0"
    print(f"| {args.rate:,.0f}/s for {args.seconds:g} s | {achieved:,.0f}/s | {len(latencies):,} | {ok:,} | {other} | "
          f"{p50:.1f} | {p95:.1f} | {p99:.1f} | {unique:,} | {deliveries:,} | {posts:,} | {max(lost, 0)} / "
          f"{max(-lost, 0)} | {dead} | "
          f"{'not drained' if processing_s is None else f'{posts / processing_s:,.0f} posts/s ({processing_s:.1f} s)'} |")
    if args.sustained:
        print(f"\nSustained: p50 / p99 per {args.window:g} s window (by when each request was due), then overall; "
              f"deliveries stored right after the load: {stored_before:,} of {unique:,} unique bodies "
              f"({'none lost or doubled' if stored_before == unique else 'MISMATCH'}); "
              + ("the worker was not drained (--no-drain).\n" if processing_s is None else
                 f"posts after draining the worker: {posts:,} of {unique:,} unique ids.\n"))
        print("| window | offered (due) | answered | answered/s | p50 ms | p99 ms |")
        print("|---|---:|---:|---:|---:|---:|")
        for begin, due, done, w50, w99 in windows(dues, latencies, args.window):
            shown = [f"{v:,.1f}" if v == v else "–" for v in (w50, w99)]  # nothing due: no latency
            print(f"| {begin:g}–{begin + args.window:g} s | {due:,} | {done:,} | {done / args.window:,.0f} | "
                  f"{shown[0]} | {shown[1]} |")
        print(f"| overall | {len(latencies):,} | {len(latencies):,} | {achieved:,.0f} | {p50:,.1f} | {p99:,.1f} |")
    if args.trace:
        time.sleep(1)  # the servers' trace threads flush every half second
        trace_report(dues, latencies, probe, read_trace(tmp / "trace", probe.start))
    target = achieved >= TARGET_RATE * 0.98 and p99 < TARGET_P99_MS
    print(f"\nTarget {TARGET_RATE:,}/s with p99 < {TARGET_P99_MS} ms: {'met' if target else 'not met'}; "
          f"lost or doubled: {'none' if deliveries == unique == stored_before and (processing_s is None or posts == unique) else 'SOME'}"
          f"{' (stored deliveries only: not drained)' if processing_s is None else ''}.")
    connections.close_all()
    if args.database_url:
        _pg_admin(args.database_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if deliveries == unique == stored_before and posts == unique else 1


if __name__ == "__main__":
    sys.exit(main())
