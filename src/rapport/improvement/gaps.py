"""The service gap analysis (Plan, from evidence): for a period and a scope, the largest gaps
ranked by size and reach, each with its evidence, the cases behind it, and why it ranks where it
does.

Evidence comes from this app's own counts (repeat contacts, reopened cases, standards breached,
staff suggestions) and from every provider in ``rapport.extensions.gap_evidence`` (SLA attainment
by policy and team, RATER gaps and low CSAT/CES, complaint root causes, overdue data requests,
knowledge-base searches that found nothing, QA findings). The rank is
``rapport.domain.improvement.rank_gaps``: size x reach, then key — the same records always give
the same order, and each rank says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from rapport import extensions
from rapport.domain.improvement import Rag, rag, rank_gaps
from rapport.improvement import catalogue
from rapport.improvement.models import Standard, Suggestion, SuggestionStatus

OWN = "improvement"
CASES_SHOWN = 20


@dataclass(frozen=True)
class Gap:
    rank: int
    provider: str
    evidence: extensions.GapEvidence
    score: float
    why: str


def gap_scope(dimension: str, value: str, start: datetime, end: datetime) -> extensions.GapScope:
    return extensions.GapScope(
        start=start, end=end, cases=catalogue.case_filter(dimension, value), dimension=dimension, value=value
    )


def _kpi_scope(scope: extensions.GapScope) -> extensions.KpiScope:
    return extensions.KpiScope(cases=scope.cases, start=scope.start, end=scope.end)


def _rate_gap(
    scope: extensions.GapScope, name: str, key: str, title: str, touchpoint: str
) -> extensions.GapEvidence | None:
    source = catalogue.OWN_KPIS[name]
    assert source.sample is not None
    sample = source.sample(_kpi_scope(scope))
    if not sample.n or not sample.total:
        return None
    size = sample.total / sample.n
    behind = tuple(source.behind(_kpi_scope(scope), CASES_SHOWN)) if source.behind else ()
    return extensions.GapEvidence(
        key=key,
        title=title,
        size=size,
        reach=sample.n,
        why=f"{int(sample.total)} of {sample.n} cases ({size:.0%}).",
        touchpoint=touchpoint,
        case_ids=behind,
    )


def standards_breached(scope: extensions.GapScope) -> list[extensions.GapEvidence]:
    """Each standard whose KPI is amber or red in the scope: the shortfall against its target,
    relative to the target, over the cases counted."""
    found = []
    kpi_scope = _kpi_scope(scope)
    for standard in Standard.objects.order_by("id"):
        source = extensions.kpi_sources.get(standard.kpi)
        if source is None or source.sample is None:
            continue
        sample = source.sample(kpi_scope)
        value = source.measure(kpi_scope) if sample.n else None
        state = rag(
            value, target=standard.target, higher_is_better=source.higher_is_better, amber_within=standard.amber_within
        )
        if value is None or state in (Rag.GREEN, Rag.NONE):
            continue
        shortfall = abs(standard.target - value)
        touchpoint = catalogue.TOUCHPOINT_BY_CODE.get(standard.touchpoint)
        found.append(
            extensions.GapEvidence(
                key=f"standard:{standard.touchpoint}",
                title=f"Standard not met at {touchpoint.label if touchpoint else standard.touchpoint}: "
                f"{source.label} {value:.1f}{source.unit} against {standard.target:g}{source.unit}",
                size=shortfall / standard.target if standard.target else 1.0,
                reach=sample.n,
                why=f"{state.value.capitalize()}: {shortfall:.1f}{source.unit} short of the target "
                f"over {sample.n} counted.",
                touchpoint=standard.touchpoint,
                case_ids=tuple(source.behind(kpi_scope, CASES_SHOWN)) if source.behind else (),
            )
        )
    return found


def suggestions(scope: extensions.GapScope) -> list[extensions.GapEvidence]:
    """Staff suggestions not yet taken up in the period, by touchpoint: half a point each."""
    rows = (
        Suggestion.objects.filter(status=SuggestionStatus.NEW, created_at__gte=scope.start, created_at__lt=scope.end)
        .values("touchpoint")
        .annotate(n=Count("pk"))
        .order_by("touchpoint")
    )
    return [
        extensions.GapEvidence(
            key=f"suggestions:{row['touchpoint'] or 'general'}",
            title=f"Staff suggestions about {catalogue.TOUCHPOINT_BY_CODE[row['touchpoint']].label.lower()}"
            if row["touchpoint"] in catalogue.TOUCHPOINT_BY_CODE
            else "Staff suggestions",
            size=0.5,
            reach=row["n"],
            why=f"{row['n']} suggestion(s) from front-line staff not yet taken up (each counts half).",
            touchpoint=row["touchpoint"],
        )
        for row in rows
    ]


def own_evidence(scope: extensions.GapScope) -> list[extensions.GapEvidence]:
    found = [
        _rate_gap(
            scope,
            catalogue.REPEAT_CONTACT_RATE,
            "repeat_contacts",
            "Customers contacting us again within 7 days",
            "resolution",
        ),
        _rate_gap(
            scope, catalogue.REOPEN_RATE, "reopened", "Cases reopened after we said they were done", "resolution"
        ),
    ]
    return [item for item in found if item is not None] + standards_breached(scope) + suggestions(scope)


def analyse(scope: extensions.GapScope, *, limit: int = 50) -> list[Gap]:
    """The gaps in ``scope``, largest first, each with why it ranks there."""
    everything = [(OWN, item) for item in own_evidence(scope)] + extensions.gaps_from_providers(scope)
    by_key = {f"{provider}/{item.key}": (provider, item) for provider, item in everything}
    ranked = rank_gaps([(key, item.size, item.reach) for key, (_, item) in by_key.items()])
    gaps = []
    for position, entry in enumerate(ranked[:limit], start=1):
        provider, item = by_key[entry.key]
        gaps.append(Gap(position, provider, item, entry.score, entry.why))
    return gaps


def find(scope: extensions.GapScope, key: str) -> Gap | None:
    """One gap by its full key (``provider/key``), for turning it into an initiative."""
    return next((gap for gap in analyse(scope, limit=10_000) if f"{gap.provider}/{gap.evidence.key}" == key), None)
