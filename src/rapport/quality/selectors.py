"""Reads in quality reviews: the queue, review lists, the reports (QA score by agent, team,
behaviour, channel and case type), the link with CSAT/FCR/reopen rate, calibration agreement, and
what other apps read through the registries (the ``qa_score`` KPI, QA findings for the gap
analysis). Every report is a fixed number of grouped queries, whatever the number of reviews."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from rapport import extensions
from rapport.accounts.models import User
from rapport.cases.models import Case, Message, MessageKind, reopened_case_ids
from rapport.domain import agreement, correlation
from rapport.domain import quality as rules
from rapport.platform.pagination import Keyset, Page
from rapport.quality.models import Behaviour, Calibration, QueueItem, Rating, Review, ReviewStatus

DONE = [ReviewStatus.SUBMITTED, ReviewStatus.DISPUTED, ReviewStatus.DECIDED]
DIMENSIONS = {
    "agent": ("agent_id", "agent__name"),
    "team": ("team_id", "team__name"),
    "channel": ("channel", "channel"),
    "case_type": ("case_type", "case_type"),
}
DIMENSION_LABELS = {
    "agent": "Agent",
    "team": "Team",
    "behaviour": "Behaviour",
    "channel": "Channel",
    "case_type": "Case type",
}


def done(reviews: QuerySet[Review], start: datetime, end: datetime) -> QuerySet[Review]:
    """Submitted reviews of real work (not calibration) in [start, end)."""
    return reviews.filter(status__in=DONE, calibration__isnull=True, submitted_at__gte=start, submitted_at__lt=end)


def queue_for(reviewer: User) -> QuerySet[QueueItem]:
    return (
        QueueItem.objects.filter(reviewer=reviewer, review__isnull=True)
        .select_related("case", "agent")
        .order_by("week", "id")
    )


@dataclass(frozen=True)
class ReportRow:
    key: object
    label: str
    n: int
    score: float | None
    failed: int


def _by_behaviour(rows: QuerySet[Review]) -> list[ReportRow]:
    """Each behaviour's mean rating as a share of its scale: ratings summed by behaviour in one
    grouped query (no join), each behaviour's sum normalised by its own version's scale, versions
    merged by the behaviour's code."""
    grouped = (
        Rating.objects.filter(review__in=rows.values("pk"), value__isnull=False)
        .values("behaviour_id")
        .annotate(n=Count("pk"), total=Sum("value"))
        .order_by()
    )
    sums = {row["behaviour_id"]: (row["n"], row["total"]) for row in grouped}
    behaviours = (
        Behaviour.objects.filter(pk__in=list(sums)).select_related("version").order_by("version_id", "position")
    )
    merged: dict[str, list[float]] = {}
    names: dict[str, str] = {}
    for behaviour in behaviours:
        n, total = sums[behaviour.pk]
        low, high = behaviour.version.scale_min, behaviour.version.scale_max
        names[behaviour.code] = behaviour.name  # the latest version's name
        acc = merged.setdefault(behaviour.code, [0, 0.0])
        acc[0] += n
        acc[1] += (total - n * low) / (high - low)
    return sorted(
        (
            ReportRow(code, names[code], int(n), round(100 * share / n, 1) if n else None, 0)
            for code, (n, share) in merged.items()
        ),
        key=lambda r: (r.score if r.score is not None else 101, r.label),
    )


def report(reviews: QuerySet[Review], dimension: str, start: datetime, end: datetime) -> list[ReportRow]:
    """The mean QA score by ``dimension`` (behaviour: the mean rating as a percentage of its scale)."""
    rows = done(reviews, start, end)
    if dimension == "behaviour":
        return _by_behaviour(rows)
    key, label = DIMENSIONS[dimension]
    grouped = (
        rows.values(key, label)
        .annotate(n=Count("pk"), mean=Avg("score"), failed=Count("pk", filter=Q(failed=True)))
        .order_by(label, key)
    )
    return [
        ReportRow(
            row[key],
            str(row[label] or "—"),
            row["n"],
            round(row["mean"], 1) if row["mean"] is not None else None,
            row["failed"],
        )
        for row in grouped
    ]


