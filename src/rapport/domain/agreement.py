"""Agreement between reviewers who scored the same work blind: Krippendorff's alpha.

Krippendorff, K. (2011). *Computing Krippendorff's Alpha-Reliability*. Annenberg School for
Communication, University of Pennsylvania. https://repository.upenn.edu/asc_papers/43

    alpha = 1 - D_o / D_e = 1 - (n - 1) * sum_ck o_ck * delta2_ck / sum_ck n_c * n_k * delta2_ck

- ``o_ck``, the coincidence matrix: in each unit ``u`` with ``m_u >= 2`` values, every ordered
  pair of values (c, k) from different reviewers adds ``1 / (m_u - 1)`` (units with a single value
  are not pairable and drop out, which is how missing ratings are handled);
- ``n_c = sum_k o_ck`` and ``n = sum_c n_c``, the pairable values;
- ``delta2_ck``, the difference metric. Nominal: 0 when c == k, else 1. Ordinal (section E.3):
  ``(sum_{g=c..k} n_g - (n_c + n_k) / 2) ** 2``, the distance between two ranks measured in the
  number of values that lie between them, so a rating scale's steps need not be equal.

A scorecard's ratings are ordinal (a 1-4 "not met" .. "exceeded" scale), so ordinal is the default.
alpha is 1 for perfect agreement, 0 for agreement no better than chance, and below 0 for
systematic disagreement; Krippendorff suggests relying on alpha >= 0.800 and drawing only tentative
conclusions for 0.667 <= alpha < 0.800. alpha is undefined (None here) when there is no pairable
value or when every value is the same (D_e = 0: nothing to disagree about).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import mean
from typing import Any

RELIABLE = 0.800
TENTATIVE = 0.667


class Metric(StrEnum):
    NOMINAL = "nominal"
    ORDINAL = "ordinal"


Units = Sequence[Sequence[float | None]]
"""The reliability data: one row per unit (a behaviour on one interaction), one value per reviewer
(None where that reviewer gave no rating)."""


def coincidences(units: Units) -> dict[tuple[float, float], float]:
    """The coincidence matrix ``o_ck`` of the pairable values (Krippendorff 2011, section C)."""
    matrix: dict[tuple[float, float], float] = defaultdict(float)
    for unit in units:
        values = [value for value in unit if value is not None]
        m = len(values)
        if m < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    matrix[(c, k)] += 1 / (m - 1)
    return dict(matrix)


def _delta2(metric: Metric, totals: Mapping[float, float], order: Sequence[float]) -> dict[tuple[float, float], float]:
    deltas: dict[tuple[float, float], float] = {}
    for a, c in enumerate(order):
        for b, k in enumerate(order):
            if metric is Metric.NOMINAL:
                deltas[(c, k)] = 0.0 if c == k else 1.0
            else:
                low, high = min(a, b), max(a, b)
                between = sum(totals[order[g]] for g in range(low, high + 1))
                deltas[(c, k)] = (between - (totals[c] + totals[k]) / 2) ** 2
    return deltas


def alpha(units: Units, metric: Metric = Metric.ORDINAL) -> float | None:
    """Krippendorff's alpha of ``units``; None when it is undefined (see the module's note)."""
    matrix = coincidences(units)
    totals: dict[float, float] = defaultdict(float)
    for (c, _), weight in matrix.items():
        totals[c] += weight
    n = sum(totals.values())
    if n <= 1:
        return None
    order = sorted(totals)
    delta2 = _delta2(metric, totals, order)
    observed = sum(weight * delta2[pair] for pair, weight in matrix.items())
    expected = sum(totals[c] * totals[k] * delta2[(c, k)] for c in order for k in order)
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


@dataclass(frozen=True)
class Spread:
    """How far apart the reviewers' ratings of one behaviour were: lowest, highest, mean, range."""

    n: int
    low: float
    high: float
    mean: float

    @property
    def range(self) -> float:
        return self.high - self.low


def spread(values: Sequence[float | None]) -> Spread | None:
    given = [value for value in values if value is not None]
    if not given:
        return None
    return Spread(n=len(given), low=min(given), high=max(given), mean=mean(given))


def units_from(ratings: Mapping[Any, Mapping[Any, float | None]]) -> list[list[float | None]]:
    """Reliability data from ratings by unit then reviewer (reviewers missing from a unit count as
    no rating), in a stable order."""
    reviewers = sorted({r for row in ratings.values() for r in row}, key=str)
    return [[ratings[unit].get(r) for r in reviewers] for unit in sorted(ratings, key=str)]


def reading(value: float | None) -> str:
    """What an alpha means, in Krippendorff's (2011) terms."""
    if value is None:
        return "not measurable yet"
    if value >= RELIABLE:
        return "reliable"
    if value >= TENTATIVE:
        return "tentative"
    return "not reliable: reviewers need to align"
