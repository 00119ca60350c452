"""The SLA timers of one conversation, ready for a page to show (time left, near, breached)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from parley.inbox.models import Conversation

from . import policy as sla
from .calendar import Calendar
from .models import BusinessCalendar, SlaPolicy


def span(delta: timedelta) -> str:
    """A duration in words for a timer: "2 d 3 h", "1 h 5 min", "0 min"."""
    minutes = int(abs(delta.total_seconds()) // 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{minutes} min"] * (not days)
    return " ".join(parts) or "0 min"


@dataclass(frozen=True)
class TimerView:
    kind: str  # first_response / next_response / resolution
    label: str
    due_at: datetime | None
    time_left: timedelta | None  # negative once breached; business time for business-hours policies
    state: str  # ok / near / breached
    policy: str

    @property
    def amount(self) -> str:
        """The time left or overdue in words ("" without a due time)."""
        return span(self.time_left) if self.time_left is not None else ""

    @property
    def text(self) -> str:
        """"45 min left", "breached 2 h 5 min ago" or "no due time" (the state is said beside it)."""
        if self.time_left is None:
            return "no due time"
        if self.time_left.total_seconds() < 0:
            return f"breached {span(self.time_left)} ago"
        return f"{span(self.time_left)} left"


LABELS = {sla.FIRST_RESPONSE: "First response", sla.NEXT_RESPONSE: "Next response", sla.RESOLUTION: "Resolution"}


def calendar_for(conversation: Conversation) -> Calendar:
    calendars = BusinessCalendar.objects.filter(brand_id=conversation.brand_id)
    row = calendars.filter(team_id=conversation.team_id).first() if conversation.team_id else None
    row = row or calendars.filter(team__isnull=True).first()
    return row.calendar() if row is not None else Calendar.twenty_four_seven()


def timer_views(clock: sla.ConversationClock, chosen: sla.Policy, calendar: Calendar, now: datetime) -> list[TimerView]:
    """The running timers of a conversation's clock under `chosen` at `now`. Pure."""
    out = []
    for timer in sla.timers(clock, chosen, calendar):
        target = chosen.target(timer.kind)
        out.append(TimerView(
            kind=timer.kind, label=LABELS[timer.kind], due_at=timer.due_at,
            time_left=sla.time_left(timer.due_at, now, calendar, chosen.business_hours),
            state=sla.state(timer.started_at, timer.due_at, now, target, chosen, calendar), policy=chosen.name,
        ))
    return out


def clock_of(conversation: Conversation) -> sla.ConversationClock:
    return sla.ConversationClock(conversation.created_at, conversation.first_response_at,
                                 conversation.waiting_since, conversation.resolved_at, conversation.is_active)


def conversation_timers(conversation: Conversation, now: datetime) -> list[TimerView]:
    """The running timers of `conversation` at `now` under the brand's first matching policy."""
    policies = [p.policy() for p in SlaPolicy.objects.filter(brand_id=conversation.brand_id, enabled=True)]
    vip = bool(conversation.customer_id and conversation.customer.is_vip)
    chosen = sla.choose(policies, conversation.priority, conversation.platform, vip)
    if chosen is None:
        return []
    return timer_views(clock_of(conversation), chosen, calendar_for(conversation), now)
