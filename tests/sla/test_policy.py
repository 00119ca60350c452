"""SLA policies and timers (pure): choice, due times, time left, near/breach, cut-offs, coverage, off-hours."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from parley.sla import coverage, offhours
from parley.sla import policy as sla
from parley.sla.calendar import Calendar

UTC = timezone.utc
BERLIN = Calendar.from_config({"timezone": "Europe/Berlin", "holidays": ["2026-12-25"],
                               "hours": {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}})


def utc(*a):
    return datetime(*a, tzinfo=UTC)


VIP = sla.Policy("vip", first_response=timedelta(minutes=30), resolution=timedelta(hours=8), business_hours=False,
                 vip=True)
URGENT = sla.Policy("urgent", first_response=timedelta(hours=1), next_response=timedelta(hours=2),
                    min_priority=70)
X_ONLY = sla.Policy("x", first_response=timedelta(hours=2), platforms=frozenset({"x"}))
DEFAULT = sla.Policy("default", first_response=timedelta(hours=4), next_response=timedelta(hours=4),
                     resolution=timedelta(hours=24))
POLICIES = [VIP, URGENT, X_ONLY, DEFAULT]


@pytest.mark.parametrize("priority, platform, vip, expected", [
    (10, "x", True, "vip"),
    (90, "facebook", False, "urgent"),
    (10, "x", False, "x"),
    (10, "facebook", False, "default"),
])
def test_first_matching_policy_wins(priority, platform, vip, expected):
    assert sla.choose(POLICIES, priority, platform, vip).id == expected


def test_no_policy_applies():
    assert sla.choose([VIP], 0, "x", False) is None


def test_running_timers_follow_the_conversation():
    start = utc(2026, 11, 2, 8)
    assert [k for k, _ in sla.running_timers(sla.ConversationClock(start))] == ["first_response", "resolution"]
    answered = sla.ConversationClock(start, first_response_at=start + timedelta(hours=1))
    assert [k for k, _ in sla.running_timers(answered)] == ["resolution"]
    waiting = sla.ConversationClock(start, start + timedelta(hours=1), waiting_since=start + timedelta(hours=2))
    assert sla.running_timers(waiting) == [("next_response", start + timedelta(hours=2)), ("resolution", start)]
    assert sla.running_timers(sla.ConversationClock(start, active=False)) == []


def test_business_hours_due_times_skip_nights_weekends_and_holidays():
    # Thursday 24 Dec 16:30 CET; 4 business hours: 0.5 h Thursday, Friday 25th holiday, 3.5 h Monday 28th
    clock = sla.ConversationClock(utc(2026, 12, 24, 15, 30))
    timers = {t.kind: t for t in sla.timers(clock, DEFAULT, BERLIN)}
    assert timers["first_response"].due_at == utc(2026, 12, 28, 11, 30)
    # resolution 24 business hours: 0.5 Thu + 8 Mon + 8 Tue + 7.5 Wed -> Wed 30 Dec 16:30 CET
    assert timers["resolution"].due_at == utc(2026, 12, 30, 15, 30)


def test_calendar_hours_policies_ignore_the_calendar():
    clock = sla.ConversationClock(utc(2026, 12, 24, 15, 30))
    timers = {t.kind: t for t in sla.timers(clock, VIP, BERLIN)}
    assert timers["first_response"].due_at == utc(2026, 12, 24, 16, 0)
    assert "next_response" not in timers


def test_time_left_counts_business_time_and_goes_negative():
    due = utc(2026, 11, 3, 9)  # Tuesday 10:00 CET
    now = utc(2026, 11, 2, 15)  # Monday 16:00 CET: 1 h Monday + 1 h Tuesday left
    assert sla.time_left(due, now, BERLIN, True) == timedelta(hours=2)
    assert sla.time_left(due, now, BERLIN, False) == timedelta(hours=18)
    assert sla.time_left(due, utc(2026, 11, 3, 10), BERLIN, True) == timedelta(hours=-1)
    assert sla.time_left(None, now, BERLIN, True) is None


def test_time_left_across_the_autumn_dst_change():
    # Friday 23 Oct 16:00 CEST; due after 2 business hours = Monday 26 Oct 10:00 CET (09:00 UTC)
    start = utc(2026, 10, 23, 14)
    due = sla.due_at(start, timedelta(hours=2), BERLIN, True)
    assert due == utc(2026, 10, 26, 9)
    # at Sunday noon one business hour is left, though 44 real hours remain
    assert sla.time_left(due, utc(2026, 10, 25, 12), BERLIN, True) == timedelta(hours=1)


@pytest.mark.parametrize("minutes_after_start, expected", [(30, "ok"), (200, "near"), (239, "near"), (240, "breached"),
                                                           (600, "breached")])
def test_state_and_cutoffs_agree(minutes_after_start, expected):
    start = utc(2026, 11, 2, 8)  # Monday 09:00 CET
    target = timedelta(hours=4)
    now = start + timedelta(minutes=minutes_after_start)
    due = sla.due_at(start, target, BERLIN, True)
    assert sla.state(start, due, now, target, DEFAULT, BERLIN) == expected
    assert sla.judge(start, sla.cutoffs(target, DEFAULT, BERLIN, now)) == expected


def test_cutoffs_judge_like_due_times_over_many_starts():
    now = utc(2026, 11, 9, 10, 17)
    target = timedelta(hours=6)
    cut = sla.cutoffs(target, DEFAULT, BERLIN, now)
    start = utc(2026, 11, 4, 0)
    while start < now:
        due = sla.due_at(start, target, BERLIN, True)
        assert sla.judge(start, cut) == sla.state(start, due, now, target, DEFAULT, BERLIN), start
        start += timedelta(minutes=37)


def test_policy_config_is_validated():
    with pytest.raises(sla.PolicyError, match="positive number"):
        sla.policy_from_config(1, {"first_response_minutes": -5})
    with pytest.raises(sla.PolicyError, match="fraction"):
        sla.policy_from_config(1, {"warn_at": 1.5})
    p = sla.policy_from_config(1, {"first_response_minutes": 60, "platforms": ["x"], "vip": True})
    assert p.first_response == timedelta(hours=1) and p.platforms == {"x"} and p.vip is True


# --- coverage --------------------------------------------------------------------------


def test_coverage_gaps_per_channel():
    tz = ZoneInfo("Europe/Berlin")
    day = Calendar.from_config({"timezone": "Europe/Berlin",
                                "hours": {d: [["08:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}})
    weekend = Calendar.from_config({"timezone": "Europe/Berlin", "hours": {"sat": [["10:00", "14:00"]]}})
    shifts = [coverage.Shift(day), coverage.Shift(weekend, frozenset({"x"}))]
    gaps = coverage.gaps(shifts, ["x", "facebook"], tz, date(2026, 11, 4))
    assert len(gaps["x"]) == 168 - 5 * 12 - 4
    assert len(gaps["facebook"]) == 168 - 5 * 12
    assert (5, 10) not in gaps["x"] and (5, 10) in gaps["facebook"]
    assert coverage.describe(gaps["x"])[:2] == ["Monday 00:00-08:00", "Monday 20:00-24:00"]
    assert "facebook: 108 hours" in coverage.warning(gaps)


def test_full_coverage_gives_no_warning_and_the_spring_gap_hour_is_skipped():
    tz = ZoneInfo("Europe/Berlin")
    gaps = coverage.gaps([coverage.Shift(None)], ["x"], tz, date(2026, 3, 29))
    assert gaps == {"x": []} and coverage.warning(gaps) is None
    nobody = coverage.gaps([], ["x"], tz, date(2026, 3, 29))
    assert len(nobody["x"]) == 167  # Sunday 02:00 does not exist that week


# --- off-hours acknowledgement ----------------------------------------------------------


def test_off_hours_acknowledgement_rules():
    closed = utc(2026, 11, 7, 12)  # Saturday
    kw = dict(enabled=True, inbound=True, arrived_at=closed, calendar=BERLIN, already_acknowledged=False)
    assert offhours.should_acknowledge(**kw)
    assert not offhours.should_acknowledge(**{**kw, "enabled": False})
    assert not offhours.should_acknowledge(**{**kw, "inbound": False})
    assert not offhours.should_acknowledge(**{**kw, "already_acknowledged": True})
    assert not offhours.should_acknowledge(**{**kw, "brand_replied_since": True})
    assert not offhours.should_acknowledge(**{**kw, "arrived_at": utc(2026, 11, 9, 10)})
    assert not offhours.should_acknowledge(**{**kw, "calendar": None})


def test_off_hours_message_names_the_next_opening():
    text = offhours.message(None, BERLIN, utc(2026, 11, 7, 12))
    assert "Monday 09:00 (CET)" in text
    assert "today 09:00" in offhours.message("From {next_open}.", BERLIN, utc(2026, 11, 9, 6))
    assert "Monday" in offhours.message("broken {template", BERLIN, utc(2026, 11, 7, 12))
