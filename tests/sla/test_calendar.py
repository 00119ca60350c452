"""Business-hours calendars across daylight-saving changes and holidays (pure)."""

from datetime import date, datetime, timedelta, timezone

import pytest

from parley.sla.calendar import Calendar, CalendarError

UTC = timezone.utc
WEEKDAYS_9_17 = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def berlin(**extra):
    return Calendar.from_config({"timezone": "Europe/Berlin", "hours": WEEKDAYS_9_17, **extra})


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_eight_business_hours_from_monday_morning_end_monday_evening():
    cal = berlin()
    # Monday 2026-11-02 09:00 Berlin = 08:00 UTC (winter time)
    assert cal.add(utc(2026, 11, 2, 8), timedelta(hours=8)) == utc(2026, 11, 2, 16)


def test_time_after_closing_carries_to_next_morning():
    cal = berlin()
    # Monday 16:00 Berlin + 2 h -> Tuesday 10:00 Berlin
    assert cal.add(utc(2026, 11, 2, 15), timedelta(hours=2)) == utc(2026, 11, 3, 9)


def test_friday_evening_post_waits_for_monday():
    cal = berlin()
    # Friday 2026-11-06 20:00 Berlin + 1 h -> Monday 10:00 Berlin
    assert cal.add(utc(2026, 11, 6, 19), timedelta(hours=1)) == utc(2026, 11, 9, 9)
    assert not cal.is_open(utc(2026, 11, 7, 10))
    assert cal.next_open(utc(2026, 11, 7, 10)) == utc(2026, 11, 9, 8)


def test_opening_hours_follow_local_clock_across_spring_forward():
    cal = berlin()
    # Friday 2026-03-27 16:00 CET (15:00 UTC) + 2 h: 1 h Friday, 1 h Monday 30 March (CEST, 07:00 UTC open)
    assert cal.add(utc(2026, 3, 27, 15), timedelta(hours=2)) == utc(2026, 3, 30, 8)


def test_opening_hours_follow_local_clock_across_fall_back():
    cal = berlin()
    # Friday 2026-10-23 16:00 CEST (14:00 UTC) + 2 h -> Monday 26 Oct 10:00 CET = 09:00 UTC
    assert cal.add(utc(2026, 10, 23, 14), timedelta(hours=2)) == utc(2026, 10, 26, 9)


def test_a_24_7_calendar_counts_real_elapsed_time_on_the_short_night():
    cal = Calendar.from_config({"timezone": "America/New_York", "hours": {
        d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}})
    # The night of 2026-03-08 lasts 23 hours in New York; business time is elapsed time.
    start = utc(2026, 3, 7, 12)
    assert cal.add(start, timedelta(hours=30)) == start + timedelta(hours=30)
    assert cal.elapsed(start, start + timedelta(hours=30)) == timedelta(hours=30)


def test_a_shift_across_the_dst_gap_is_one_hour_shorter():
    # Open Sunday 01:00-04:00 local; on 2026-03-29 Berlin skips 02:00-03:00, so it is open 2 h that day.
    cal = Calendar.from_config({"timezone": "Europe/Berlin", "hours": {"sun": [["01:00", "04:00"]]}})
    day = cal.day_intervals(date(2026, 3, 29))
    assert sum(((b - a) for a, b in day), timedelta()) == timedelta(hours=2)
    normal = cal.day_intervals(date(2026, 3, 22))
    assert sum(((b - a) for a, b in normal), timedelta()) == timedelta(hours=3)


def test_holidays_are_closed():
    cal = berlin(holidays=["2026-12-24", "2026-12-25"])
    # Wednesday 23 Dec 16:00 CET + 2 h -> 1 h Wed, Thu+Fri holidays, 1 h Monday 28th -> 10:00 CET
    assert cal.add(utc(2026, 12, 23, 15), timedelta(hours=2)) == utc(2026, 12, 28, 9)
    assert not cal.is_open(utc(2026, 12, 24, 10))


def test_elapsed_and_add_agree_and_subtract_inverts():
    cal = berlin(holidays=["2026-11-11"])
    start = utc(2026, 11, 5, 7, 30)
    for hours in (0.5, 3, 8, 17, 40):
        due = cal.add(start, timedelta(hours=hours))
        assert cal.elapsed(start, due) == timedelta(hours=hours)
        cut = cal.subtract(due, timedelta(hours=hours))
        assert cal.add(cut, timedelta(hours=hours)) <= due
        assert cal.add(cut + timedelta(minutes=1), timedelta(hours=hours)) > due


def test_ending_exactly_at_closing_time_ends_there():
    cal = berlin()
    assert cal.add(utc(2026, 11, 2, 8), timedelta(hours=8)) == utc(2026, 11, 2, 16)


def test_never_open_calendar_gives_no_due_time():
    cal = Calendar.from_config({"timezone": "UTC", "hours": {}})
    assert cal.add(utc(2026, 1, 1), timedelta(hours=1)) is None
    assert cal.next_open(utc(2026, 1, 1)) is None


@pytest.mark.parametrize("config, message", [
    ({"timezone": "Mars/Olympus"}, "time zone"),
    ({"hours": {"monday": []}}, "hours maps days"),
    ({"hours": {"mon": [["17:00", "09:00"]]}}, "ends before"),
    ({"hours": {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}}, "overlap"),
    ({"hours": {"mon": [["9am", "5pm"]]}}, "HH:MM"),
    ({"holidays": ["25/12/2026"]}, "YYYY-MM-DD"),
])
def test_bad_calendars_are_refused_with_a_reason(config, message):
    with pytest.raises(CalendarError, match=message):
        Calendar.from_config(config)
