"""Reads of time tracking: a case's total and entries, an agent's running timer, the reports.

Each read is a fixed number of queries whatever the number of rows (reports group in the
database; lists are keyset pages)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from rapport.accounts.models import User
from rapport.cases.models import Case
from rapport.domain.references import format_reference
from rapport.domain.worktime import average
from rapport.extensions import KpiSample, KpiScope
from rapport.platform import caches
from rapport.platform.pagination import Keyset, Page
from rapport.platform.shortlived import ShortLivedCopy
from rapport.timetracking import access as policy
from rapport.timetracking.models import RunningTimer, TimeCategory, TimeEntry

ENTRY_ORDER = Keyset((("worked_on", date, True), ("id", int, True)))


@dataclass(frozen=True)
class CaseTime:
    minutes: int
    entries: int


def case_time(case: Case) -> CaseTime:
    """The time recorded on ``case`` (one query)."""
    found = TimeEntry.objects.filter(case=case).aggregate(minutes=Sum("minutes"), entries=Count("id"))
    return CaseTime(minutes=found["minutes"] or 0, entries=found["entries"])


def case_entries(case: Case, *, cursor: str | None, size: int) -> Page[TimeEntry]:
    """A page of ``case``'s entries, latest day first (one query)."""
    rows = TimeEntry.objects.filter(case=case).select_related("agent", "category")
    return ENTRY_ORDER.paginate(rows, cursor=cursor, size=size)


def running_timer(actor: User) -> RunningTimer | None:
    return RunningTimer.objects.select_related("case").filter(agent=actor).first()


def categories() -> list[TimeCategory]:
    """The reasons offered for new time, in their order."""
    return list(TimeCategory.objects.filter(active=True))


def _category_choices() -> list[tuple[int, str]]:
    return list(TimeCategory.objects.filter(active=True).values_list("pk", "name"))


# The reasons the case panel offers: a display-only copy (ADR 0007), so the case page pays no
# query for them; the service checks the reason chosen against the table.
shown_categories: ShortLivedCopy[list[tuple[int, str]]] = caches.short_lived(
    "timetracking.shown_categories", _category_choices, ttl=30.0, copies=("timetracking.TimeCategory",)
)


@dataclass(frozen=True)
class PanelFacts:
    """What the case page's time panel shows: the case's total, and where the person's timer runs."""

    minutes: int
    entries: int
    timer_case_id: int | None
    timer_started_at: datetime | None

    @property
    def timer_reference(self) -> str:
        return format_reference(self.timer_case_id) if self.timer_case_id else ""


def panel_facts(case: Case, actor: User) -> PanelFacts:
    """The case's total time and ``actor``'s running timer, in one query."""
    on_case = TimeEntry.objects.filter(case=OuterRef("pk")).order_by().values("case")
    timer = RunningTimer.objects.filter(agent=actor)
    row = (
        Case.objects.filter(pk=case.pk)
        .values(
            minutes=Subquery(on_case.annotate(total=Sum("minutes")).values("total")),
            entries=Subquery(on_case.annotate(count=Count("id")).values("count")),
            timer_case_id=Subquery(timer.values("case_id")),
            timer_started_at=Subquery(timer.values("started_at")),
        )
        .get()
    )
    return PanelFacts(
        minutes=row["minutes"] or 0,
        entries=row["entries"] or 0,
        timer_case_id=row["timer_case_id"],
        timer_started_at=row["timer_started_at"],
    )


class ReportBy(StrEnum):
    TEAM = "team"
    CUSTOMER = "customer"
    CASE_TYPE = "case_type"
    AGENT = "agent"
    CATEGORY = "category"


_GROUPS: Mapping[ReportBy, tuple[str, str]] = {
    ReportBy.TEAM: ("case__team_id", "case__team__name"),
    ReportBy.CUSTOMER: ("case__customer_id", "case__customer__name"),
    ReportBy.CASE_TYPE: ("case__type", "case__type"),
    ReportBy.AGENT: ("agent_id", "agent__name"),
    ReportBy.CATEGORY: ("category_id", "category__name"),
}
NO_TEAM = "No team"


