"""`parley promises --in FILE --out FILE`: find promises in replies (JSON lines or CSV).

Each input record needs `text`, and may carry `sent_at` (ISO 8601; due times are relative
to it). Every input field is written back with `promises` added: a list of
{"start", "end", "text", "due"} (character offsets into `text`; `due` ISO 8601 or null).
Malformed records are reported on stderr and skipped; the others are written in order. A record
whose `sent_at` is not an ISO 8601 time keeps its promises, each with `due` null, and a warning.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from parley.sla.promises import detect


def _format(path: str, forced: str | None) -> str:
    if forced:
        return forced
    return "csv" if path.lower().endswith(".csv") else "jsonl"


def _sent_at(value) -> datetime | None:
    if value in (None, ""):
        return None
    when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


class Command(BaseCommand):
    help = "Find promises (commitments) in agents' replies; JSON lines or CSV in, the same plus `promises` out."

    def add_arguments(self, parser):
        parser.add_argument("--in", dest="input", required=True, help="input file (.jsonl/.json or .csv; - for stdin)")
        parser.add_argument("--out", dest="output", required=True, help="output file (same format; - for stdout)")
        parser.add_argument("--format", choices=["jsonl", "csv"], help="force the format (default: by extension)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        source, target = options["input"], options["output"]
        kind = _format(source if source != "-" else target, options["format"])
        if source != "-" and not Path(source).is_file():
            raise CommandError(f"no such input file: {source}")
        infile = sys.stdin if source == "-" else open(source, newline="", encoding="utf-8-sig")
        outfile = sys.stdout if target == "-" else open(target, "w", newline="", encoding="utf-8")
        done = bad = warned = 0
        try:
            records = self._records(infile, kind)
            writer = None
            for number, record, problem in tqdm(records, unit=" replies", disable=options["no_progress"],
                                                file=sys.stderr):
                if problem is None:
                    problem, warning, found = self._promises(record)
                    if warning is not None:
                        warned += 1
                        self.stderr.write(f"line {number}: {warning}; its promises have no due time")
                if problem is not None:
                    bad += 1
                    self.stderr.write(f"line {number}: {problem}; skipped")
                    continue
                if kind == "jsonl":
                    outfile.write(json.dumps({**record, "promises": found}, ensure_ascii=False) + "\n")
                else:
                    if writer is None:
                        writer = csv.DictWriter(outfile, fieldnames=[*record.keys(), "promises"])
                        writer.writeheader()
                    writer.writerow({**record, "promises": json.dumps(found, ensure_ascii=False)})
                done += 1
        finally:
            if infile is not sys.stdin:
                infile.close()
            if outfile is not sys.stdout:
                outfile.close()
        self.stderr.write(f"{done} replies written, {bad} skipped" + (f", {warned} with a bad sent_at" if warned else ""))

    def _records(self, infile, kind):
        if kind == "csv":
            reader = csv.DictReader(infile)
            if not reader.fieldnames or "text" not in reader.fieldnames:
                raise CommandError("the CSV needs a header row with a `text` column")
            for number, row in enumerate(reader, start=2):
                if None in row:
                    yield number, None, "more cells than header columns"
                    continue
                yield number, row, None
            return
        for number, line in enumerate(infile, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, None, f"not JSON ({exc.msg})"
                continue
            if not isinstance(record, dict):
                yield number, None, "not a JSON object"
                continue
            yield number, record, None

    def _promises(self, record: dict):
        """(problem, warning, promises): a problem skips the record; a bad sent_at only loses the due times."""
        text = record.get("text")
        if not isinstance(text, str):
            return "no `text` string", None, None
        warning = None
        try:
            sent_at = _sent_at(record.get("sent_at"))
        except (TypeError, ValueError):
            sent_at, warning = None, f"sent_at {record.get('sent_at')!r} is not an ISO 8601 time"
        return None, warning, [p.as_dict() for p in detect(text, sent_at)]
