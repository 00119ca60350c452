"""The SLA sweep on the database: alerts once per timer and level, email summaries, the command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.core.exceptions import ValidationError

from parley.inbox import actions as inbox
from parley.inbox.models import Post
from parley.routing import actions as routing
from parley.routing.models import Acknowledgement
from parley.sla.models import BusinessCalendar, SlaAlert, SlaPolicy
from parley.sla.sweep import sweep
from tests.conftest import T0, incoming


@pytest.fixture
def policy(brand):
    return SlaPolicy.objects.create(brand=brand, name="default", first_response_minutes=60,
                                    next_response_minutes=120, resolution_minutes=24 * 60, business_hours=False)


def conv_at(brand, channel, pid, at, **kw):
    return inbox.ingest_post(brand, channel, incoming(pid, "help", at=at, author=f"c{pid}", **kw)).conversation


def test_near_and_breached_alerts_are_raised_once(brand, channel, policy, users):
    conv = conv_at(brand, channel, "1", T0)
    assert sweep(T0 + timedelta(minutes=30), email=False).new_alerts == []
    near = sweep(T0 + timedelta(minutes=50), email=False)
    assert (near.near, near.breached, len(near.new_alerts)) == (1, 0, 1)
    again = sweep(T0 + timedelta(minutes=55), email=False)
    assert again.near == 1 and again.new_alerts == []
    late = sweep(T0 + timedelta(minutes=61), email=False)
    assert [(a.kind, a.level) for a in late.new_alerts] == [("first_response", "breached")]
    assert SlaAlert.objects.filter(conversation=conv).count() == 2


def test_a_reply_stops_the_first_response_timer_and_a_new_message_starts_the_next(brand, channel, policy, users):
    conv = conv_at(brand, channel, "1", T0)
    inbox.create_reply(conv, "Hi, looking now", users["admin"], now=T0 + timedelta(minutes=10))
    # Only the resolution timer runs, far from its target: the stored near-breach time keeps it unread.
    assert sweep(T0 + timedelta(minutes=70), email=False).checked == 0
    assert not SlaAlert.objects.exists()
    inbox.ingest_post(brand, channel, incoming("2", "still broken", at=T0 + timedelta(minutes=20), author="c1"))
    result = sweep(T0 + timedelta(minutes=20 + 121), email=False)
    assert [(a.kind, a.level) for a in result.new_alerts] == [("next_response", "breached")]


def test_business_hours_policy_waits_over_the_weekend(brand, channel, users):
    SlaPolicy.objects.create(brand=brand, name="office", first_response_minutes=120, business_hours=True)
    BusinessCalendar.objects.create(brand=brand, name="office", config={
        "timezone": "UTC", "hours": {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}})
    friday_evening = T0 + timedelta(days=4, hours=7)  # Friday 16:00 UTC
    conv_at(brand, channel, "1", friday_evening)
    assert sweep(friday_evening + timedelta(hours=40), email=False).breached == 0  # Sunday
    assert sweep(friday_evening + timedelta(hours=65, minutes=31), email=False).near == 1  # Monday 09:31
    assert sweep(friday_evening + timedelta(hours=66, minutes=1), email=False).breached == 1  # Monday 10:01


def test_policies_by_vip_and_priority_and_closed_conversations_are_skipped(brand, channel, users):
    SlaPolicy.objects.create(brand=brand, name="vip", position=0, first_response_minutes=10, vip=True,
                             business_hours=False)
    SlaPolicy.objects.create(brand=brand, name="rest", position=1, first_response_minutes=600, business_hours=False)
    vip = conv_at(brand, channel, "1", T0)
    inbox.set_customer_vip(vip.customer, True, "test")
    conv_at(brand, channel, "2", T0)
    done = conv_at(brand, channel, "3", T0)
    inbox.resolve(done, "test", now=T0)
    result = sweep(T0 + timedelta(minutes=15), email=False)
    # The other open one (600 minutes) is not near breach yet: only the VIP's is read.
    assert result.checked == 1 and [a.conversation_id for a in result.new_alerts] == [vip.pk]


def test_alerts_are_emailed_to_the_assignee_else_managers(brand, channel, policy, users):
    users["admin"].email = "ada@example.com"
    users["admin"].save()
    users["care_agent"].email = "cara@example.com"
    users["care_agent"].save()
    mine = conv_at(brand, channel, "1", T0)
    inbox.assign(mine, users["care_agent"], "test")
    conv_at(brand, channel, "2", T0)
    result = sweep(T0 + timedelta(minutes=61))
    assert result.emails == 2
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["ada@example.com", "cara@example.com"]
    assert "breached" in mail.outbox[0].body.lower()
    assert SlaAlert.objects.filter(emailed=True).count() == 2
    sweep(T0 + timedelta(minutes=62))
    assert len(mail.outbox) == 2  # nothing new, nothing sent


def test_sla_sweep_command(brand, channel, policy):
    conv_at(brand, channel, "1", T0)
    out = StringIO()
    call_command("sla_sweep", "--now", (T0 + timedelta(hours=2)).isoformat(), "--no-email", stdout=out)
    assert "1 open conversations checked" in out.getvalue() and "1 breached" in out.getvalue()
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("sla_sweep", "--now", "tomorrow")
    with pytest.raises(CommandError, match="time zone"):
        call_command("sla_sweep", "--now", "2026-11-02T10:00:00")
    with pytest.raises(CommandError, match="no brand"):
        call_command("sla_sweep", "--brand", "nope")


def test_bad_calendars_and_policies_are_refused(brand):
    with pytest.raises(ValidationError, match="time zone"):
        BusinessCalendar.objects.create(brand=brand, name="x", config={"timezone": "Nowhere/Land"})
    with pytest.raises(ValidationError, match="fraction"):
        SlaPolicy.objects.create(brand=brand, name="x", warn_at=2)


def test_off_hours_acknowledgement_is_sent_once_when_closed(brand, channel, settings):
    brand.settings = {"off_hours_ack": True, "off_hours_ack_text": "We're away; a person answers {next_open}."}
    brand.save()
    BusinessCalendar.objects.create(brand=brand, name="office", config={
        "timezone": "UTC", "hours": {"mon": [["09:00", "17:00"]]}})
    saturday = T0 + timedelta(days=5)
    first = inbox.ingest_post(brand, channel, incoming("1", "hello?", at=saturday)).post
    routing.route_post(first, saturday)
    second = inbox.ingest_post(brand, channel, incoming("2", "hello??", at=saturday + timedelta(minutes=5),
                                                       reply_to="1")).post
    routing.route_post(second, saturday + timedelta(minutes=5))
    replies = Post.objects.filter(direction="out")
    assert replies.count() == 1
    assert replies.get().text == "We're away; a person answers Monday 09:00 (UTC)."
    assert Acknowledgement.objects.get().reason == "off_hours"
    monday = inbox.ingest_post(brand, channel, incoming("3", "hi", at=T0, author="c9")).post
    routing.route_post(monday, T0)
    assert Post.objects.filter(direction="out").count() == 1  # open: no acknowledgement


def test_timestamps_with_microseconds_are_alerted_once(brand, channel, policy):
    at = T0 + timedelta(microseconds=123456)
    conv_at(brand, channel, "1", at)
    conv_at(brand, channel, "2", T0 + timedelta(seconds=1))
    first = sweep(T0 + timedelta(hours=2), email=False)
    assert len(first.new_alerts) == 2
    assert sweep(T0 + timedelta(hours=2, seconds=5), email=False).new_alerts == []
    alert = SlaAlert.objects.get(conversation__subject="help", started_at=at)
    assert alert.started_at == at


def test_conversation_timers_for_pages(brand, channel, users):
    from parley.sla.status import conversation_timers

    SlaPolicy.objects.create(brand=brand, name="office", first_response_minutes=120, resolution_minutes=600,
                             business_hours=True)
    BusinessCalendar.objects.create(brand=brand, name="office", config={
        "timezone": "UTC", "hours": {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}})
    conv = conv_at(brand, channel, "1", T0)  # Monday 09:00
    timers = {t.kind: t for t in conversation_timers(conv, T0 + timedelta(minutes=100))}
    assert timers["first_response"].state == "near" and timers["first_response"].time_left == timedelta(minutes=20)
    assert timers["resolution"].due_at == T0 + timedelta(days=1, hours=2)  # 8 h Monday + 2 h Tuesday
    late = {t.kind: t for t in conversation_timers(conv, T0 + timedelta(hours=3))}
    assert late["first_response"].state == "breached" and late["first_response"].time_left == timedelta(hours=-1)
    inbox.resolve(conv, "test", now=T0)
    assert conversation_timers(conv, T0 + timedelta(hours=3)) == []


def test_coverage_command(brand, channel, users):
    from parley.routing.models import AgentAvailability

    AgentAvailability.objects.create(user=users["care_agent"], brand=brand, shift={
        "timezone": "UTC", "hours": {d: [["08:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}})
    out, err = StringIO(), StringIO()
    call_command("coverage", "acme", "--week-of", "2026-11-02", stdout=out, stderr=err)
    assert "x: 60 of 168 hours covered (UTC)" in out.getvalue()
    assert "uncovered Monday 00:00-08:00" in out.getvalue() and "Nobody covers these hours" in err.getvalue()
    AgentAvailability.objects.create(user=users["billing_agent"], brand=brand)  # no shift: always on
    out, err = StringIO(), StringIO()
    call_command("coverage", "acme", stdout=out, stderr=err)
    assert "168 of 168" in out.getvalue() and err.getvalue() == ""
    with pytest.raises(CommandError, match="no brand"):
        call_command("coverage", "nope")


def test_sweep_without_any_policy_checks_nothing_and_does_not_fail(brand, channel, users):
    # The demo brands have no SLA policy: the periodic job must still succeed.
    conv_at(brand, channel, "np1", T0)
    result = sweep(T0 + timedelta(days=3))
    assert SlaAlert.objects.count() == 0
    assert result.checked == 0
    from parley.sla.jobs import run

    run(T0 + timedelta(days=3))  # the periodic job's whole body, follow-up reminders included
