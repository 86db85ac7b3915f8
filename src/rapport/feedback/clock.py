"""The business calendar the KPIs count time in.

Response and resolution times are reported in business time (seed 000, domain.md §3), in the
calendar the case is measured in by the SLA engine: the calendar of the case's SLA policy when the
case has SLA clocks, else the SLA default calendar (the catch-all policy's), else the office
calendar below (Monday to Friday 09:00-17:30 in Europe/London, closed on England and Wales bank
holidays). ``CaseCalendars`` is the one place the KPIs get calendars from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rapport.domain.calendar import BusinessCalendar
from rapport.platform import caches
from rapport.sla.models import Calendar, Clock
from rapport.sla.selectors import default_calendar

LONDON = ZoneInfo("Europe/London")
WEEKDAY_HOURS = [("09:00", "17:30")]


@caches.memo("feedback.office_calendar", key="nothing: one value", maxsize=1)
def office_calendar() -> BusinessCalendar:
    return BusinessCalendar(hours=dict.fromkeys(range(5), WEEKDAY_HOURS), tz="Europe/London", holidays="england")


class CaseCalendars:
    """Business calendars for batches of cases: two queries per batch (the cases' clocks' policy
    calendars, then those calendars), the fallback looked up once."""

    def __init__(self) -> None:
        configured = default_calendar()
        self.default = configured.business_calendar() if configured else office_calendar()
        self._known: dict[int, BusinessCalendar] = {}

    def for_cases(self, case_ids: Sequence[int]) -> dict[int, BusinessCalendar]:
        """The calendar of each case in ``case_ids`` that has SLA clocks (the policy of its first
        clock); cases missing from the answer use ``self.default``."""
        calendar_of: dict[int, int] = {}
        clocks = Clock.objects.filter(case_id__in=list(case_ids)).order_by("case_id", "started_at", "id")
        for case_id, calendar_id in clocks.values_list("case_id", "policy__calendar_id"):
            calendar_of.setdefault(case_id, calendar_id)
        missing = set(calendar_of.values()) - set(self._known)
        if missing:
            for calendar in Calendar.objects.filter(pk__in=missing):
                self._known[calendar.pk] = calendar.business_calendar()
        return {case_id: self._known[calendar_id] for case_id, calendar_id in calendar_of.items()}


def local_day(moment: datetime) -> date:
    """The office's calendar day of an instant (a case raised at 00:30 BST belongs to that day)."""
    return moment.astimezone(LONDON).date()


def day_start(day: date) -> datetime:
    """The instant the office's calendar day ``day`` begins (local midnight, aware)."""
    return datetime(day.year, day.month, day.day, tzinfo=LONDON)
