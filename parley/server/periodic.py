"""Periodic jobs: a tiny registry, run by `parley worker` (beside `parley serve`) and `parley tick`.

An app registers its jobs in a module named `periodic.py` (found by
`discover()`, as Django finds `admin.py`):

    from parley.server.periodic import register

    def refresh(now):            # takes the time; returns something printable
        ...

    register("triage.priority", every_seconds=60, func=refresh)

Each job runs at most once per `every_seconds` across every process that runs
jobs: a process claims a due job by moving its `next_due_at` forward with one
conditional UPDATE (PeriodicRun), so the worker, a cron `parley tick` and a
second worker machine never run it twice. A job that raises is logged and
recorded (`last_ok` false); it runs again when next due. Jobs get `now` passed
in and must be safe to run late or twice (they recompute from the database).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    func: Callable[[datetime], object]


_jobs: dict[str, Job] = {}


def register(name: str, every_seconds: float, func: Callable[[datetime], object]) -> Job:
    """Add (or replace) the job `name`, run every `every_seconds` with the current time."""
    if not name or len(name) > 100:
        raise ValueError("a periodic job needs a name of 1 to 100 characters")
    if every_seconds <= 0:
        raise ValueError(f"{name}: every_seconds must be positive")
    job = Job(name, timedelta(seconds=every_seconds), func)
    _jobs[name] = job
    return job


def unregister(name: str) -> None:
    _jobs.pop(name, None)


def registered() -> list[Job]:
    return sorted(_jobs.values(), key=lambda j: j.name)


def discover() -> None:
    """Import `periodic` from every installed app, so their register() calls run."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("periodic")


def is_due(next_due_at: datetime | None, now: datetime) -> bool:
    """Pure: a job never run is due; otherwise when its time has come."""
    return next_due_at is None or next_due_at <= now


@dataclass
class Outcome:
    name: str
    ok: bool
    result: str


def _claim(job: Job, now: datetime) -> bool:
    from .models import PeriodicRun

    PeriodicRun.objects.get_or_create(name=job.name, defaults={"next_due_at": now})
    return bool(
        PeriodicRun.objects.filter(name=job.name, next_due_at__lte=now).update(
            next_due_at=now + job.every, last_started_at=now
        )
    )


def run_due(now: datetime, only: str | None = None, force: bool = False) -> list[Outcome]:
    """Run every registered job that is due at `now` (or just `only`); `force` ignores the schedule."""
    from django.db.models import F
    from django.utils import timezone

    from .models import PeriodicRun

    outcomes = []
    for job in registered():
        if only and job.name != only:
            continue
        if force:
            PeriodicRun.objects.update_or_create(name=job.name, defaults={"next_due_at": now})
        if not _claim(job, now):
            continue
        try:
            result = job.func(now)
            outcome = Outcome(job.name, True, "" if result is None else str(result))
        except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
            log.exception("periodic job %s failed", job.name)
            outcome = Outcome(job.name, False, f"{type(exc).__name__}: {exc}")
        PeriodicRun.objects.filter(name=job.name).update(
            last_finished_at=timezone.now(), last_ok=outcome.ok, last_result=outcome.result[:2000],
            runs=F("runs") + 1,
        )
        outcomes.append(outcome)
    return outcomes


def loop(poll_seconds: float, stop: threading.Event, on_outcome: Callable[[Outcome], None] | None = None) -> None:
    """Run due jobs every `poll_seconds` until `stop` is set (the worker's thread, `parley tick --loop`)."""
    from django.db import close_old_connections, connection
    from django.utils import timezone

    def tidy():
        # Drop broken or expired connections between rounds, as a request does; never
        # inside a transaction someone else opened (a test's atomic block).
        if not connection.in_atomic_block:
            close_old_connections()

    while not stop.is_set():
        try:
            tidy()
            for outcome in run_due(timezone.now()):
                if on_outcome is not None:
                    on_outcome(outcome)
        except Exception:  # noqa: BLE001 - e.g. the database is briefly away; try again next round
            log.exception("periodic jobs could not run")
        finally:
            tidy()
        stop.wait(poll_seconds)


def start_thread(poll_seconds: float) -> tuple[threading.Thread, threading.Event]:
    """The periodic loop in a daemon thread (how `parley worker` runs it beside the task worker)."""
    stop = threading.Event()
    thread = threading.Thread(target=loop, args=(poll_seconds, stop), name="parley-periodic", daemon=True)
    thread.start()
    return thread, stop
