"""The SLA sweep: find conversations near or past their targets and raise alerts (once per timer).

`sweep(now)` is what the periodic-job registry calls. It reads the timestamps of the active
conversations whose stored near-breach time has come (Conversation.sla_warn_at, parley.sla.stored:
no other can have a timer near or past its target) in one query, judges each running timer by comparing its start with
per-(policy, timer, calendar) cut-offs computed once per sweep (policy.cutoffs), stores
an SlaAlert row per new alert (the in-app notification) and emails each recipient one
summary. A timer already alerted at a level is never alerted again at that level.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone as dt_timezone

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.db.models import BigIntegerField, Func, TextField

from parley.accounts.models import Membership, Role
from parley.inbox.models import ACTIVE_STATUSES, Conversation
from parley.inbox.queries import ACTIVE

from . import policy as sla
from .calendar import Calendar
from .models import BusinessCalendar, SlaAlert, SlaPolicy

log = logging.getLogger(__name__)
ALWAYS = Calendar.twenty_four_seven()
# Candidates are read up to this past `now`: the stored instants (Calendar.add) and the sweep's
# cut-offs (Calendar.subtract) are computed separately and may differ in the last microsecond.
CANDIDATE_MARGIN = timedelta(seconds=1)


@dataclass
class SweepResult:
    checked: int = 0
    near: int = 0
    breached: int = 0
    new_alerts: list = field(default_factory=list)
    emails: int = 0

    def summary(self) -> str:
        return (f"{self.checked} open conversations checked: {self.near} near breach, {self.breached} breached; "
                f"{len(self.new_alerts)} new alerts, {self.emails} emails")


def _policies() -> dict[int, list[sla.Policy]]:
    out: dict[int, list[sla.Policy]] = defaultdict(list)
    for row in SlaPolicy.objects.filter(enabled=True).order_by("brand_id", "position", "id"):
        out[row.brand_id].append(row.policy())
    return out


def _calendars() -> dict[tuple[int, int | None], Calendar]:
    return {(row.brand_id, row.team_id): row.calendar() for row in BusinessCalendar.objects.all()}


def judge_all(rows, policies, calendars, now: datetime, encode=lambda d: d):
    """Pure core of the sweep: yield (conversation id, brand id, kind, level, started_at, policy id).

    rows: (id, brand_id, team_id, priority, platform, vip, created_at, first_response_at, waiting_since),
    with timestamps as the database returns them; `encode` turns our cut-off datetimes into the same
    form, so 100,000 rows are judged by comparison alone (no datetime parsing per row).
    """
    chosen: dict[tuple, sla.Policy | None] = {}
    cuts: dict[tuple, tuple] = {}
    for cid, brand_id, team_id, priority, platform, vip, created, first_response, waiting in rows:
        key = (brand_id, priority, platform, bool(vip))
        policy = chosen.get(key, False)
        if policy is False:
            policy = chosen[key] = sla.choose(policies.get(brand_id, ()), priority, platform, bool(vip))
        if policy is None:
            continue
        cal_key = (brand_id, team_id) if (brand_id, team_id) in calendars else (brand_id, None)
        if first_response is None:
            running = ((sla.FIRST_RESPONSE, created), (sla.RESOLUTION, created))
        elif waiting is not None:
            running = ((sla.NEXT_RESPONSE, waiting), (sla.RESOLUTION, created))
        else:
            running = ((sla.RESOLUTION, created),)
        for kind, started in running:
            cut_key = (policy.id, kind, cal_key if policy.business_hours else None)
            cut = cuts.get(cut_key)
            if cut is None:
                target = policy.target(kind)
                if target is None:
                    cut = cuts[cut_key] = (None, None)
                else:
                    c = sla.cutoffs(target, policy, calendars.get(cal_key, ALWAYS), now)
                    cut = cuts[cut_key] = (encode(c.near) if c.near else None, encode(c.breach) if c.breach else None)
            near, breach = cut
            if breach is not None and started <= breach:
                yield cid, brand_id, kind, sla.BREACHED, started, policy.id
            elif near is not None and started <= near:
                yield cid, brand_id, kind, sla.NEAR, started, policy.id


EPOCH = datetime(1970, 1, 1, tzinfo=dt_timezone.utc)


class EpochMicros(Func):
    """A timestamp as whole microseconds since 1970 (PostgreSQL): exact, and far cheaper for the
    driver to hand back than 300,000 time-zone-aware datetimes."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint",
                           **extra)


class AsText(Func):
    """A timestamp as SQLite stores it ("YYYY-MM-DD HH:MM:SS[.ffffff]", UTC), skipping the driver's
    per-value datetime converter; in this fixed format text order is time order."""

    template = "CAST(%(expressions)s AS TEXT)"
    output_field = TextField()


def _sqlite_text(value: datetime) -> str:
    return str(value.astimezone(dt_timezone.utc).replace(tzinfo=None))


def _micros(value: datetime) -> int:
    return (value - EPOCH) // timedelta(microseconds=1)


def _naive_utc(value: datetime) -> datetime:
    """SQLite hands datetimes back naive in UTC (the driver's converter); compare like with like."""
    return value.astimezone(dt_timezone.utc).replace(tzinfo=None)


