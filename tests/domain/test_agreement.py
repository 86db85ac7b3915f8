"""Krippendorff's alpha against the worked examples of Krippendorff (2011), "Computing
Krippendorff's Alpha-Reliability"."""

from __future__ import annotations

import pytest

from rapport.domain.agreement import Metric, alpha, coincidences, reading, spread, units_from

# Section C of the paper: four observers, twelve units, values 1-5, missing data ("." as None).
A = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
C = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
MISSING_DATA_EXAMPLE = list(zip(A, B, C, D, strict=True))


def test_the_nominal_alpha_of_the_papers_example_with_missing_data_is_0_743():
    assert alpha(MISSING_DATA_EXAMPLE, Metric.NOMINAL) == pytest.approx(0.743, abs=5e-4)


def test_the_ordinal_alpha_of_the_same_example_is_0_815():
    assert alpha(MISSING_DATA_EXAMPLE, Metric.ORDINAL) == pytest.approx(0.815, abs=5e-4)
    assert alpha(MISSING_DATA_EXAMPLE) == alpha(MISSING_DATA_EXAMPLE, Metric.ORDINAL)  # ordinal by default


def test_the_binary_two_observer_example_is_0_095():
    first = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    second = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert alpha(list(zip(first, second, strict=True)), Metric.NOMINAL) == pytest.approx(0.095, abs=5e-4)


def test_the_coincidence_matrix_counts_the_pairable_values_of_the_example():
    matrix = coincidences(MISSING_DATA_EXAMPLE)
    totals: dict[float, float] = {}
    for (c, _), weight in matrix.items():
        totals[c] = totals.get(c, 0) + weight
    # The paper's n_c: 9, 13, 10, 5, 3 (n = 40; unit 12's single value is not pairable).
    assert [round(totals[v], 6) for v in (1, 2, 3, 4, 5)] == [9, 13, 10, 5, 3]


def test_perfect_agreement_is_one_and_systematic_disagreement_below_zero():
    assert alpha([[1, 1], [2, 2], [4, 4]]) == pytest.approx(1.0)
    assert alpha([[1, 4], [4, 1], [1, 4], [4, 1]]) < 0


def test_alpha_is_undefined_without_variation_or_pairable_values():
    assert alpha([[3, 3], [3, 3]]) is None
    assert alpha([[3, None], [None, 2]]) is None
    assert alpha([]) is None


def test_ordinal_counts_a_near_miss_as_less_disagreement_than_nominal():
    near = [[1, 2], [2, 3], [3, 4], [4, 4], [1, 1], [2, 2], [3, 3]]
    assert alpha(near, Metric.ORDINAL) > alpha(near, Metric.NOMINAL)


def test_the_spread_shows_lowest_highest_and_range():
    found = spread([2, None, 4, 3])
    assert found is not None
    assert (found.n, found.low, found.high, found.range, found.mean) == (3, 2, 4, 2, 3)
    assert spread([None, None]) is None


def test_units_from_ratings_by_unit_and_reviewer_fills_gaps_with_none():
    units = units_from({"empathy": {7: 3, 9: 4}, "tone": {7: 2}})
    assert units == [[3, 4], [2, None]]


def test_the_reading_follows_krippendorffs_thresholds():
    assert reading(0.85) == "reliable"
    assert reading(0.7) == "tentative"
    assert reading(0.2).startswith("not reliable")
    assert reading(None) == "not measurable yet"
