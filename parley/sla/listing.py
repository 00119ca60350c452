"""SLA timers for lists of conversations: each row's most urgent timer, and the SLA filter rules.

A brand's policies and calendars are read once (two queries, `BrandSla.load`); every row's
timers then come from the pure functions of policy.py with `now` passed in, so an inbox page
costs the same two queries however many rows it shows.

The filters ("breached", "due within 1 h") and the sort by time left are SQL over each
conversation's stored next due time (parley.sla.stored, inbox.queries.SORTS["sla"]); `matches`
is the rule they implement, for one row's timers (tests/sla/test_stored_due.py checks they agree).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from . import policy as sla
from .status import LABELS, TimerView, timer_views
from .stored import BrandRules

BREACHED = "breached"
DUE_SOON = "due_1h"
FILTERS = {BREACHED: "Breached", DUE_SOON: "Due within 1 h"}
SOON = timedelta(hours=1)


class BrandSla(BrandRules):
    """A brand's enabled policies (in order) and its calendars by team (None: the brand's default)."""

    def urgent(self, clock: sla.ConversationClock, priority: int, platform: str, vip: bool, team_id: int | None,
               now: datetime) -> TimerView | None:
        """The most urgent running timer of one conversation at `now` (None: no policy or no timer)."""
        chosen = sla.choose(self.policies, priority, platform, vip)
        if chosen is None:
            return None
        return most_urgent(timer_views(clock, chosen, self.calendar(team_id), now))


def most_urgent(timers: list[TimerView]) -> TimerView | None:
    """The timer with the least time left (the most overdue when breached); timers without a due
    time come last."""
    timed = [t for t in timers if t.time_left is not None]
    if timed:
        return min(timed, key=lambda t: t.time_left)
    return timers[0] if timers else None


def matches(timer: TimerView | None, wanted: str, now: datetime) -> bool:
    """Whether a row's most urgent timer passes an SLA filter ("" passes everything). "Due within
    1 h" is by the clock: a business-hours timer with 30 minutes left at Friday's close is due
    on Monday, not within the hour."""
    if not wanted:
        return True
    if timer is None or timer.due_at is None:
        return False
    if wanted == BREACHED:
        return timer.state == sla.BREACHED
    return timer.state != sla.BREACHED and timer.due_at - now <= SOON


def _vip(conversation) -> bool:
    return bool(conversation.customer_id and conversation.customer.is_vip)


def annotate(rows, brand_id: int, now: datetime) -> None:
    """Set `row.sla` (the most urgent TimerView, or None) on each conversation of a page."""
    brand_sla = BrandSla.load(brand_id)
    values = [(c.pk, c.team_id, c.priority, c.platform, _vip(c), c.created_at, c.first_response_at, c.waiting_since,
               c.resolved_at, c.status) for c in rows]
    for row, judged in zip(rows, judge_rows(brand_sla, values, now) if brand_sla.policies else [None] * len(rows)):
        row.sla = None
        if judged is not None:
            target = judged.policy.target(judged.kind)
            due = sla.due_at(judged.started_at, target, brand_sla.calendar(row.team_id), judged.policy.business_hours)
            row.sla = TimerView(judged.kind, LABELS[judged.kind], due, judged.time_left, judged.state,
                                judged.policy.name)


@dataclass(frozen=True)
class Judged:
    """One row's most urgent timer for filtering and sorting: time left (business time for
    business-hours policies), state, and whether it falls due by the clock within SOON."""

    time_left: timedelta
    state: str
    due_soon: bool
    kind: str = ""
    started_at: datetime | None = None
    policy: sla.Policy | None = None


def judge_rows(brand_sla: BrandSla, rows, now: datetime) -> list[Judged | None]:
    """The most urgent timer of each row (FIELDS order), computed as status.timer_views would but with
    one calendar window per calendar for all rows (Calendar.meter): elapsed business time since a
    timer's start decides its time left (target - spent), its state, and whether it is due within
    SOON (spent by now + SOON >= target). Pure. tests/workflow/test_inbox_sla.py checks it agrees
    with timer_views."""
    from parley.inbox.models import ACTIVE_STATUSES

    soon = now + SOON
    earliest = min((r[5] for r in rows if r[5] is not None), default=now)
    meters: dict = {}

    def meter(team_id):
        calendar = brand_sla.calendar(team_id)
        found = meters.get(id(calendar))
        if found is None:
            fn = calendar.meter(min(earliest, now), soon)
            found = meters[id(calendar)] = (fn, fn(now.timestamp()), fn(soon.timestamp()))
        return found

    out: list[Judged | None] = []
    for _pk, team_id, priority, platform, vip, created, first, waiting, resolved, status in rows:
        chosen = sla.choose(brand_sla.policies, priority, platform, bool(vip)) if brand_sla.policies else None
        best = None
        if chosen is not None:
            clock = sla.ConversationClock(created, first, waiting, resolved, status in ACTIVE_STATUSES)
            for kind, start in sla.running_timers(clock):
                target = chosen.target(kind)
                if target is None:
                    continue
                if chosen.business_hours:
                    fn, at_now, at_soon = meter(team_id)
                    at_start = fn(start.timestamp())
                    spent, spent_soon = timedelta(seconds=at_now - at_start), timedelta(seconds=at_soon - at_start)
                else:
                    spent, spent_soon = now - start, soon - start
                state = sla.BREACHED if spent >= target else sla.NEAR if spent >= target * chosen.warn_at else sla.OK
                judged = Judged(target - spent, state, spent_soon >= target, kind, start, chosen)
                if best is None or judged.time_left < best.time_left:
                    best = judged
        out.append(best)
    return out
