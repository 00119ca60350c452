"""`parley classify --in FILE --out FILE`: triage every text of a JSON-lines or CSV file."""

from __future__ import annotations

import json
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from parley.triage import io
from parley.triage.linear import ModelMissing
from parley.triage.pipeline import Options, Triager


class Command(BaseCommand):
    help = ("Triage texts from a JSON-lines or CSV file (a 'text' field, optional 'id'); write JSON lines "
            "with every input field plus a 'triage' object.")

    def add_arguments(self, parser):
        parser.add_argument("--in", dest="input", required=True, help="Input file (.jsonl or .csv); - for stdin.")
        parser.add_argument("--out", dest="output", required=True, help="Output JSON-lines file; - for stdout.")
        parser.add_argument("--profile", choices=("fast", "accurate"), default=None,
                            help="Model profile (default: PARLEY_TRIAGE_PROFILE).")
        parser.add_argument("--batch-size", type=int, default=512)
        parser.add_argument("--no-explain", action="store_true", help="Leave out explanations (faster).")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        profile = opts["profile"] or settings.PARLEY_TRIAGE_PROFILE
        try:
            triager = Triager(Options(profile=profile, phone_region=settings.PARLEY_TRIAGE_PHONE_REGION,
                                      explain=not opts["no_explain"]))
        except ModelMissing as exc:
            raise CommandError(str(exc)) from exc
        source = sys.stdin if opts["input"] == "-" else self._open(opts["input"])
        sink = sys.stdout if opts["output"] == "-" else open(opts["output"], "w", encoding="utf-8")
        started = time.perf_counter()
        done = skipped = 0
        try:
            first = source.read(4096)
            fmt = io.detect_format(opts["input"], first)
            text = (first + source.read()).lstrip("\ufeff")  # a byte-order mark is not part of the header
            lines = text.splitlines(keepends=True)
            try:
                rows = io.read_csv(iter(lines)) if fmt == "csv" else io.read_jsonl(iter(lines))
                bar = tqdm(total=len(lines), unit="line", disable=opts["no_progress"], file=sys.stderr)
                batch: list[io.Row] = []
                for row in rows:
                    bar.update(max(0, row.line - bar.n))
                    if row.fields is None:
                        skipped += 1
                        with bar.external_write_mode():
                            self.stderr.write(f"line {row.line}: skipped: {row.problem}")
                        continue
                    batch.append(row)
                    if len(batch) >= opts["batch_size"]:
                        done += self._flush(triager, batch, sink)
                        batch = []
                done += self._flush(triager, batch, sink)
                bar.update(len(lines) - bar.n)
                bar.close()
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        finally:
            if sink is not sys.stdout:
                sink.close()
        seconds = time.perf_counter() - started
        self.stderr.write(f"classified {done:,} posts, skipped {skipped:,} malformed lines in {seconds:.1f} s "
                          f"({profile} profile, models {triager.version})")

    def _open(self, path):
        try:
            return open(path, encoding="utf-8", errors="replace", newline="")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc

    def _flush(self, triager: Triager, batch: list, sink) -> int:
        if not batch:
            return 0
        results = triager.triage_many([row.fields.get("text") or "" for row in batch])
        for row, result in zip(batch, results):
            sink.write(json.dumps({**row.fields, "triage": result}, ensure_ascii=False) + "\n")
        return len(batch)

