"""What feedback gives continuous improvement: CSAT and CES in the KPI catalogue
(``extensions.kpi_sources``, with the samples a Check tests), and service-gap evidence
(``extensions.gap_evidence``): RATER expectation-perception gaps by dimension, and low CSAT and
CES by case type."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from rapport import extensions
from rapport.domain.scoring import SCALES
from rapport.feedback.models import RATER_FIELDS, SurveyAnswer, SurveyKind

CASES_SHOWN = 20
LOW_CSAT = 3  # 1-5: 3 or under is not satisfied (CSAT counts 4 and 5)
LOW_CES = 3  # 1-7: 3 or under is hard work
RATER_TOUCHPOINTS = {
    "reliability": "resolution",
    "responsiveness": "first_reply",
    "assurance": "first_contact",
    "empathy": "updates",
    "tangibles": "self_service",
}


def _answers(scope: extensions.KpiScope | extensions.GapScope, kind: str) -> QuerySet[SurveyAnswer]:
    return SurveyAnswer.objects.filter(
        scope.cases("case__"), kind=kind, answered_at__gte=scope.start, answered_at__lt=scope.end, score__isnull=False
    )


def csat_sample(scope: extensions.KpiScope) -> extensions.KpiSample:
    """CSAT answers in the period on the scope's cases, and those satisfied (4 or 5)."""
    found = _answers(scope, SurveyKind.CSAT).aggregate(n=Count("pk"), satisfied=Count("pk", filter=Q(score__gte=4)))
    return extensions.KpiSample(found["n"], found["satisfied"])


def ces_sample(scope: extensions.KpiScope) -> extensions.KpiSample:
    """CES answers in the period: their number, sum and sum of squares (7 = very easy)."""
    found = _answers(scope, SurveyKind.CES).aggregate(
        n=Count("pk"), total=Sum("score"), squares=Sum(F("score") * F("score"))
    )
    return extensions.KpiSample(found["n"], float(found["total"] or 0), float(found["squares"] or 0))


def nps_sample(scope: extensions.KpiScope) -> extensions.KpiSample:
    """NPS answers (0-10) in the period on the scope's cases, each read as +100 for a promoter
    (9-10), 0 for a passive (7-8) and -100 for a detractor (0-6): their number, sum and sum of
    squares. The mean of these values is the NPS (% promoters - % detractors), so a Check tests it
    with Welch's t-test like any mean. One query."""
    found = _answers(scope, SurveyKind.NPS).aggregate(
        n=Count("pk"), promoters=Count("pk", filter=Q(score__gte=9)), detractors=Count("pk", filter=Q(score__lte=6))
    )
    net, either = found["promoters"] - found["detractors"], found["promoters"] + found["detractors"]
    return extensions.KpiSample(found["n"], 100.0 * net, 10000.0 * either)


def _low(kind: str, threshold: int):  # type: ignore[no-untyped-def]
    def cases(scope: extensions.KpiScope, limit: int) -> list[int]:
        rows = _answers(scope, kind).filter(score__lte=threshold, case__isnull=False).order_by("-answered_at")
        return [case_id for case_id in rows.values_list("case_id", flat=True)[:limit] if case_id is not None]

    return cases


