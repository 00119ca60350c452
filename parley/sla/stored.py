"""Each conversation's next SLA due time, stored (Conversation.sla_due_at / sla_warn_at) and kept.

The values are `policy.next_due` of the conversation's clock under the brand's first matching
policy and the team's calendar (pure; they do not depend on `now`). This module is the thin layer
that keeps them right, so that "breached", "due within 1 h", the sort by time left and the sweep's
candidates are indexed SQL instead of timers judged in Python:

- every Conversation.save() that writes a column they depend on (INPUTS) recomputes them and
  writes them in the same UPDATE (`conversation_saving`, an inbox.signals saving listener):
  a post arriving, a reply, a status change (resolve, close, reopen, pending), the team,
  the priority, the customer, a merge;
- bulk writes that bypass save() (the importer, the priority clock, customer merges) call
  inbox.signals.conversations_changed(ids), which runs `refresh(ids)` in their transaction;
- a customer's VIP flag (a Customer save) refreshes that customer's conversations;
- a change to a brand's SLA policies or business-hours calendars (holidays included) recomputes
  the brand (`brand_changed`): in the same transaction when the brand has at most
  PARLEY_SLA_RECOMPUTE_INLINE_MAX active conversations, else in a background task
  (tasks.recompute_brand) once the change commits; `parley sla_due` does it by hand, with a
  progress bar, and the migration that added the columns filled them (`rebuild`).

Until a large brand's task has run, its lists and sweep use the previous policy's due times.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Callable, Iterable

from django.conf import settings
from django.db import transaction

from . import policy as sla
from .calendar import Calendar

log = logging.getLogger(__name__)

FIELDS = ("sla_due_at", "sla_warn_at")
# Conversation fields the stored values depend on (a save of none of these leaves them alone).
INPUTS = frozenset({"status", "created_at", "first_response_at", "waiting_since", "resolved_at", "priority",
                    "platform", "customer", "customer_id", "team", "team_id", "brand", "brand_id"})
# What `refresh` and `rebuild` read of each conversation (compute_row's order).
ROW = ("team_id", "priority", "platform", "customer__is_vip", "created_at", "first_response_at", "waiting_since",
       "resolved_at", "status")
POLICY_FIELDS = ("id", "name", "first_response_minutes", "next_response_minutes", "resolution_minutes",
                 "business_hours", "min_priority", "platforms", "vip", "warn_at")
ALWAYS = Calendar.twenty_four_seven()
CHUNK = 500


class BrandRules:
    """A brand's enabled policies in order and its calendars by team (None: the brand's default)."""

    def __init__(self, policies: tuple[sla.Policy, ...], calendars: dict):
        self.policies = policies
        self.calendars = calendars
        self.needs_vip = any(p.vip is not None for p in policies)

    @classmethod
    def load(cls, brand_id: int, policy_model=None, calendar_model=None) -> "BrandRules":
        """Two queries (one when the brand has no policy). The models may be a migration's."""
        from .models import BusinessCalendar, SlaPolicy

        policy_model, calendar_model = policy_model or SlaPolicy, calendar_model or BusinessCalendar
        policies = tuple(
            sla.policy_from_config(row["id"], row)
            for row in policy_model.objects.filter(brand_id=brand_id, enabled=True)
            .order_by("position", "id").values(*POLICY_FIELDS)
        )
        calendars = {}
        if policies:
            calendars = {team_id: Calendar.from_config(config) for team_id, config in
                         calendar_model.objects.filter(brand_id=brand_id).values_list("team_id", "config")}
        return cls(policies, calendars)

    def calendar(self, team_id: int | None) -> Calendar:
        return self.calendars.get(team_id) or self.calendars.get(None) or ALWAYS


def compute_row(rules: BrandRules, team_id, priority, platform, vip, created, first, waiting, resolved,
                status) -> sla.NextDue:
    """The stored values for one conversation's columns (ROW order). Pure."""
    from parley.inbox.models import ACTIVE_STATUSES

    if not rules.policies or status not in ACTIVE_STATUSES:
        return sla.NextDue()
    chosen = sla.choose(rules.policies, priority, platform, bool(vip))
    clock = sla.ConversationClock(created, first, waiting, resolved, True)
    return sla.next_due(clock, chosen, rules.calendar(team_id))


# --- one conversation, as it is saved ------------------------------------------------------------


def conversation_saving(conversation, update_fields) -> tuple[str, ...]:
    """inbox.signals saving listener: set the stored due times when a saved column feeds them."""
    if update_fields is not None and not INPUTS.intersection(update_fields):
        return ()
    if conversation.brand_id is None:
        return ()
    rules = BrandRules.load(conversation.brand_id)
    vip = False
    if rules.needs_vip and conversation.customer_id:
        vip = conversation.customer.is_vip
    due = compute_row(rules, conversation.team_id, conversation.priority, conversation.platform, vip,
                      conversation.created_at, conversation.first_response_at, conversation.waiting_since,
                      conversation.resolved_at, conversation.status)
    conversation.sla_due_at, conversation.sla_warn_at = due.due_at, due.warn_at
    return FIELDS


# --- many conversations ------------------------------------------------------------------------------


def _write(conversation_model, rows: list[tuple]) -> None:
    """(due, warn, pk) rows, one UPDATE statement each (executemany)."""
    from parley.inbox.importers.tables import Table

    Table(conversation_model).update(list(FIELDS), rows)


