"""Coverage: the hours of the week when nobody's shift covers a channel (pure).

Support that answers only in office hours fails in public: admins see these gaps as a
warning. Hours are the brand's local hours of a reference week, so a week holding a
daylight-saving change is judged with that week's real instants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .calendar import Calendar

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Shift:
    calendar: Calendar | None  # None: always on
    platforms: frozenset[str] = frozenset()  # empty: every platform

    def covers(self, platform: str, at: datetime) -> bool:
        if self.platforms and platform not in self.platforms:
            return False
        return self.calendar is None or self.calendar.is_open(at)


def _hour_covered(shifts, platform: str, start: datetime) -> bool:
    # covered when someone is on at each quarter of the hour
    return all(any(s.covers(platform, start + timedelta(minutes=m)) for s in shifts) for m in (0, 15, 30, 45))


def gaps(shifts: list[Shift], platforms, tz: ZoneInfo, week_of: date) -> dict[str, list[tuple[int, int]]]:
    """{platform: [(weekday 0-6, local hour 0-23), ...]} not covered in the week starting the Monday
    of `week_of`."""
    monday = week_of - timedelta(days=week_of.weekday())
    out: dict[str, list[tuple[int, int]]] = {}
    for platform in platforms:
        missing = []
        for day in range(7):
            for hour in range(24):
                local = datetime.combine(monday + timedelta(days=day), time(hour), tzinfo=tz)
                if local.astimezone(ZoneInfo("UTC")).astimezone(tz).hour != hour:
                    continue  # this hour does not exist (spring forward)
                if not _hour_covered(shifts, platform, local):
                    missing.append((day, hour))
        out[platform] = missing
    return out


def describe(missing: list[tuple[int, int]]) -> list[str]:
    """Readable ranges: ["Monday 00:00-09:00", "Saturday 00:00-24:00", ...]."""
    out = []
    run = None
    for day, hour in missing + [(None, None)]:
        if run and day == run[0] and hour == run[2]:
            run = (run[0], run[1], hour + 1)
            continue
        if run:
            out.append(f"{DAY_NAMES[run[0]]} {run[1]:02d}:00-{run[2]:02d}:00")
        run = (day, hour, hour + 1) if day is not None else None
    return out


def warning(gap_map: dict[str, list[tuple[int, int]]]) -> str | None:
    """A sentence for admins when any channel goes uncovered, else None."""
    parts = []
    for platform, missing in sorted(gap_map.items()):
        if missing:
            parts.append(f"{platform}: {len(missing)} hours a week uncovered ({', '.join(describe(missing)[:3])}"
                         f"{', ...' if len(describe(missing)) > 3 else ''})")
    if not parts:
        return None
    return "Nobody covers these hours; posts then wait unanswered in public. " + "; ".join(parts)


def week_grid(missing: list[tuple[int, int]]) -> list[tuple[str, list[bool]]]:
    """[(day name, [covered? for hours 0-23]), ...] Monday first, for a week-grid page."""
    gaps = set(missing)
    return [(DAY_NAMES[day], [(day, hour) not in gaps for hour in range(24)]) for day in range(7)]