CSAT = extensions.KpiSource(
    "CSAT",
    lambda scope: 100 * s.total / s.n if (s := csat_sample(scope)).n else None,
    sample=csat_sample,
    definition="Share of CSAT answers (1-5) that are 4 or 5.",
    formula="100 x answers of 4 or 5 / CSAT answers",
    source="Feedback: CSAT survey answers (1-5) on the scope's cases",
    behind=_low(SurveyKind.CSAT, LOW_CSAT),
)
NPS = extensions.KpiSource(
    "NPS",
    lambda scope: s.total / s.n if (s := nps_sample(scope)).n else None,
    sample=nps_sample,
    kind="mean",
    unit="",
    definition="Net Promoter Score: the share of promoters less the share of detractors, from -100 to 100.",
    formula="100 x (promoters (9-10) - detractors (0-6)) / NPS answers",
    source="Feedback: NPS survey answers (0-10); Reichheld, 'The One Number You Need to Grow', HBR 2003",
    behind=_low(SurveyKind.NPS, 6),
)
CES = extensions.KpiSource(
    "CES (mean, 1-7)",
    lambda scope: s.total / s.n if (s := ces_sample(scope)).n else None,
    sample=ces_sample,
    kind="mean",
    unit="",
    definition="Mean customer effort score, where 7 means the issue was very easy to resolve.",
    formula="sum of CES scores / CES answers",
    source="Feedback: CES survey answers (1-7, Dixon, Freeman and Toman, HBR 2010)",
    behind=_low(SurveyKind.CES, LOW_CES),
)


def rater_gaps(scope: extensions.GapScope) -> list[extensions.GapEvidence]:
    """Each RATER dimension where perception falls short of expectation: the gap over the 6 points
    the 1-7 scale allows (size), over the answers (reach). One query."""
    totals: dict[str, Any] = {}
    for _dimension, expected, perceived in RATER_FIELDS:
        totals |= {
            f"{expected}__sum": Sum(expected),
            f"{perceived}__sum": Sum(perceived),
            f"{expected}__n": Count(expected),
        }
    # RATER campaigns ask customers, not about one case: the whole service counts every answer.
    sliced = Q() if scope.dimension == "service" else scope.cases("case__")
    answers = SurveyAnswer.objects.filter(
        sliced, kind=SurveyKind.RATER, answered_at__gte=scope.start, answered_at__lt=scope.end
    )
    sums = answers.aggregate(**totals)
    low, high = SCALES["rater"]
    found = []
    for dimension, expected, perceived in RATER_FIELDS:
        n = sums[f"{expected}__n"]
        if not n:
            continue
        gap = (sums[f"{perceived}__sum"] - sums[f"{expected}__sum"]) / n
        if gap >= 0:
            continue
        found.append(
            extensions.GapEvidence(
                key=f"rater:{dimension.value}",
                title=f"RATER: {dimension.value} falls short of what customers expect",
                size=-gap / (high - low),
                reach=n,
                why=f"Perception {sums[f'{perceived}__sum'] / n:.2f} against expectation "
                f"{sums[f'{expected}__sum'] / n:.2f} ({gap:+.2f} on a {low}-{high} scale) over {n} answers.",
                touchpoint=RATER_TOUCHPOINTS.get(dimension.value, ""),
                link="/feedback/",
            )
        )
    return found


def low_scores(scope: extensions.GapScope) -> list[extensions.GapEvidence]:
    """Low CSAT and low CES by case type: the share of answers at or under the low mark. One grouped
    query per survey, then one per gap for its cases."""
    found = []
    for kind, threshold, name in ((SurveyKind.CSAT, LOW_CSAT, "CSAT"), (SurveyKind.CES, LOW_CES, "CES")):
        answers = _answers(scope, kind)
        rows = answers.values("case_type").annotate(n=Count("pk"), low=Count("pk", filter=Q(score__lte=threshold)))
        for row in rows.order_by("case_type"):
            if not row["low"]:
                continue
            case_type = row["case_type"] or "other"
            cases = answers.filter(case_type=row["case_type"], score__lte=threshold, case__isnull=False)
            found.append(
                extensions.GapEvidence(
                    key=f"low_{name.lower()}:{case_type}",
                    title=f"Low {name} on {case_type.replace('_', ' ')} cases",
                    size=row["low"] / row["n"],
                    reach=row["n"],
                    why=f"{row['low']} of {row['n']} {name} answers at {threshold} or under.",
                    touchpoint="survey",
                    case_ids=tuple(
                        c for c in cases.order_by("-answered_at").values_list("case_id", flat=True)[:CASES_SHOWN] if c
                    ),
                    link="/feedback/",
                )
            )
    return found
