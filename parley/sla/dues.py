"""When a promise falls due, from its own words and the time the reply was sent. Pure.

Our rules, in the sending time's zone (the offset of `sent_at`):
- durations: "within 24 hours", "in 2-3 business days" (the upper bound), "in a few hours" (3),
  "within the hour", "in a couple of days" (2), "in a week";
- days: "today", "by end of day", "later today", "this afternoon" -> 17:00 that day (23:59 when
  sent after 17:00); "tonight" -> 21:00; "tomorrow" -> 17:00 the next day ("tomorrow morning" 12:00);
  a weekday ("by Friday", "on Monday", "next Tuesday") -> 17:00 on its next occurrence after today;
  "end of the week" -> Friday 17:00; "next week" -> Friday 17:00 of next week; "end of the month";
- dates: "by November 25", "on 3 Dec" -> 17:00 that day (next year when already past);
- clock times: "by 5pm", "at 10:30 am" -> that time on the day named, else today (tomorrow when past).
Vague words ("soon", "shortly", "asap") give no due time (None).
"""

from __future__ import annotations

import calendar as _calendar
import re
from datetime import date, datetime, time, timedelta

END_OF_DAY = time(17, 0)
LATE = time(23, 59)
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
           "forty-eight": 48, "seventy-two": 72, "few": 3, "couple": 2, "couple of": 2, "several": 3}
WEEKDAYS = {name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday",
                                               "saturday", "sunday"))}
WEEKDAYS.update({"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5,
                 "sun": 6})
MONTHS = {name.lower(): i for i, name in enumerate(_calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(_calendar.month_abbr) if name})
MONTHS["sept"] = 9

_NUM = r"(\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|" \
       r"forty-eight|seventy-two|few|couple(?:\s+of)?|several)"
_DURATION = re.compile(
    rf"\b(?:within|in|over)\s+(?:the\s+next\s+|the\s+|about\s+|around\s+|approximately\s+|up\s+to\s+)?"
    rf"(?:a\s+(?=few|couple))?(?:{_NUM}\s*(?:-|–|to|or)\s*)?{_NUM}\s*(?:-\s*)?"
    r"(business\s+|working\s+|calendar\s+)?(min(?:ute)?s?|h(?:ou)?rs?|hours?|days?|weeks?)\b",
    re.IGNORECASE,
)
_BARE_RANGE = re.compile(
    rf"\b(?:{_NUM}\s*(?:-|–|to)\s*)({_NUM})\s*(business\s+|working\s+)?(hours?|days?|weeks?)\b", re.IGNORECASE
)
_WITHIN_UNIT = re.compile(r"\bwithin\s+(?:the\s+|a\s+|one\s+)?(hour|day|week)\b", re.IGNORECASE)
_VAGUE = re.compile(r"\b(?:soon|shortly|asap|as\s+soon\s+as|right\s+away|promptly|in\s+due\s+course)\b", re.I)
_CLOCK = re.compile(r"\b(?:by|at|before|around|until)\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?!\s*(?:%|\d))",
                    re.IGNORECASE)
_NOON = re.compile(r"\b(?:by|at|before)\s+(noon|midday|midnight)\b", re.IGNORECASE)
_WEEKDAY = re.compile(
    r"\b(next\s+|this\s+(?:coming\s+)?|coming\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"mon|tues?|wed|thu(?:rs?)?|fri)\b(?!\s*-)", re.IGNORECASE)
_DATE_MD = re.compile(r"\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
                      r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b",
                      re.IGNORECASE)
_DATE_DM = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|"
                      r"apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|"
                      r"dec(?:ember)?)\b", re.IGNORECASE)


def _number(word: str) -> float:
    word = " ".join(word.lower().split())
    return float(NUMBERS.get(word, NUMBERS.get(word.split()[0], 0))) if not word[0].isdigit() else float(word)


def add_business_days(start: datetime, days: float) -> datetime:
    whole = int(days)
    at = start
    while whole > 0:
        at += timedelta(days=1)
        if at.weekday() < 5:
            whole -= 1
    return at + timedelta(days=days - int(days))


def _duration(unit: str, n: float, business: bool, sent_at: datetime) -> datetime:
    unit = unit.lower()
    if unit.startswith("m"):
        return sent_at + timedelta(minutes=n)
    if unit.startswith("h"):
        return sent_at + timedelta(hours=n)
    if unit.startswith("w"):
        return sent_at + timedelta(weeks=n)
    return add_business_days(sent_at, n) if business else sent_at + timedelta(days=n)


