"""Timing trace of the webhook intake, for finding where latency bursts come from (off by default).

Set PARLEY_INTAKE_TRACE to a folder and every server process appends JSON lines to
`intake-<pid>.jsonl` there (flushed every half second by a daemon thread):

- `{"k": "group", ...}` per group commit of the writer: `n` deliveries, `wait` ms the oldest waited in
  the queue (including `turn`, ms waiting for the other server processes' writers on SQLite),
  `begin` ms to open the transaction (SQLite: BEGIN IMMEDIATE, which waits for the write
  lock), `accept` ms in `actions.accept_deliveries` (including begin and commit), `commit` ms in COMMIT,
  `cpu` ms of the writer thread's CPU time in it (the rest it waited: for locks, the disk, a core);
- `{"k": "ckpt", "ms": ..., "copied": ...}` per WAL checkpoint of the SQLite checkpointer thread;
- `{"k": "gc", "gen": 0|1|2, "ms": ..., "cpu": ...}` per garbage collection that took 1 ms or more, or
  any of gen 2 (`cpu`: the thread's CPU time in it; the rest of `ms` it waited for a core);
- `{"k": "lag", "ms": ...}` when the event loop woke 5 ms or more late for a 10 ms sleep.

`at` is `time.perf_counter()` when the thing ended; on Linux that is CLOCK_MONOTONIC, shared by every
process on the machine, so the bench can line the trace up with its own clock. When the setting is
empty nothing is installed: `tracer()` is None and the intake code checks only that.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

GC_MIN_MS = 1.0
LAG_SLEEP_S = 0.010
LAG_MIN_MS = 5.0


class Tracer:
    def __init__(self, folder: str):
        self.path = Path(folder) / f"intake-{os.getpid()}.jsonl"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lines: list[str] = []
        self._lock = threading.Lock()
        self._gc_started = 0.0
        self._gc_cpu = 0.0
        self._loop_watched: set[int] = set()
        self._stopped = threading.Event()
        gc.callbacks.append(self._gc)
        threading.Thread(target=self._flusher, name="parley-intake-trace", daemon=True).start()

    def close(self) -> None:
        """Stop measuring GC pauses and flushing (the lag tasks end with their loops)."""
        if self._gc in gc.callbacks:
            gc.callbacks.remove(self._gc)
        self._stopped.set()
        self.flush()

    def record(self, kind: str, **fields) -> None:
        fields["k"] = kind
        fields.setdefault("at", time.perf_counter())
        line = json.dumps(fields, separators=(",", ":"))
        with self._lock:
            self._lines.append(line)

    def flush(self) -> None:
        with self._lock:
            lines, self._lines = self._lines, []
        if lines:
            try:
                with self.path.open("a") as out:
                    out.write("\n".join(lines) + "\n")
            except OSError as error:  # a full disk or a removed folder: drop the lines, never the intake
                log.warning("intake trace: could not write %s (%s); %d lines dropped", self.path, error, len(lines))

    def _flusher(self) -> None:
        while not self._stopped.wait(0.5):
            self.flush()

    def _gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
            self._gc_cpu = time.thread_time()
            return
        now = time.perf_counter()
        ms = (now - self._gc_started) * 1000
        if ms >= GC_MIN_MS or info.get("generation") == 2:
            # cpu: the collecting thread's CPU time; far less than ms means the process was waiting for a core
            self.record("gc", at=now, gen=info.get("generation"), ms=round(ms, 2),
                        cpu=round((time.thread_time() - self._gc_cpu) * 1000, 2), collected=info.get("collected"))

    def watch_loop(self) -> None:
        """Start measuring this event loop's lag (once per loop); call from inside the loop."""
        loop = asyncio.get_running_loop()
        if id(loop) in self._loop_watched:
            return
        self._loop_watched.add(id(loop))
        loop.create_task(self._lag())

    async def _lag(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(LAG_SLEEP_S)
            now = time.perf_counter()
            late = (now - before - LAG_SLEEP_S) * 1000
            if late >= LAG_MIN_MS:
                self.record("lag", at=now, ms=round(late, 2))


_tracer: Tracer | None = None
_checked = False


def tracer() -> Tracer | None:
    """The process's tracer when PARLEY_INTAKE_TRACE names a folder, else None (and nothing installed)."""
    global _tracer, _checked
    if not _checked:
        from django.conf import settings

        folder = getattr(settings, "PARLEY_INTAKE_TRACE", "")
        try:
            _tracer = Tracer(folder) if folder else None
        except OSError as error:  # an unwritable folder turns tracing off, not the intake
            log.error("PARLEY_INTAKE_TRACE=%s cannot be written (%s): intake trace off", folder, error)
            _tracer = None
        _checked = True
    return _tracer


def timed_connection(connection) -> dict:
    """Make this thread's database connection add the time of opening and committing each transaction
    to `["begin"]` / `["commit"]` (ms) of the dict returned; installed once, on the writer's own
    connection (the caller pops what it has read)."""
    timings = getattr(connection, "_parley_timings", None)
    if timings is not None:
        return timings
    timings = {}
    begin_inner = connection._start_transaction_under_autocommit if hasattr(
        connection, "_start_transaction_under_autocommit") else None
    commit_inner = connection._commit

    def timed(name, inner):
        def run():
            started = time.perf_counter()
            try:
                return inner()
            finally:
                timings[name] = timings.get(name, 0.0) + (time.perf_counter() - started) * 1000

        return run

    connection._commit = timed("commit", commit_inner)
    if begin_inner is not None:
        connection._start_transaction_under_autocommit = timed("begin", begin_inner)
    connection._parley_timings = timings
    return timings
