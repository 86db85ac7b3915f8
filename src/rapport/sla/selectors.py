"""Reads of the SLA engine: one case's targets and pauses, and the attainment report.

Both run a fixed number of queries whatever the number of clocks or cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import User
from rapport.cases.models import PRIORITY_CHOICES, Case
from rapport.domain.calendar import BusinessCalendar
from rapport.domain.scoring import rate
from rapport.domain.sla import clock_state
from rapport.platform import caches
from rapport.platform.errors import NotFound
from rapport.platform.shortlived import ShortLivedCopy
from rapport.sla import access as sla_policy
from rapport.sla import evidence
from rapport.sla.models import (
    Calendar,
    Clock,
    EscalationRule,
    Pause,
    Policy,
    Promise,
    PromiseState,
    SlaSettings,
    Trigger,
)


@dataclass(frozen=True)
class TargetRow:
    """One target of a case as the case page and the API show it."""

    clock: Clock
    target: str
    label: str
    policy: str
    internal: bool
    target_time: timedelta
    adjustment: timedelta
    started_at: datetime
    used: timedelta
    remaining: timedelta
    due_at: datetime | None
    state: str  # running, paused, warning, breached, met, missed
    warned_at: datetime | None
    breached_at: datetime | None
    stopped_at: datetime | None


@dataclass(frozen=True)
class CaseSla:
    case: Case
    targets: list[TargetRow]
    pauses: list[Pause]
    deadlines: list[extensions.Deadline]
    promises: list[Promise]
    can_revise: bool = False

    @property
    def open_promise(self) -> Promise | None:
        return next((p for p in reversed(self.promises) if p.state == PromiseState.OPEN), None)


def _state(clock: Clock, used: timedelta, remaining: timedelta, warning: bool) -> str:
    if clock.stopped_at is not None:
        return "missed" if clock.breached_at else "met"
    if clock.breached_at is not None or remaining <= timedelta():
        return "breached"
    if clock.running_since is None:
        return "paused"
    return "warning" if warning else "running"


def case_sla(actor: User, reference: str, *, now: datetime) -> CaseSla:
    """Every target on the case (newest run last), its pauses and other apps' deadlines. Staff only;
    anyone else gets the same answer as for a missing case."""
    if not sla_policy.can_view_case_sla(actor):
        raise NotFound(policy.NO_CASE)
    case = policy.access_case(actor, reference)
    clocks = list(Clock.objects.filter(case=case).select_related("policy__calendar"))
    rows = []
    for clock in clocks:
        calendar = clock.policy.calendar.business_calendar()
        state = clock_state(calendar, clock.snapshot(), now)
        rows.append(
            TargetRow(
                clock=clock,
                target=clock.target,
                label=clock.get_target_display(),
                policy=clock.policy.name,
                internal=clock.policy.internal,
                target_time=clock.target_time,
                adjustment=clock.adjustment,
                started_at=clock.started_at,
                used=state.used,
                remaining=state.remaining,
                due_at=clock.due_at,
                state=_state(clock, state.used, state.remaining, state.warning),
                warned_at=clock.warned_at,
                breached_at=clock.breached_at,
                stopped_at=clock.stopped_at,
            )
        )
    pauses = list(Pause.objects.filter(case=case))
    deadlines = extensions.deadlines_for([case]).get(case.pk, [])
    promises = list(Promise.objects.filter(case=case).select_related("set_by"))
    return CaseSla(
        case=case,
        targets=rows,
        pauses=pauses,
        deadlines=deadlines,
        promises=promises,
        can_revise=sla_policy.can_revise_promise(actor, case),
    )


# -- the attainment report ------------------------------------------------------------------------

GROUPS = {
    "policy": ("policy__name", "Policy"),
    "team": ("case__team__name", "Team"),
    "agent": ("case__owner__name", "Agent"),
    "priority": ("case__priority", "Priority"),
    "month": ("month", "Month"),
    "internal": ("policy__internal", "Internal or external"),
}
PRIORITY_LABELS = dict(PRIORITY_CHOICES)


@dataclass(frozen=True)
class AttainmentRow:
    group: str
    key: str
    met: int
    missed: int

    @property
    def decided(self) -> int:
        return self.met + self.missed

    @property
    def percent(self) -> float | None:
        return round(100 * self.met / self.decided, 1) if self.decided else None


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    target: str
    groups: dict[str, list[AttainmentRow]]
    overall: AttainmentRow


def _label(group: str, value: object) -> str:
    if value is None or value == "":
        return {"team": "No team", "agent": "Unassigned"}.get(group, "None")
    if group == "priority":
        return str(PRIORITY_LABELS.get(value, value))  # type: ignore[call-overload]
    if group == "month":
        return f"{value:%B %Y}"
    if group == "internal":
        return "Internal (OLA)" if value else "External (SLA)"
    return str(value)


def _decided(start: date, end: date, target: str) -> QuerySet[Clock]:
    """Clocks started in [start, end] whose outcome is known: met (stopped in time) or missed."""
    clocks = Clock.objects.filter(started_at__date__gte=start, started_at__date__lte=end).filter(
        Q(stopped_at__isnull=False) | Q(breached_at__isnull=False)
    )
    return clocks.filter(target=target) if target else clocks


def attainment(
    actor: User, *, start: date, end: date, target: str = "", groups: Sequence[str] = tuple(GROUPS)
) -> Report:
    """Share of targets met, by policy, team, agent, priority, month and internal vs external:
    one grouped query per dimension, whatever the number of clocks."""
    if not sla_policy.can_view_report(actor):
        raise NotFound()
    met = Count("id", filter=Q(breached_at__isnull=True))
    missed = Count("id", filter=Q(breached_at__isnull=False))
    clocks = _decided(start, end, target)
    found: dict[str, list[AttainmentRow]] = {}
    for group in groups:
        field, _ = GROUPS[group]
        rows = clocks.annotate(month=TruncMonth("started_at")) if group == "month" else clocks
        counted = rows.values(field).annotate(met=met, missed=missed).order_by(field)
        found[group] = [
            AttainmentRow(group=group, key=_label(group, row[field]), met=row["met"], missed=row["missed"])
            for row in counted
        ]
    total = clocks.aggregate(met=met, missed=missed)
    overall = AttainmentRow(group="all", key="All targets", met=total["met"], missed=total["missed"])
    return Report(start=start, end=end, target=target, groups=found, overall=overall)


def default_calendar() -> Calendar | None:
    """The organisation's default business calendar: that of the catch-all external policy (an
    active policy naming no criteria; the lowest rank wins), the one a case falls back to."""
    catch_all = (
        Policy.objects.filter(is_active=True, internal=False, priority=None, tier="", channel="", case_type="")
        .select_related("calendar")
        .order_by("rank", "id")
        .first()
    )
    return catch_all.calendar if catch_all else None


class PolicyCalendars:
    """The business calendars cases are measured in, for batches of cases (the KPI rollups ask,
    through ``rapport.extensions.case_calendars``): the calendar of the policy of a case's first
    clock; ``default`` is the catch-all policy's. Two queries per batch (the cases' clocks' policy
    calendars, then those calendars not loaded yet), the default looked up once."""

    def __init__(self) -> None:
        configured = default_calendar()
        self.default: BusinessCalendar | None = configured.business_calendar() if configured else None
        self._known: dict[int, BusinessCalendar] = {}

    def for_cases(self, case_ids: Sequence[int]) -> dict[int, BusinessCalendar]:
        calendar_of: dict[int, int] = {}
        clocks = Clock.objects.filter(case_id__in=list(case_ids)).order_by("case_id", "started_at", "id")
        for case_id, calendar_id in clocks.values_list("case_id", "policy__calendar_id"):
            calendar_of.setdefault(case_id, calendar_id)
        missing = set(calendar_of.values()) - set(self._known)
        if missing:
            for calendar in Calendar.objects.filter(pk__in=missing):
                self._known[calendar.pk] = calendar.business_calendar()
        return {case_id: self._known[calendar_id] for case_id, calendar_id in calendar_of.items()}


def attainment_kpi(scope: extensions.KpiScope) -> float | None:
    """Percentage of targets met among those decided, for clocks started in the period on the
    scope's cases (met = stopped before breach, missed = breached; running clocks are not decided
    yet). One grouped query; None ("not measured") when nothing was decided."""
    counted = (
        Clock.objects.filter(scope.cases("case__"), started_at__gte=scope.start, started_at__lt=scope.end)
        .filter(Q(stopped_at__isnull=False) | Q(breached_at__isnull=False))
        .aggregate(met=Count("pk", filter=Q(breached_at__isnull=True)), decided=Count("pk"))
    )
    return rate(counted["met"], counted["decided"])


ATTAINMENT = extensions.KpiSource(
    "SLA attainment",
    attainment_kpi,
    sample=evidence.attainment_sample,
    definition="Share of SLA targets met among those decided (clocks started in the period, stopped or breached).",
    formula="100 x targets met / (targets met + targets breached), in business time",
    source="SLA clocks: each policy's targets counted in its business calendar (seed 000)",
    behind=evidence.breached_cases,
)


# -- the "breaching soon" window ------------------------------------------------------------------

WINDOW_MAX_AGE = 60.0
"""Seconds a process keeps the window it read: the queue costs no query for it, and another
process sees a change within a minute (the process that saved it at once: ``platform.caches``)."""
_window: ShortLivedCopy[timedelta] = caches.short_lived(
    "sla.breaching_soon", lambda: SlaSettings.current().breaching_soon, ttl=WINDOW_MAX_AGE, copies=("sla.SlaSettings",)
)


def breaching_soon() -> timedelta:
    """How far ahead the "breaching soon" queue looks, as a service manager set it in admin."""
    return _window()


def sla_settings(actor: User) -> timedelta:
    """The "breaching soon" window, for staff (the API's settings)."""
    if not sla_policy.can_view_case_sla(actor):
        raise NotFound()
    return breaching_soon()


@dataclass(frozen=True)
class Pending:
    """What the SLA check has still to record: warnings and breaches that are due, and escalations
    whose trigger has been reached (one query each)."""

    warnings: int
    breaches: int
    escalations: int

    @property
    def total(self) -> int:
        return self.warnings + self.breaches + self.escalations


def sla_pending(*, now: datetime) -> Pending:
    running = Clock.objects.filter(stopped_at__isnull=True)
    escalations = 0
    for rule in EscalationRule.objects.filter(is_active=True):
        reached = Q(warned_at__isnull=False) if rule.trigger == Trigger.WARNING else Q(breached_at__isnull=False)
        clocks = running.filter(reached).exclude(escalations__rule=rule)
        if rule.policy_id is not None:
            clocks = clocks.filter(policy_id=rule.policy_id)
        if rule.target:
            clocks = clocks.filter(target=rule.target)
        escalations += clocks.count()
    return Pending(
        warnings=running.filter(warn_at__lte=now, warned_at__isnull=True).count(),
        breaches=running.filter(due_at__lte=now, breached_at__isnull=True).count(),
        escalations=escalations,
    )


def breached_by_case(first_id: int, last_id: int) -> dict[int, bool]:
    """True for each case from ``first_id`` to ``last_id`` with a target breached
    (``extensions.case_facts``: the quality sample's targeted picks). One query."""
    rows = Clock.objects.filter(case_id__gte=first_id, case_id__lte=last_id, breached_at__isnull=False)
    return dict.fromkeys(rows.values_list("case_id", flat=True).distinct(), True)
