"""The inbox's read side: filtering, sorting and counting conversations.

Views and the API parse request parameters into `InboxFilter` and call these;
all scoping goes through access.visible_conversations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet

from parley.accounts.models import Membership, Role

from .access import visible_conversations
from .models import ACTIVE_STATUSES, Conversation, Status
from .search import conversation_ids_matching

SORTS = {
    # Longest waiting first; conversations nobody waits on go last, oldest activity first.
    "waiting": (F("waiting_since").asc(nulls_last=True), "last_post_at", "id"),
    "priority": ("-priority", F("waiting_since").asc(nulls_last=True), "id"),
    "recent": ("-last_post_at", "-id"),
}

# Named views shown as tabs with counts.
VIEWS = {
    "active": Q(status__in=ACTIVE_STATUSES),
    "waiting": Q(status__in=ACTIVE_STATUSES, waiting_since__isnull=False),
    "mine": None,  # filled per user
    "unassigned": Q(status__in=ACTIVE_STATUSES, assignee__isnull=True),
    "resolved": Q(status=Status.RESOLVED),
    "closed": Q(status=Status.CLOSED),
}


@dataclass
class InboxFilter:
    view: str = "active"
    statuses: list[str] = field(default_factory=list)
    platform: str = ""
    channel_id: int | None = None
    team: str = ""  # team id, or "none"
    assignee: str = ""  # "me", "none", or a user id
    tag: str = ""
    priority_min: int | None = None
    q: str = ""
    sort: str = "waiting"

    @classmethod
    def from_params(cls, params) -> "InboxFilter":
        """Parse query parameters leniently: unknown values are ignored, not errors."""

        def _int(name):
            try:
                return int(params.get(name, ""))
            except (TypeError, ValueError):
                return None

        statuses = [s for s in params.getlist("status") if s in Status.values] if hasattr(params, "getlist") else []
        view = params.get("view", "active")
        sort = params.get("sort", "waiting")
        return cls(
            view=view if view in VIEWS or view == "all" else "active",
            statuses=statuses,
            platform=str(params.get("platform", ""))[:20],
            channel_id=_int("channel"),
            team=str(params.get("team", ""))[:20],
            assignee=str(params.get("assignee", ""))[:20],
            tag=str(params.get("tag", ""))[:60],
            priority_min=_int("priority_min"),
            q=" ".join(str(params.get("q", "")).split())[:200],
            sort=sort if sort in SORTS else "waiting",
        )


def _view_q(view: str, user) -> Q | None:
    if view == "mine":
        return Q(status__in=ACTIVE_STATUSES, assignee=user)
    if view == "all":
        return ~Q(status=Status.MERGED)
    return VIEWS.get(view) or VIEWS["active"]


def conversations(user, brand, f: InboxFilter) -> QuerySet[Conversation]:
    qs = visible_conversations(user, brand)
    if f.statuses:
        qs = qs.filter(status__in=f.statuses)
    else:
        qs = qs.filter(_view_q(f.view, user))
    if f.platform:
        qs = qs.filter(platform=f.platform)
    if f.channel_id:
        qs = qs.filter(channel_id=f.channel_id)
    if f.team == "none":
        qs = qs.filter(team__isnull=True)
    elif f.team.isdigit():
        qs = qs.filter(team_id=int(f.team))
    if f.assignee == "me":
        qs = qs.filter(assignee=user)
    elif f.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif f.assignee.isdigit():
        qs = qs.filter(assignee_id=int(f.assignee))
    if f.tag:
        qs = qs.filter(tags__name=f.tag)
    if f.priority_min is not None:
        qs = qs.filter(priority__gte=f.priority_min)
    if f.q:
        qs = qs.filter(pk__in=conversation_ids_matching(brand, f.q))
    return qs.order_by(*SORTS[f.sort])


def view_counts(user, brand) -> dict[str, int]:
    """How many conversations each named view holds, in one query."""
    qs = visible_conversations(user, brand)
    aggregates = {name: Count("id", filter=_view_q(name, user)) for name in VIEWS}
    return qs.aggregate(**aggregates)


def brand_agents(brand) -> QuerySet:
    """Active users who may take conversations in `brand` (admins, supervisors, agents)."""
    writers = Membership.objects.filter(brand=brand, role__in=[Role.ADMIN, Role.SUPERVISOR, Role.AGENT])
    return get_user_model().objects.filter(is_active=True, pk__in=writers.values("user_id")).order_by("username")


def assignable_users(conversation: Conversation) -> QuerySet:
    """The brand's users who can see `conversation` and act on it: the choices for assignment."""
    users = brand_agents(conversation.brand)
    if conversation.team_id is None:
        return users
    managers = Membership.objects.filter(brand=conversation.brand, role__in=[Role.ADMIN, Role.SUPERVISOR])
    return users.filter(Q(pk__in=managers.values("user_id")) | Q(agent_profile__teams=conversation.team_id)).distinct()
