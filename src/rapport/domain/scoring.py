"""Survey scores, distributions and customer value: the numbers seed 004 asks for.

Seed 004: "measure service quality through tangible metrics, not vague impressions"; domain.md §6
names CSAT after resolution, CES, NPS, RATER (expectation against perception) and customer
lifetime value. Every function takes plain values and returns a frozen dataclass that carries its
sample size ``n``. An empty sample gives ``value is None`` and ``str()`` of ``"no data"``: a survey
nobody answered has no score, which is not a score of zero.

Scales (rejected with ``ValueError`` when out of range):
* CSAT 1-5; the score is the share answering 4 or 5, in per cent (the "top-two-box" convention).
* CES 1-7; the score is the mean answer (7 = very easy).
* NPS 0-10; promoters answer 9-10, detractors 0-6, the score is %promoters - %detractors
  (Reichheld, "The One Number You Need to Grow", Harvard Business Review, December 2003).
* RATER / SERVQUAL 1-7 for each of Reliability, Assurance, Tangibles, Empathy, Responsiveness
  (Parasuraman, Zeithaml & Berry, "SERVQUAL", Journal of Retailing 64(1), 1988).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

NO_DATA = "no data"
Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution

OUT_OF_RANGE = "{name} scores run from {low} to {high}, not {value!r}"
BAD_RATE = "{name} must be between 0 and 1, not {value}"
RETENTION_NOT_BELOW_ONE_PLUS_DISCOUNT = "retention must be below 1 + discount rate for the value to be finite"
UNKNOWN_DIMENSION = "unknown RATER dimension {value!r}"
NEGATIVE_WEIGHT = "RATER weights cannot be negative, not {value!r}"


class Dimension(StrEnum):
    """The five RATER dimensions of service quality (SERVQUAL, 1988; seed 004)."""

    RELIABILITY = "reliability"
    ASSURANCE = "assurance"
    TANGIBLES = "tangibles"
    EMPATHY = "empathy"
    RESPONSIVENESS = "responsiveness"


SCALES: dict[str, tuple[int, int]] = {"csat": (1, 5), "ces": (1, 7), "nps": (0, 10), "rater": (1, 7)}


def _checked(name: str, scores: Sequence[int]) -> list[int]:
    low, high = SCALES[name]
    for value in scores:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(OUT_OF_RANGE.format(name=name.upper(), low=low, high=high, value=value))
    return list(scores)


@dataclass(frozen=True)
class Score:
    """A CSAT (per cent) or CES (mean) score over ``n`` answers; ``value`` is None when n is 0."""

    kind: str
    n: int
    value: float | None

    @property
    def has_data(self) -> bool:
        return self.value is not None

    def __str__(self) -> str:
        if self.value is None:
            return NO_DATA
        return f"{self.value:.1f}%" if self.kind == "csat" else f"{self.value:.2f}"


def signed(value: float | None, *, places: int = 0) -> str:
    """A figure that can fall either side of zero, with its sign: "+12", "-3", and "0" for anything
    that rounds to zero (never "-0" or "+0", which read as a direction that is not there)."""
    rounded = round(value or 0.0, places)
    if rounded == 0:
        return f"{0:.{places}f}"
    return f"{rounded:+.{places}f}"


def csat(scores: Sequence[int]) -> Score:
    """Customer satisfaction: the share of 1-5 answers that are 4 or 5, in per cent (seed 004)."""
    checked = _checked("csat", scores)
    if not checked:
        return Score("csat", 0, None)
    satisfied = sum(1 for s in checked if s >= 4)
    return Score("csat", len(checked), 100.0 * satisfied / len(checked))


def ces(scores: Sequence[int]) -> Score:
    """Customer effort: the mean of 1-7 answers, where 7 means the issue was very easy to resolve."""
    checked = _checked("ces", scores)
    if not checked:
        return Score("ces", 0, None)
    return Score("ces", len(checked), sum(checked) / len(checked))


@dataclass(frozen=True)
class NetPromoter:
    """NPS over ``n`` answers with its 95% confidence interval, all in points from -100 to 100."""

    n: int
    promoters: int
    passives: int
    detractors: int
    value: float | None
    low: float | None
    high: float | None

    @property
    def has_data(self) -> bool:
        return self.value is not None

    def __str__(self) -> str:
        if self.value is None:
            return NO_DATA
        return f"{signed(self.value)} (95% CI {signed(self.low)} to {signed(self.high)}, n={self.n})"


def nps(scores: Sequence[int]) -> NetPromoter:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), with a 95% interval.

    The interval is the Wald interval for a difference of two proportions from one multinomial
    sample: with shares p (promoters) and q (detractors), Var(p - q) = (p + q - (p - q)^2) / n, so
    the interval is (p - q) +/- 1.96 * sqrt(Var), clipped to [-100, 100]. See Rocks, "Interval
    Estimation for the 'Net Promoter Score'", The American Statistician 70(4), 2016, which derives
    this variance and compares it with adjusted intervals; the Wald form is the documented baseline
    and is reliable once n is in the tens. All-promoter or all-detractor samples have zero variance,
    so their interval is the point itself: report ``n`` beside it.
    """
    checked = _checked("nps", scores)
    n = len(checked)
    if n == 0:
        return NetPromoter(0, 0, 0, 0, None, None, None)
    promoters = sum(1 for s in checked if s >= 9)
    detractors = sum(1 for s in checked if s <= 6)
    p, q = promoters / n, detractors / n
    diff = p - q
    half = Z_95 * math.sqrt(max(p + q - diff * diff, 0.0) / n)
    return NetPromoter(
        n=n,
        promoters=promoters,
        passives=n - promoters - detractors,
        detractors=detractors,
        value=100.0 * diff,
        low=max(-100.0, 100.0 * (diff - half)),
        high=min(100.0, 100.0 * (diff + half)),
    )


