"""The "Customer Support on Twitter" CSV (Kaggle: thoughtvector/customer-support-on-twitter).

Columns: tweet_id, author_id, inbound, created_at, text, response_tweet_id,
in_response_to_tweet_id. Customers' author ids are anonymised numbers; the
brands' own accounts keep their handle (AppleSupport). `inbound` is True for
customers' tweets. `response_tweet_id` may list several ids, comma-separated.

Every company handle becomes one of the brand's X channel accounts. A
customer's tweet belongs to the channel of the company it talks to, found in
this order:

1. the company that answered it (an author of its responses);
2. the company whose tweet it answers;
3. the first @mention that names a known company (one that tweets in this
   file, or an X account the brand already has);
4. otherwise the "unknown" channel (UNKNOWN_CHANNEL).

The file is read twice: once to learn which tweets the companies wrote, once
to produce the records.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

from django.conf import settings

from parley.inbox.ingest import AuthorData, IncomingPost, validate

from .lines import Lines, count_lines, open_binary
from .records import ImportFileError, Record, Reject, normalise_id

COLUMNS = (
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
)
UNKNOWN_CHANNEL = "unknown"
TIME_EXAMPLE = "Wed Oct 11 06:55:44 +0000 2017"
MAX_CSV_FIELD = 1 << 20

_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
_TIME = re.compile(
    r"\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) "
    r"(\d\d):(\d\d):(\d\d) ([+-]\d\d)(\d\d) (\d{4})\s*"
)
_MENTION = re.compile(r"@(\w{1,50})")
_UTC = timezone.utc


def parse_twitter_time(value: str) -> datetime | None:
    """'Wed Oct 11 06:55:44 +0000 2017' as an aware UTC datetime, or None."""
    match = _TIME.fullmatch(value)
    if match is None:
        return None
    month, day, hour, minute, second, zone_hours, zone_minutes, year = match.groups()
    try:
        moment = datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=_UTC)
    except ValueError:  # 31 February, 25 o'clock
        return None
    if zone_hours in ("+00", "-00") and zone_minutes == "00":
        return moment
    offset = timedelta(hours=int(zone_hours[1:]), minutes=int(zone_minutes))
    return moment - offset if zone_hours[0] == "+" else moment + offset


def _is_company(author_id: str) -> bool:
    return not author_id.isdigit()


class CsvRows:
    """Rows of a CSV file with the line each starts on; broken rows become rejects.

    A row with broken quoting is refused and reading starts again on the line
    after the one it began on, so one stray quote cannot swallow the rest of
    the file.
    """

    def __init__(self, path: str | Path, columns: tuple[str, ...]):
        self.path = path
        self.columns = columns

    def __iter__(self) -> Iterator[tuple[int, list[str] | None, str]]:
        """(line, row, "") for good rows, (line, None, reason) for broken ones."""
        old_limit = csv.field_size_limit()
        csv.field_size_limit(MAX_CSV_FIELD)
        try:
            with open_binary(self.path) as handle:
                yield from self._rows(Lines(handle))
        finally:
            csv.field_size_limit(old_limit)

    def _rows(self, lines: Lines):
        reader = csv.reader(lines, strict=True)
        header = self._header(lines, reader)
        width = len(header)
        index = [header.index(name) for name in self.columns]
        while True:
            lines.start_record()
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                taken = lines.taken
                yield taken[0][0] if taken else 0, None, f"broken CSV quoting ({exc})"
                lines.push_back(taken[1:])
                reader = csv.reader(lines, strict=True)
                continue
            taken = lines.taken
            start = taken[0][0]
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            if len(row) != width:
                yield start, None, f"expected {width} fields, found {len(row)} (broken CSV quoting?)"
                if len(taken) > 1:
                    lines.push_back(taken[1:])
                    reader = csv.reader(lines, strict=True)
                continue
            if lines.has_bad_bytes():
                yield start, None, "not valid UTF-8 text"
                continue
            yield start, [row[i] for i in index], ""

    def _header(self, lines: Lines, reader) -> list[str]:
        try:
            header = next(reader)
        except StopIteration:
            raise ImportFileError(f"{self.path} is empty") from None
        except csv.Error as exc:
            raise ImportFileError(f"{self.path} is not a CSV file ({exc})") from None
        header = [name.strip() for name in header]
        missing = [name for name in self.columns if name not in header]
        if missing:
            raise ImportFileError(
                f"{self.path} is not a Customer Support on Twitter CSV: the first line must name the columns "
                f"{', '.join(self.columns)} (missing: {', '.join(missing)})"
            )
        return header


class TwcsFile:
    """Records of a twcs CSV file."""

    format = "twcs"

    def __init__(self, path: str | Path, known_handles: Iterable[str] = ()):
        self.path = path
        self.rows = CsvRows(path, COLUMNS)
        self._known_extra = {h.lower(): h for h in known_handles if h}
        # Filled by the first pass.
        self.company_of: dict[str, str] = {}
        self.answered_by: dict[str, str] = {}
        self.companies: dict[str, str] = {}

    def estimate(self) -> int:
        return max(count_lines(self.path) - 1, 0)

    def _learn_companies(self) -> None:
        for _, row, _ in self.rows:
            if row is None:
                continue
            tweet_id, author_id, inbound = normalise_id(row[0]), row[1].strip(), row[2].strip().lower()
            if inbound != "false" or not _is_company(author_id):
                continue
            self.companies.setdefault(author_id.lower(), author_id)
            self.company_of[tweet_id] = author_id
            parent = normalise_id(row[6])
            if parent:
                self.answered_by.setdefault(parent, author_id)
        for lower, handle in self._known_extra.items():
            self.companies.setdefault(lower, handle)

    def records(self) -> Iterator[Record | Reject]:
        self._learn_companies()
        max_chars = settings.PARLEY_MAX_POST_CHARS
        for line, row, problem in self.rows:
            if row is None:
                yield Reject(line, problem)
                continue
            try:
                post, channel = self._post(row)
            except ValueError as exc:
                yield Reject(line, str(exc))
                continue
            problems = validate(post, max_chars)
            if problems:
                yield Reject(line, "; ".join(problems))
            else:
                yield Record(line, post, channel)

    def _post(self, row: list[str]) -> tuple[IncomingPost, str]:
        tweet_id_raw, author_raw, inbound_raw, created_raw, text, responses_raw, parent_raw = row
        tweet_id = normalise_id(tweet_id_raw)
        if not tweet_id:
            raise ValueError("tweet_id is empty")
        if not tweet_id.isdigit():
            raise ValueError(f"tweet_id {tweet_id_raw[:40]!r} is not a tweet id (digits only)")
        author_id = author_raw.strip()
        if not author_id:
            raise ValueError("author_id is empty")
        flag = inbound_raw.strip().lower()
        if flag not in ("true", "false"):
            raise ValueError(f"inbound {inbound_raw[:40]!r} must be True or False")
        created_at = parse_twitter_time(created_raw)
        if created_at is None:
            raise ValueError(f"created_at {created_raw[:60]!r} is not a time like {TIME_EXAMPLE!r}")
        parent = normalise_id(parent_raw)
        if parent and not parent.isdigit():
            raise ValueError(f"in_response_to_tweet_id {parent_raw[:40]!r} is not a tweet id")
        responses = [normalise_id(r) for r in responses_raw.split(",") if r.strip()]
        if any(not r.isdigit() for r in responses):
            raise ValueError(f"response_tweet_id {responses_raw[:60]!r} is not a list of tweet ids")
        inbound = flag == "true"
        raw = dict(zip(COLUMNS, row))
        if inbound:
            post = IncomingPost(
                platform="x",
                platform_id=tweet_id,
                text=text,
                created_at=created_at,
                direction="in",
                kind="reply" if parent else "mention",
                author=AuthorData(platform_user_id=author_id, handle=author_id),
                in_reply_to_id=parent,
                raw=raw,
            )
            return post, self._addressed_company(tweet_id, responses, parent, text)
        post = IncomingPost(
            platform="x",
            platform_id=tweet_id,
            text=text,
            created_at=created_at,
            direction="out",
            kind="reply" if parent else "post",
            in_reply_to_id=parent,
            raw=raw,
        )
        return post, author_id

    def _addressed_company(self, tweet_id: str, responses: list[str], parent: str, text: str) -> str:
        for response in responses:
            company = self.company_of.get(response)
            if company:
                return company
        company = self.answered_by.get(tweet_id) or (self.company_of.get(parent) if parent else None)
        if company:
            return company
        for mention in _MENTION.findall(text):
            company = self.companies.get(mention.lower())
            if company:
                return company
        return UNKNOWN_CHANNEL
