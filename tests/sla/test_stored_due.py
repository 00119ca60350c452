"""The stored next SLA due times (parley.sla.stored) against the pure computation, under random change.

A seeded random walk drives every path that can move a conversation's SLA timers through the
real actions (posts arriving, agent replies, status changes, team, priority, VIP, customer and
conversation merges, the priority clock, a bulk import, policies and calendars with holidays
created, edited, disabled and deleted, a team deleted). After each step `check` compares, for
every conversation, the stored columns with what the pure functions give (status.timer_views,
listing.matches, policy.state) at instants around every due time, and the inbox's SQL filters
and sort and the sweep's candidates with them. Runs on SQLite and PostgreSQL (make test).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone as dt_timezone
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from parley.inbox import actions, queries
from parley.inbox.models import Conversation, Customer, Status
from parley.sla import listing, stored
from parley.sla import policy as sla
from parley.sla.models import BusinessCalendar, SlaPolicy
from parley.sla.status import timer_views
from parley.sla.sweep import CANDIDATE_MARGIN
from parley.sla.tasks import recompute_brand
from parley.triage.actions import refresh_priorities
from tests.conftest import incoming

from tests.importers.helpers import fixture

START = datetime(2026, 12, 18, 15, 0, tzinfo=dt_timezone.utc)  # a Friday afternoon before the holidays
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def expected_timers(conversation: Conversation, rules: stored.BrandRules, now: datetime):
    """The conversation's running timers by the pure functions alone (as the conversation page shows them)."""
    vip = bool(conversation.customer_id and conversation.customer.is_vip)
    chosen = sla.choose(rules.policies, conversation.priority, conversation.platform, vip)
    if chosen is None:
        return None, []
    clock = sla.ConversationClock(conversation.created_at, conversation.first_response_at,
                                  conversation.waiting_since, conversation.resolved_at, conversation.is_active)
    return chosen, timer_views(clock, chosen, rules.calendar(conversation.team_id), now)


