"""Service-gap evidence from the SLA clocks, for the improvement gap analysis
(``extensions.gap_evidence``): targets missed, by policy and by team, and the sample behind the
SLA attainment KPI."""

from __future__ import annotations

from django.db.models import Count, Q

from rapport import extensions
from rapport.sla.models import Clock

CASES_SHOWN = 20


def _decided(scope: extensions.KpiScope | extensions.GapScope) -> Q:
    return (
        scope.cases("case__")
        & Q(started_at__gte=scope.start, started_at__lt=scope.end)
        & (Q(stopped_at__isnull=False) | Q(breached_at__isnull=False))
    )


def attainment_sample(scope: extensions.KpiScope) -> extensions.KpiSample:
    """Targets decided in the period (clocks started in it, stopped or breached) and those met."""
    found = Clock.objects.filter(_decided(scope)).aggregate(
        n=Count("pk"), met=Count("pk", filter=Q(breached_at__isnull=True))
    )
    return extensions.KpiSample(found["n"], found["met"])


def breached_cases(scope: extensions.KpiScope, limit: int) -> list[int]:
    rows = Clock.objects.filter(_decided(scope), breached_at__isnull=False).order_by("-breached_at", "-id")
    return list(rows.values_list("case_id", flat=True)[:limit])


def missed_targets(scope: extensions.GapScope) -> list[extensions.GapEvidence]:
    """Each policy and each team that missed targets in the period: the share missed over the
    targets decided. Two grouped queries, then one per gap for its cases (policies and teams are
    few)."""
    found = []
    for column, label in (("policy", "SLA policy"), ("team", "Team")):
        names = ["policy__name", "policy__internal"] if column == "policy" else ["case__team_id", "case__team__name"]
        rows = (
            Clock.objects.filter(_decided(scope))
            .values(*names)
            .annotate(n=Count("pk"), missed=Count("pk", filter=Q(breached_at__isnull=False)))
            .order_by(*names)
        )
        for row in rows:
            if not row["missed"]:
                continue
            name = row["policy__name"] if column == "policy" else row["case__team__name"] or "No team"
            key_part = name if column == "policy" else str(row["case__team_id"])
            filter_ = Q(policy__name=name) if column == "policy" else Q(case__team_id=row["case__team_id"])
            cases = Clock.objects.filter(_decided(scope), filter_, breached_at__isnull=False).order_by("-breached_at")
            found.append(
                extensions.GapEvidence(
                    key=f"sla:{column}:{key_part}",
                    title=f"{label} {name}: SLA targets missed",
                    size=row["missed"] / row["n"],
                    reach=row["n"],
                    why=f"{row['missed']} of {row['n']} targets missed "
                    f"({100 * (row['n'] - row['missed']) / row['n']:.0f}% attained).",
                    # An OLA's clock measures a hand-off to the back office (an internal customer).
                    touchpoint="handoff" if row.get("policy__internal") else "first_reply",
                    case_ids=tuple(dict.fromkeys(cases.values_list("case_id", flat=True)[:CASES_SHOWN])),
                    link="/sla/",
                )
            )
    return found
