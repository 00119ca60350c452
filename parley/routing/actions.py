"""Every write routing and assignment make goes through a named action here (each audited).

Routing runs once per inbound post, after triage has stored its result (see listeners.py);
its decision is applied through the inbox's own actions (set_team, add_tag, set_priority,
assign), so the conversation's audit trail shows each change with the actor "routing".
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from parley.accounts.models import Team
from parley.inbox import actions as inbox
from parley.inbox.audit import record
from parley.inbox.models import ACTIVE_STATUSES, Conversation, Post

from . import assignment
from .facts import agents_for, brand_calendar, context_for, conversation_need, post_facts, recent_posts
from .models import Acknowledgement, AgentAvailability, RoutingResult, RoutingRule
from .rules import Decision, compile_rule, evaluate, preview

log = logging.getLogger(__name__)
ACTOR = "routing"


_compiled: dict[int, tuple[tuple, list]] = {}


def compiled_rules(brand) -> list:
    """The brand's enabled rules, compiled; recompiled only when a rule was added, changed or removed.

    Within one background job (parley.server.jobmemo) they are looked up once.
    """
    from parley.server.jobmemo import remembered

    return remembered(("routing.rules", brand.pk), lambda: _compiled_rules(brand))


def _compiled_rules(brand) -> list:
    rows = RoutingRule.objects.filter(brand=brand, enabled=True).order_by("position", "id")
    stamp = tuple(rows.values_list("id", "updated_at"))
    cached = _compiled.get(brand.pk)
    if cached is None or cached[0] != stamp:
        if len(_compiled) > 1000:
            _compiled.clear()
        cached = _compiled[brand.pk] = (stamp, [r.compiled() for r in rows])
    return cached[1]


def route_post(post: Post, now: datetime | None = None, actor=ACTOR) -> RoutingResult | None:
    """Run the brand's rules over an inbound post and apply the decision. Once per post."""
    now = now or timezone.now()
    if post.direction != Post.Direction.INBOUND:
        return None
    # Routed before: creating its result below fails on the unique key (no look-up first).
    conversation = post.conversation
    if conversation.brand_id == post.brand_id:
        conversation.brand = post.brand  # the same row, already loaded with the post: not read again
    decision = evaluate(post_facts(post), compiled_rules(post.brand), now, context_for(post.brand, now))
    return _carry_out(post, conversation, decision, now, actor)


def _carry_out(post: Post, conversation: Conversation, decision: Decision, now: datetime,
               actor=ACTOR) -> RoutingResult | None:
    """Store a post's routing result and apply its decision (once per post)."""
    try:
        with transaction.atomic():
            result = RoutingResult.objects.create(
                post=post, conversation=conversation, decision=decision.as_dict(), routed_at=now
            )
            if conversation.is_active and not decision.empty:
                result.applied = apply_decision(conversation, decision, actor, now)
            if conversation.is_active and off_hours_acknowledge(post, conversation, now, actor):
                result.applied = [*result.applied, "acknowledged off hours"]
            if result.applied:  # stored empty by create()
                result.save(update_fields=["applied"])
    except IntegrityError:  # routed before, or concurrently by another worker
        return None
    return result


def route_post_id(post_id: int) -> None:
    """Route a stored post by id (the on-commit hook): one query reads the post with its triage and
    everything the rules look at (no ORDER BY, no second look-up of the triage)."""
    try:
        post = Post.objects.select_related("conversation", "author__customer", "channel", "brand", "triage").get(
            pk=post_id
        )
    except Post.DoesNotExist:
        return
    route_post(post)


