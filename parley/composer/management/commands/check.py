"""`parley check --in FILE --out FILE`: run every guardrail over drafts in bulk.

Without --in this is Django's own `check` (system checks), unchanged.
"""

from __future__ import annotations

import os
import sys

from django.core.management.base import CommandError
from django.core.management.commands.check import Command as SystemCheckCommand

from parley.composer.batch import BatchError, Reject, run

SHOWN_REJECTS = 50


class Command(SystemCheckCommand):
    help = (
        "With --in FILE: check draft replies against the composer's guardrails (JSON lines or CSV in, "
        "JSON lines with findings out; docs/guardrails.md). Without --in: Django's system checks."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--in", dest="infile", metavar="FILE", help="drafts to check (JSON lines or CSV; - for stdin)")
        parser.add_argument("--out", dest="outfile", metavar="FILE", help="where to write the results (- for stdout)")
        parser.add_argument("--format", dest="informat", choices=["auto", "jsonl", "csv"], default="auto",
                            help="input format (default: CSV when the file name ends in .csv)")
        parser.add_argument("--progress", action="store_true", help="show the progress bar even when stderr is not a terminal")
        parser.add_argument("--fail-on-block", action="store_true",
                            help="exit with status 1 when any draft has a blocking finding")

    def handle(self, *app_labels, **options):
        if not options.get("infile"):
            if options.get("outfile"):
                raise CommandError("--out needs --in")
            return super().handle(*app_labels, **options)
        return self._guardrails(options)

    def _guardrails(self, options):
        infile, outfile = options["infile"], options.get("outfile") or "-"
        fmt = options["informat"]
        if fmt == "auto":
            fmt = "csv" if infile.lower().endswith(".csv") else "jsonl"
        if infile != "-" and not os.path.isfile(infile):
            raise CommandError(f"{infile}: no such file")
        if outfile != "-" and os.path.abspath(outfile) == os.path.abspath(infile):
            raise CommandError("--out must not be the input file")
        source = sys.stdin if infile == "-" else open(infile, encoding="utf-8-sig", errors="replace", newline="")
        sink = sys.stdout if outfile == "-" else open(outfile, "w", encoding="utf-8")
        shown = 0

        def report(reject: Reject) -> None:
            nonlocal shown
            if shown < SHOWN_REJECTS:
                self.stderr.write(f"{infile}: {reject}")
            shown += 1

        bar = None
        if options["progress"] or _is_terminal(self.stderr._out):
            from tqdm import tqdm

            total = _count_lines(infile) if infile != "-" else None
            bar = tqdm(total=total, unit=" drafts", file=self.stderr._out, desc="checking")
        try:
            summary = run(source, sink, fmt=fmt, on_reject=report, progress=bar.update if bar else None)
        except BatchError as exc:
            raise CommandError(f"{infile}: {exc}") from None
        finally:
            if bar:
                bar.close()
            if source is not sys.stdin:
                source.close()
            if sink is not sys.stdout:
                sink.close()
        counts = ", ".join(f"{n} {name}" for name, n in sorted(summary.findings.items())) or "no findings"
        self.stderr.write(
            f"checked {summary.records} drafts, skipped {summary.rejected} malformed; "
            f"{summary.levels.get('block', 0)} block, {summary.levels.get('warn', 0)} warn, "
            f"{summary.levels.get('info', 0)} info ({counts})"
        )
        if options["fail_on_block"] and summary.levels.get("block"):
            sys.exit(1)


def _is_terminal(stream) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)())


def _count_lines(path: str) -> int | None:
    try:
        with open(path, "rb") as f:
            return sum(1 for line in f if line.strip())
    except OSError:
        return None
