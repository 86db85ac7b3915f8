"""What we promise a customer, in words: "by 1pm on Friday", "on Monday 8 December".

A promise is made from a service level's due instant (already in business time: the SLA engine
counts it in the case's business calendar, seed 000 / domain.md §3) as the customer reads a clock
on their wall, relative to when they read it. Plain language for consumers is the FCA's Consumer
Duty consumer-understanding outcome (PRIN 2A.5: communications people can understand) and the
Plain English Campaign's advice to name a day and time rather than "within 3 working days".

The parts are computed here (no Django, no clock: ``now`` is an argument); the sentence is put
together by the caller so that it can be translated whole. ``Promise.english()`` is the English
sentence, used where no translation applies (tests, the domain's own examples); pages and macros
use one gettext sentence per ``Promise.when`` with named placeholders ``%(time)s``, ``%(weekday)s``
and ``%(date)s`` (``rapport.platform.promises``), so a later capability reuses the same parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from rapport.domain.calendar import BusinessCalendar, add_business_time, business_time_between

When = Literal["passed", "today", "tomorrow", "this_week", "later"]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
LOOK_AHEAD_DAYS = 60
"""How far ``next_business_day`` looks for an open day (the longest UK closure is far shorter)."""


@dataclass(frozen=True)
class Promise:
    """A due instant as a customer reads it: ``when`` relative to now, the local ``time`` ("1pm",
    "9:30am", "midday", "midnight") and the local ``day`` it falls on (None when it has passed)."""

    when: When
    time: str = ""
    day: date | None = None

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.day.weekday()] if self.day else ""

    @property
    def date(self) -> str:
        return day_words(self.day) if self.day else ""

    def english(self) -> str:
        """The promise as an English phrase, e.g. "by 1pm on Friday"."""
        return ENGLISH[self.when].format(time=self.time, weekday=self.weekday, date=self.date)


ENGLISH: dict[str, str] = {
    "passed": "as soon as we can",
    "today": "by {time} today",
    "tomorrow": "by {time} tomorrow",
    "this_week": "by {time} on {weekday}",
    "later": "by {time} on {weekday} {date}",
}


def clock_words(moment: datetime) -> str:
    """A wall-clock time as people say it in the UK: "1pm", "9:30am", "midday", "midnight"."""
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def day_words(day: date) -> str:
    """A date as a customer reads it: "12 December" (no leading zero, no year)."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def promise(due: datetime, now: datetime, tz: ZoneInfo) -> Promise:
    """The promise a due instant makes, read in ``tz`` at ``now`` (both aware).

    A due instant of exactly midnight reads as the end of the day before ("by midnight on
    Thursday" rather than "by midnight on Friday", which people read as a day later). Within six
    days the weekday alone is clear; beyond, the date is added. A due instant already passed
    promises only "as soon as we can": we never quote a time that is behind us.
    """
    if due <= now:
        return Promise("passed")
    local_due, local_now = due.astimezone(tz), now.astimezone(tz)
    day = promise_day(local_due)
    ahead = (day - local_now.date()).days
    when: When = "today" if ahead <= 0 else "tomorrow" if ahead == 1 else "this_week" if ahead < 7 else "later"
    return Promise(when, clock_words(local_due), day)


def promise_day(local_due: datetime) -> date:
    """The day a local due instant is promised on: midnight is the end of the day before."""
    day = local_due.date()
    if local_due.hour == 0 and local_due.minute == 0:
        day -= timedelta(days=1)
    return day


def next_business_day(calendar: BusinessCalendar, now: datetime) -> date:
    """The first day after ``now``'s local day on which the calendar is open at all (not a weekend
    the calendar keeps closed, a bank holiday of its nation or a closure). If nothing opens within
    ``LOOK_AHEAD_DAYS`` the next calendar day is given, so a broken calendar never stops a reply."""
    zone = calendar.zone
    today = now.astimezone(zone).date()
    for offset in range(1, LOOK_AHEAD_DAYS + 1):
        day = today + timedelta(days=offset)
        start = datetime(day.year, day.month, day.day, tzinfo=zone)
        end = start + timedelta(days=1)  # wall-clock arithmetic: the next local midnight
        if business_time_between(calendar, start, end) > timedelta(0):
            return day
    return today + timedelta(days=1)


def business_day_words(day: date) -> str:
    """A business day as a customer reads it: "Monday 8 December"."""
    return f"{WEEKDAYS[day.weekday()]} {day_words(day)}"


def proposed_due(calendar: BusinessCalendar, now: datetime, target: timedelta) -> datetime:
    """The new time proposed for a promise about to be missed: the policy's own target counted
    again from now in business time (seed 000: targets are business time; a customer written to at
    16:00 on a Friday with an 8-hour target hears back by the same time the next working day but
    one, not over the weekend). The case owner confirms it or sets another."""
    return add_business_time(calendar, now, target)


def promise_outcome(due: datetime, answered_at: datetime | None) -> bool | None:
    """Whether a promise to reply by ``due`` was kept: True when the answer came by then, False
    when it came later, None when there is no answer yet."""
    if answered_at is None:
        return None
    return answered_at <= due