def route_posts(post_ids, actor=ACTOR) -> None:
    """route_post_id of each post, in order, with the posts read in one query.

    Most posts' rules decide nothing (and their brand sends no off-hours acknowledgement): such a
    post only gets its RoutingResult, and those are written together (one INSERT, skipping posts
    routed before). Every other post is routed alone, in order, through the same code as one at a
    time, so automatic assignment counts every assignment made before it in the batch. A post
    whose conversation an earlier post of the call changed reads it afresh. Never raises.
    """
    posts = Post.objects.select_related("conversation", "author__customer", "channel", "brand", "triage").in_bulk(
        list(post_ids))
    quiet: list[RoutingResult] = []
    touched: set[int] = set()
    for pk in post_ids:
        post = posts.get(pk)
        if post is None or post.direction != Post.Direction.INBOUND:
            continue
        try:
            now = timezone.now()
            conversation = post.conversation
            if conversation.pk in touched:
                conversation.refresh_from_db()
            if conversation.brand_id == post.brand_id:
                conversation.brand = post.brand
            decision = evaluate(post_facts(post), compiled_rules(post.brand), now, context_for(post.brand, now))
            if decision.empty and not (conversation.is_active and _off_hours_ack_on(conversation.brand)):
                quiet.append(RoutingResult(post=post, conversation=conversation, decision=decision.as_dict(),
                                           routed_at=now))
                continue
            touched.add(conversation.pk)
            _carry_out(post, conversation, decision, now, actor)
        except Exception:  # routing must never lose a post or block ingestion
            log.exception("routing of post %s failed", pk)
    try:
        RoutingResult.objects.bulk_create(quiet, ignore_conflicts=True)  # a post routed before keeps its result
    except Exception:  # noqa: BLE001 - e.g. a post deleted meanwhile: each result alone
        log.exception("writing %s routing results together failed; one at a time", len(quiet))
        for result in quiet:
            try:
                with transaction.atomic():
                    RoutingResult.objects.create(post=result.post, conversation=result.conversation,
                                                 decision=result.decision, routed_at=result.routed_at)
            except IntegrityError:
                pass
            except Exception:
                log.exception("routing of post %s failed", result.post.pk)


def routing_changes_nothing(post: Post, triage=None) -> bool:
    """Whether routing `post` now, with `triage` (its final triage, maybe not stored yet), would only
    store its result: routing off, not a customer's post, or rules that decide nothing and no
    off-hours acknowledgement to send. The triage batch reads it to know which later posts of a
    conversation may share a write with an earlier one."""
    if not settings.PARLEY_ROUTING_ENABLED or post.direction != Post.Direction.INBOUND:
        return True
    conversation = post.conversation
    brand = post.brand
    now = timezone.now()
    decision = evaluate(post_facts(post, triage), compiled_rules(brand), now, context_for(brand, now))
    if not decision.empty:
        return False
    if conversation.brand_id != post.brand_id:
        brand = conversation.brand
    return not (conversation.is_active and _off_hours_ack_on(brand))


def _off_hours_ack_on(brand) -> bool:
    return bool(brand.setting("off_hours_ack", settings.PARLEY_OFF_HOURS_ACK))


def apply_decision(conversation: Conversation, decision: Decision, actor=ACTOR, now=None) -> list[str]:
    """Carry out a routing decision; returns a line per change (or per problem, never raised)."""
    now = now or timezone.now()
    done: list[str] = []
    brand = conversation.brand
    if decision.team:
        team = Team.objects.filter(brand=brand, slug=decision.team).first()
        if team is None:
            done.append(f"team {decision.team!r} does not exist")
        elif conversation.team_id != team.pk:
            inbox.set_team(conversation, team, actor)
            done.append(f"team {team.slug}")
    for tag in decision.tags + (["spam"] if decision.spam else []):
        inbox.add_tag(conversation, tag, actor)
        done.append(f"tag {tag}")
    if decision.priority is not None and decision.priority > conversation.priority:
        inbox.set_priority(conversation, decision.priority, actor)
        done.append(f"priority {decision.priority}")
    if decision.spam:
        record(brand, actor, "routing.spam", conversation, conversation, rules=decision.matched)
    if decision.hide:
        # Hiding on the platform is the channel connector's job; this asks for it on the record.
        record(brand, actor, "routing.hide_requested", conversation, conversation, rules=decision.matched)
        done.append("hide requested")
    for note in decision.notify:
        verb = "routing.escalated" if note["escalate"] else "routing.notified"
        record(brand, actor, verb, conversation, conversation, to=note["to"], message=note["message"],
               rule=note["rule"])
        done.append(f"{'escalated' if note['escalate'] else 'notified'} {note['to']}")
    if decision.assignee and conversation.assignee_id is None:
        if decision.assignee == "auto":
            user = auto_assign(conversation, now, actor=actor)
            done.append(f"assigned {user.get_username()}" if user else "no agent free")
        else:
            user = get_user_model().objects.filter(username=decision.assignee).first()
            try:
                if user is None:
                    raise inbox.ActionError(f"no user {decision.assignee!r}")
                inbox.assign(conversation, user, actor)
                done.append(f"assigned {user.get_username()}")
            except inbox.ActionError as exc:
                done.append(f"not assigned: {exc}")
    if decision.acknowledge:
        post = acknowledge(conversation, decision.acknowledge, "rule", actor, now)
        done.append("acknowledged" if post else "already acknowledged")
    return done


