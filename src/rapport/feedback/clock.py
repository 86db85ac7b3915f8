"""The business calendar the KPIs count time in.

Response and resolution times are reported in business time (seed 000, domain.md §3), in the
calendar the case is measured in, as the app that measures cases says
(``rapport.extensions.case_calendars``; the SLA engine: the calendar of the case's SLA policy when
the case has SLA clocks, else its default calendar, the catch-all policy's), else the office
calendar below (Monday to Friday 09:00-17:30 in Europe/London, closed on England and Wales bank
holidays). ``CaseCalendars`` is the one place the KPIs get calendars from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rapport import extensions
from rapport.domain.calendar import BusinessCalendar
from rapport.platform import caches

LONDON = ZoneInfo("Europe/London")
WEEKDAY_HOURS = [("09:00", "17:30")]


@caches.memo("feedback.office_calendar", key="nothing: one value", maxsize=1)
def office_calendar() -> BusinessCalendar:
    return BusinessCalendar(hours=dict.fromkeys(range(5), WEEKDAY_HOURS), tz="Europe/London", holidays="england")


class CaseCalendars:
    """Business calendars for batches of cases: what the registered source says (two queries per
    batch for the SLA engine's), the office calendar for the rest."""

    def __init__(self) -> None:
        self._source = extensions.case_calendars[0]() if extensions.case_calendars else None
        self.default = (self._source.default if self._source else None) or office_calendar()

    def for_cases(self, case_ids: Sequence[int]) -> dict[int, BusinessCalendar]:
        """The calendar of each case in ``case_ids`` that has one of its own; cases missing from
        the answer use ``self.default``."""
        return dict(self._source.for_cases(case_ids)) if self._source else {}


def local_day(moment: datetime) -> date:
    """The office's calendar day of an instant (a case raised at 00:30 BST belongs to that day)."""
    return moment.astimezone(LONDON).date()


def day_start(day: date) -> datetime:
    """The instant the office's calendar day ``day`` begins (local midnight, aware)."""
    return datetime(day.year, day.month, day.day, tzinfo=LONDON)