@dataclass(frozen=True)
class Gap:
    """One RATER dimension: mean expectation, mean perception and the gap (perception - expectation)."""

    dimension: Dimension
    n: int
    expectation: float | None
    perception: float | None
    gap: float | None


@dataclass(frozen=True)
class RaterGaps:
    """SERVQUAL gaps by dimension and their weighted overall gap; negative means below expectation."""

    n: int
    gaps: tuple[Gap, ...]
    overall: float | None

    @property
    def has_data(self) -> bool:
        return self.overall is not None

    def __str__(self) -> str:
        return NO_DATA if self.overall is None else signed(self.overall, places=2)


def _dimension(key: str) -> Dimension:
    try:
        return Dimension(key)
    except ValueError:
        raise ValueError(UNKNOWN_DIMENSION.format(value=key)) from None


def rater_gaps(
    expectations: Mapping[str, Sequence[int]],
    perceptions: Mapping[str, Sequence[int]],
    weights: Mapping[str, float] | None = None,
) -> RaterGaps:
    """Perception minus expectation for each RATER dimension, and the weighted overall gap.

    SERVQUAL (Parasuraman, Zeithaml & Berry 1988): quality is perception minus expectation, per
    dimension; the overall score weights the dimension gaps by the importance customers give each
    dimension (the original instrument asks them to share 100 points). ``weights`` may be on any
    scale (they are normalised); missing weights count 0, no weights at all means equal weights.
    A dimension without both expectation and perception answers has no gap and takes no part in
    the overall; ``n`` is the most answers any dimension has.
    """
    expected = {k: _checked("rater", v) for k, v in expectations.items()}
    perceived = {k: _checked("rater", v) for k, v in perceptions.items()}
    return rater_gaps_from_totals(
        {k: (sum(v), len(v)) for k, v in expected.items()},
        {k: (sum(v), len(v)) for k, v in perceived.items()},
        weights,
    )


def rater_gaps_from_totals(
    expectations: Mapping[str, tuple[int, int]],
    perceptions: Mapping[str, tuple[int, int]],
    weights: Mapping[str, float] | None = None,
) -> RaterGaps:
    """``rater_gaps`` from each dimension's (sum, count) of answers instead of the answers: the
    same figures exactly (a gap is a difference of means), for totals a database adds up."""
    weight_of = {_dimension(k): float(v) for k, v in (weights or {}).items()}
    for value in weight_of.values():
        if value < 0 or math.isnan(value):
            raise ValueError(NEGATIVE_WEIGHT.format(value=value))
    expected = {_dimension(k): v for k, v in expectations.items()}
    perceived = {_dimension(k): v for k, v in perceptions.items()}
    gaps = []
    weighted = total_weight = 0.0
    n = 0
    for dimension in Dimension:
        (e_sum, e_n), (p_sum, p_n) = expected.get(dimension, (0, 0)), perceived.get(dimension, (0, 0))
        n = max(n, e_n, p_n)
        e_mean = e_sum / e_n if e_n else None
        p_mean = p_sum / p_n if p_n else None
        if e_mean is None or p_mean is None:
            gaps.append(Gap(dimension, min(e_n, p_n), e_mean, p_mean, None))
            continue
        gap = p_mean - e_mean
        gaps.append(Gap(dimension, min(e_n, p_n), e_mean, p_mean, gap))
        weight = weight_of.get(dimension, 0.0) if weight_of else 1.0
        weighted += weight * gap
        total_weight += weight
    overall = weighted / total_weight if total_weight > 0 else None
    return RaterGaps(n=n, gaps=tuple(gaps), overall=overall)


@dataclass(frozen=True)
class Distribution:
    """Median and 90th percentile of ``n`` durations or amounts (nearest-rank), None when n is 0."""

    n: int
    median: int | None
    p90: int | None


def percentile(ordered: Sequence[int], q: int) -> int | None:
    """The ``q``-th percentile of an ascending list by the nearest-rank method: the smallest value
    with at least q% of the sample at or below it (NIST Engineering Statistics Handbook, 7.2.5.2).
    Nearest-rank always returns an observed value, so a median time is a time some case took."""
    if not ordered:
        return None
    if not 0 < q <= 100:
        raise ValueError(f"percentile must be in (0, 100], not {q}")
    rank = math.ceil(q * len(ordered) / 100)
    return ordered[max(rank, 1) - 1]