def acknowledge(conversation: Conversation, text: str, reason: str, actor=ACTOR, now=None) -> Post | None:
    """Send the conversation's one automatic acknowledgement; None when it already had one."""
    now = now or timezone.now()
    if Acknowledgement.objects.filter(conversation=conversation).exists():
        return None
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(conversation=conversation, reason=reason, sent_at=now)
            post = inbox.create_reply(conversation, text, actor, now=now, idempotency_key=f"ack-{conversation.pk}")
            ack.post = post
            ack.save(update_fields=["post"])
            record(conversation.brand, actor, "conversation.acknowledged", conversation, conversation, reason=reason)
    except IntegrityError:
        return None
    return post


def off_hours_acknowledge(post: Post, conversation: Conversation, now: datetime, actor=ACTOR) -> bool:
    """Send the off-hours acknowledgement when the brand wants one and the team is closed."""
    from parley.sla import offhours

    brand = conversation.brand
    enabled = _off_hours_ack_on(brand)
    if not enabled:
        return False
    calendar = brand_calendar(brand, conversation.team_id)
    brand_replied = Post.objects.filter(
        conversation=conversation, direction=Post.Direction.OUTBOUND, created_at__gte=post.created_at
    ).exists()
    if not offhours.should_acknowledge(
        enabled=enabled, inbound=True, arrived_at=post.created_at, calendar=calendar,
        already_acknowledged=Acknowledgement.objects.filter(conversation=conversation).exists(),
        brand_replied_since=brand_replied,
    ):
        return False
    text = offhours.message(brand.setting("off_hours_ack_text", None), calendar, post.created_at)
    return acknowledge(conversation, text, "off_hours", actor, now) is not None


# --- assignment -------------------------------------------------------------------------


def strategy_for(brand) -> str:
    return brand.setting("assignment_strategy", settings.PARLEY_ASSIGNMENT_STRATEGY)


def auto_assign(conversation: Conversation, now: datetime | None = None, strategy: str | None = None, actor=ACTOR):
    """Assign an unassigned conversation to the best available agent; never gives it two assignees.

    The conversation row and the brand's online agents' availability rows are locked
    (SELECT ... FOR UPDATE on PostgreSQL) for the decision, so concurrent workers
    serialise: the second sees the assignee the first set, and loads are counted
    after earlier assignments committed. Returns the assigned user, or None.
    """
    now = now or timezone.now()
    strategy = strategy or strategy_for(conversation.brand)
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if locked.assignee_id is not None or locked.status not in ACTIVE_STATUSES:
            conversation.assignee_id = locked.assignee_id
            return None
        rows = list(
            AgentAvailability.objects.select_for_update()
            .filter(brand=locked.brand_id, state=AgentAvailability.State.ONLINE)
            .order_by("pk")
        )
        rows = list(AgentAvailability.objects.filter(pk__in=[r.pk for r in rows]).select_related(
            "user__agent_profile").order_by("pk"))
        agent = assignment.choose(conversation_need(locked), agents_for(rows), now, strategy)
        if agent is None:
            return None
        row = next(r for r in rows if r.user_id == agent.user_id)
        inbox.assign(locked, row.user, actor)
        # strictly after every earlier assignment, so round robin moves on even within one instant
        latest = max((r.last_assigned_at for r in rows if r.last_assigned_at), default=None)
        row.last_assigned_at = max(now, latest + timedelta(microseconds=1)) if latest else now
        row.save(update_fields=["last_assigned_at", "updated_at"])
    conversation.assignee_id = locked.assignee_id
    return row.user


def set_availability(user, brand, state: str, actor=None, now: datetime | None = None) -> AgentAvailability:
    """Set an agent online, away or offline; going offline hands their open conversations on."""
    now = now or timezone.now()
    if state not in AgentAvailability.State.values:
        raise inbox.ActionError(f"Unknown availability {state!r}")
    with transaction.atomic():
        row, _ = AgentAvailability.objects.select_for_update().get_or_create(user=user, brand=brand)
        old = row.state
        if old == state:
            return row
        row.state = state
        row.save(update_fields=["state", "updated_at"])
        record(brand, actor or user, "agent.availability", row, None, old=old, new=state)
    if state == AgentAvailability.State.OFFLINE and brand.setting(
        "reassign_when_offline", settings.PARLEY_REASSIGN_WHEN_OFFLINE
    ):
        reassign_open(user, brand, actor or ACTOR, now)
    return row


