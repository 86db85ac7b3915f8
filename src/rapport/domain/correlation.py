"""The link between two measures over the same cases (a review's QA score and the customer's CSAT),
as a correlation with its confidence interval and the number of pairs: an association, never a
cause (the agent, the case type and the customer's mood move both).

- Pearson's r: sum((x - mx)(y - my)) / sqrt(sum((x - mx)^2) sum((y - my)^2)).
- Spearman's rho: Pearson's r of the ranks, ties given their mean rank (Spearman 1904).
- The interval, by Fisher's z transformation (Fisher 1915; 1921): z = atanh(r), taken as normal
  with standard error 1 / sqrt(n - 3) for Pearson, and sqrt(1.06 / (n - 3)) for Spearman
  (Fieller, Hartley & Pearson 1957, "Tests for rank correlation coefficients. I", Biometrika
  44: 470-481), back-transformed with tanh. Needs n >= 4 (n - 3 > 0); None below that, and when
  either measure does not vary (r undefined).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import NormalDist

MIN_PAIRS = 4
FIELLER_SPEARMAN = 1.06


class Method(StrEnum):
    PEARSON = "pearson"
    SPEARMAN = "spearman"


@dataclass(frozen=True)
class Correlation:
    method: Method
    r: float
    low: float
    high: float
    n: int
    confidence: float

    def describe(self) -> str:
        strength = abs(self.r)
        word = (
            "no clear"
            if strength < 0.1
            else "a weak"
            if strength < 0.3
            else "a moderate"
            if strength < 0.5
            else "a strong"
        )
        direction = "" if strength < 0.1 else (" positive" if self.r > 0 else " negative")
        return (
            f"{word.capitalize()}{direction} association (r = {self.r:.2f}, {self.confidence:.0%} interval "
            f"{self.low:.2f} to {self.high:.2f}, n = {self.n}); an association, not a cause."
        )


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties given the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for position in range(i, j + 1):
            result[order[position]] = (i + j) / 2 + 1
        i = j + 1
    return result


def pearson_r(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) != len(ys):
        raise ValueError("the two measures must be paired")
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def correlate(
    xs: Sequence[float], ys: Sequence[float], *, method: Method = Method.SPEARMAN, confidence: float = 0.95
) -> Correlation | None:
    """The correlation of paired ``xs`` and ``ys`` with its Fisher z interval; None when there are
    fewer than four pairs or a measure does not vary."""
    n = len(xs)
    if n < MIN_PAIRS:
        if len(ys) != n:
            raise ValueError("the two measures must be paired")
        return None
    r = pearson_r(ranks(xs), ranks(ys)) if method is Method.SPEARMAN else pearson_r(xs, ys)
    if r is None:
        return None
    variance = (FIELLER_SPEARMAN if method is Method.SPEARMAN else 1.0) / (n - 3)
    quantile = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    z = math.atanh(max(-0.999999, min(0.999999, r)))
    half = quantile * math.sqrt(variance)
    return Correlation(method, r, math.tanh(z - half), math.tanh(z + half), n, confidence)