def distribution(values: Sequence[int]) -> Distribution:
    ordered = sorted(values)
    return Distribution(len(ordered), percentile(ordered, 50), percentile(ordered, 90))


def rate(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``; None (no data) when there is nothing to divide by."""
    return None if whole == 0 else 100.0 * part / whole


PENNY = Decimal("0.01")


@dataclass(frozen=True)
class LifetimeValue:
    """Customer lifetime value in pounds, from ``n`` orders; None when there are no orders."""

    n: int
    annual_revenue: Decimal | None
    annual_margin: Decimal | None
    value: Decimal | None

    @property
    def has_data(self) -> bool:
        return self.value is not None

    def __str__(self) -> str:
        return NO_DATA if self.value is None else f"£{self.value:,.2f}"


def _rate(name: str, value: Decimal) -> Decimal:
    if not Decimal(0) <= value <= Decimal(1):
        raise ValueError(BAD_RATE.format(name=name, value=value))
    return value


def lifetime_value(
    *,
    orders: Sequence[Decimal],
    years_observed: Decimal,
    margin: Decimal,
    retention: Decimal,
    discount_rate: Decimal,
) -> LifetimeValue:
    """Customer lifetime value: CLV = m * r / (1 + d - r).

    ``m`` is the annual margin (revenue per year observed times the margin rate), ``r`` the yearly
    retention rate and ``d`` the yearly discount rate: the present value of the margins a customer
    who is retained each year with probability ``r`` will bring from next year on, over an
    unbounded horizon (Gupta & Lehmann, "Customers as Assets", Journal of Interactive Marketing
    17(1), 2003, eq. 2). ``years_observed`` is how long the order history covers, at least one
    month so one early order is not read as a year's spend a day. Rounded to the penny.
    """
    margin = _rate("margin", margin)
    retention = _rate("retention", retention)
    discount_rate = _rate("discount rate", discount_rate)
    if retention >= 1 + discount_rate:
        raise ValueError(RETENTION_NOT_BELOW_ONE_PLUS_DISCOUNT)
    if not orders:
        return LifetimeValue(0, None, None, None)
    years = max(years_observed, Decimal(1) / 12)
    revenue = sum(orders, Decimal(0)) / years
    annual_margin = revenue * margin
    value = annual_margin * retention / (1 + discount_rate - retention)
    return LifetimeValue(
        n=len(orders),
        annual_revenue=revenue.quantize(PENNY, ROUND_HALF_UP),
        annual_margin=annual_margin.quantize(PENNY, ROUND_HALF_UP),
        value=value.quantize(PENNY, ROUND_HALF_UP),
    )


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class ChurnRisk:
    """How likely a customer is to stop buying: a 0-100 score and its band."""

    score: int
    risk: Risk
    reasons: tuple[str, ...]


def churn_risk(
    *, days_since_last_order: int | None, complaints_last_year: int, unresolved_complaints: int = 0
) -> ChurnRisk:
    """A churn-risk score from recency and complaints.

    Recency is the strongest single predictor of whether a customer buys again (the R of RFM
    analysis; Fader, Hardie & Lee, "RFM and CLV", Journal of Marketing Research 42(4), 2005), and
    seed 004 ties complaint handling to retention. Points: recency up to 60 (0 within 90 days,
    rising linearly to 60 at a year or more, 60 with no order at all), 15 per complaint in the last
    year up to 30, and 10 if a complaint is still open. Bands: under 35 low, under 65 medium, else
    high. The thresholds are a documented heuristic to rank customers for attention, not a
    fitted model.
    """
    reasons = []
    if days_since_last_order is None:
        recency = 60
        reasons.append("no orders on record")
    else:
        recency = 0 if days_since_last_order <= 90 else min(60, (days_since_last_order - 90) * 60 // 275)
        if recency:
            reasons.append(f"last order {days_since_last_order} days ago")
    complaint_points = min(30, 15 * max(complaints_last_year, 0))
    if complaint_points:
        reasons.append(f"{complaints_last_year} complaint{'s' if complaints_last_year != 1 else ''} in the last year")
    open_points = 10 if unresolved_complaints > 0 else 0
    if open_points:
        reasons.append("a complaint is still open")
    score = min(100, recency + complaint_points + open_points)
    risk = Risk.LOW if score < 35 else Risk.MEDIUM if score < 65 else Risk.HIGH
    return ChurnRisk(score, risk, tuple(reasons))


@dataclass(frozen=True)
class TierRule:
    """A loyalty tier: customers whose lifetime value reaches ``threshold`` pounds get it."""

    name: str
    threshold: Decimal


def tier_for(value: Decimal | None, tiers: Sequence[TierRule]) -> str:
    """The highest tier whose threshold ``value`` reaches; blank when none does or no value is known."""
    if value is None:
        return ""
    reached = [t for t in tiers if value >= t.threshold]
    return max(reached, key=lambda t: t.threshold).name if reached else ""
