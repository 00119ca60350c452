"""Checking drafts in bulk: JSON lines (or CSV) in, the same records with their findings out.

The record shape is the stable interface of `parley check` (docs/guardrails.md): `text`,
`channel`, `visibility`, optional `customer`, `agent`, `context` and `brand` objects. Each output
record is the input record with `findings` added. A malformed record is reported with its line
number and skipped; the rest of the file is still checked.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .guardrails import ContextError, check

MAX_LINE_BYTES = 1_000_000
MAX_TEXT_CHARS = 100_000
_OBJECT_COLUMNS = ("customer", "agent", "context", "brand")


class BatchError(ValueError):
    """The input cannot be read at all (not one bad record: those are skipped)."""


@dataclass
class Reject:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class Summary:
    records: int = 0
    rejected: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)


def check_record(record: dict) -> dict:
    """`record` with `findings` added; raises ContextError when the record is malformed."""
    if not isinstance(record, dict):
        raise ContextError("a record must be a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        raise ContextError("text is missing or not a string")
    if len(text) > MAX_TEXT_CHARS:
        raise ContextError(f"text is longer than {MAX_TEXT_CHARS:,} characters")
    findings = check(text, record)
    out = {k: v for k, v in record.items() if k != "findings"}
    out["findings"] = [f.as_dict() for f in findings]
    return out


def _json_line(record: dict) -> str:
    line = json.dumps(record, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800") from the input: keep it escaped
        line = json.dumps(record)
    return line + "\n"


def _json_records(stream: Iterable[str]) -> Iterator[tuple[int, dict | None, str]]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        if len(line) > MAX_LINE_BYTES:
            yield number, None, f"line longer than {MAX_LINE_BYTES:,} characters"
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"not valid JSON ({exc.msg} at column {exc.colno})"
            continue
        if not isinstance(record, dict):
            yield number, None, "a record must be a JSON object"
            continue
        yield number, record, ""


def _csv_records(stream: Iterable[str]) -> Iterator[tuple[int, dict | None, str]]:
    """CSV with a header: text, channel, visibility; `customer.first_name`-style columns fill the
    objects, and a column named `customer` (etc.) may hold a JSON object."""
    reader = csv.DictReader(stream)
    if not reader.fieldnames or "text" not in [f.strip().lstrip("\ufeff") for f in reader.fieldnames]:
        raise BatchError("a CSV needs a header row with a text column")
    for row in reader:
        number = reader.line_num
        record: dict = {}
        problem = ""
        for key, value in row.items():
            if key is None:
                problem = "more values than header columns"
                continue
            key = key.strip().lstrip("\ufeff")
            if value is None or value == "":
                continue
            if key in _OBJECT_COLUMNS:
                try:
                    value = json.loads(value)
                except json.JSONDecodeError:
                    problem = f"column {key} is not a JSON object"
                    continue
                record.setdefault(key, {})
                if isinstance(value, dict):
                    record[key].update(value)
                else:
                    problem = f"column {key} is not a JSON object"
            elif "." in key and key.split(".", 1)[0] in _OBJECT_COLUMNS:
                head, tail = key.split(".", 1)
                if value.lower() in ("true", "false"):
                    value = value.lower() == "true"
                record.setdefault(head, {})[tail] = value
            else:
                record[key] = value
        yield number, (None if problem else record), problem


def run(
    source: io.TextIOBase,
    sink: io.TextIOBase,
    *,
    fmt: str = "jsonl",
    on_reject: Callable[[Reject], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Check every record of `source`, writing JSON lines to `sink`."""
    summary = Summary()
    reader = _csv_records(source) if fmt == "csv" else _json_records(source)
    for number, record, problem in reader:
        if progress:
            progress(1)
        if record is not None:
            try:
                out = check_record(record)
            except ContextError as exc:
                problem = str(exc)
            else:
                sink.write(_json_line(out))
                summary.records += 1
                for f in out["findings"]:
                    summary.findings[f["check"]] = summary.findings.get(f["check"], 0) + 1
                    summary.levels[f["level"]] = summary.levels.get(f["level"], 0) + 1
                continue
        summary.rejected += 1
        if on_reject:
            on_reject(Reject(number, problem))
    return summary
