"""`parley demo`: load the bundled demo brands and print a login."""

from __future__ import annotations

import os
import secrets
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from tqdm import tqdm

from parley.inbox.demo import loader
from parley.inbox.demo.brands import DEMO_USERNAME
from parley.inbox.demo.generator import DEFAULT_SEED, generate
from parley.inbox.formats import FormatError, parse_time

PASSWORD_ENV = "PARLEY_DEMO_PASSWORD"


class Command(BaseCommand):
    help = (
        "Load the demo data set (three invented brands with their channels, teams, agents and a week of "
        "conversations) and print a login. Does nothing when the demo is already loaded; --reset reloads it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="delete the demo brands and load them again")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"generator seed (default {DEFAULT_SEED})")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="fraction of the full data set to load (default 1; tests use less)")
        parser.add_argument("--now", help="pretend it is this time (ISO 8601 with a time zone); default: now")
        parser.add_argument("--progress", action="store_true",
                            help="show the progress bar even when stderr is not a terminal")
        parser.add_argument("--serve", action="store_true",
                            help="then serve Parley (parley serve), with the simulator playing the platforms and "
                                 "pushing customer posts unless PARLEY_DEMO_LIVE=0")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")),
                            help="port to serve on with --serve (default $PORT or 8000)")

    def handle(self, *args, **options):
        self._check_migrated()
        if not 0 < options["scale"] <= 4:
            raise CommandError("--scale must be above 0 and at most 4")
        try:
            now = parse_time(options["now"], "--now") if options["now"] else None
            loader.check_no_conflict()
        except (FormatError, loader.DemoConflict) as exc:
            raise CommandError(str(exc)) from None
        password = self._password()

        existing = list(loader.demo_brands().values_list("name", flat=True))
        if existing and not options["reset"]:
            self.stdout.write(f"The demo is already loaded ({', '.join(existing)}); nothing to do. "
                              "Use --reset to delete and reload it.")
        else:
            if existing:
                loader.delete_demo()
                self.stdout.write(f"Deleted the demo brands ({', '.join(existing)}).")
            self._load(now, options)
        loader.set_passwords(password)
        self._summary(password, options["port"])
        if options["serve"]:
            from parley.platforms import demo_live

            status = demo_live.serve(options["port"], self.stdout.write)
            if status:
                raise CommandError(f"parley serve stopped with status {status}")

    def _check_migrated(self) -> None:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not up to date: run `parley migrate` first.")

    def _password(self) -> str:
        chosen = os.environ.get(PASSWORD_ENV, "")
        if chosen and len(chosen) < 8:
            raise CommandError(f"{PASSWORD_ENV} must be at least 8 characters")
        # Never stored in plain text: a fresh one each run unless the operator chose one.
        return chosen or secrets.token_urlsafe(9)

    def _load(self, now, options) -> None:
        data = generate(now=now, seed=options["seed"], scale=options["scale"])
        total = sum(len(c.events) for b in data.brands for c in b.conversations)
        show = options["progress"] or sys.stderr.isatty()
        with tqdm(total=total, unit="event", desc="Loading demo", disable=not show, file=sys.stderr) as bar:
            report = loader.load(data, progress=bar)
        self.stdout.write(f"Loaded {data.post_count:,} posts and {total - data.post_count:,} scripted actions "
                          f"in {report.seconds:.1f} s (seed {data.seed}, now {data.now:%Y-%m-%d %H:%M} UTC).")
        if report.skipped:
            self.stderr.write(f"{len(report.skipped)} scripted actions did not apply, e.g. {report.skipped[0]}")

    def _summary(self, password: str, port: int) -> None:
        rows = loader.counts()
        header = f"{'brand':<16}{'channels':>9}{'teams':>7}{'agents':>8}{'conversations':>15}{'posts':>8}"
        self.stdout.write("")
        self.stdout.write(header)
        for r in rows:
            self.stdout.write(f"{r.name:<16}{r.channels:>9}{r.teams:>7}{r.agents:>8}{r.conversations:>15}{r.posts:>8}")
        self.stdout.write(
            f"{'total':<16}{sum(r.channels for r in rows):>9}{sum(r.teams for r in rows):>7}"
            f"{sum(r.agents for r in rows):>8}{sum(r.conversations for r in rows):>15}{sum(r.posts for r in rows):>8}"
        )
        example = loader.example_agents()
        self.stdout.write("")
        self.stdout.write(f"Agents (e.g. {', '.join(example)}) share the demo password.")
        self.stdout.write(self.style.SUCCESS(
            f"Open http://127.0.0.1:{port} and log in as {DEMO_USERNAME} / {password}"
        ))
