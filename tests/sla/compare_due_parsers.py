"""Compare due-time parsers on the labelled promises (how docs/promises.md chose our own rules).

    .venv/bin/pip install dateparser timefhuman   # only for this comparison; not dependencies
    .venv/bin/python -m tests.sla.compare_due_parsers

Each parser gets the text of each labelled promise that has a labelled due time and the
reply's sent_at; a due time is right when it equals the label to the minute.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from tests.sla.scoring import load

DATA = Path(__file__).parent / "data" / "promises_written.jsonl"


def ours(text, sent_at):
    from parley.sla.dues import due_from

    return due_from(text, sent_at)


def with_dateparser(text, sent_at):
    from dateparser.search import search_dates

    found = search_dates(text, languages=["en"], settings={
        "RELATIVE_BASE": sent_at.replace(tzinfo=None), "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "UTC", "TO_TIMEZONE": "UTC"})
    return found[-1][1] if found else None


def with_timefhuman(text, sent_at):
    from timefhuman import timefhuman
    from timefhuman.utils import tfhConfig

    try:
        found = timefhuman(text, config=tfhConfig(now=sent_at.replace(tzinfo=None)))
    except Exception:  # noqa: BLE001 - a parser crash counts as no answer
        return None
    if isinstance(found, list):
        found = found[-1] if found else None
    if isinstance(found, tuple):
        found = found[-1]
    if isinstance(found, datetime):
        return found.replace(tzinfo=sent_at.tzinfo) if found.tzinfo is None else found
    return None


def main():
    rows = load(DATA)
    cases = [(p["text"], datetime.fromisoformat(r["sent_at"]), datetime.fromisoformat(p["due"]))
             for r in rows for p in r["promises"] if p.get("due")]
    for name, parser in (("ours", ours), ("dateparser", with_dateparser), ("timefhuman", with_timefhuman)):
        right = same_day = 0
        started = time.perf_counter()
        for text, sent_at, due in cases:
            got = parser(text, sent_at)
            right += got is not None and abs((got - due).total_seconds()) < 60
            # the day alone, so a parser's own time-of-day convention does not count against it
            same_day += got is not None and got.astimezone(due.tzinfo).date() == due.date()
        ms = (time.perf_counter() - started) * 1000 / len(cases)
        print(f"{name}: {right}/{len(cases)} due times right, {same_day}/{len(cases)} on the right day "
              f"({ms:.2f} ms per promise)")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
    django.setup()
    main()
