"""`parley tick`: run the periodic jobs that are due, once (cron) or in a loop."""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from parley.server import periodic


class Command(BaseCommand):
    help = "Run the periodic jobs that are due (priority refresh, ...); --loop to keep going."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, checking for due jobs.")
        parser.add_argument("--interval", type=float, default=None,
                            help="Seconds between checks with --loop (default PARLEY_PERIODIC_POLL_SECONDS).")
        parser.add_argument("--job", default=None, help="Only this job.")
        parser.add_argument("--force", action="store_true", help="Run now even if not due yet.")
        parser.add_argument("--list", action="store_true", help="List the registered jobs and stop.")

    def handle(self, *args, **opts):
        from parley.server.models import PeriodicRun

        names = {job.name for job in periodic.registered()}
        if opts["job"] and opts["job"] not in names:
            raise CommandError(f"no periodic job {opts['job']!r} (registered: {', '.join(sorted(names)) or 'none'})")
        if opts["list"]:
            runs = {r.name: r for r in PeriodicRun.objects.all()}
            for job in periodic.registered():
                run = runs.get(job.name)
                last = f"last {run.last_finished_at:%Y-%m-%d %H:%M:%S} {'ok' if run.last_ok else 'FAILED'}" if (
                    run and run.last_finished_at) else "never run"
                self.stdout.write(f"{job.name:<28} every {int(job.every.total_seconds())} s   {last}")
            return
        if opts["loop"]:
            interval = opts["interval"] or settings.PARLEY_PERIODIC_POLL_SECONDS
            self.stdout.write(f"Running periodic jobs every {interval:g} s (Ctrl-C to stop).")
            stop = threading.Event()
            try:
                periodic.loop(interval, stop, on_outcome=self._print)
            except KeyboardInterrupt:
                stop.set()
            return
        outcomes = periodic.run_due(timezone.now(), only=opts["job"], force=opts["force"])
        for outcome in outcomes:
            self._print(outcome)
        if not outcomes:
            self.stdout.write("No periodic job was due.")
        if any(not o.ok for o in outcomes):
            raise CommandError("a periodic job failed")

    def _print(self, outcome: periodic.Outcome) -> None:
        mark = "ok" if outcome.ok else "FAILED"
        self.stdout.write(f"{outcome.name}: {mark} {outcome.result}".rstrip())
