"""Business-hours calendars: weekly opening hours in an IANA time zone, with holidays. Pure.

Opening hours are wall-clock times in the calendar's zone, so "09:00-17:00" stays
09:00-17:00 local across daylight-saving changes (the UTC instants move). A day
whose opening crosses a DST gap or overlap keeps its real, elapsed length.

    cal = Calendar.from_config({"timezone": "Europe/Berlin",
                                "hours": {"mon": [["09:00", "17:00"]], ...},
                                "holidays": ["2026-12-25"]})
    cal.add(start, timedelta(hours=8))      # when 8 business hours after start have elapsed
    cal.elapsed(start, end)                 # business time between two instants
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
UTC = timezone.utc
# A calendar open nowhere in this many days is treated as never open (add() gives None).
HORIZON_DAYS = 800


class CalendarError(ValueError):
    """A calendar configuration that cannot be used."""


def _clock(text) -> time:
    try:
        hour, minute = str(text).split(":")
        hour, minute = int(hour), int(minute)
    except (ValueError, TypeError):
        raise CalendarError(f"{text!r} is not a time of day (HH:MM)") from None
    if hour == 24 and minute == 0:
        return time.max
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise CalendarError(f"{text!r} is not a time of day (HH:MM)")
    return time(hour, minute)


@dataclass(frozen=True)
class Calendar:
    tz: ZoneInfo
    # weekday (0 = Monday) -> sorted, non-overlapping (start, end) local times
    weekly: tuple[tuple[tuple[time, time], ...], ...]
    holidays: frozenset[date] = frozenset()
    always_open: bool = False
    _cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    # --- building ------------------------------------------------------------------
    @classmethod
    def twenty_four_seven(cls, tz: str = "UTC") -> "Calendar":
        return cls(ZoneInfo(tz), tuple(((time(0), time.max),) for _ in DAYS), frozenset(), True)

    @classmethod
    def from_config(cls, config: dict) -> "Calendar":
        if not isinstance(config, dict):
            raise CalendarError("a calendar is an object with timezone, hours and holidays")
        try:
            tz = ZoneInfo(str(config.get("timezone") or "UTC"))
        except (ZoneInfoNotFoundError, ValueError):
            raise CalendarError(f"unknown time zone {config.get('timezone')!r} (use an IANA name)") from None
        holidays = set()
        for text in config.get("holidays") or []:
            try:
                holidays.add(date.fromisoformat(str(text)))
            except ValueError:
                raise CalendarError(f"holiday {text!r} is not a date (YYYY-MM-DD)") from None
        holidays = frozenset(holidays)
        hours = config.get("hours")
        if hours is None:
            if not holidays:
                return cls.twenty_four_seven(str(tz.key))
            hours = {day: [["00:00", "24:00"]] for day in DAYS}
        if not isinstance(hours, dict) or set(hours) - set(DAYS):
            raise CalendarError(f"hours maps days ({', '.join(DAYS)}) to lists of [start, end]")
        weekly = []
        for day in DAYS:
            spans = []
            for span in hours.get(day) or []:
                if not isinstance(span, (list, tuple)) or len(span) != 2:
                    raise CalendarError(f"{day}: each opening is [start, end]")
                start, end = _clock(span[0]), _clock(span[1])
                if end <= start:
                    raise CalendarError(f"{day}: {span[0]}-{span[1]} ends before it starts")
                spans.append((start, end))
            spans.sort()
            for (_, end_a), (start_b, _) in zip(spans, spans[1:]):
                if start_b < end_a:
                    raise CalendarError(f"{day}: openings overlap")
            weekly.append(tuple(spans))
        return cls(tz, tuple(weekly), holidays)

    # --- opening intervals in UTC ------------------------------------------------------
    def _instant(self, day: date, clock: time) -> datetime:
        if clock == time.max:
            return datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.tz).astimezone(UTC)
        return datetime.combine(day, clock, tzinfo=self.tz).astimezone(UTC)

    def day_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The opening intervals of one local date, as aware UTC datetimes."""
        if day in self.holidays:
            return []
        out = []
        for start, end in self.weekly[day.weekday()]:
            a, b = self._instant(day, start), self._instant(day, end)
            if b > a:
                out.append((a, b))
        return out

    def _window(self, first: date, last: date) -> tuple[list[float], list[float], list[float]]:
        """Opening intervals from `first` to `last` (local dates) as epoch seconds with running totals."""
        key = (first, last)
        if key not in self._cache:
            if len(self._cache) > 32:
                self._cache.clear()
            starts, ends, before = [], [], []
            total = 0.0
            day = first
            while day <= last:
                for a, b in self.day_intervals(day):
                    a_s, b_s = a.timestamp(), b.timestamp()
                    if starts and a_s <= ends[-1]:  # 24:00 meets 00:00 next day: join
                        total += b_s - ends[-1]
                        ends[-1] = max(ends[-1], b_s)
                        continue
                    starts.append(a_s)
                    ends.append(b_s)
                    before.append(total)
                    total += b_s - a_s
                day += timedelta(days=1)
            self._cache[key] = (starts, ends, before)
        return self._cache[key]

    def _local_date(self, at: datetime) -> date:
        return at.astimezone(self.tz).date()

    # --- questions -----------------------------------------------------------------
    def is_open(self, at: datetime) -> bool:
        if self.always_open:
            return True
        day = self._local_date(at)
        return any(a <= at < b for d in (day - timedelta(days=1), day) for a, b in self.day_intervals(d))

    def next_open(self, at: datetime) -> datetime | None:
        """`at` itself when open, else the next opening; None when never open again within the horizon."""
        if self.always_open or self.is_open(at):
            return at
        day = self._local_date(at)
        for offset in range(HORIZON_DAYS):
            for a, _ in self.day_intervals(day + timedelta(days=offset)):
                if a >= at:
                    return a
        return None

    def add(self, start: datetime, duration: timedelta) -> datetime | None:
        """The instant when `duration` of opening time has elapsed after `start`."""
        if self.always_open:
            return start + duration
        need = duration.total_seconds()
        first = self._local_date(start) - timedelta(days=1)
        span = 14
        while span <= HORIZON_DAYS * 2:
            starts, ends, before = self._window(first, first + timedelta(days=span))
            at = start.timestamp()
            i = bisect.bisect_right(ends, at)
            if i < len(starts):
                done_at_start = before[i] + max(0.0, at - starts[i])
                target = done_at_start + need
                # bisect_left: a duration ending exactly at a closing time ends there, not at the next opening
                j = max(bisect.bisect_left(before, target) - 1, i)
                if j < len(starts) and target <= before[j] + (ends[j] - starts[j]):
                    return datetime.fromtimestamp(starts[j] + (target - before[j]), UTC)
            span *= 4
        return None

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Opening time between two instants (negative when end < start)."""
        if end < start:
            return -self.elapsed(end, start)
        if self.always_open:
            return end - start
        first = self._local_date(start) - timedelta(days=1)
        last = self._local_date(end) + timedelta(days=1)
        starts, ends, before = self._window(first, last)
        return timedelta(seconds=self._done(end.timestamp(), starts, ends, before)
                         - self._done(start.timestamp(), starts, ends, before))

    def meter(self, first: datetime, last: datetime):
        """A function of epoch seconds giving the opening seconds since a fixed origin, valid for instants
        from `first` to `last`: elapsed(a, b) == meter(b) - meter(a) there. For judging many timers at once
        with one window instead of one per call."""
        if self.always_open:
            return lambda at: at
        starts, ends, before = self._window(self._local_date(first) - timedelta(days=1),
                                            self._local_date(last) + timedelta(days=1))
        return lambda at: self._done(at, starts, ends, before)

    @staticmethod
    def _done(at: float, starts, ends, before) -> float:
        i = bisect.bisect_right(starts, at) - 1
        if i < 0:
            return 0.0
        return before[i] + min(at, ends[i]) - starts[i]

    def subtract(self, end: datetime, duration: timedelta) -> datetime | None:
        """The latest instant `start` such that add(start, duration) <= end (for sweep cut-offs)."""
        if self.always_open:
            return end - duration
        need = duration.total_seconds()
        last = self._local_date(end) + timedelta(days=1)
        span = 14
        while span <= HORIZON_DAYS * 2:
            starts, ends, before = self._window(last - timedelta(days=span), last)
            done = self._done(end.timestamp(), starts, ends, before)
            target = done - need
            if target >= 0 and starts:
                j = bisect.bisect_right(before, target) - 1
                if j >= 0:
                    # within or at the end of interval j
                    return datetime.fromtimestamp(starts[j] + (target - before[j]), UTC)
            span *= 4
        return None