def trend(reviews: QuerySet[Review], start: datetime, end: datetime) -> list[tuple[datetime, int, float | None]]:
    """Mean QA score week by week."""
    rows = (
        done(reviews, start, end)
        .annotate(week=TruncWeek("submitted_at"))
        .values("week")
        .annotate(n=Count("pk"), mean=Avg("score"))
        .order_by("week")
    )
    return [(row["week"], row["n"], round(row["mean"], 1) if row["mean"] is not None else None) for row in rows]


@dataclass(frozen=True)
class Link:
    measure: str
    label: str
    result: correlation.Correlation | None
    n: int


def links(reviews: QuerySet[Review], start: datetime, end: datetime) -> list[Link]:
    """How QA scores go with CSAT, first contact resolution and reopening over the reviewed cases:
    Spearman's rho with its 95% Fisher z interval and n. An association, never a cause."""
    rows = (
        done(reviews, start, end)
        .filter(score__isnull=False)
        .annotate(reopened=ExpressionWrapper(Q(case_id__in=reopened_case_ids()), BooleanField()))
        .order_by()
        .values_list("case_id", "score", "case__resolved_at", "reopened")
    )
    scored: dict[int, float] = {}
    resolved: set[int] = set()
    reopened: set[int] = set()
    for case_id, score, resolved_at, was_reopened in rows:
        if score is None:
            continue
        scored[case_id] = score
        if resolved_at is not None:
            resolved.add(case_id)
        if was_reopened:
            reopened.add(case_id)
    if not scored:
        return [
            Link(m, label, None, 0)
            for m, label in (("csat", "CSAT"), ("fcr", "First contact resolution"), ("reopened", "Reopened"))
        ]
    reviewed = done(reviews, start, end).filter(score__isnull=False).values("case_id")
    replies = dict(
        Message.objects.filter(case_id__in=reviewed, kind=MessageKind.OUTBOUND)
        .values("case_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("case_id", "n")
    )
    csat = extensions.case_fact(extensions.CSAT, min(scored), max(scored))
    xs_csat, ys_csat, xs_fcr, ys_fcr, xs_re, ys_re = [], [], [], [], [], []
    for pk in sorted(scored):
        qa = scored[pk]
        if pk in csat:
            xs_csat.append(qa)
            ys_csat.append(float(csat[pk]))
        if pk in resolved:
            xs_fcr.append(qa)
            ys_fcr.append(1.0 if replies.get(pk, 0) <= 1 and pk not in reopened else 0.0)
        if pk in resolved or pk in reopened:
            xs_re.append(qa)
            ys_re.append(1.0 if pk in reopened else 0.0)
    return [
        Link("csat", "CSAT", correlation.correlate(xs_csat, ys_csat), len(xs_csat)),
        Link("fcr", "First contact resolution", correlation.correlate(xs_fcr, ys_fcr), len(xs_fcr)),
        Link("reopened", "Reopened", correlation.correlate(xs_re, ys_re), len(xs_re)),
    ]


# --- calibration ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BehaviourAgreement:
    code: str
    name: str
    ratings: dict[int, int | None]
    spread: agreement.Spread | None


@dataclass(frozen=True)
class CalibrationView:
    reviewers: list[User]
    submitted: set[int]
    behaviours: list[BehaviourAgreement]
    alpha: float | None
    scores: dict[int, float | None]


def calibration_view(calibration: Calibration) -> CalibrationView:
    """Each reviewer's rating of each behaviour, the spread per behaviour and Krippendorff's alpha
    (ordinal) over the behaviours. Three queries."""
    reviewers = list(calibration.reviewers.order_by("name", "id"))
    reviews = list(calibration.reviews.filter(submitted_at__isnull=False))
    submitted = {r.reviewer_id for r in reviews if r.reviewer_id}
    ratings = Rating.objects.filter(review__in=[r.pk for r in reviews]).select_related("behaviour", "review")
    table: dict[str, dict[int, int | None]] = defaultdict(dict)
    names: dict[str, tuple[int, str]] = {}
    for rating in ratings:
        table[rating.behaviour.code][rating.review.reviewer_id or 0] = rating.value
        names[rating.behaviour.code] = (rating.behaviour.position, rating.behaviour.name)
    behaviours = [
        BehaviourAgreement(
            code, names[code][1], table[code], agreement.spread([table[code].get(r.pk) for r in reviewers])
        )
        for code in sorted(table, key=lambda c: names[c][0])
    ]
    units = [[table[b.code].get(r.pk) for r in reviewers] for b in behaviours]
    return CalibrationView(
        reviewers, submitted, behaviours, agreement.alpha(units), {r.reviewer_id or 0: r.score for r in reviews}
    )


@dataclass(frozen=True)
class AgreementRow:
    label: str
    units: int
    alpha: float | None

    @property
    def reading(self) -> str:
        return agreement.reading(self.alpha)


def agreement_over_time(start: datetime, end: datetime) -> tuple[list[AgreementRow], list[AgreementRow]]:
    """Krippendorff's alpha (ordinal) month by month over every (calibration, behaviour) rated, and
    per behaviour over the calibrations of the period. One query."""
    rows = Rating.objects.filter(
        review__calibration__created_at__gte=start,
        review__calibration__created_at__lt=end,
        review__submitted_at__isnull=False,
        value__isnull=False,
    ).values_list(
        "review__calibration_id",
        TruncMonth("review__calibration__created_at"),
        "behaviour__code",
        "behaviour__name",
        "review__reviewer_id",
        "value",
    )
    by_month: dict[datetime, dict[tuple[int, str], dict[int, float | None]]] = defaultdict(lambda: defaultdict(dict))
    by_behaviour: dict[str, dict[int, dict[int, float | None]]] = defaultdict(lambda: defaultdict(dict))
    names: dict[str, str] = {}
    for calibration_id, month, code, name, reviewer_id, value in rows:
        by_month[month][(calibration_id, code)][reviewer_id] = value
        by_behaviour[code][calibration_id][reviewer_id] = value
        names[code] = name
    months = [
        AgreementRow(month.strftime("%B %Y"), len(units), agreement.alpha(agreement.units_from(units)))
        for month, units in sorted(by_month.items())
    ]
    behaviours = [
        AgreementRow(names[code], len(units), agreement.alpha(agreement.units_from(units)))
        for code, units in sorted(by_behaviour.items(), key=lambda item: names[item[0]])
    ]
    return months, behaviours


# --- through the registries -----------------------------------------------------------------------


def _scoped(scope_cases: Q, start: datetime, end: datetime) -> QuerySet[Review]:
    return done(Review.objects.all(), start, end).filter(case__in=Case.objects.filter(scope_cases).values("pk"))


def qa_sample(scope: extensions.KpiScope) -> extensions.KpiSample:
    """The QA scores of reviews submitted in the scope's period on its cases (n, sum, sum of squares)."""
    rows = _scoped(scope.cases(""), scope.start, scope.end).filter(score__isnull=False)
    found = rows.aggregate(n=Count("pk"), total=Sum("score"), squares=Sum(F("score") * F("score")))
    return extensions.KpiSample(found["n"], float(found["total"] or 0), float(found["squares"] or 0))


def qa_score(scope: extensions.KpiScope) -> float | None:
    sample = qa_sample(scope)
    return round(sample.total / sample.n, 1) if sample.n else None


def qa_behind(scope: extensions.KpiScope, limit: int) -> list[int]:
    rows = _scoped(scope.cases(""), scope.start, scope.end).filter(score__isnull=False).order_by("score", "id")
    return list(rows.values_list("case_id", flat=True)[:limit])


QA_SOURCE = extensions.KpiSource(
    label="QA score",
    measure=qa_score,
    sample=qa_sample,
    kind="mean",
    higher_is_better=True,
    unit="",
    definition="Mean score (0-100) of the quality reviews submitted in the period on the cases in scope; "
    "a review that fails a critical item scores 0.",
    behind=qa_behind,
    formula="mean of review scores; a review's score = 100 x sum(weight x (rating - lowest) / (highest - lowest))"
    " / sum(weights rated), 0 when a critical item fails",
    source="Quality reviews (quality app), by the date each was submitted",
)


def qa_findings(scope: extensions.GapScope) -> list[extensions.GapEvidence]:
    """Behaviours quality reviews found below standard in the scope (the share of ratings in the
    lower half of the scale), and critical items breached: evidence for the gap analysis."""
    reviews = _scoped(scope.cases(""), scope.start, scope.end)
    ratings = Rating.objects.filter(review__in=reviews.values("pk"), value__isnull=False).values_list(
        "behaviour__code",
        "behaviour__name",
        "value",
        "review__version__scale_min",
        "review__version__scale_max",
        "review__case_id",
    )
    counts: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    cases: dict[str, list[int]] = defaultdict(list)
    for code, name, value, low, high, case_id in ratings:
        names.setdefault(code, name)
        acc = counts.setdefault(code, [0, 0])
        acc[0] += 1
        if value is not None and rules.below_standard(value, lowest=low, highest=high):
            acc[1] += 1
            if len(cases[code]) < 50:
                cases[code].append(case_id)
    found = [
        extensions.GapEvidence(
            key=f"behaviour:{code}",
            title=f"QA reviews: {names[code].lower()} below standard",
            size=below / n,
            reach=below,
            why=f"{below} of {n} ratings of {names[code].lower()} in the lower half of the scale ({below / n:.0%}).",
            touchpoint="resolution",
            case_ids=tuple(sorted(set(cases[code]))),
            link="/quality/",
        )
        for code, (n, below) in sorted(counts.items())
        if below
    ]
    tally = reviews.aggregate(n=Count("pk"), failed=Count("pk", filter=Q(failed=True)))
    if tally["failed"]:
        failed = list(reviews.filter(failed=True).order_by("case_id").values_list("case_id", flat=True)[:50])
        found.append(
            extensions.GapEvidence(
                key="critical",
                title="QA reviews failed on a critical item",
                size=tally["failed"] / tally["n"],
                reach=tally["failed"],
                why=f"{tally['failed']} of {tally['n']} reviews failed a critical item "
                "(data protection or a statutory right).",
                touchpoint="resolution",
                case_ids=tuple(sorted(failed)),
                link="/quality/",
            )
        )
    return found


def reviews_page_rows(reviews: QuerySet[Review]) -> QuerySet[Review]:
    return reviews.select_related("agent", "reviewer", "case", "version__scorecard", "team")


def case_has_review(case_ids: Sequence[int]) -> set[int]:
    return set(
        Review.objects.filter(case_id__in=list(case_ids), calibration__isnull=True).values_list("case_id", flat=True)
    )


REVIEW_ORDER = Keyset((("created_at", datetime, True), ("id", int, True)))


def reviews_page(reviews: QuerySet[Review], *, cursor: str | None, size: int) -> Page[Review]:
    return REVIEW_ORDER.paginate(reviews_page_rows(reviews), cursor=cursor, size=size)


CSV_HEADER = [
    "Review",
    "Case",
    "Agent",
    "Reviewer",
    "Team",
    "Channel",
    "Case type",
    "Scorecard",
    "Status",
    "Score",
    "Failed critical item",
    "Submitted",
]


def csv_rows(reviews: QuerySet[Review], start: datetime, end: datetime) -> Iterator[list[object]]:
    rows = reviews_page_rows(done(reviews, start, end)).order_by("submitted_at", "id")
    for r in rows.iterator(chunk_size=2000):
        yield [
            r.pk,
            r.case.reference,
            r.agent.name,
            r.reviewer.name if r.reviewer else "",
            r.team.name if r.team else "",
            r.channel,
            r.case_type,
            f"{r.version.scorecard.name} v{r.version.number}",
            r.get_status_display(),
            r.score if r.score is not None else "",
            "yes" if r.failed else "no",
            r.submitted_at.isoformat() if r.submitted_at else "",
        ]