def _decode(value) -> datetime:
    if isinstance(value, int):
        return EPOCH + timedelta(microseconds=value)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt_timezone.utc)
    return datetime.fromisoformat(str(value)).replace(tzinfo=dt_timezone.utc)


def _raw_rows(queryset):
    """The rows of a values_list queryset as the database driver returns them (no Django converters)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. no brand has an SLA policy: nothing to read
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            chunk = cursor.fetchmany(5000)
            if not chunk:
                return
            yield from chunk


def sweep(now: datetime, brand=None, email: bool | None = None) -> SweepResult:
    """Check every active conversation (of one brand, or all) against its SLA policy at `now`."""
    email = settings.PARLEY_SLA_ALERT_EMAIL if email is None else email
    policies = _policies()
    qs = Conversation.objects.filter(ACTIVE, brand_id__in=list(policies), sla_warn_at__lte=now + CANDIDATE_MARGIN)
    if brand is not None:
        qs = qs.filter(brand=brand)
    times = ("created_at", "first_response_at", "waiting_since")
    if connection.vendor == "postgresql":
        qs = qs.annotate(**{f"{name}_us": EpochMicros(name) for name in times})
        times = tuple(f"{name}_us" for name in times)
        encode = _micros
    elif connection.vendor == "sqlite":
        qs = qs.annotate(**{f"{name}_text": AsText(name) for name in times})
        times = tuple(f"{name}_text" for name in times)
        encode = _sqlite_text
    else:  # datetimes as the driver returns them
        encode = _naive_utc
    qs = qs.values_list("id", "brand_id", "team_id", "priority", "platform", "customer__is_vip", *times)
    result = SweepResult()
    count = 0

    def counted(it):
        nonlocal count
        for row in it:
            count += 1
            yield row

    found = list(judge_all(counted(_raw_rows(qs)), policies, _calendars(), now, encode))
    result.checked = count
    result.near = sum(1 for f in found if f[3] == sla.NEAR)
    result.breached = sum(1 for f in found if f[3] == sla.BREACHED)
    if not found:
        return result
    existing_qs = SlaAlert.objects.filter(conversation__status__in=ACTIVE_STATUSES)
    if brand is not None:
        existing_qs = existing_qs.filter(brand=brand)
    if connection.vendor == "postgresql":
        existing_qs = existing_qs.annotate(started_us=EpochMicros("started_at"))
        started = "started_us"
    elif connection.vendor == "sqlite":
        existing_qs = existing_qs.annotate(started_text=AsText("started_at"))
        started = "started_text"
    else:
        started = "started_at"
    existing = set(_raw_rows(existing_qs.values_list("conversation_id", "kind", "level", started)))
    new = [
        SlaAlert(brand_id=b, conversation_id=c, kind=k, level=lvl, started_at=_decode(s), policy_id=p, created_at=now)
        for c, b, k, lvl, s, p in found if (c, k, lvl, s) not in existing
    ]
    with transaction.atomic():
        SlaAlert.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    result.new_alerts = new
    if email and new:
        result.emails = email_alerts(new)
    return result


def recipients(conversations: dict[int, Conversation]) -> dict[int, list[str]]:
    """Who hears about an alert: the assignee, else the brand's admins and supervisors (with an email)."""
    managers: dict[int, list[str]] = defaultdict(list)
    brand_ids = {c.brand_id for c in conversations.values()}
    for brand_id, mail in Membership.objects.filter(
        brand_id__in=brand_ids, role__in=[Role.ADMIN, Role.SUPERVISOR]
    ).exclude(user__email="").values_list("brand_id", "user__email"):
        managers[brand_id].append(mail)
    out = {}
    for cid, conv in conversations.items():
        assignee_mail = conv.assignee.email if conv.assignee_id and conv.assignee.email else ""
        out[cid] = [assignee_mail] if assignee_mail else managers.get(conv.brand_id, [])
    return out


def email_alerts(alerts: list[SlaAlert]) -> int:
    """One email per recipient listing their new alerts; marks them emailed. Returns emails sent."""
    conversations = Conversation.objects.select_related("assignee").in_bulk({a.conversation_id for a in alerts})
    who = recipients(conversations)
    lines: dict[str, list[str]] = defaultdict(list)
    for alert in alerts:
        conv = conversations.get(alert.conversation_id)
        if conv is None:
            continue
        label = "BREACHED" if alert.level == sla.BREACHED else "near breach"
        for mail in who.get(conv.pk, []):
            lines[mail].append(f"{conv.ref} {alert.kind.replace('_', ' ')} {label}: {conv.subject[:80]}")
    messages = [
        (f"Parley: {len(body)} SLA alert{'s' if len(body) != 1 else ''}", "\n".join(body),
         settings.DEFAULT_FROM_EMAIL, [mail])
        for mail, body in lines.items()
    ]
    if not messages:
        return 0
    try:
        sent = send_mass_mail(messages, fail_silently=False)
    except Exception:  # the in-app alert stands; mail is retried on no later sweep, so say so loudly
        log.exception("could not email %d SLA alert summaries", len(messages))
        return 0
    SlaAlert.objects.filter(conversation_id__in=[a.conversation_id for a in alerts], emailed=False).update(
        emailed=True
    )
    return sent
