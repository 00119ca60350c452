"""Browsing the audit log: filters, keyset pages (newest first) and CSV rows.

A page is "the N newest events with id below `before`": the database walks an
index backwards and stops after N rows, however large the log, instead of
counting and skipping rows as offset pagination does.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone as dt_timezone

from django.db.models import Q, QuerySet

from parley.inbox.models import AuditEvent, Conversation

CSV_MAX_ROWS = 100_000
CSV_COLUMNS = ["id", "created_at", "actor", "verb", "object_type", "object_id", "conversation", "data"]


def _int(value) -> int | None:
    text = str(value or "").strip()
    if text.upper().startswith("C-"):  # a conversation's reference, "C-000042"
        text = text[2:]
    return int(text) if text.isdigit() and len(text) <= 18 else None


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    verb: str = ""
    object_type: str = ""
    since: date | None = None
    until: date | None = None
    conversation: int | None = None
    customer: int | None = None
    errors: tuple[str, ...] = ()

    @classmethod
    def from_params(cls, params) -> AuditFilter:
        errors = []
        since, until = _day(params.get("since")), _day(params.get("until"))
        for name, parsed in (("since", since), ("until", until)):
            if params.get(name) and parsed is None:
                errors.append(f"“{params.get(name)[:20]}” is not a date (YYYY-MM-DD)")
        conversation, customer = _int(params.get("conversation")), _int(params.get("customer"))
        for name, parsed in (("conversation", conversation), ("customer", customer)):
            if params.get(name) and parsed is None:
                errors.append(f"The {name} filter takes an id")
        return cls(
            actor=str(params.get("actor", "")).strip()[:120],
            verb=str(params.get("verb", "")).strip()[:60],
            object_type=str(params.get("object_type", "")).strip()[:60],
            since=since, until=until, conversation=conversation, customer=customer, errors=tuple(errors),
        )

    def apply(self, qs: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if self.actor:
            qs = qs.filter(actor_label=self.actor)
        if self.verb:
            # "customer." lists every customer action; a full verb matches itself.
            qs = qs.filter(verb__startswith=self.verb) if self.verb.endswith(".") else qs.filter(verb=self.verb)
        if self.object_type:
            qs = qs.filter(object_type=self.object_type)
        if self.since:
            qs = qs.filter(created_at__gte=datetime.combine(self.since, time.min, dt_timezone.utc))
        if self.until:
            qs = qs.filter(created_at__lt=datetime.combine(self.until + timedelta(days=1), time.min, dt_timezone.utc))
        if self.conversation is not None:
            qs = qs.filter(conversation_id=self.conversation)
        if self.customer is not None:
            conversations = list(
                Conversation.objects.filter(customer_id=self.customer).values_list("pk", flat=True)[:5000]
            )
            qs = qs.filter(
                Q(object_type="customer", object_id=str(self.customer)) | Q(conversation_id__in=conversations)
            )
        return qs


def events(brand) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(brand=brand)


def recent_verbs(brand, window: int = 2000) -> list[str]:
    """The actions among the newest `window` events, for the filter's suggestions (a bounded read,
    where DISTINCT over the whole log would scan it)."""
    return sorted(set(events(brand).order_by("-id").values_list("verb", flat=True)[:window]))


def page(qs: QuerySet[AuditEvent], before: int | None, size: int) -> tuple[list[AuditEvent], int | None]:
    """The `size` newest events below id `before`, and the `before` of the next page (None at the end)."""
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs.select_related("actor").order_by("-id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].pk if more and rows else None)


def csv_lines(qs: QuerySet[AuditEvent], limit: int = CSV_MAX_ROWS) -> Iterator[str]:
    """The filtered events as CSV text, newest first, header first; at most `limit` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(v) for v in values])
        return buffer.getvalue()

    yield line(CSV_COLUMNS)
    rows = qs.order_by("-id").values_list(
        "id", "created_at", "actor_label", "verb", "object_type", "object_id", "conversation_id", "data"
    )[:limit]
    for row in rows.iterator(chunk_size=2000):
        yield line(row)


def _cell(value) -> str:
    """Spreadsheets run cells that begin with = + - @: quote them so a label cannot become a formula."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