def check(brand, extra_instants=()) -> int:
    """Assert that every stored value agrees with the pure computation; returns the instants probed."""
    rules = stored.BrandRules.load(brand.pk)
    conversations = list(Conversation.objects.filter(brand=brand).select_related("customer").order_by("pk"))
    instants = set(extra_instants)
    for c in conversations:
        chosen, timers = expected_timers(c, rules, START)
        dues = [t.due_at for t in timers if t.due_at is not None]
        assert c.sla_due_at == min(dues, default=None), (c.pk, c.status, timers, c.sla_due_at)
        if c.sla_due_at is None:
            assert c.sla_warn_at is None, c.pk
            continue
        assert c.sla_warn_at is not None and c.sla_warn_at <= c.sla_due_at, c.pk
        for at in (c.sla_due_at, c.sla_warn_at, c.sla_due_at - listing.SOON):
            instants.update((at - timedelta(seconds=1), at, at + timedelta(seconds=1)))
    by_pk = {c.pk: c for c in conversations}
    for now in sorted(instants)[:: max(1, len(instants) // 12)]:  # a spread of the interesting instants
        for wanted in queries.SLA_FILTERS:
            got = set(Conversation.objects.filter(brand=brand).filter(queries.sla_q(wanted, now))
                      .values_list("pk", flat=True))
            want = {c.pk for c in conversations
                    if listing.matches(listing.most_urgent(expected_timers(c, rules, now)[1]), wanted, now)}
            assert got == want, (wanted, now, got ^ want)
        # The sweep reads only conversations whose stored near-breach time has come: none that
        # has a timer near or past its target may be missing.
        candidates = set(Conversation.objects.filter(queries.ACTIVE, brand=brand,
                                                     sla_warn_at__lte=now + CANDIDATE_MARGIN)
                         .values_list("pk", flat=True))
        for c in conversations:
            chosen, timers = expected_timers(c, rules, now)
            if any(t.state != sla.OK for t in timers):
                assert c.pk in candidates, (c.pk, now, timers)
    # The SLA sort: conversations with a timer by due time (most overdue first), then the rest.
    order = list(Conversation.objects.filter(brand=brand, status__in=list(Status.values))
                 .order_by(*queries.SORTS["sla"]).values_list("pk", flat=True))
    dues = [by_pk[pk].sla_due_at for pk in order]
    timed = [d for d in dues if d is not None]
    assert timed == sorted(timed) and dues[: len(timed)] == timed, "timer-less rows sort last"
    return len(instants)


class Walk:
    """The random walk's state: what exists, and one step at a time."""

    def __init__(self, rng, brand, channel, users, teams):
        self.rng, self.brand, self.channel, self.users = rng, brand, channel, users
        self.teams = dict(teams)
        self.now = START
        self.n = 0
        self.last_post: dict[int, str] = {}  # conversation -> a platform id in it

    def tick(self):
        self.now += timedelta(minutes=self.rng.choice((1, 7, 30, 95, 300, 1500)))

    def live(self):
        return list(Conversation.objects.filter(brand=self.brand).exclude(status=Status.MERGED).order_by("pk"))

    def pick(self):
        live = self.live()
        return self.rng.choice(live) if live else None

    def post(self, reply_to="", author=None, direction="in"):
        self.n += 1
        pid = f"w{self.n}"
        kw = {"author": author} if direction == "in" else {"author": None, "direction": "out"}
        result = actions.ingest_post(self.brand, self.channel, incoming(
            pid, f"message {self.n}", at=self.now, reply_to=reply_to, **kw))
        self.last_post[result.post.conversation_id] = pid
        return result.post.conversation

    # --- the steps ---------------------------------------------------------------------------------
    def new_conversation(self):
        self.post(author=f"cust{self.rng.randint(1, 12)}")

    def customer_writes_again(self):
        c = self.pick()
        if c and c.pk in self.last_post:
            self.post(reply_to=self.last_post[c.pk], author=f"cust{self.rng.randint(1, 12)}")

    def brand_replies_on_platform(self):
        c = self.pick()
        if c and c.pk in self.last_post:
            self.post(reply_to=self.last_post[c.pk], direction="out")

    def agent_replies(self):
        c = self.pick()
        if c:
            actions.create_reply(c, "Looking into it", self.users["admin"], now=self.now)

    def status(self):
        c = self.pick()
        if c:
            choices = [s for s in actions.next_statuses(c.status) if s != c.status] or [Status.OPEN]
            actions.set_status(c, self.rng.choice(choices), "walk", now=self.now)

    def team(self):
        c = self.pick()
        if c:
            actions.set_team(c, self.rng.choice([None, *self.teams.values()]), "walk")

    def priority(self):
        c = self.pick()
        if c:
            actions.set_priority(c, self.rng.choice((0, 20, 50, 70, 90, 100)), "walk")

    def vip(self):
        customers = list(Customer.objects.filter(brand=self.brand, merged_into__isnull=True).order_by("pk"))
        if customers:
            customer = self.rng.choice(customers)
            actions.set_customer_vip(customer, not customer.is_vip, "walk")

    def merge_customers(self):
        customers = list(Customer.objects.filter(brand=self.brand, merged_into__isnull=True).order_by("pk"))
        if len(customers) > 3:
            source, target = self.rng.sample(customers, 2)
            actions.merge_customers(source, target, "walk")

    def merge_conversations(self):
        live = self.live()
        if len(live) > 3:
            source, target = self.rng.sample(live, 2)
            actions.merge_conversations(source, target, "walk")

    def priority_clock(self):
        refresh_priorities(self.now)

    def policy(self):
        policies = list(SlaPolicy.objects.filter(brand=self.brand).order_by("pk"))
        roll = self.rng.random()
        if not policies or roll < 0.35:
            SlaPolicy.objects.create(
                brand=self.brand, name=f"p{self.n}", position=self.rng.randint(0, 9),
                first_response_minutes=self.rng.choice((None, 15, 60, 240)),
                next_response_minutes=self.rng.choice((None, 30, 120)),
                resolution_minutes=self.rng.choice((None, 480, 2880)),
                business_hours=self.rng.random() < 0.6, min_priority=self.rng.choice((0, 0, 50, 70)),
                platforms=self.rng.choice(([], ["x"], ["facebook"])), vip=self.rng.choice((None, None, True, False)),
                warn_at=self.rng.choice((0.5, 0.75, 0.9)))
        elif roll < 0.75:
            p = self.rng.choice(policies)
            p.first_response_minutes = self.rng.choice((None, 10, 45, 600))
            p.warn_at = self.rng.choice((0.6, 0.8))
            p.position = self.rng.randint(0, 9)
            p.enabled = self.rng.random() < 0.85
            p.save()
        else:
            self.rng.choice(policies).delete()

    def calendar(self):
        team = self.rng.choice([None, *self.teams.values()])
        hours = {d: [["09:00", "17:00"]] for d in DAYS[: self.rng.choice((5, 6))]}
        if self.rng.random() < 0.3:
            hours["wed"] = [["08:00", "12:00"], ["13:00", "18:30"]]
        config = {"timezone": self.rng.choice(("UTC", "Europe/Berlin", "America/New_York")), "hours": hours,
                  "holidays": self.rng.sample(["2026-12-21", "2026-12-24", "2026-12-25", "2026-12-28"],
                                              self.rng.randint(0, 3))}
        found = BusinessCalendar.objects.filter(brand=self.brand, team=team).first()
        if found is not None and self.rng.random() < 0.25:
            found.delete()
        elif found is not None:
            found.config = config
            found.save()
        else:
            BusinessCalendar.objects.create(brand=self.brand, team=team, name=f"cal{self.n}", config=config)

    def delete_team(self):
        if len(self.teams) > 1 and self.rng.random() < 0.5:
            name = self.rng.choice(sorted(self.teams))
            self.teams.pop(name).delete()

    def step(self):
        self.tick()
        steps = [
            (self.new_conversation, 5), (self.customer_writes_again, 4), (self.brand_replies_on_platform, 2),
            (self.agent_replies, 3), (self.status, 3), (self.team, 2), (self.priority, 2), (self.vip, 1),
            (self.merge_customers, 1), (self.merge_conversations, 1), (self.priority_clock, 1), (self.policy, 2),
            (self.calendar, 2), (self.delete_team, 0.2),
        ]
        fn = self.rng.choices([s for s, _ in steps], weights=[w for _, w in steps])[0]
        try:
            fn()
        except actions.ActionError:  # a step the actions refuse (e.g. merging merged customers)
            return "refused"
        return fn.__name__


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stored_due_times_follow_every_change(brand, channel, users, teams, seed):
    walk = Walk(random.Random(seed), brand, channel, users, teams)
    SlaPolicy.objects.create(brand=brand, name="base", position=5, first_response_minutes=60,
                             next_response_minutes=30, resolution_minutes=24 * 60, business_hours=True)
    BusinessCalendar.objects.create(brand=brand, name="office", config={
        "timezone": "Europe/London", "hours": {d: [["09:00", "17:00"]] for d in DAYS[:5]},
        "holidays": ["2026-12-25"]})
    for _ in range(8):
        walk.new_conversation()
    done = []
    for _ in range(70):
        done.append(walk.step())
        check(brand)
    assert {"policy", "calendar", "agent_replies", "status"} <= set(done), done


def test_a_bulk_import_stores_due_times(brand):
    SlaPolicy.objects.create(brand=brand, name="base", first_response_minutes=60, next_response_minutes=30,
                             resolution_minutes=24 * 60, business_hours=True)
    BusinessCalendar.objects.create(brand=brand, name="office", config={
        "timezone": "UTC", "hours": {d: [["09:00", "17:00"]] for d in DAYS[:5]}})
    from parley.inbox.importers import import_file

    import_file(fixture("twcs_threads.csv"), brand)
    assert Conversation.objects.filter(brand=brand, sla_due_at__isnull=False).exists()
    check(brand)


def test_the_check_notices_a_path_that_forgets_to_recompute(brand, channel, users):
    """The reference check has teeth: with the bulk-write listener off, a VIP change slips through."""
    SlaPolicy.objects.create(brand=brand, name="vip", position=0, first_response_minutes=10, vip=True,
                             business_hours=False)
    SlaPolicy.objects.create(brand=brand, name="rest", position=1, first_response_minutes=600, business_hours=False)
    conversation = actions.ingest_post(brand, channel, incoming("1", "help", at=START)).conversation
    check(brand)
    from django.db.models.signals import post_save

    post_save.disconnect(dispatch_uid="sla.due_customer_saved", sender=Customer)
    try:
        actions.set_customer_vip(conversation.customer, True, "test")
        with pytest.raises(AssertionError):
            check(brand)
    finally:
        post_save.connect(stored.customer_saved, sender=Customer, dispatch_uid="sla.due_customer_saved")


def test_a_large_brand_is_recomputed_by_the_task(brand, channel, settings, django_capture_on_commit_callbacks):
    settings.PARLEY_SLA_RECOMPUTE_INLINE_MAX = 0
    conversation = actions.ingest_post(brand, channel, incoming("1", "help", at=START)).conversation
    with django_capture_on_commit_callbacks(execute=True):
        SlaPolicy.objects.create(brand=brand, name="base", first_response_minutes=60, business_hours=False)
    conversation.refresh_from_db()
    assert conversation.sla_due_at is None  # not yet: the task is queued
    job = DBTaskResult.objects.filter(task_path="parley.sla.tasks.recompute_brand").latest("enqueued_at")
    assert job.args_kwargs["args"] == [brand.pk]
    assert recompute_brand.call(brand.pk) == {"read": 1, "written": 1}
    conversation.refresh_from_db()
    assert conversation.sla_due_at == START + timedelta(minutes=60)
    check(brand)


def test_the_command_repairs_and_reports(brand, channel):
    SlaPolicy.objects.create(brand=brand, name="base", first_response_minutes=60, business_hours=False)
    conversation = actions.ingest_post(brand, channel, incoming("1", "help", at=START)).conversation
    Conversation.objects.filter(pk=conversation.pk).update(sla_due_at=None, sla_warn_at=None)  # as a raw write would
    out = StringIO()
    call_command("sla_due", "--no-progress", stdout=out)
    assert "1 active conversations recomputed, 1 rows changed" in out.getvalue()
    check(brand)
    out = StringIO()
    call_command("sla_due", "--brand", str(brand.pk), "--no-progress", stdout=out)
    assert "0 rows changed" in out.getvalue()
    with pytest.raises(CommandError, match="no brand with id 999"):
        call_command("sla_due", "--brand", "999", "--no-progress")
    with pytest.raises(CommandError, match="at least 1"):
        call_command("sla_due", "--batch-size", "0", "--no-progress")


def test_next_due_is_the_first_timer_due():
    """policy.next_due: the earliest due and near-breach instants of the running timers."""
    p = sla.Policy(1, first_response=timedelta(hours=1), resolution=timedelta(hours=8), business_hours=False,
                   warn_at=0.5)
    cal = stored.ALWAYS
    clock = sla.ConversationClock(START)
    assert sla.next_due(clock, p, cal) == sla.NextDue(START + timedelta(hours=1), START + timedelta(minutes=30))
    answered = sla.ConversationClock(START, first_response_at=START + timedelta(minutes=5))
    assert sla.next_due(answered, p, cal) == sla.NextDue(START + timedelta(hours=8), START + timedelta(hours=4))
    assert sla.next_due(sla.ConversationClock(START, active=False), p, cal) == sla.NextDue()
    assert sla.next_due(clock, None, cal) == sla.NextDue()