def _recompute(conversation_model, queryset, rules_of: Callable[[int], BrandRules]) -> tuple[int, int]:
    """Recompute the conversations of `queryset` (locked first); (read, written)."""
    rows = list(queryset.select_for_update(of=("self",)).values_list("pk", "brand_id", *ROW, *FIELDS))
    changed = []
    for pk, brand_id, *values in rows:
        *inputs, old_due, old_warn = values
        due = compute_row(rules_of(brand_id), *inputs)
        if (due.due_at, due.warn_at) != (old_due, old_warn):
            changed.append((due.due_at, due.warn_at, pk))
    _write(conversation_model, changed)
    return len(rows), len(changed)


def refresh(conversation_ids: Iterable[int]) -> int:
    """Recompute these conversations (inside the transaction that changed them); returns rows written."""
    from parley.inbox.models import Conversation

    ids = sorted({int(i) for i in conversation_ids if i is not None})
    rules: dict[int, BrandRules] = {}

    def rules_of(brand_id: int) -> BrandRules:
        if brand_id not in rules:
            rules[brand_id] = BrandRules.load(brand_id)
        return rules[brand_id]

    written = 0
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            written += _recompute(Conversation, Conversation.objects.filter(pk__in=ids[start:start + CHUNK]),
                                  rules_of)[1]
    return written


def rebuild(brand_ids=None, batch_size: int = 2000, progress=None, *, conversation_model=None,
            policy_model=None, calendar_model=None) -> tuple[int, int]:
    """Recompute every conversation of these brands (all when None); returns (read, written).

    Active conversations are read in primary-key chunks of `batch_size`, each chunk locked,
    recomputed and written in its own transaction (a rerun finishes an interrupted one); other
    conversations are cleared where they still hold a value. `progress(n)` is told the rows read.
    The models may be a migration's (historical models)."""
    from parley.inbox.models import ACTIVE_STATUSES, Conversation

    from .models import BusinessCalendar, SlaPolicy

    conversation_model = conversation_model or Conversation
    policy_model, calendar_model = policy_model or SlaPolicy, calendar_model or BusinessCalendar
    active = [str(s) for s in ACTIVE_STATUSES]
    if brand_ids is None:
        brand_ids = conversation_model.objects.order_by().values_list("brand_id", flat=True).distinct()
    read = written = 0
    for brand_id in sorted(set(brand_ids)):
        rules = BrandRules.load(brand_id, policy_model, calendar_model)
        conversations = conversation_model.objects.filter(brand_id=brand_id)
        with transaction.atomic():
            written += conversations.exclude(status__in=active).filter(sla_due_at__isnull=False).update(
                sla_due_at=None, sla_warn_at=None)
            written += conversations.exclude(status__in=active).filter(sla_warn_at__isnull=False).update(
                sla_warn_at=None)
        last = 0
        while True:
            with transaction.atomic():
                ids = list(conversations.filter(status__in=active, pk__gt=last).order_by("pk")
                           .values_list("pk", flat=True)[:batch_size])
                if not ids:
                    break
                last = ids[-1]
                n, w = _recompute(conversation_model, conversation_model.objects.filter(pk__in=ids),
                                  lambda _brand_id: rules)
            read, written = read + n, written + w
            if progress is not None:
                progress(n)
    return read, written


def active_count(brand_ids=None) -> int:
    from parley.inbox import queries
    from parley.inbox.models import Conversation

    qs = Conversation.objects.filter(queries.ACTIVE)
    return (qs.filter(brand_id__in=list(brand_ids)) if brand_ids is not None else qs).count()


# --- a brand's rules changed ---------------------------------------------------------------------------


def brand_changed(brand_id: int) -> None:
    """A policy or calendar of this brand changed (inside its transaction): recompute the brand's
    conversations now when it has few active ones, else in a task once the change commits."""
    if active_count([brand_id]) <= settings.PARLEY_SLA_RECOMPUTE_INLINE_MAX:
        rebuild([brand_id])
    else:
        transaction.on_commit(partial(_enqueue, brand_id))


def _enqueue(brand_id: int) -> None:
    from .tasks import recompute_brand

    try:
        recompute_brand.enqueue(brand_id)
    except Exception:  # noqa: BLE001 - the change stands; `parley sla_due --brand` catches up
        log.exception("could not queue the SLA recompute of brand %s; run `parley sla_due --brand %s`",
                      brand_id, brand_id)


def rules_saved(sender, instance, raw=False, origin=None, **kwargs) -> None:
    """post_save / post_delete receiver for SlaPolicy and BusinessCalendar (not when the brand itself
    is being deleted; a team's deletion does recompute, as its conversations change calendar)."""
    from parley.accounts.models import Brand

    if raw or getattr(origin, "model", type(origin)) is Brand:
        return
    brand_changed(instance.brand_id)


def customer_saved(sender, instance, update_fields=None, raw=False, created=False, **kwargs) -> None:
    """post_save receiver for Customer: its VIP flag feeds the policy choice of its conversations."""
    if raw or created or (update_fields is not None and "is_vip" not in update_fields):
        return
    from parley.inbox.models import Conversation

    refresh(Conversation.objects.filter(customer_id=instance.pk).values_list("pk", flat=True))


def customer_deleting(sender, instance, **kwargs) -> None:
    """pre_delete receiver for Customer: a VIP's conversations lose their customer (SET_NULL)."""
    if instance.is_vip:
        instance._sla_conversations = list(instance.conversations.values_list("pk", flat=True))


def customer_deleted(sender, instance, **kwargs) -> None:
    refresh(getattr(instance, "_sla_conversations", ()))
