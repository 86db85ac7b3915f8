"""The arithmetic of continuous improvement: cost-benefit, before/after tests, ranks and verdicts.

An initiative (PDCA, domain §7) is proposed with a cost-benefit (seed 002 "cost-benefit analysis"),
and checked by comparing a KPI before and after the change (seed 003 "before-and-after
scenarios"). Money is ``Decimal``; statistics are ``float``. Nothing here reads a clock or a
database: the app passes the figures in.

The distributions are computed here rather than with SciPy: the two this needs (the standard
normal, from the standard library's ``statistics.NormalDist``, and Student's t, through the
regularised incomplete beta function) are a few dozen lines, and a 40 MB dependency for them would
cost every install. The tables in ``tests/domain/test_improvement.py`` pin them to published
values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from statistics import NormalDist

NOT_ENOUGH_DATA = "not enough data"


# --- cost-benefit ---------------------------------------------------------------------------------


def npv(*, rate: Decimal, cashflows: Sequence[Decimal]) -> Decimal:
    """Net present value: ``sum(cashflows[t] / (1 + rate) ** t)``.

    ``rate`` is the discount rate per cash-flow period (monthly flows, a monthly rate);
    ``cashflows[0]`` is at time 0 and not discounted. (Brealey, Myers & Allen, *Principles of
    Corporate Finance*, ch. 2: NPV = C0 + Σ Ct / (1 + r)^t; HM Treasury Green Book, A6.)
    """
    if rate <= Decimal(-1):
        raise ValueError("The discount rate must be above -100%.")
    factor = Decimal(1) + rate
    return sum((flow / factor**t for t, flow in enumerate(cashflows)), Decimal(0))


def payback_periods(*, cost: Decimal, benefits: Sequence[Decimal]) -> float | None:
    """How many periods until the cumulative benefits first cover ``cost``; None if they never do.

    ``benefits[0]`` is the benefit of period 1. Within the period where the cost is covered the
    benefit is taken to accrue evenly, so the answer is fractional (the simple payback period,
    Green Book A6; linear interpolation): a cost of 12,000 with 1,500 a period pays back in 8.0.
    """
    if cost <= 0:
        return 0.0
    covered = Decimal(0)
    for period, benefit in enumerate(benefits):
        if benefit > 0 and covered + benefit >= cost:
            return period + float((cost - covered) / benefit)
        covered += benefit
    return None


def monthly_rate(annual: Decimal) -> Decimal:
    """The monthly rate equivalent to an annual one: ``(1 + annual) ** (1/12) - 1`` (compounding)."""
    if annual <= Decimal(-1):
        raise ValueError("The discount rate must be above -100%.")
    return (Decimal(1) + annual) ** (Decimal(1) / Decimal(12)) - Decimal(1)


@dataclass(frozen=True)
class CostBenefit:
    """What an initiative costs and what it is expected to bring, per month.

    Benefits are money saved, redress avoided (compensation and goodwill not paid), staff hours
    freed (valued at ``hourly_cost``) and customer lifetime value retained (from the feedback
    module's CLV). The Green Book's default discount rate is 3.5% a year.
    """

    one_off_cost: Decimal
    monthly_cost: Decimal
    monthly_saving: Decimal = Decimal(0)
    monthly_redress_avoided: Decimal = Decimal(0)
    monthly_hours_saved: Decimal = Decimal(0)
    hourly_cost: Decimal = Decimal(0)
    monthly_value_retained: Decimal = Decimal(0)
    months: int = 24
    annual_discount_rate: Decimal = Decimal("0.035")

    @property
    def monthly_benefit(self) -> Decimal:
        return (
            self.monthly_saving
            + self.monthly_redress_avoided
            + self.monthly_hours_saved * self.hourly_cost
            + self.monthly_value_retained
        )

    @property
    def monthly_net(self) -> Decimal:
        return self.monthly_benefit - self.monthly_cost


@dataclass(frozen=True)
class Appraisal:
    net_present_value: Decimal
    payback_months: float | None
    total_cost: Decimal
    total_benefit: Decimal
    assumptions: tuple[str, ...]


def appraise(plan: CostBenefit) -> Appraisal:
    """The NPV over ``plan.months`` (the one-off cost at month 0, the net benefit every month after,
    discounted monthly at the equivalent of the annual rate), the payback of the one-off cost from
    the net monthly benefit, and the assumptions in words."""
    if plan.months < 1:
        raise ValueError("The horizon must be at least one month.")
    rate = monthly_rate(plan.annual_discount_rate)
    flows = [-plan.one_off_cost] + [plan.monthly_net] * plan.months
    assumptions = (
        f"Costs and benefits are constant each month over {plan.months} months.",
        f"Discounted at {plan.annual_discount_rate * 100:.1f}% a year, compounded monthly.",
        f"Staff time is valued at £{plan.hourly_cost:.2f} an hour.",
        "Benefits start in the first month after the change; the one-off cost is paid at the start.",
    )
    return Appraisal(
        net_present_value=npv(rate=rate, cashflows=flows),
        payback_months=payback_periods(cost=plan.one_off_cost, benefits=[plan.monthly_net] * plan.months),
        total_cost=plan.one_off_cost + plan.monthly_cost * plan.months,
        total_benefit=plan.monthly_benefit * plan.months,
        assumptions=assumptions,
    )


# --- before and after -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A KPI before and after a change, and whether the difference is more than chance.

    ``difference`` is after - before; ``p_value`` is two-sided; [``low``, ``high``] is the interval
    of the difference at ``confidence``. When the data cannot support a test, ``enough_data`` is
    False, ``reason`` says why, and the p-value and interval are None (the values and sample sizes
    are still given where they exist).
    """

    before: float | None
    after: float | None
    difference: float | None
    p_value: float | None
    low: float | None
    high: float | None
    before_n: int
    after_n: int
    confidence: float
    enough_data: bool = True
    reason: str = ""


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError("The confidence must be between 0 and 1.")


def _z(confidence: float) -> float:
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def proportion_change(*, before: tuple[int, int], after: tuple[int, int], confidence: float = 0.95) -> Change:
    """Two proportions, ``(successes, total)`` before and after.

    The p-value is the two-sided pooled two-proportion z-test: p̂ = (x1 + x2) / (n1 + n2),
    z = (p2 - p1) / √(p̂(1 - p̂)(1/n1 + 1/n2)). The interval is the unpooled Wald interval
    (p2 - p1) ± z(1-a/2) √(p1(1 - p1)/n1 + p2(1 - p2)/n2). (Agresti, *Categorical Data Analysis*,
    3rd ed., §2.1.3 and §3.1; NIST/SEMATECH e-Handbook 7.3.3.)

    Not enough data: a total of 0 on either side, or proportions of 0 or 1 on both sides (the
    Wald interval has no width, and a test of two certainties says nothing).
    """
    _check_confidence(confidence)
    (x1, n1), (x2, n2) = before, after
    for x, n in (before, after):
        if n < 0 or x < 0 or x > n:
            raise ValueError("Successes must be between 0 and the total.")
    p1 = x1 / n1 if n1 else None
    p2 = x2 / n2 if n2 else None
    if p1 is None or p2 is None:
        return Change(p1, p2, None, None, None, None, n1, n2, confidence, False, "a side has no cases")
    if p1 in (0.0, 1.0) and p2 in (0.0, 1.0):
        return Change(
            p1, p2, p2 - p1, None, None, None, n1, n2, confidence, False, "every case is the same on both sides"
        )
    pooled = (x1 + x2) / (n1 + n2)
    z = (p2 - p1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p_value = 2 * NormalDist().cdf(-abs(z))
    half = _z(confidence) * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    difference = p2 - p1
    return Change(p1, p2, difference, min(p_value, 1.0), difference - half, difference + half, n1, n2, confidence)


@dataclass(frozen=True)
class Summary:
    """A sample by its size, mean and sample variance (divisor n - 1), so a database can
    aggregate it rather than hand over every value."""

    n: int
    mean: float
    variance: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        n = len(values)
        if n == 0:
            return cls(0, math.nan, math.nan)
        mean = math.fsum(values) / n
        variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else math.nan
        return cls(n, mean, variance)

    @classmethod
    def from_sums(cls, *, n: int, total: float, squares: float) -> Summary:
        """From n, Σx and Σx² (what SQL's COUNT and SUM give); variance = (Σx² - (Σx)²/n)/(n - 1)."""
        if n == 0:
            return cls(0, math.nan, math.nan)
        mean = total / n
        variance = max((squares - total * total / n) / (n - 1), 0.0) if n > 1 else math.nan
        return cls(n, mean, variance)


def mean_change(*, before: Sequence[float], after: Sequence[float], confidence: float = 0.95) -> Change:
    """Two samples of values before and after: Welch's unequal-variances t-test, see
    ``mean_change_of``."""
    return mean_change_of(before=Summary.of(before), after=Summary.of(after), confidence=confidence)


def mean_change_of(*, before: Summary, after: Summary, confidence: float = 0.95) -> Change:
    """Welch's t-test of the difference of two means, two-sided, and the Welch interval.

    t = (m2 - m1) / √(s1²/n1 + s2²/n2), with the Welch-Satterthwaite degrees of freedom
    df = (s1²/n1 + s2²/n2)² / ((s1²/n1)²/(n1 - 1) + (s2²/n2)²/(n2 - 1)); the interval is
    (m2 - m1) ± t(1-a/2, df) √(s1²/n1 + s2²/n2). (Welch, *Biometrika* 34 (1947) 28-35; NIST/SEMATECH
    e-Handbook 1.3.5.3.)

    Not enough data: a sample under 2, or no variation on either side (the standard error is 0).
    """
    _check_confidence(confidence)
    m1 = before.mean if before.n else None
    m2 = after.mean if after.n else None
    if before.n < 2 or after.n < 2:
        difference = m2 - m1 if m1 is not None and m2 is not None else None
        return Change(
            m1, m2, difference, None, None, None, before.n, after.n, confidence, False, "a side has fewer than 2 values"
        )
    assert m1 is not None
    assert m2 is not None
    difference = m2 - m1
    a, b = before.variance / before.n, after.variance / after.n
    se2 = a + b
    if se2 <= 0:
        return Change(
            m1, m2, difference, None, None, None, before.n, after.n, confidence, False, "the values do not vary"
        )
    se = math.sqrt(se2)
    scale = max(a, b)  # df is unchanged by scaling both terms; this keeps tiny variances from underflowing
    a, b = a / scale, b / scale
    df = (a + b) ** 2 / (a**2 / (before.n - 1) + b**2 / (after.n - 1))
    p_value = t_two_sided(difference / se, df)
    half = t_quantile(confidence, df) * se
    return Change(m1, m2, difference, p_value, difference - half, difference + half, before.n, after.n, confidence)


def t_two_sided(t: float, df: float) -> float:
    """P(|T| ≥ |t|) for Student's t with ``df`` degrees of freedom: I_{df/(df+t²)}(df/2, 1/2)
    (Abramowitz & Stegun 26.7.1 with 26.5.27)."""
    if df <= 0:
        raise ValueError("The degrees of freedom must be positive.")
    return min(_incomplete_beta(df / 2, 0.5, df / (df + t * t)), 1.0)


def t_quantile(confidence: float, df: float) -> float:
    """The t with P(|T| ≤ t) = ``confidence`` (the two-sided critical value), by bisection on
    ``t_two_sided`` (monotone in t)."""
    alpha = 1 - confidence
    low, high = 0.0, 1.0
    while t_two_sided(high, df) > alpha:
        low, high = high, high * 2
    for _ in range(200):
        middle = (low + high) / 2
        if t_two_sided(middle, df) > alpha:
            low = middle
        else:
            high = middle
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), by its continued fraction (A&S 26.5.8,
    evaluated by the modified Lentz method; Press et al., *Numerical Recipes*, 3rd ed., §6.4)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    tiny, eps = 1e-300, 1e-15
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < eps:
            break
    return h


class Verdict(StrEnum):
    IMPROVED = "improved"
    NO_CHANGE = "no detectable change"
    WORSE = "worse"
    NOT_ENOUGH_DATA = NOT_ENOUGH_DATA


def verdict(change: Change, *, higher_is_better: bool) -> Verdict:
    """Improved or worse when the difference is significant at the change's own confidence
    (p < 1 - confidence) in the good or bad direction; otherwise no detectable change."""
    if not change.enough_data or change.p_value is None or change.difference is None:
        return Verdict.NOT_ENOUGH_DATA
    if change.p_value >= 1 - change.confidence or change.difference == 0:
        return Verdict.NO_CHANGE
    better = change.difference > 0 if higher_is_better else change.difference < 0
    return Verdict.IMPROVED if better else Verdict.WORSE


def explain(change: Change, verdict_: Verdict, *, unit: str = "") -> str:
    """The verdict in one sentence, with the sample sizes (a manager reads this, not the numbers)."""
    sizes = f"{change.before_n} before, {change.after_n} after"
    if verdict_ is Verdict.NOT_ENOUGH_DATA:
        return f"Not enough data ({change.reason}; {sizes})."
    assert change.difference is not None
    assert change.p_value is not None
    assert change.low is not None
    assert change.high is not None
    return (
        f"{verdict_.value.capitalize()}: {change.difference:+.3g}{unit} "
        f"({change.confidence:.0%} interval {change.low:+.3g}{unit} to {change.high:+.3g}{unit}, "
        f"p = {change.p_value:.3g}; {sizes})."
    )


# --- gaps and standards ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedGap:
    key: str
    score: float
    why: str


def rank_gaps(gaps: Sequence[tuple[str, float, int]]) -> list[RankedGap]:
    """Gaps ``(key, size, reach)`` in order of ``size x reach`` (the shortfall times how many it
    touched: a small gap that reaches everyone can matter more than a large one that reaches few),
    then by key, so the same evidence always gives the same order. ``size`` is clamped to [0, 1]."""
    ranked = []
    for key, size, reach in gaps:
        clamped = min(max(size, 0.0), 1.0)
        score = clamped * max(reach, 0)
        why = f"{clamped:.0%} short of the standard x {reach} reached = {score:.1f}"
        ranked.append((-score, key, why, RankedGap(key, score, why)))
    ranked.sort(key=lambda entry: entry[:3])  # keys are unique in practice; the words settle any tie
    return [entry[3] for entry in ranked]


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NONE = "none"


def rag(value: float | None, *, target: float, higher_is_better: bool, amber_within: float) -> Rag:
    """Green when the target is met, amber when short of it by no more than ``amber_within``
    (in the KPI's own unit), red beyond; none when nothing is measured."""
    if value is None:
        return Rag.NONE
    shortfall = target - value if higher_is_better else value - target
    if shortfall <= 0:
        return Rag.GREEN
    return Rag.AMBER if shortfall <= amber_within else Rag.RED


# --- requirements ---------------------------------------------------------------------------------

INTERNAL_CATEGORIES = ("policy", "procedure", "resources", "culture", "staff_training", "budget")
EXTERNAL_CATEGORIES = ("legislation", "customer_expectations", "regulator", "market")
MANDATORY_CATEGORIES = ("legislation", "regulator")


def requirement_problems(*, origin: str, category: str, obligation: str, citation: str) -> dict[str, str]:
    """What is wrong with a requirement as classified, by field (empty when it holds together).

    Internal requirements come from the organisation (policy, procedure, resources, culture, staff
    training, budget), external ones from outside it (legislation, customer expectations, a
    regulator, the market); a legal requirement cites its Act and section; only the law and a
    regulator make a requirement mandatory, everything else is best practice (seed 002: "internal
    and external requirements … mandatory or best practice")."""
    problems: dict[str, str] = {}
    allowed = INTERNAL_CATEGORIES if origin == "internal" else EXTERNAL_CATEGORIES if origin == "external" else ()
    if not allowed:
        problems["origin"] = "Say whether the requirement is internal or external."
    elif category not in allowed:
        problems["category"] = f"An {origin} requirement is one of: {', '.join(c.replace('_', ' ') for c in allowed)}."
    if category == "legislation" and not citation.strip():
        problems["citation"] = "Cite the Act and section, e.g. Consumer Rights Act 2015 s.49."
    if obligation == "mandatory" and category not in MANDATORY_CATEGORIES:
        problems["obligation"] = "Only legislation and a regulator's rules are mandatory; this is best practice."
    return problems
