"""Every KPI read: figures for a period and a slice of the desk, bounded by the viewer's scope.

Seed 004: "measure service quality through tangible metrics". The figures come from the rollup
tables (``CaseFact``, ``DailyRollup``) and survey answers, never from loading cases one by one;
a period costs a fixed number of queries whatever its size.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet, Sum

from rapport import extensions
from rapport.accounts.models import Team, User
from rapport.cases.models import Case
from rapport.customers.models import INTERNAL_KINDS, Customer
from rapport.domain.case_rules import CaseType
from rapport.domain.scoring import (
    Distribution,
    NetPromoter,
    RaterGaps,
    Score,
    ces,
    churn_risk,
    csat,
    nps,
    rate,
    rater_gaps_from_totals,
    signed,
)
from rapport.feedback import access as policy
from rapport.feedback.clock import day_start, local_day
from rapport.feedback.models import (
    RATER_FIELDS,
    CaseFact,
    CauseRollup,
    DailyRollup,
    FeedbackSettings,
    FollowUp,
    LoyaltyTier,
    Order,
    ScoreRollup,
    StaffMeasure,
    SurveyAnswer,
    SurveyInvitation,
    SurveyKind,
    TimingRollup,
)
from rapport.feedback.rollup import BUCKET_S

NOT_MEASURED = "not measured"


@dataclass(frozen=True)
class Slice:
    """Which cases a set of figures covers: a period [start, end) of office days and filters."""

    start: date
    end: date
    team_ids: tuple[int, ...] | None = None
    owner_id: int | None = None
    channel: str = ""
    case_type: str = ""
    group: str = ""  # "internal" | "external" | ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def previous(self) -> Slice:
        return replace(self, start=self.start - timedelta(days=self.days), end=self.start)

    def scoped(self, actor: User) -> Slice:
        """The slice narrowed to what ``actor`` may see (policy.dashboard_scope)."""
        teams, owner = policy.dashboard_scope(actor)
        narrowed = self
        if teams is not None:
            allowed = set(teams) if self.team_ids is None else set(teams) & set(self.team_ids)
            narrowed = replace(narrowed, team_ids=tuple(sorted(allowed)))
        if owner is not None:
            narrowed = replace(narrowed, owner_id=owner)
        return narrowed


def _dims(
    s: Slice,
    *,
    team: str = "team_key",
    owner: str | None = "owner_key",
    channel: str = "channel",
    case_type: str = "case_type",
    internal: str = "internal",
) -> Q:
    q = Q()
    if s.team_ids is not None:
        q &= Q(**{f"{team}__in": list(s.team_ids)})
    if s.owner_id is not None and owner:
        q &= Q(**{owner: s.owner_id})
    if s.channel:
        q &= Q(**{channel: s.channel})
    if s.case_type:
        q &= Q(**{case_type: s.case_type})
    if s.group:
        q &= Q(**{internal: s.group == "internal"})
    return q


@dataclass(frozen=True)
class Figures:
    """The KPIs of one slice."""

    created: int
    resolved: int
    first_response: Distribution
    resolution: Distribution
    first_contact_rate: float | None
    reopen_rate: float | None
    complaints: int
    csat: Score
    ces: Score
    nps: NetPromoter
    rater: RaterGaps
    sla_attainment: float | None = None
    daily: tuple[tuple[date, int, int], ...] = field(default=())
    proactive: float | None = None  # outbound messages sent, counted apart from cases raised (ADR 0021)


def _counts(s: Slice) -> tuple[int, int, int, int, int, list[tuple[date, int, int]]]:
    """created, resolved, first-contact resolved, reopened, complaints, and per-day volumes."""
    if s.owner_id is None:
        rows = DailyRollup.objects.filter(_dims(s, owner=None), day__gte=s.start, day__lt=s.end)
        per_day = rows.values("day").annotate(c=Sum("created"), r=Sum("resolved")).order_by("day")
        daily = [(r["day"], r["c"], r["r"]) for r in per_day]
        totals = rows.aggregate(
            fcr=Sum("first_contact_resolved"),
            reopened=Sum("reopened"),
            complaints=Sum("created", filter=Q(case_type=CaseType.COMPLAINT)),
        )
        return (
            sum(d[1] for d in daily),
            sum(d[2] for d in daily),
            totals["fcr"] or 0,
            totals["reopened"] or 0,
            totals["complaints"] or 0,
            daily,
        )
    facts = CaseFact.objects.filter(_dims(s))
    made = dict(
        facts.filter(created_day__gte=s.start, created_day__lt=s.end)
        .values("created_day")
        .annotate(n=Count("pk"))
        .values_list("created_day", "n")
        .order_by()
    )
    complaints = facts.filter(created_day__gte=s.start, created_day__lt=s.end, case_type=CaseType.COMPLAINT).count()
    done = facts.filter(resolved_day__gte=s.start, resolved_day__lt=s.end)
    closed = {
        r["resolved_day"]: r
        for r in done.values("resolved_day")
        .annotate(n=Count("pk"), fcr=Count("pk", filter=Q(first_contact=True)), re=Count("pk", filter=Q(reopened=True)))
        .order_by()
    }
    days = sorted(d for d in set(made) | set(closed) if d is not None)  # the filters leave no None
    daily = [(d, made.get(d, 0), closed[d]["n"] if d in closed else 0) for d in days]
    return (
        sum(made.values()),
        sum(r["n"] for r in closed.values()),
        sum(r["fcr"] for r in closed.values()),
        sum(r["re"] for r in closed.values()),
        complaints,
        daily,
    )


def _expand(rows: Iterable[tuple[Any, int]]) -> list[int]:
    return [value for value, n in rows for _ in range(n) if value is not None]


def _answers(s: Slice) -> QuerySet[SurveyAnswer]:
    return SurveyAnswer.objects.filter(
        _dims(s, team="team_id", owner="agent_id", case_type="case_type"),
        answered_at__gte=day_start(s.start),
        answered_at__lt=day_start(s.end),
    )


def _survey_scores(s: Slice) -> tuple[Score, Score, NetPromoter, RaterGaps]:
    """CSAT, CES and NPS from counts per score (``ScoreRollup`` for a whole period with no other
    filter, else the slice's answers), and RATER gaps from sums and counts: exact, three queries."""
    answers = _answers(s)
    by_kind: dict[str, list[tuple[int, int]]] = {}
    counts: QuerySet[Any, tuple[Any, ...]]  # (kind, score, n) from either table
    if _dims(s) == Q():
        counts = (
            ScoreRollup.objects.filter(day__gte=s.start, day__lt=s.end)
            .values_list("kind", "score")
            .annotate(n=Sum("n"))
        )
    else:
        counts = answers.exclude(score=None).values_list("kind", "score").annotate(n=Count("pk"))
    for kind, score, n in counts.order_by():
        by_kind.setdefault(kind, []).append((score, n))
    totals: dict[str, Any] = {}
    for _d, expected, perceived in RATER_FIELDS:
        for column in (expected, perceived):
            totals[f"{column}__sum"] = Sum(column)
            totals[f"{column}__n"] = Count(column)
    # Both halves of a dimension or neither: a RATER answer gives all ten scores.
    sums = answers.filter(kind=SurveyKind.RATER).aggregate(**totals)
    weights = FeedbackSettings.current().rater_weights or None
    return (
        csat(_expand(by_kind.get(SurveyKind.CSAT, []))),
        ces(_expand(by_kind.get(SurveyKind.CES, []))),
        nps(_expand(by_kind.get(SurveyKind.NPS, []))),
        rater_gaps_from_totals(
            {d.value: (sums[f"{e}__sum"] or 0, sums[f"{e}__n"]) for d, e, _p in RATER_FIELDS},
            {d.value: (sums[f"{p}__sum"] or 0, sums[f"{p}__n"]) for d, _e, p in RATER_FIELDS},
            weights,
        ),
    )


def _value_at_ranks(buckets: Sequence[tuple[int, int]], facts: QuerySet[CaseFact], field: str) -> Distribution:
    """Nearest-rank median and 90th percentile from counts per ten-minute band (ascending): find
    the band holding each rank, then read the one value at that rank inside it. Exact."""
    total = sum(n for _b, n in buckets)
    if total == 0:
        return Distribution(0, None, None)
    found: dict[int, int] = {}
    for q in (50, 90):
        rank = max(math.ceil(q * total / 100), 1)
        before = 0
        for bucket, n in buckets:
            if before + n >= rank:
                low = bucket * BUCKET_S
                rows = facts.filter(**{f"{field}__gte": low, f"{field}__lt": low + BUCKET_S})
                found[q] = rows.order_by(field).values_list(field, flat=True)[rank - before - 1]
                break
            before += n
    return Distribution(total, found[50], found[90])


def _exact_distribution(rows: QuerySet[CaseFact], field: str) -> Distribution:
    """Median and 90th percentile of ``field`` over any set of facts: counts per ten-minute band
    in the database, then one value read per rank. Exact, in a fixed number of queries."""
    buckets = rows.annotate(bucket=F(field) / BUCKET_S).values_list("bucket").annotate(n=Count("pk")).order_by("bucket")
    return _value_at_ranks(list(buckets), rows, field)


def _rolled_up_distribution(s: Slice, measure: str, day_field: str, field: str) -> Distribution:
    """The same figures for a whole period with no other filter, from ``TimingRollup`` (a few
    hundred band counts a day instead of every case). The value at a rank is read inside its band
    through the (value, day) index, so it is still exactly a time some case took."""
    buckets = (
        TimingRollup.objects.filter(measure=measure, day__gte=s.start, day__lt=s.end)
        .values_list("bucket")
        .annotate(n=Sum("n"))
        .order_by("bucket")
    )
    period = CaseFact.objects.filter(**{f"{day_field}__gte": s.start, f"{day_field}__lt": s.end})
    return _value_at_ranks(list(buckets), period, field)


def _timings(s: Slice) -> tuple[Distribution, Distribution]:
    if _dims(s) == Q():
        return (
            _rolled_up_distribution(s, "response", "created_day", "response_s"),
            _rolled_up_distribution(s, "resolution", "resolved_day", "resolution_s"),
        )
    facts = CaseFact.objects.filter(_dims(s))
    response = facts.filter(created_day__gte=s.start, created_day__lt=s.end, response_s__isnull=False)
    resolution = facts.filter(resolved_day__gte=s.start, resolved_day__lt=s.end, resolution_s__isnull=False)
    return _exact_distribution(response, "response_s"), _exact_distribution(resolution, "resolution_s")


def _case_dims(s: Slice, prefix: str = "") -> Q:
    """The slice's filters on ``Case`` columns (reached through ``prefix``, e.g. "case__")."""
    q = Q()
    if s.team_ids is not None:
        q &= Q(**{f"{prefix}team_id__in": list(s.team_ids)})
    if s.owner_id is not None:
        q &= Q(**{f"{prefix}owner_id": s.owner_id})
    if s.channel:
        q &= Q(**{f"{prefix}channel": s.channel})
    if s.case_type:
        q &= Q(**{f"{prefix}type": s.case_type})
    if s.group:
        internal = Q(**{f"{prefix}customer__kind__in": sorted(INTERNAL_KINDS)})
        q &= internal if s.group == "internal" else ~internal
    return q


def sla_attainment(s: Slice) -> float | None:
    """Percentage of SLA targets met among those decided, for clocks started in the period on the
    slice's cases: the SLA app's measure (``rapport.extensions.kpi_sources``), None ("not
    measured") when nothing was decided or no app measures it."""
    scope = extensions.KpiScope(
        cases=lambda prefix: _case_dims(s, prefix), start=day_start(s.start), end=day_start(s.end)
    )
    return extensions.kpi(extensions.SLA_ATTAINMENT, scope)


def proactive_contacts(s: Slice) -> float | None:
    """Proactive messages sent in the slice's period: outbound work, never counted among the cases
    raised (the demand), from the outreach app's measure; None when no app sends them."""
    scope = extensions.KpiScope(
        cases=lambda prefix: _case_dims(s, prefix), start=day_start(s.start), end=day_start(s.end)
    )
    return extensions.kpi(extensions.PROACTIVE_CONTACTS, scope)


def figures(s: Slice) -> Figures:
    created, resolved, fcr, reopened, complaints, daily = _counts(s)
    response, resolution = _timings(s)
    csat_score, ces_score, nps_score, rater = _survey_scores(s)
    return Figures(
        created=created,
        resolved=resolved,
        first_response=response,
        resolution=resolution,
        first_contact_rate=rate(fcr, resolved),
        reopen_rate=rate(reopened, resolved),
        complaints=complaints,
        csat=csat_score,
        ces=ces_score,
        nps=nps_score,
        rater=rater,
        sla_attainment=sla_attainment(s),
        daily=tuple(daily),
        proactive=proactive_contacts(s),
    )


@dataclass(frozen=True)
class Backlog:
    open: int
    median_age: timedelta | None
    oldest_age: timedelta | None
    by_age: tuple[tuple[str, int], ...]


AGE_BANDS = (
    (timedelta(days=1), "under a day"),
    (timedelta(days=3), "1-3 days"),
    (timedelta(days=7), "3-7 days"),
    (timedelta(days=30), "1-4 weeks"),
)


def backlog(s: Slice, now: datetime) -> Backlog:
    """Cases still needing action now, by age since they were raised (calendar time)."""
    # "IN (true)" rather than "= true": SQLite then walks the (is_active, created_at) index instead
    # of reading every case to test a bare boolean column.
    q = Q(is_active__in=[True])
    if s.team_ids is not None:
        q &= Q(team_id__in=list(s.team_ids))
    if s.owner_id is not None:
        q &= Q(owner_id=s.owner_id)
    if s.channel:
        q &= Q(channel=s.channel)
    if s.case_type:
        q &= Q(type=s.case_type)
    if s.group:
        internal = Q(customer__kind__in=sorted(INTERNAL_KINDS))
        q &= internal if s.group == "internal" else ~internal
    cases = Case.objects.filter(q)
    # One index range count per band (the (is_active, created_at) index answers each alone).
    edges = [now - limit for limit, _label in AGE_BANDS]
    counts = {"total": cases.count()}
    newer = None
    for index, edge in enumerate(edges):
        band = cases.filter(created_at__gt=edge)
        counts[f"band{index}"] = (band if newer is None else band.filter(created_at__lte=newer)).count()
        newer = edge
    counts[f"band{len(edges)}"] = cases.filter(created_at__lte=edges[-1]).count()
    total = counts.pop("total")
    median = oldest = None
    if total:
        ordered = cases.order_by("created_at").values_list("created_at", flat=True)
        oldest = now - ordered[0]
        median = now - ordered[(total - 1) // 2]
    labels = [label for _limit, label in AGE_BANDS] + ["over 4 weeks"]
    return Backlog(total, median, oldest, tuple((label, counts[f"band{i}"]) for i, label in enumerate(labels)))


@dataclass(frozen=True)
class Dashboard:
    slice: Slice
    current: Figures
    previous: Figures
    backlog: Backlog
    by_team: tuple[tuple[str, int, int], ...]
    follow_ups_open: int
    complaints_by_cause: tuple[tuple[str, int], ...] = ()


NO_ROOT_CAUSE = "No root cause recorded yet"


def complaints_by_cause(s: Slice) -> tuple[tuple[str, int], ...]:
    """Complaints raised in the period by the root cause the complaint record names (seed 002's
    PDCA loop), most frequent first; those with no cause yet counted apart. One grouped query:
    over ``CauseRollup`` (a few rows a day), or the facts when the slice is one agent's cases."""
    if s.case_type and s.case_type != CaseType.COMPLAINT:
        return ()
    period = {"day__gte": s.start, "day__lt": s.end}
    if s.owner_id is None:
        # Every CauseRollup row is a complaint: the case type filter has nothing left to choose.
        counted: QuerySet[Any, Mapping[str, Any]] = (
            CauseRollup.objects.filter(_dims(replace(s, case_type=""), owner=None), **period)
            .values("root_cause__name")
            .annotate(n=Sum("n"))
        )
    else:
        counted = (
            CaseFact.objects.filter(
                _dims(s), created_day__gte=s.start, created_day__lt=s.end, case_type=CaseType.COMPLAINT
            )
            .values("root_cause__name")
            .annotate(n=Count("pk"))
        )
    named = [(r["root_cause__name"], r["n"]) for r in counted.order_by("-n", "root_cause__name")]
    return tuple((name, n) for name, n in named if name) + tuple((NO_ROOT_CAUSE, n) for name, n in named if not name)


def dashboard(*, actor: User, requested: Slice, now: datetime) -> Dashboard:
    """The figures ``actor`` may see for ``requested``, with the previous period beside them."""
    s = requested.scoped(actor)
    names = dict(Team.objects.values_list("id", "name"))
    team_rows = (
        DailyRollup.objects.filter(_dims(s, owner=None), day__gte=s.start, day__lt=s.end)
        .values("team_key")
        .annotate(c=Sum("created"), r=Sum("resolved"))
        .order_by("team_key")
    )
    by_team = (
        tuple((names.get(r["team_key"], "No team"), r["c"], r["r"]) for r in team_rows) if s.owner_id is None else ()
    )
    follow_ups = FollowUp.objects.filter(done_at__isnull=True)
    teams = policy.follow_up_team_ids(actor)
    if teams is not None:
        follow_ups = follow_ups.filter(team_id__in=teams)
    return Dashboard(
        slice=s,
        current=figures(s),
        previous=figures(s.previous()),
        backlog=backlog(s, now),
        by_team=by_team,
        follow_ups_open=follow_ups.count(),
        complaints_by_cause=complaints_by_cause(s),
    )


def follow_ups_open(actor: User) -> QuerySet[FollowUp]:
    found = FollowUp.objects.filter(done_at__isnull=True).select_related("answer", "answer__customer", "case", "team")
    teams = policy.follow_up_team_ids(actor)
    return found if teams is None else found.filter(team_id__in=teams)


# --- customer value --------------------------------------------------------------------------


def customer_value(customer: Customer, now: datetime | None = None) -> dict[str, Any]:
    """What the customer page shows: lifetime value, tier and benefits, churn risk, recent orders."""
    from django.utils import timezone

    from rapport.feedback.services import customer_lifetime_values

    now = now or timezone.now()
    orders = list(Order.objects.filter(customer=customer).order_by("-placed_at", "-id")[:5])
    summary = Order.objects.filter(customer=customer).aggregate(
        total=Sum("amount_pence"), n=Count("pk"), last=Max("placed_at")
    )
    value = customer_lifetime_values([customer.pk], now)[customer.pk]
    year_ago = now - timedelta(days=365)
    complaints = Case.objects.filter(customer=customer, type=CaseType.COMPLAINT).aggregate(
        year=Count("pk", filter=Q(created_at__gte=year_ago)), open=Count("pk", filter=Q(is_active=True))
    )
    risk = churn_risk(
        days_since_last_order=(now - summary["last"]).days if summary["last"] else None,
        complaints_last_year=complaints["year"],
        unresolved_complaints=complaints["open"],
    )
    tier = LoyaltyTier.objects.filter(name=customer.tier).first() if customer.tier else None
    return {
        "value": value,
        "orders": orders,
        "order_count": summary["n"],
        "total": Decimal(summary["total"] or 0) / 100,
        "tier": tier,
        "tier_name": customer.tier,
        "risk": risk,
    }


@dataclass(frozen=True)
class ChainRow:
    """One customer group in the service-profit chain (seed 001): internal measures beside
    quality, satisfaction, retention and revenue."""

    group: str
    staff_survey: Decimal | None
    training_hours_per_head: Decimal | None
    cases_per_head: Decimal | None
    resolution_median_s: int | None
    csat: Score
    retention: float | None
    revenue_per_customer: Decimal | None
    staff_enps: float | None = None
    staff_voice: str = ""


def service_profit_chain(*, start: date, end: date, tier_groups: Sequence[str] | None = None) -> list[ChainRow]:
    """Per team: staff survey, training and workload beside quality and CSAT; per loyalty tier:
    retention (customers who ordered in the previous period and again in this one) and revenue."""
    rows: list[ChainRow] = []
    months = StaffMeasure.objects.filter(month__gte=start.replace(day=1), month__lt=end)
    measures: dict[int, Mapping[str, Any]] = {}
    for row in (
        months.values("team_id")
        .annotate(
            score=Sum("staff_survey_score"),
            n=Count("pk", filter=Q(staff_survey_score__isnull=False)),
            training=Sum("training_hours"),
            heads=Sum("headcount"),
        )
        .order_by()
    ):
        measures[row["team_id"]] = row
    # The staff's own measures (the coaching app's anonymous pulse) replace hand-entered survey
    # scores when an app provides them (``extensions.staff_voice``).
    voices = extensions.staff_voice_for(start, end)
    for team in Team.objects.order_by("name"):
        s = Slice(start=start, end=end, team_ids=(team.pk,))
        created = DailyRollup.objects.filter(team_key=team.pk, day__gte=start, day__lt=end).aggregate(n=Sum("created"))
        _, resolution = _timings(s)
        csat_score = _survey_scores(s)[0]
        m = measures.get(team.pk)
        heads = Decimal(m["heads"]) if m and m["heads"] else None
        voice = voices.get(team.pk) if voices is not None else None
        rows.append(
            ChainRow(
                group=f"Team: {team.name}",
                staff_survey=None
                if voices is not None
                else (m["score"] / m["n"]).quantize(Decimal("0.1"))
                if m and m["n"]
                else None,
                staff_enps=voice.enps if voice else None,
                staff_voice=_voice_text(voice) if voices is not None else "",
                training_hours_per_head=(m["training"] / heads).quantize(Decimal("0.1")) if m and heads else None,
                cases_per_head=(Decimal(created["n"] or 0) / heads).quantize(Decimal("0.1")) if heads else None,
                resolution_median_s=resolution.median,
                csat=csat_score,
                retention=None,
                revenue_per_customer=None,
            )
        )
    span = end - start
    before = start - span
    tiers = list(tier_groups) if tier_groups is not None else ["", *LoyaltyTier.objects.values_list("name", flat=True)]
    orders = Order.objects.filter(placed_at__gte=day_start(before), placed_at__lt=day_start(end))
    for tier in tiers:
        in_tier = orders.filter(customer__tier=tier)
        earlier = set(in_tier.filter(placed_at__lt=day_start(start)).values_list("customer_id", flat=True).distinct())
        now_rows = (
            in_tier.filter(placed_at__gte=day_start(start)).values("customer_id").annotate(total=Sum("amount_pence"))
        )
        now_customers = {r["customer_id"]: r["total"] for r in now_rows}
        revenue = sum(now_customers.values())
        answers = SurveyAnswer.objects.filter(
            customer__tier=tier, kind=SurveyKind.CSAT, answered_at__gte=day_start(start), answered_at__lt=day_start(end)
        )
        scores = _expand(answers.values_list("score").annotate(n=Count("pk")).order_by())
        rows.append(
            ChainRow(
                group=f"Tier: {tier or 'none'}",
                staff_survey=None,
                training_hours_per_head=None,
                cases_per_head=None,
                resolution_median_s=None,
                csat=csat(scores),
                retention=rate(len(earlier & set(now_customers)), len(earlier)),
                revenue_per_customer=(Decimal(revenue) / 100 / len(now_customers)).quantize(Decimal("0.01"))
                if now_customers
                else None,
            )
        )
    return rows


def _voice_text(voice: extensions.StaffVoice | None) -> str:
    if voice is None:
        return "no pulse answers"
    if voice.enps is None:
        return voice.note or "not shown"
    return f"eNPS {signed(voice.enps)} (n={voice.respondents})"


def compliments(agent: User, start: datetime, end: datetime) -> extensions.StaffEvidence | None:
    """Customer compliments for an appraisal (``extensions.staff_evidence``): CSAT answers at the
    top of the scale (5 of 5) with a comment, on the agent's cases answered in the period. One
    query; the comments are quoted without the customer's name."""
    rows = list(
        SurveyAnswer.objects.filter(
            agent=agent, kind=SurveyKind.CSAT, score=SCALE_TOP, answered_at__gte=start, answered_at__lt=end
        )
        .exclude(comment="")
        .order_by("-answered_at", "-id")
        .values_list("comment", flat=True)[:50]
    )
    if not rows:
        return None
    return extensions.StaffEvidence(
        title="Customer compliments",
        summary=f"{len(rows)}{'+' if len(rows) == 50 else ''} top-score survey "
        f"answer{'s' if len(rows) != 1 else ''} with a comment.",
        items=tuple(comment[:200] for comment in rows[:10]),
    )


SCALE_TOP = 5


def default_period(now: datetime, days: int = 28) -> tuple[date, date]:
    end = local_day(now) + timedelta(days=1)
    return end - timedelta(days=days), end


def open_surveys(customer: Customer, now: datetime) -> QuerySet[SurveyInvitation]:
    """Surveys a customer may still answer in the portal: sent, or held back only because there was
    no email address to send them to (never those held back for want of consent)."""
    from rapport.feedback.models import InvitationStatus

    waiting = Q(status=InvitationStatus.SENT) | Q(status=InvitationStatus.SUPPRESSED, note="no email address")
    return (
        SurveyInvitation.objects.filter(waiting, customer=customer, expires_at__gt=now, send_after__lte=now)
        .select_related("case")
        .order_by("-send_after", "-id")[:50]
    )


SCALES = {SurveyKind.CSAT: 5, SurveyKind.CES: 7}
"""The answer scales of the latest scores the case and customer pages show (domain.scoring)."""


def latest_scores(customer_id: int) -> list[SurveyAnswer]:
    """The customer's latest CSAT and latest CES answers with a score, CSAT first: one query (two
    single-row subqueries on the customer's answers index), whatever their number."""

    def latest(kind: str) -> QuerySet[SurveyAnswer, Any]:
        return (
            SurveyAnswer.objects.filter(customer_id=customer_id, kind=kind, score__isnull=False)
            .order_by("-answered_at", "-id")
            .values("pk")[:1]
        )

    rows = SurveyAnswer.objects.filter(Q(pk__in=latest(SurveyKind.CSAT)) | Q(pk__in=latest(SurveyKind.CES)))
    found = list(rows.only("id", "kind", "score", "comment", "answered_at", "case_id"))
    return sorted(found, key=lambda a: list(SCALES).index(SurveyKind(a.kind)))


def csat_by_case(first_id: int, last_id: int) -> dict[int, int]:
    """The latest CSAT score of each rated case from ``first_id`` to ``last_id``, by case id
    (``extensions.case_facts``: the knowledge base's satisfaction of answered cases). One query."""
    rows = (
        SurveyAnswer.objects.filter(
            kind=SurveyKind.CSAT, case_id__gte=first_id, case_id__lte=last_id, score__isnull=False
        )
        .order_by("case_id", "answered_at", "id")
        .values_list("case_id", "score")
    )
    return {case_id: score for case_id, score in rows if case_id is not None and score is not None}
