"""The inbox's read side: filtering, sorting and counting conversations.

Views and the API parse request parameters into `InboxFilter` and call these;
all scoping goes through access.visible_conversations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Lookup, OrderBy, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from parley.accounts.models import Membership, Role

from parley.triage.labels import INTENTS, OUTCOMES, SENTIMENTS
from parley.triage.queries import conversation_filter

from .access import visible_conversations
from .models import ACTIVE_STATUSES, DONE_STATUSES, LISTED_STATUSES, WAITING_IS_NULL, Conversation, Status
from .search import conversation_ids_matching

SORTS = {
    # Longest waiting first; conversations nobody waits on go last, oldest activity first.
    "waiting": (F("waiting_since").asc(nulls_last=True), "last_post_at", "id"),
    "priority": ("-priority", F("waiting_since").asc(nulls_last=True), "id"),
    "recent": ("-last_post_at", "-id"),
    # Least SLA time left first: the stored next due time (parley.sla.stored), breached (earliest due)
    # first; conversations with no running timer last; ties longest waiting first, nobody waiting
    # last (waiting_since NULLS LAST, spelt so that the index conv_active_sla gives the whole order
    # on SQLite too: models.WAITING_IS_NULL).
    "sla": (F("sla_due_at").asc(nulls_last=True), WAITING_IS_NULL.asc(), F("waiting_since").asc(), "last_post_at",
            "id"),
}
# "breached": the first timer's due time has passed; "due_1h": it falls due within the hour, by the
# clock (a business-hours timer with 30 minutes left at Friday's close is due on Monday).
SLA_FILTERS = ("breached", "due_1h")
SLA_SOON = timedelta(hours=1)


class LiteralIn(Lookup):
    """`column IN ('a', 'b')` with the values written into the SQL, for our own constants.

    SQLite uses a partial index only when the query repeats the index's
    condition with the same constants in the same order; Django would send
    them as parameters. The partial indexes on conversations (models.py) are
    declared over status groups; name those groups with ACTIVE, DONE and
    NOT_MERGED below, not with status__in=...
    """

    lookup_name = "literal_in"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        if not all(isinstance(v, str) and v.replace("_", "").isalnum() for v in self.rhs):
            raise ValueError("LiteralIn takes identifier-like constants only")
        return f"{lhs} IN ({', '.join(repr(str(v)) for v in self.rhs)})", params


def _status_in(statuses) -> LiteralIn:
    return LiteralIn(F("status"), tuple(str(s) for s in statuses))


# The status groups the partial indexes are declared over (models.Conversation.Meta).
ACTIVE = _status_in(ACTIVE_STATUSES)
DONE = _status_in(DONE_STATUSES)
NOT_MERGED = _status_in(LISTED_STATUSES)

# Named views shown as tabs with counts.
VIEWS = {
    "active": Q(ACTIVE),
    "waiting": Q(ACTIVE, waiting_since__isnull=False),
    "mine": None,  # filled per user
    "unassigned": Q(ACTIVE, assignee__isnull=True),
    "resolved": Q(DONE, status=Status.RESOLVED),
    "closed": Q(DONE, status=Status.CLOSED),
}

# Counting stops at these: a tab shows "1000+" and a list "10000+" rather than
# scanning a brand's whole history on every page.
COUNT_CAP = 1000
LIST_COUNT_CAP = 10_000
TRIAGE_LIST_COUNT_CAP = 1000


class AtLeast(int):
    """A count that reached its cap; it equals the cap and prints as "1000+"."""

    def __str__(self) -> str:
        return f"{int(self)}+"


class InboxQuerySet(QuerySet):
    """Conversations of an inbox list; count() stops at LIST_COUNT_CAP.

    Paginators (Django's, DRF's) count the whole list on every page; an exact
    count of a long history costs more than the page itself.
    """

    # Lists filtered on triage count to a lower cap (TRIAGE_LIST_COUNT_CAP): each
    # conversation counted costs an EXISTS over its posts' triage.
    count_cap: int | None = None  # None: LIST_COUNT_CAP, read when counting

    def _clone(self):
        clone = super()._clone()
        clone.count_cap = self.count_cap
        return clone

    def count(self) -> int:
        if self._result_cache is not None or self.query.is_sliced:
            return super().count()
        # Sliced, the subquery keeps the list's ordering, which steers the planner to
        # the same partial index as the page (index-only for the usual filters).
        cap = self.count_cap or LIST_COUNT_CAP
        n = self.values("pk")[:cap].count()
        return AtLeast(n) if n >= cap else n


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
    # Triage filters (parley.triage.queries.conversation_filter): a conversation matches
    # when one of its customer's posts matches them all.
    intent: str = ""
    sentiment: str = ""
    outcome: str = ""  # a desired outcome, or "unclear"
    severity_min: int | None = None
    troll: bool | None = None
    private_data: bool | None = None
    needs_response: bool | None = None  # a customer post needs an answer (summary.NEEDS_RESPONSE_MIN), or not
    topic: str = ""
    language: str = ""
    sla: str = ""  # "breached" or "due_1h" (SLA_FILTERS)

    @property
    def triage_filtered(self) -> bool:
        return bool(self.intent or self.sentiment or self.outcome or self.severity_min is not None
                    or self.troll is not None or self.private_data is not None or self.needs_response is not None
                    or self.topic or self.language)

    @classmethod
    def from_params(cls, params) -> "InboxFilter":
        """Parse query parameters leniently: unknown values are ignored, not errors."""

        def _int(name):
            try:
                return int(params.get(name, ""))
            except (TypeError, ValueError):
                return None

        topic = " ".join(str(params.get("topic", "")).split())[:60]
        language = str(params.get("language", "")).strip().lower()[:8]
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
            sla=params.get("sla", "") if params.get("sla", "") in SLA_FILTERS else "",
            intent=_choice(params, "intent", INTENTS),
            sentiment=_choice(params, "sentiment", SENTIMENTS),
            outcome=_choice(params, "outcome", (*OUTCOMES, "unclear")),
            severity_min=_int("severity_min") if _int("severity_min") in (1, 2, 3, 4) else None,
            troll=_yes_no(params.get("troll")),
            private_data=_yes_no(params.get("private_data")),
            needs_response=_yes_no(params.get("needs_response")),
            topic=topic if _TOPIC.match(topic) else "",
            language=language if _LANGUAGE.match(language) else "",
        )


_TOPIC = re.compile(r"^[\w][\w \-]*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def _choice(params, name: str, allowed) -> str:
    value = str(params.get(name, "")).strip().lower()
    return value if value in allowed else ""


def _yes_no(value) -> bool | None:
    value = str(value or "").strip().lower()
    return True if value in ("yes", "true", "1") else False if value in ("no", "false", "0") else None


def _view_q(view: str, user) -> Q | None:
    if view == "mine":
        return Q(ACTIVE, assignee=user)
    if view == "all":
        return Q(NOT_MERGED)
    return VIEWS.get(view) or VIEWS["active"]


def sla_q(wanted: str, now: datetime) -> Q:
    """An SLA filter (SLA_FILTERS) on the stored next due time at `now`."""
    if wanted == "breached":
        return Q(sla_due_at__lte=now)
    return Q(sla_due_at__gt=now, sla_due_at__lte=now + SLA_SOON)


def conversations(user, brand, f: InboxFilter, now: datetime | None = None) -> InboxQuerySet:
    """The conversations `user` sees in `brand` through filter `f`, sorted (SLA filters at `now`).

    Its count() is capped (InboxQuerySet); search runs here, once (see search.py).
    """
    visible = visible_conversations(user, brand)
    qs = InboxQuerySet(model=visible.model, query=visible.query.chain(), using=visible.db)
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
    if f.sla:
        qs = qs.filter(sla_q(f.sla, now or timezone.now()))
    if f.triage_filtered:
        triage_q = conversation_filter(
            intent=f.intent, sentiment=f.sentiment, outcome=f.outcome, severity_min=f.severity_min,
            troll=f.troll, private_data=f.private_data, topic=f.topic, language=f.language,
            needs_response=f.needs_response,
        )
        if triage_q is not None:
            qs = qs.filter(triage_q)
            qs.count_cap = TRIAGE_LIST_COUNT_CAP
    if f.q:
        qs = qs.filter(pk__in=conversation_ids_matching(brand, f.q))
        return qs.order_by(*_sort_without_index(_order(f)))
    return qs.order_by(*_order(f))


def _order(f: InboxFilter) -> tuple:
    order = SORTS[f.sort]
    if f.sort == "sla" and f.sla:
        # The SLA filter leaves no row without a due time: plain ascending order, which SQLite can
        # read from the index as it is (it keeps NULLs first, so NULLS LAST costs it a sort).
        order = ("sla_due_at", *order[1:])
    return order


def _sort_without_index(order: tuple) -> list:
    """`order` with its first key wrapped so that no index can provide it.

    Search results are at most search.MAX_MATCHED_POSTS conversations, best
    fetched by primary key and then sorted. Left to itself, SQLite's planner
    (without ANALYZE statistics) walks the brand's whole conversation index in
    sort order instead, probing the id list at every step.
    """
    first, *rest = order
    if isinstance(first, str):
        first = F(first[1:]).desc() if first.startswith("-") else F(first).asc()
    unindexed = Coalesce(first.expression, first.expression)
    return [
        OrderBy(unindexed, descending=first.descending, nulls_first=first.nulls_first, nulls_last=first.nulls_last),
        *rest,
    ]


def view_counts(user, brand) -> dict[str, int]:
    """How many conversations each named view holds, counted up to COUNT_CAP.

    Each count stops at the cap, so the cost stays bounded however much history
    a brand accumulates, and all of them travel in one statement.
    """
    qs = visible_conversations(user, brand)
    parts, params, names = [], [], []
    for name in VIEWS:
        # Ordering as the list does steers the planner to the view's partial index,
        # which holds team and assignee: counting needs no table lookups.
        rows = qs.filter(_view_q(name, user)).order_by(*SORTS["waiting"]).values("pk")[:COUNT_CAP]
        try:
            sql, view_params = rows.query.get_compiler(using=rows.db).as_sql()
        except EmptyResultSet:
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS {name}_rows)")
        params.extend(view_params)
        names.append(name)
    counts = dict.fromkeys(VIEWS, 0)
    if parts:
        with connections[qs.db].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            counts.update(zip(names, cursor.fetchone()))
    return {name: AtLeast(n) if n >= COUNT_CAP else n for name, n in counts.items()}


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
