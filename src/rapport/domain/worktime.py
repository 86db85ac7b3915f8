"""Time spent on cases: how a duration is written, what an entry may record, what a timer adds up to.

Time is kept in whole minutes (integers, never float hours: 23.9999 is not midnight). A person
may write a duration as minutes ("45") or hours and minutes ("1:30", "0:05"); one entry records
between one minute and a working day's ceiling of 24 hours, on a day that has begun (a date in
the future is refused: time not yet spent is not time spent). The day is the calendar date where
the organisation works (Europe/London by default), passed in by the caller.

A timer counts from its start to its stop; what it records is rounded to the nearest minute and
at least one minute. A timer that ran more than 24 hours was forgotten: it records nothing on its
own, and the person enters the time they really spent.
"""

from __future__ import annotations

import re
from datetime import date, datetime

MAX_MINUTES = 24 * 60

DURATION_REQUIRED = "Enter the time spent, in minutes (45) or hours and minutes (1:30)."
DURATION_UNREADABLE = "Enter the time spent as minutes (45) or hours and minutes (1:30)."
DURATION_NOT_POSITIVE = "Enter a time spent of at least one minute."
DURATION_TOO_LONG = "One entry can record at most 24 hours (24:00); split longer work over its days."
DATE_IN_FUTURE = "Enter a date that is today or earlier."
TIMER_TOO_LONG = "This timer ran for more than 24 hours. Discard it and enter the time you spent."

_MINUTES = re.compile(r"[+-]?\d{1,6}")
_HOURS_MINUTES = re.compile(r"([+-]?)(\d{1,3}):([0-5]\d)")


class WorkTimeRefused(ValueError):
    """A duration or date that cannot be recorded; ``field`` names the input it came from."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def check_minutes(minutes: int) -> int:
    """``minutes`` if one entry may record it: more than zero, at most 24 hours."""
    if minutes <= 0:
        raise WorkTimeRefused("minutes", DURATION_NOT_POSITIVE)
    if minutes > MAX_MINUTES:
        raise WorkTimeRefused("minutes", DURATION_TOO_LONG)
    return minutes


def parse_duration(text: str) -> int:
    """Minutes from "45", "1:30" or "0:05" (spaces around ignored), checked by ``check_minutes``."""
    text = (text or "").strip()
    if not text:
        raise WorkTimeRefused("minutes", DURATION_REQUIRED)
    if _MINUTES.fullmatch(text):
        return check_minutes(int(text))
    found = _HOURS_MINUTES.fullmatch(text)
    if found is None:
        raise WorkTimeRefused("minutes", DURATION_UNREADABLE)
    sign, hours, minutes = found.groups()
    total = int(hours) * 60 + int(minutes)
    return check_minutes(-total if sign == "-" else total)


def check_day(worked_on: date, *, today: date) -> date:
    """``worked_on`` if it is ``today`` or earlier (``today`` in the organisation's time zone)."""
    if worked_on > today:
        raise WorkTimeRefused("worked_on", DATE_IN_FUTURE)
    return worked_on


def timer_minutes(started_at: datetime, stopped_at: datetime) -> int:
    """What a timer records: its running time rounded to the nearest minute, at least one; refused
    when it ran more than 24 hours (forgotten) or stops before it started (a clock went back)."""
    seconds = (stopped_at - started_at).total_seconds()
    if seconds > MAX_MINUTES * 60:
        raise WorkTimeRefused("timer", TIMER_TOO_LONG)
    return max(1, round(max(seconds, 0) / 60))


def hours_minutes(minutes: int) -> str:
    """``minutes`` as people read a duration: "0:45", "1:30", "26:05"."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def average(total_minutes: int, count: int) -> float | None:
    """Mean minutes per item; None when there is nothing to average (not zero)."""
    return total_minutes / count if count else None


def in_words(minutes: int) -> str:
    """``minutes`` as a page shows a duration: "45 min", "2 h", "1 h 30 min"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")
