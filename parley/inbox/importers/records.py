"""What every file reader produces: records to import, or rejects with their line."""

from __future__ import annotations

from dataclasses import dataclass

from parley.inbox.ingest import IncomingPost


class ImportFileError(Exception):
    """The file cannot be read at all, or is not in the declared format."""


@dataclass(slots=True)
class Record:
    """One post read from a file, validated and normalised.

    `channel` names the brand's account the post belongs to on its platform
    (an account id or handle; "" means the brand's first account there).
    """

    line: int
    post: IncomingPost
    channel: str


@dataclass(frozen=True, slots=True)
class Reject:
    """A record that could not be imported, and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


def normalise_id(value: str) -> str:
    """A numeric id as the exports write it ("119236", or "119236.0" from a spreadsheet)."""
    value = value.strip()
    if value.endswith(".0") and value[:-2].isdigit():
        return value[:-2]
    return value


def arrival_order(records: list[Record]) -> list[Record]:
    """The order the importer threads records in: by creation time, then file order.

    Files rarely hold posts in time order (replies often come before the post
    they answer); sorting a window of records makes most of that disappear,
    and the threading policy handles whatever is still out of order.
    """
    return sorted(records, key=lambda r: (r.post.created_at, r.line))