def reassign_open(user, brand, actor=ACTOR, now: datetime | None = None) -> dict[int, int | None]:
    """Move an offline agent's open conversations to available agents (or back to the queue)."""
    now = now or timezone.now()
    moved: dict[int, int | None] = {}
    for conversation in Conversation.objects.filter(brand=brand, assignee=user, status__in=ACTIVE_STATUSES):
        inbox.assign(conversation, None, actor)
        new = auto_assign(conversation, now, strategy=assignment.LEAST_LOADED, actor=actor)
        moved[conversation.pk] = new.pk if new else None
    return moved


# --- preview --------------------------------------------------------------------------------


def preview_rule(brand, config: dict, limit: int = 1000, now: datetime | None = None) -> dict:
    """What a rule (saved or not) would have done to the brand's last `limit` inbound posts."""
    now = now or timezone.now()
    rule = compile_rule(config, "preview")
    posts = recent_posts(brand, limit)
    ctx = context_for(brand, now)
    matches = preview(rule, [(post_facts(p), p.received_at) for p in posts], ctx)
    by_id = {p.pk: p for p in posts}
    return {
        "scanned": len(posts),
        "matched": len(matches),
        "examples": [
            {"post": by_id[f.post_id], "decision": d.as_dict()} for f, d in matches[:50]
        ],
    }


# --- rules ------------------------------------------------------------------------------------


def save_rule(brand, data: dict, actor, rule: RoutingRule | None = None) -> RoutingRule:
    """Create or change a rule (validated: a bad rule raises ActionError with the reason)."""
    from django.core.exceptions import ValidationError

    name = " ".join(str(data.get("name") or "").split())[:120]
    if not name:
        raise inbox.ActionError("A rule needs a name")
    position = data.get("position", 0)
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= 100_000:
        raise inbox.ActionError("Position is a whole number from 0 to 100,000")
    rule = rule or RoutingRule(brand=brand)
    old = rule.as_config() if rule.pk else None
    rule.name, rule.position = name, position
    rule.conditions, rule.actions = data.get("conditions") or {}, data.get("actions") or []
    rule.stop, rule.enabled = bool(data.get("stop")), bool(data.get("enabled", True))
    try:
        with transaction.atomic():
            rule.save()
            record(brand, actor, "rule.changed" if old else "rule.created", rule, None, rule=rule.as_config(), old=old)
    except ValidationError as exc:
        raise inbox.ActionError("; ".join(exc.messages)) from None
    return rule


def delete_rule(rule: RoutingRule, actor) -> None:
    with transaction.atomic():
        record(rule.brand, actor, "rule.deleted", rule, None, rule=rule.as_config())
        rule.delete()


def move_rule(rule: RoutingRule, direction: str, actor) -> RoutingRule:
    """Move a rule one place up or down; the brand's rules are renumbered 10, 20, 30, ... in the new order."""
    if direction not in ("up", "down"):
        raise inbox.ActionError("A rule moves up or down")
    with transaction.atomic():
        order = list(RoutingRule.objects.select_for_update().filter(brand=rule.brand_id).order_by("position", "id"))
        at = next(i for i, r in enumerate(order) if r.pk == rule.pk)
        to = at - 1 if direction == "up" else at + 1
        if not 0 <= to < len(order):
            return rule
        order[at], order[to] = order[to], order[at]
        for i, row in enumerate(order):
            if row.position != (i + 1) * 10:
                row.position = (i + 1) * 10
                row.save(update_fields=["position", "updated_at"])
        moved = order[to]
        record(rule.brand, actor, "rule.moved", moved, None, direction=direction, position=moved.position)
    rule.position = moved.position
    return rule


def set_rule_enabled(rule: RoutingRule, enabled: bool, actor) -> RoutingRule:
    """Turn a rule on or off (audited); a disabled rule is kept but skipped by routing."""
    with transaction.atomic():
        if rule.enabled != enabled:
            rule.enabled = enabled
            rule.save(update_fields=["enabled", "updated_at"])
            record(rule.brand, actor, "rule.enabled" if enabled else "rule.disabled", rule, None)
    return rule
