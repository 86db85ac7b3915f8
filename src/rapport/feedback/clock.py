"""The business calendar the KPIs count time in.

Response and resolution times are reported in business time (seed 000, domain.md §3). Until the
organisation's SLA calendars are configured elsewhere, KPIs use one office calendar: Monday to
Friday 09:00-17:30 in Europe/London, closed on England and Wales bank holidays. ``office_calendar``
is the one place to point at another source of calendars.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from rapport.domain.calendar import BusinessCalendar

LONDON = ZoneInfo("Europe/London")
WEEKDAY_HOURS = [("09:00", "17:30")]


@lru_cache(maxsize=1)
def office_calendar() -> BusinessCalendar:
    return BusinessCalendar(hours=dict.fromkeys(range(5), WEEKDAY_HOURS), tz="Europe/London", holidays="england")


def local_day(moment: datetime) -> date:
    """The office's calendar day of an instant (a case raised at 00:30 BST belongs to that day)."""
    return moment.astimezone(LONDON).date()


def day_start(day: date) -> datetime:
    """The instant the office's calendar day ``day`` begins (local midnight, aware)."""
    return datetime(day.year, day.month, day.day, tzinfo=LONDON)
