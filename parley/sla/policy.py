"""SLA policies and timers. Pure: every function takes `now` and reads only its arguments.

Three timers per conversation:
- first response: from the conversation's start until the brand's first reply;
- next response: from the moment the customer started waiting again (after a first reply)
  until the brand answers;
- resolution: from the start until the conversation is resolved.

A policy applies to conversations by priority (at least), platforms and VIP; the first
matching policy in order wins. Targets are counted in business hours (the team's
calendar) or in calendar hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .calendar import Calendar

FIRST_RESPONSE = "first_response"
NEXT_RESPONSE = "next_response"
RESOLUTION = "resolution"
KINDS = (FIRST_RESPONSE, NEXT_RESPONSE, RESOLUTION)

OK = "ok"
NEAR = "near"
BREACHED = "breached"


class PolicyError(ValueError):
    """An SLA policy that cannot be used."""


@dataclass(frozen=True)
class Policy:
    id: int | str
    name: str = ""
    first_response: timedelta | None = None
    next_response: timedelta | None = None
    resolution: timedelta | None = None
    business_hours: bool = True
    min_priority: int = 0
    platforms: frozenset[str] = frozenset()  # empty: every platform
    vip: bool | None = None  # None: VIP or not
    # "Near breach" once this fraction of the target has elapsed.
    warn_at: float = 0.75

    def applies(self, priority: int, platform: str, vip: bool) -> bool:
        return (
            priority >= self.min_priority
            and (not self.platforms or platform in self.platforms)
            and (self.vip is None or self.vip == vip)
        )

    def target(self, kind: str) -> timedelta | None:
        return getattr(self, kind)


def choose(policies, priority: int, platform: str, vip: bool) -> Policy | None:
    """The first policy (in order) that applies to a conversation with these traits."""
    for policy in policies:
        if policy.applies(priority, platform, vip):
            return policy
    return None


@dataclass(frozen=True)
class ConversationClock:
    """The timestamps the timers read (from inbox.Conversation)."""

    created_at: datetime
    first_response_at: datetime | None = None
    waiting_since: datetime | None = None
    resolved_at: datetime | None = None
    active: bool = True


@dataclass(frozen=True)
class Timer:
    kind: str
    started_at: datetime
    due_at: datetime | None  # None: the calendar never opens again
    stopped_at: datetime | None = None  # the reply or resolution that stopped it

    def time_left(self, now: datetime, calendar: Calendar, business: bool) -> timedelta | None:
        return time_left(self.due_at, now, calendar, business)


def running_timers(clock: ConversationClock) -> list[tuple[str, datetime]]:
    """(kind, start) of the timers that are running now for this conversation."""
    out = []
    if not clock.active:
        return out
    if clock.first_response_at is None:
        out.append((FIRST_RESPONSE, clock.created_at))
    elif clock.waiting_since is not None:
        out.append((NEXT_RESPONSE, clock.waiting_since))
    out.append((RESOLUTION, clock.created_at))
    return out


def due_at(start: datetime, target: timedelta, calendar: Calendar, business: bool) -> datetime | None:
    if not business:
        return start + target
    return calendar.add(start, target)


def timers(clock: ConversationClock, policy: Policy, calendar: Calendar) -> list[Timer]:
    """The running timers of a conversation under `policy` with their due times."""
    out = []
    for kind, start in running_timers(clock):
        target = policy.target(kind)
        if target is None:
            continue
        out.append(Timer(kind, start, due_at(start, target, calendar, policy.business_hours)))
    return out


@dataclass(frozen=True)
class NextDue:
    """When a conversation's running timers next matter: the earliest instant one is breached
    (`due_at`) and the earliest instant one is near breach (`warn_at`); None: no running timer
    with a due time. Neither depends on `now`, so they can be stored (parley.sla.stored)."""

    due_at: datetime | None = None
    warn_at: datetime | None = None


def next_due(clock: ConversationClock, policy: Policy | None, calendar: Calendar) -> NextDue:
    """The earliest breach and near-breach instants of `clock`'s running timers under `policy`. Pure.

    A timer is breached at `now` exactly when now >= its due time (`state`), and near breach when
    the time spent reaches target * warn_at, i.e. when now >= due_at(start, target * warn_at): so
    "breached" is `due_at <= now`, "due within 1 h" is `now < due_at <= now + 1 h` (for the most
    urgent timer, which is the one due first: one policy and one calendar per conversation make
    time left grow with the due time), and a sweep need only look at `warn_at <= now`."""
    if policy is None:
        return NextDue()
    dues, warns = [], []
    for kind, start in running_timers(clock):
        target = policy.target(kind)
        if target is None:
            continue
        due = due_at(start, target, calendar, policy.business_hours)
        if due is None:  # the calendar never opens again: no due time, never alerted
            continue
        dues.append(due)
        warn = due_at(start, target * policy.warn_at, calendar, policy.business_hours)
        warns.append(warn if warn is not None else due)
    return NextDue(min(dues, default=None), min(warns, default=None))


def time_left(due: datetime | None, now: datetime, calendar: Calendar, business: bool) -> timedelta | None:
    """Time left until `due` (negative once breached), in business time when `business`."""
    if due is None:
        return None
    if not business:
        return due - now
    return calendar.elapsed(now, due)


def state(start: datetime, due: datetime | None, now: datetime, target: timedelta, policy: Policy,
          calendar: Calendar) -> str:
    """ok, near or breached for one timer at `now`."""
    if due is None:
        return OK
    if now >= due:
        return BREACHED
    spent = (now - start) if not policy.business_hours else calendar.elapsed(start, now)
    return NEAR if spent >= target * policy.warn_at else OK


@dataclass(frozen=True)
class Cutoffs:
    """For one policy, kind and calendar at `now`: timers started at or before `breach` are breached,
    at or before `near` are near breach. Lets a sweep judge many conversations by comparison only."""

    near: datetime | None
    breach: datetime | None


def cutoffs(target: timedelta, policy: Policy, calendar: Calendar, now: datetime) -> Cutoffs:
    if not policy.business_hours:
        return Cutoffs(now - target * policy.warn_at, now - target)
    return Cutoffs(calendar.subtract(now, target * policy.warn_at), calendar.subtract(now, target))


def judge(started: datetime, cut: Cutoffs) -> str:
    if cut.breach is not None and started <= cut.breach:
        return BREACHED
    if cut.near is not None and started <= cut.near:
        return NEAR
    return OK


def _minutes(value, what: str) -> timedelta | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise PolicyError(f"{what} is a positive number of minutes")
    return timedelta(minutes=value)


def policy_from_config(pk, config: dict) -> Policy:
    """A Policy from stored JSON-ish values (minutes), validated."""
    warn = config.get("warn_at", 0.75)
    if isinstance(warn, bool) or not isinstance(warn, (int, float)) or not 0 < warn < 1:
        raise PolicyError("warn_at is a fraction between 0 and 1")
    vip = config.get("vip")
    if vip not in (None, True, False):
        raise PolicyError("vip is true, false or null")
    return Policy(
        id=pk,
        name=str(config.get("name") or ""),
        first_response=_minutes(config.get("first_response_minutes"), "first_response_minutes"),
        next_response=_minutes(config.get("next_response_minutes"), "next_response_minutes"),
        resolution=_minutes(config.get("resolution_minutes"), "resolution_minutes"),
        business_hours=bool(config.get("business_hours", True)),
        min_priority=int(config.get("min_priority") or 0),
        platforms=frozenset(config.get("platforms") or ()),
        vip=vip,
        warn_at=float(warn),
    )