def _at(day: date, clock: time, sent_at: datetime) -> datetime:
    return datetime.combine(day, clock, tzinfo=sent_at.tzinfo)


_BETWEEN = re.compile(r"\bbetween\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)?\s+and\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)",
                      re.IGNORECASE)


def _clock(text: str) -> time | None:
    m = _BETWEEN.search(text)  # a window: due at its end
    if m:
        hour, minute, ampm = int(m.group(1)), int(m.group(2) or 0), m.group(3).lower()
        hour = hour % 12 + (12 if ampm == "pm" else 0)
        if hour < 24 and minute < 60:
            return time(hour, minute)
    m = _NOON.search(text)
    if m:
        return time(12) if m.group(1).lower() != "midnight" else LATE
    for m in _CLOCK.finditer(text):
        hour, minute, ampm = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower().replace(".", "")
        if not ampm and m.group(2) is None:
            continue  # "by 5" alone is too ambiguous (5 days? 5 o'clock?)
        if ampm == "pm" and hour < 12:
            hour += 12
        if ampm == "am" and hour == 12:
            hour = 0
        if 0 <= hour < 24 and 0 <= minute < 60:
            return time(hour, minute)
    return None


def _named_day(text: str, sent_at: datetime) -> tuple[date, time] | None:
    """The day (and default time) a text names, if any."""
    low = text.lower()
    today = sent_at.date()
    late = sent_at.timetz().replace(tzinfo=None) >= END_OF_DAY
    if re.search(r"\btomorrow\b|\btmrw\b|\btmr\b", low):
        part = time(12) if "tomorrow morning" in low else time(21) if re.search(r"tomorrow (evening|night)", low) \
            else END_OF_DAY
        return today + timedelta(days=1), part
    if re.search(r"\b(tonight|this evening)\b", low):
        return today, time(21)
    if re.search(r"\b(end of (the |this )?(business )?day|eod|close of business|cob|later today|today|"
                 r"this afternoon|by the end of today)\b", low):
        return today, LATE if late else END_OF_DAY
    if re.search(r"\bthis morning\b", low):
        return today, time(12)
    m = _DATE_MD.search(text) or _DATE_DM.search(text)
    if m:
        month_word, day_word = (m.group(1), m.group(2)) if m.re is _DATE_MD else (m.group(2), m.group(1))
        month = MONTHS.get(month_word.lower().rstrip(".")[:4]) or MONTHS.get(month_word.lower()[:3])
        try:
            day = date(today.year, month, int(day_word))
        except (TypeError, ValueError):
            day = None
        if day is not None:
            if day < today:
                day = day.replace(year=today.year + 1)
            return day, END_OF_DAY
    if re.search(r"\b(end of (the |this )?week|this week|by the weekend|before the weekend)\b", low):
        days = (4 - today.weekday()) % 7
        return today + timedelta(days=days if days or not late else 7), END_OF_DAY
    if re.search(r"\b(early next week|beginning of next week|start of next week)\b", low):
        return today + timedelta(days=7 - today.weekday()), END_OF_DAY
    if re.search(r"\bnext week\b", low):
        return today + timedelta(days=7 - today.weekday() + 4), END_OF_DAY
    if re.search(r"\b(end of (the |this )?month)\b", low):
        last = _calendar.monthrange(today.year, today.month)[1]
        return date(today.year, today.month, last), END_OF_DAY
    m = _WEEKDAY.search(text)
    if m:
        target = WEEKDAYS[m.group(2).lower()]
        days = (target - today.weekday()) % 7 or 7  # its next occurrence after today ("next Monday" too)
        return today + timedelta(days=days), END_OF_DAY
    return None


def due_from(text: str, sent_at: datetime) -> datetime | None:
    """The due time a promise's words name, relative to `sent_at`; None when it names none."""
    m = _DURATION.search(text)
    if m:
        n = _number(m.group(2))
        if n > 0:
            return _duration(m.group(4), n, bool(m.group(3) and not m.group(3).lower().startswith("cal")), sent_at)
    m = _BARE_RANGE.search(text)
    if m:
        return _duration(m.group(4), _number(m.group(2)), bool(m.group(3)), sent_at)
    m = _WITHIN_UNIT.search(text)
    if m:
        return _duration(m.group(1), 1, False, sent_at)
    clock = _clock(text)
    named = _named_day(text, sent_at)
    if named is not None:
        day, default = named
        return _at(day, clock or default, sent_at)
    if clock is not None:
        at = _at(sent_at.date(), clock, sent_at)
        return at if at > sent_at else at + timedelta(days=1)
    if _VAGUE.search(text):
        return None
    return None
