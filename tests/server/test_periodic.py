"""Periodic jobs: the registry, claiming in the database, `parley tick`, and the priority refresh."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parley.inbox import actions
from parley.inbox.models import AuditEvent, Conversation
from parley.server import periodic
from parley.server.models import PeriodicRun
from parley.triage.actions import band, refresh_priorities
from parley.triage.models import PostTriage
from tests.conftest import T0, incoming


@pytest.fixture
def job(db):
    """A job that records the times it was called with."""
    calls = []

    def func(now):
        calls.append(now)
        return f"call {len(calls)}"

    periodic.register("test.job", 60, func)
    yield calls
    periodic.unregister("test.job")


# --- the registry (pure parts) -----------------------------------------------------------------


def test_register_checks_its_arguments():
    with pytest.raises(ValueError):
        periodic.register("", 60, print)
    with pytest.raises(ValueError):
        periodic.register("x", 0, print)


def test_is_due():
    assert periodic.is_due(None, T0)
    assert periodic.is_due(T0, T0) and periodic.is_due(T0, T0 + timedelta(seconds=1))
    assert not periodic.is_due(T0 + timedelta(seconds=1), T0)


def test_apps_register_their_jobs_by_discovery():
    assert "triage.priority" in {j.name for j in periodic.registered()}


# --- running: claimed once per period across processes ------------------------------------------


def test_a_job_runs_once_per_period(job):
    assert [o.name for o in periodic.run_due(T0, only="test.job")] == ["test.job"]
    assert periodic.run_due(T0 + timedelta(seconds=59), only="test.job") == []
    outcomes = periodic.run_due(T0 + timedelta(seconds=60), only="test.job")
    assert [(o.ok, o.result) for o in outcomes] == [(True, "call 2")]
    assert job == [T0, T0 + timedelta(seconds=60)]
    run = PeriodicRun.objects.get(name="test.job")
    assert run.runs == 2 and run.last_ok and run.next_due_at == T0 + timedelta(seconds=120)


def test_a_claimed_job_is_not_run_by_another_process(job):
    # Another process claimed it a moment ago: its next_due_at already moved on.
    PeriodicRun.objects.create(name="test.job", next_due_at=T0 + timedelta(seconds=60), last_started_at=T0)
    assert periodic.run_due(T0 + timedelta(seconds=1), only="test.job") == []
    assert job == []


def test_a_failing_job_is_recorded_and_does_not_stop_others(job):
    def boom(now):
        raise RuntimeError("database on fire")

    periodic.register("test.boom", 30, boom)
    try:
        outcomes = {o.name: o for o in periodic.run_due(T0)}
    finally:
        periodic.unregister("test.boom")
    assert not outcomes["test.boom"].ok and "database on fire" in outcomes["test.boom"].result
    assert outcomes["test.job"].ok and job == [T0]
    assert PeriodicRun.objects.get(name="test.boom").last_ok is False


def test_force_runs_before_due(job):
    periodic.run_due(T0, only="test.job")
    assert [o.ok for o in periodic.run_due(T0 + timedelta(seconds=5), only="test.job", force=True)] == [True]
    assert len(job) == 2


def test_loop_runs_until_stopped(job):
    stop = threading.Event()
    seen = []

    def on_outcome(outcome):
        seen.append(outcome.name)
        if outcome.name == "test.job":
            stop.set()

    periodic.loop(0.01, stop, on_outcome)
    assert "test.job" in seen and len(job) == 1


# --- `parley tick` -------------------------------------------------------------------------------


def test_tick_command(job):
    out = StringIO()
    call_command("tick", "--job", "test.job", stdout=out)
    assert out.getvalue().startswith("test.job: ok call 1")
    out = StringIO()
    call_command("tick", "--job", "test.job", stdout=out)
    assert "No periodic job was due." in out.getvalue()
    out = StringIO()
    call_command("tick", "--list", stdout=out)
    assert "test.job" in out.getvalue() and "every 60 s" in out.getvalue() and "triage.priority" in out.getvalue()
    with pytest.raises(CommandError, match="no periodic job 'nope'"):
        call_command("tick", "--job", "nope")


def test_tick_fails_loudly_when_a_job_fails(db):
    periodic.register("test.boom", 30, lambda now: 1 / 0)
    try:
        with pytest.raises(CommandError, match="a periodic job failed"):
            call_command("tick", "--job", "test.boom", stdout=StringIO())
    finally:
        periodic.unregister("test.boom")


# --- the priority refresh -------------------------------------------------------------------------


def waiting_conversation(brand, channel, pid, intent="question", at=T0, author=None):
    post = actions.ingest_post(brand, channel, incoming(pid, "where is it?", author=author or f"a{pid}", at=at)).post
    PostTriage.objects.create(post=post, status="triaged", intent=intent, severity=0, anger=0.0, troll=0.0,
                              priority=0)
    return post.conversation


def test_band():
    assert [band(n) for n in (0, 24, 25, 49, 50, 74, 75, 100)] == [
        "low", "low", "normal", "normal", "high", "high", "urgent", "urgent"]


def test_priority_grows_with_waiting_and_is_audited_only_across_bands(brand, channel):
    conv = waiting_conversation(brand, channel, "p1", intent="question")  # 20 + public 6 = 26 at first
    summary = refresh_priorities(T0)
    conv.refresh_from_db()
    assert conv.priority == 26 and summary.raised == 1 and summary.audited == 1  # low -> normal
    triage = PostTriage.objects.get(post__conversation=conv)
    assert triage.priority == 26 and {f["factor"] for f in triage.priority_breakdown} >= {"intent", "public"}
    audits = AuditEvent.objects.filter(conversation=conv, verb="conversation.priority")
    assert audits.count() == 1 and audits.get().actor_label == "priority-clock"

    # 40 minutes later: +5 for waiting, same band, no new audit event.
    refresh_priorities(T0 + timedelta(minutes=40))
    conv.refresh_from_db()
    assert conv.priority == 31 and audits.count() == 1
    waiting = [f for f in PostTriage.objects.get(pk=triage.pk).priority_breakdown if f["factor"] == "waiting"]
    assert waiting == [{"factor": "waiting", "points": 5, "why": "waiting 40 min"}]
    # Running again at the same time changes nothing.
    again = refresh_priorities(T0 + timedelta(minutes=40))
    assert again.raised == 0 and again.triage_updated == 0


def test_answered_conversations_and_higher_agent_priorities_are_left_alone(brand, channel, users):
    answered = waiting_conversation(brand, channel, "p1")
    actions.create_reply(answered, "Here you go", users["admin"], now=T0 + timedelta(minutes=1))
    high = waiting_conversation(brand, channel, "p2")
    actions.set_priority(high, 90, users["admin"])
    untriaged = actions.ingest_post(brand, channel, incoming("p3", "hi", author="z")).conversation
    summary = refresh_priorities(T0 + timedelta(hours=1))
    assert summary.conversations == 2  # the answered one is not even read
    assert Conversation.objects.get(pk=answered.pk).priority == 0
    assert Conversation.objects.get(pk=high.pk).priority == 90
    assert Conversation.objects.get(pk=untriaged.pk).priority == 0


def test_refresh_reads_a_batch_in_a_fixed_number_of_queries(brand, channel):
    for i in range(3):
        waiting_conversation(brand, channel, f"a{i}")

    def queries():
        PostTriage.objects.update(priority=0, priority_breakdown=[])
        Conversation.objects.update(priority=0)
        with CaptureQueriesContext(connection) as ctx:
            refresh_priorities(T0 + timedelta(minutes=30))
        return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]

    few = len(queries())
    for i in range(3, 12):
        waiting_conversation(brand, channel, f"a{i}")
    many = queries()
    # Reads and the bulk update stay fixed; each raised conversation costs one update and
    # (crossing low -> normal here) one audit insert.
    assert len(many) - few == 9 * 2


def test_the_registered_job_runs_the_refresh(brand, channel, settings):
    conv = waiting_conversation(brand, channel, "p1")
    outcomes = periodic.run_due(T0 + timedelta(minutes=16), only="triage.priority", force=True)
    assert outcomes[0].ok and "1 waiting, 1 raised" in outcomes[0].result
    assert Conversation.objects.get(pk=conv.pk).priority == 28
    settings.PARLEY_TRIAGE_ENABLED = False
    outcomes = periodic.run_due(T0 + timedelta(hours=1), only="triage.priority", force=True)
    assert outcomes[0].result == "triage is off"


def test_past_the_waiting_horizon_a_conversation_is_refreshed_once_more_then_left(brand, channel):
    from parley.triage.recompute import WAITING_HORIZON, candidates

    conv = waiting_conversation(brand, channel, "p1")
    # Triage stored its score at ingest; nothing touched the conversation since.
    Conversation.objects.filter(pk=conv.pk).update(updated_at=T0)
    later = T0 + timedelta(hours=5)
    assert WAITING_HORIZON < timedelta(hours=5)
    assert list(candidates(later)) == [conv]
    first = refresh_priorities(later)
    assert first.conversations == 1 and Conversation.objects.get(pk=conv.pk).priority == 26 + 15
    assert list(candidates(later + timedelta(minutes=1))) == []  # the waiting points are capped
    # A conversation still within the horizon stays a candidate at every run.
    fresh = waiting_conversation(brand, channel, "p2", at=later - timedelta(minutes=30))
    assert list(candidates(later + timedelta(minutes=1))) == [fresh]
