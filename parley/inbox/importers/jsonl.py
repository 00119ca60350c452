"""Parley's generic JSON-lines format: one post per line (see docs/import-format.md).

Each line is one JSON object read by `parley.inbox.formats.post_from_dict`,
the same reader the ingestion API uses. Blank lines are skipped. A file whose
first lines are not JSON at all is refused whole (it is some other format);
after that, a bad line is refused alone and the rest import.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from parley.inbox.formats import FormatError, post_from_dict
from parley.inbox.ingest import validate

from .lines import Lines, count_lines, open_binary
from .records import ImportFileError, Record, Reject

SNIFF_LINES = 20


def _describe(exc: json.JSONDecodeError) -> str:
    return f"not valid JSON: {exc.msg} (column {exc.colno})"


class JsonLinesFile:
    """Records of a JSON-lines file."""

    format = "jsonl"

    def __init__(self, path: str | Path):
        self.path = path
        self._check_is_json_lines()

    def estimate(self) -> int:
        return count_lines(self.path)

    def _check_is_json_lines(self) -> None:
        seen = 0
        with open_binary(self.path) as handle:
            for _, text in _numbered(Lines(handle)):
                seen += 1
                try:
                    json.loads(text)
                    return
                except (json.JSONDecodeError, RecursionError):
                    if seen >= SNIFF_LINES:
                        break
        if seen == 0:
            raise ImportFileError(f"{self.path} is empty")
        raise ImportFileError(
            f"{self.path} is not a JSON-lines file: none of its first {seen} lines is JSON"
        )

    def records(self) -> Iterator[Record | Reject]:
        max_chars = settings.PARLEY_MAX_POST_CHARS
        with open_binary(self.path) as handle:
            lines = Lines(handle)
            for number, text in _numbered(lines):
                if number in lines.bad_lines:
                    yield Reject(number, "not valid UTF-8 text")
                    continue
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as exc:
                    yield Reject(number, _describe(exc))
                    continue
                except RecursionError:
                    yield Reject(number, "not valid JSON (nested too deeply)")
                    continue
                try:
                    post, channel = post_from_dict(data)
                except FormatError as exc:
                    yield Reject(number, str(exc))
                    continue
                problems = validate(post, max_chars)
                if problems:
                    yield Reject(number, "; ".join(problems))
                else:
                    yield Record(number, post, channel.strip().lstrip("@"))


def _numbered(lines: Lines) -> Iterator[tuple[int, str]]:
    """(line number, text) of the non-blank lines."""
    for text in lines:
        number = lines.taken[-1][0]
        lines.taken.clear()
        if text.strip():
            yield number, text.rstrip("\r\n")
