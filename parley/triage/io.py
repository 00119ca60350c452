"""Reading posts to classify from JSON lines or CSV, with line numbers for problems (pure)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from typing import Iterator, TextIO


@dataclass
class Row:
    line: int
    fields: dict | None  # None when the line is malformed
    problem: str = ""


def detect_format(name: str, first_chunk: str) -> str:
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return "csv"
    if lowered.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    return "jsonl" if first_chunk.lstrip().startswith("{") else "csv"


def read_jsonl(fh: TextIO) -> Iterator[Row]:
    for number, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Row(number, None, f"not valid JSON ({exc.msg})")
            continue
        yield _checked(number, value)


def read_csv(fh: TextIO) -> Iterator[Row]:
    reader = csv.DictReader(fh)
    if reader.fieldnames is None or "text" not in reader.fieldnames:
        raise ValueError("the CSV file has no 'text' column in its header")
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Row(reader.line_num, None, f"unreadable CSV ({exc})")
            continue
        if None in record:
            yield Row(reader.line_num, None, "more values than header columns")
            continue
        yield _checked(reader.line_num, dict(record))


def _checked(number: int, value) -> Row:
    if not isinstance(value, dict):
        return Row(number, None, "not a JSON object")
    if "text" not in value:
        return Row(number, None, "no 'text' field")
    if value["text"] is not None and not isinstance(value["text"], str):
        return Row(number, None, "'text' is not a string")
    if "triage" in value:
        value = {k: v for k, v in value.items() if k != "triage"}
    return Row(number, value)
