"""In-app SLA alerts: which of the sweep's alerts a user sees, and the header's count.

The sweep (sweep.py) stores one SlaAlert per timer and level. An alert is *current* while
its timer still runs: a first-response alert until the first reply, a next-response alert
until the customer's wait it measured ends, a resolution alert until the conversation is
resolved; and a near-breach alert gives way to the breach alert of the same timer.

Who sees an alert follows who is emailed: the conversation's assignee; for unassigned
conversations, the brand's admins and supervisors. "All" widens it to every conversation
the user may see (access.visible_conversations).
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from parley.inbox.access import can_manage, visible_conversations
from parley.inbox.models import ACTIVE_STATUSES

from . import policy as sla
from .models import SlaAlert

LIST_LIMIT = 200


def current(qs: QuerySet) -> QuerySet:
    """The alerts of `qs` whose timer still runs, a breach hiding the same timer's near-breach alert."""
    running = Q(conversation__status__in=ACTIVE_STATUSES) & (
        Q(kind=sla.FIRST_RESPONSE, conversation__first_response_at__isnull=True)
        | Q(kind=sla.NEXT_RESPONSE, conversation__waiting_since=F("started_at"))
        | Q(kind=sla.RESOLUTION)
    )
    breached = SlaAlert.objects.filter(conversation_id=OuterRef("conversation_id"), kind=OuterRef("kind"),
                                       started_at=OuterRef("started_at"), level=SlaAlert.Level.BREACHED)
    return qs.filter(running).exclude(Q(level=SlaAlert.Level.NEAR) & Exists(breached))


def visible_alerts(user, brand, everyone: bool = False) -> QuerySet:
    """Current alerts for `user` in `brand`: theirs (see the module docstring), or all they may see."""
    qs = SlaAlert.objects.filter(brand=brand, conversation__in=visible_conversations(user, brand))
    if not everyone:
        mine = Q(conversation__assignee=user)
        if can_manage(user, brand):
            mine |= Q(conversation__assignee__isnull=True)
        qs = qs.filter(mine)
    return current(qs)


def unseen_count(user, brand) -> int:
    """The header badge: the user's current alerts nobody has marked seen (counted up to LIST_LIMIT)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return visible_alerts(user, brand).filter(seen=False).values("pk")[:LIST_LIMIT].count()
