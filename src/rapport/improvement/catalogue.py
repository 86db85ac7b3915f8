"""The KPI catalogue and the customer journey's touchpoints.

The catalogue is ``rapport.extensions.kpi_sources``: this app registers the KPIs it can count from
the core's cases (reopen rate, repeat contact rate, first contact resolution, complaint rate, first
response time); other capabilities register theirs (SLA attainment, CSAT, CES …) with the same
shape, so an initiative's KPI, a standard's measure and the Check read any of them alike.

Each KPI is computed over a scope: the cases created in [start, end) in the whole service, a team,
a channel, a case type, a customer segment (tier) or an agent's cases. A fixed number of queries
per KPI, whatever the number of cases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Sum

from rapport import extensions
from rapport.cases.models import Case, Message, MessageKind, reopened
from rapport.domain.case_rules import CaseType, Status
from rapport.improvement.models import KpiAssumptions
from rapport.platform.timestamps import DaysBefore, HoursBetween

REPEAT_WITHIN = timedelta(days=7)
"""A contact is a repeat when the same customer opened another case this long before it."""

ENDED = [Status.RESOLVED, Status.CLOSED]


def case_filter(dimension: str, value: str) -> Callable[[str], Q]:
    """The filter on cases (by the path ``prefix`` from the counted model) for a scope."""
    column = {
        "team": "team_id",
        "channel": "channel",
        "case_type": "type",
        "segment": "customer__tier",
        "agent": "owner_id",
    }.get(dimension)

    def cases(prefix: str) -> Q:
        if column is None or not value:
            return Q()
        return Q(**{prefix + column: value})

    return cases


def scope(dimension: str, value: str, start: datetime, end: datetime) -> extensions.KpiScope:
    return extensions.KpiScope(
        cases=case_filter(dimension, value), start=start, end=end, dimension=dimension, value=value
    )


def _created(scope: extensions.KpiScope) -> Q:
    return scope.cases("") & Q(created_at__gte=scope.start, created_at__lt=scope.end)


def _proportion(sample: extensions.KpiSample) -> float | None:
    return 100 * sample.total / sample.n if sample.n else None


def _mean(sample: extensions.KpiSample) -> float | None:
    return sample.total / sample.n if sample.n else None


def reopen_sample(scope: extensions.KpiScope) -> extensions.KpiSample:
    """Cases opened in the period that were ended (resolved or closed) and later reopened."""
    counted = Case.objects.filter(
        _created(scope), Q(resolved_at__isnull=False) | Q(closed_at__isnull=False) | reopened()
    )
    found = counted.aggregate(n=Count("pk"), reopened=Count("pk", filter=reopened()))
    return extensions.KpiSample(found["n"], found["reopened"])


def reopened_cases(scope: extensions.KpiScope, limit: int) -> list[int]:
    return list(
        Case.objects.filter(_created(scope), reopened()).order_by("-created_at").values_list("pk", flat=True)[:limit]
    )


def _repeat() -> Exists:
    earlier = Case.objects.filter(
        customer_id=OuterRef("customer_id"),
        created_at__lt=OuterRef("created_at"),
        created_at__gte=DaysBefore(OuterRef("created_at"), REPEAT_WITHIN.days),
    )
    return Exists(earlier)


def repeat_sample(scope: extensions.KpiScope) -> extensions.KpiSample:
    """Cases opened in the period by a customer who opened another within the 7 days before."""
    found = Case.objects.filter(_created(scope)).aggregate(n=Count("pk"), repeat=Count("pk", filter=Q(_repeat())))
    return extensions.KpiSample(found["n"], found["repeat"])


def repeat_cases(scope: extensions.KpiScope, limit: int) -> list[int]:
    return list(
        Case.objects.filter(_created(scope), _repeat()).order_by("-created_at").values_list("pk", flat=True)[:limit]
    )


def _second_reply() -> Exists:
    """Whether the case has a second reply to the customer (the lookup stops at the second)."""
    return Exists(Message.objects.filter(case_id=OuterRef("pk"), kind=MessageKind.OUTBOUND)[1:2])


def fcr_sample(scope: extensions.KpiScope) -> extensions.KpiSample:
    """Cases opened in the period and resolved, resolved with at most one reply to the customer and
    never reopened (first contact resolution)."""
    ended = Case.objects.filter(_created(scope), resolved_at__isnull=False).annotate(more=_second_reply())
    found = ended.aggregate(n=Count("pk"), first=Count("pk", filter=Q(more=False) & ~reopened()))
    return extensions.KpiSample(found["n"], found["first"])


def complaint_sample(scope: extensions.KpiScope) -> extensions.KpiSample:
    """Cases opened in the period that are complaints."""
    found = Case.objects.filter(_created(scope)).aggregate(
        n=Count("pk"), complaints=Count("pk", filter=Q(type=CaseType.COMPLAINT))
    )
    return extensions.KpiSample(found["n"], found["complaints"])


def complaint_cases(scope: extensions.KpiScope, limit: int) -> list[int]:
    rows = Case.objects.filter(_created(scope), type=CaseType.COMPLAINT).order_by("-created_at")
    return list(rows.values_list("pk", flat=True)[:limit])


def first_response_sample(scope: extensions.KpiScope) -> extensions.KpiSample:
    """Hours from a case opening to the first reply, for cases opened in the period and replied to
    (wall-clock hours: business time is the SLA's measure)."""
    hours = HoursBetween("created_at", "first_response_at")
    found = Case.objects.filter(_created(scope), first_response_at__isnull=False).aggregate(
        n=Count("pk"), total=Sum(hours), squares=Sum(hours * hours)
    )
    return extensions.KpiSample(found["n"], found["total"] or 0.0, found["squares"] or 0.0)


def slow_first_responses(scope: extensions.KpiScope, limit: int) -> list[int]:
    rows = Case.objects.filter(_created(scope), first_response_at__isnull=False).order_by("-first_response_at")
    return list(rows.values_list("pk", flat=True)[:limit])


def _source(
    label: str,
    sample: Callable[[extensions.KpiScope], extensions.KpiSample],
    *,
    definition: str,
    higher_is_better: bool,
    formula: str = "",
    source: str = "",
    kind: str = "proportion",
    unit: str = "%",
    behind: Callable[[extensions.KpiScope, int], Sequence[int]] | None = None,
) -> extensions.KpiSource:
    read = _proportion if kind == "proportion" else _mean
    return extensions.KpiSource(
        label=label,
        measure=lambda scope: read(sample(scope)),
        sample=sample,
        kind="proportion" if kind == "proportion" else "mean",
        higher_is_better=higher_is_better,
        unit=unit,
        definition=definition,
        behind=behind,
        formula=formula,
        source=source,
    )


def cost_sample(scope: extensions.KpiScope) -> extensions.KpiSample:
    """Staff cost per case: time tracking's minutes per case (``average_handling_time``'s sample)
    priced at the hourly staff cost assumed (``KpiAssumptions``). Scaling every value by the same
    rate scales the sum by it and the sum of squares by its square, so a Check tests cost exactly
    as it tests minutes. Nothing is measured when time tracking is not installed."""
    handling = extensions.kpi_sources.get(extensions.AVERAGE_HANDLING_TIME)
    if handling is None or handling.sample is None:
        return extensions.KpiSample(0, 0.0)
    minutes = handling.sample(scope)
    per_minute = float(KpiAssumptions.current().hourly_staff_cost) / 60
    return extensions.KpiSample(minutes.n, minutes.total * per_minute, minutes.squares * per_minute * per_minute)


REOPEN_RATE = "reopen_rate"
REPEAT_CONTACT_RATE = "repeat_contact_rate"
FCR = "fcr"
COMPLAINT_RATE = "complaint_rate"
FIRST_RESPONSE_HOURS = "first_response_hours"

OWN_KPIS: dict[str, extensions.KpiSource] = {
    REOPEN_RATE: _source(
        "Reopen rate",
        reopen_sample,
        definition="Share of cases opened in the period and ended that were reopened.",
        formula="100 x reopened / (cases opened in the period and resolved, closed or reopened)",
        source="Cases and their status history (a move from resolved or closed back to an open status)",
        higher_is_better=False,
        behind=reopened_cases,
    ),
    REPEAT_CONTACT_RATE: _source(
        "Repeat contact rate",
        repeat_sample,
        definition="Share of cases opened by a customer who opened another case in the 7 days before.",
        formula="100 x cases with an earlier case by the same customer within 7 days / cases opened",
        source="Cases (customer and opening time)",
        higher_is_better=False,
        behind=repeat_cases,
    ),
    FCR: _source(
        "First contact resolution",
        fcr_sample,
        definition="Share of resolved cases resolved with at most one reply and never reopened.",
        formula="100 x resolved with at most one reply and never reopened / resolved",
        source="Cases, their replies and their status history",
        higher_is_better=True,
    ),
    COMPLAINT_RATE: _source(
        "Complaint rate",
        complaint_sample,
        definition="Share of cases opened in the period that are complaints.",
        formula="100 x complaints opened / cases opened",
        source="Cases (type)",
        higher_is_better=False,
        behind=complaint_cases,
    ),
    FIRST_RESPONSE_HOURS: _source(
        "First response time (mean hours)",
        first_response_sample,
        definition="Mean wall-clock hours from a case opening to the first reply to the customer.",
        formula="sum of (first reply - opened) in hours / cases replied to",
        source="Cases (opened and first response times)",
        higher_is_better=False,
        kind="mean",
        unit=" h",
        behind=slow_first_responses,
    ),
    extensions.COST_PER_CASE: extensions.KpiSource(
        "Cost per case (staff time)",
        lambda scope: _mean(cost_sample(scope)),
        sample=cost_sample,
        kind="mean",
        higher_is_better=False,
        unit=" GBP",
        definition="Mean cost of the staff time recorded on a case, over cases with time recorded in the period.",
        formula="(minutes recorded / cases with time recorded) x hourly staff cost / 60",
        source="Time tracking (minutes on cases) at the hourly staff cost set in the KPI catalogue",
        assumptions=(
            "Staff time is costed at one hourly rate for everyone, set on the KPI catalogue page (£18.00 unless "
            "changed).",
            "Only recorded time counts: work nobody recorded is not in the figure.",
        ),
    ),
}


@dataclass(frozen=True)
class CatalogueEntry:
    name: str
    source: extensions.KpiSource

    @property
    def testable(self) -> bool:
        """Whether a Check can test it (the source gives its sample, not only a figure)."""
        return self.source.sample is not None


def catalogue() -> list[CatalogueEntry]:
    """Every KPI registered, by name."""
    return [
        CatalogueEntry(name, source) for name in extensions.kpi_sources if (source := extensions.kpi_sources.get(name))
    ]


def kpi_choices() -> list[tuple[str, str]]:
    return [(entry.name, entry.source.label) for entry in catalogue() if entry.testable]


@dataclass(frozen=True)
class Touchpoint:
    """A moment of truth in the customer journey: ``stage`` is pre-service, during service or
    post-service; ``internal`` marks a hand-off between teams (an internal customer, measured by an
    OLA)."""

    code: str
    stage: str
    label: str
    internal: bool = False


STAGES = (("pre", "Pre-service"), ("during", "During service"), ("post", "Post-service"))

TOUCHPOINTS: tuple[Touchpoint, ...] = (
    Touchpoint("finding_help", "pre", "Finding help"),
    Touchpoint("self_service", "pre", "Self-service"),
    Touchpoint("first_contact", "pre", "First contact, by channel"),
    Touchpoint("first_reply", "during", "First reply"),
    Touchpoint("updates", "during", "Updates while we work on it"),
    Touchpoint("handoff", "during", "Hand-off from front line to back office", internal=True),
    Touchpoint("resolution", "during", "Resolution"),
    Touchpoint("follow_up", "post", "Follow-up"),
    Touchpoint("survey", "post", "Survey"),
    Touchpoint("complaint", "post", "Complaint"),
    Touchpoint("renewal", "post", "Renewal"),
)
TOUCHPOINT_BY_CODE = {t.code: t for t in TOUCHPOINTS}