@dataclass(frozen=True)
class ReportRow:
    key: Any
    label: str
    minutes: int
    entries: int
    cases: int

    @property
    def average_per_case(self) -> float | None:
        return average(self.minutes, self.cases)


@dataclass(frozen=True)
class Report:
    by: ReportBy
    start: date
    end: date
    rows: list[ReportRow]
    minutes: int
    entries: int
    cases: int


def entries_in_scope(actor: User) -> QuerySet[TimeEntry]:
    """The entries ``actor``'s reports count: everything (managers), their teams' agents (team
    leaders), their own (agents)."""
    team_ids, agent_id = policy.report_scope(actor)
    entries = TimeEntry.objects.all()
    if agent_id is not None:
        return entries.filter(agent_id=agent_id)
    if team_ids is not None:
        members = User.teams.through.objects.filter(team_id__in=team_ids).values("user_id")
        return entries.filter(agent_id__in=members)
    return entries


def time_report(*, actor: User, by: ReportBy, start: date, end: date) -> Report:
    """Time spent from ``start`` to ``end`` (both included), grouped ``by`` one dimension, largest
    first; two queries (the groups, the totals) whatever the number of entries."""
    key, label = _GROUPS[by]
    entries = entries_in_scope(actor).filter(worked_on__gte=start, worked_on__lte=end)
    grouped = (
        entries.values(key, label)
        .annotate(minutes=Sum("minutes"), entries=Count("id"), cases=Count("case_id", distinct=True))
        .order_by("-minutes", key)
    )
    rows = [
        ReportRow(
            key=row[key],
            label=_label(by, row[label]),
            minutes=row["minutes"],
            entries=row["entries"],
            cases=row["cases"],
        )
        for row in grouped
    ]
    totals = entries.aggregate(minutes=Sum("minutes"), entries=Count("id"), cases=Count("case_id", distinct=True))
    return Report(
        by=by,
        start=start,
        end=end,
        rows=rows,
        minutes=totals["minutes"] or 0,
        entries=totals["entries"],
        cases=totals["cases"],
    )


def _label(by: ReportBy, value: Any) -> str:
    if value in (None, ""):
        return NO_TEAM if by == ReportBy.TEAM else "—"
    if by == ReportBy.CASE_TYPE:
        return str(value).replace("_", " ").capitalize()
    return str(value)


# --- for other apps, through the core's registries ----------------------------------------------


def handling_minutes(first_id: int, last_id: int) -> Mapping[int, int]:
    """Minutes recorded per case, for cases ``first_id``..``last_id`` that have any (a case fact)."""
    rows = (
        TimeEntry.objects.filter(case_id__gte=first_id, case_id__lte=last_id)
        .values("case_id")
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    return {row["case_id"]: row["minutes"] for row in rows}


def handling_sample(scope: KpiScope) -> KpiSample:
    """Minutes recorded per case, for the cases in ``scope`` with time on the days of its period:
    their number, the sum and the sum of squares (for a Check's Welch test). One grouped query."""
    entries = TimeEntry.objects.filter(
        scope.cases("case__"),
        worked_on__gte=timezone.localdate(scope.start),
        worked_on__lt=timezone.localdate(scope.end),
    )
    n, total, squares = 0, 0.0, 0.0
    for minutes in entries.values("case_id").annotate(m=Sum("minutes")).order_by().values_list("m", flat=True):
        n, total, squares = n + 1, total + minutes, squares + minutes * minutes
    return KpiSample(n, total, squares)


def average_handling_time(scope: KpiScope) -> float | None:
    """Mean minutes recorded per case, over the cases in ``scope`` with time on the days of its
    period (the organisation's calendar days from ``start`` up to ``end``, excluded); None when no
    time was recorded (not measured, never zero)."""
    entries = TimeEntry.objects.filter(
        scope.cases("case__"),
        worked_on__gte=timezone.localdate(scope.start),
        worked_on__lt=timezone.localdate(scope.end),
    )
    found = entries.aggregate(minutes=Sum("minutes"), cases=Count("case_id", distinct=True))
    return average(found["minutes"] or 0, found["cases"])
