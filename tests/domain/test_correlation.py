"""Correlations with Fisher z intervals, against values worked by hand and published examples."""

from __future__ import annotations

import math

import pytest

from rapport.domain.correlation import Method, correlate, pearson_r, ranks


def test_ties_share_their_mean_rank():
    assert ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4]


def test_pearson_of_a_perfect_line_is_one_and_of_a_constant_undefined():
    assert pearson_r([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson_r([1, 2, 3], [5, 5, 5]) is None


def test_spearman_of_the_iq_and_television_example_is_minus_0_176():
    # The textbook example (IQ against hours of television a week): rho = -29/165 = -0.1758.
    iq = [106, 86, 100, 101, 99, 103, 97, 113, 112, 110]
    tv = [7, 0, 27, 50, 28, 29, 20, 12, 6, 17]
    found = correlate(iq, tv, method=Method.SPEARMAN)
    assert found is not None
    assert found.r == pytest.approx(-29 / 165, abs=1e-9)
    assert found.n == 10


def test_the_fisher_interval_for_pearson_r_0_5_with_28_pairs():
    # z = atanh(0.5) = 0.5493, se = 1/sqrt(25) = 0.2: tanh(0.5493 -/+ 1.95996 x 0.2) = 0.1552 .. 0.7351
    xs = list(range(28))
    # Build ys with r exactly 0.5: y = 0.5 z(x) + sqrt(0.75) e, with e orthogonal to x.
    mean = sum(xs) / len(xs)
    sx = math.sqrt(sum((x - mean) ** 2 for x in xs))
    zx = [(x - mean) / sx for x in xs]
    e = [(1 if i % 2 else -1) for i in range(28)]
    # remove e's projection on zx
    dot = sum(a * b for a, b in zip(e, zx, strict=True))
    e = [a - dot * b for a, b in zip(e, zx, strict=True)]
    se = math.sqrt(sum(a * a for a in e))
    e = [a / se for a in e]
    ys = [0.5 * a + math.sqrt(0.75) * b for a, b in zip(zx, e, strict=True)]
    found = correlate(xs, ys, method=Method.PEARSON)
    assert found is not None
    assert found.r == pytest.approx(0.5, abs=1e-9)
    assert found.low == pytest.approx(0.1552, abs=1e-3)
    assert found.high == pytest.approx(0.7351, abs=1e-3)


def test_the_spearman_interval_is_wider_by_fiellers_factor():
    xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    ys = [2, 1, 4, 3, 6, 5, 8, 7, 10, 9]
    rho = correlate(xs, ys, method=Method.SPEARMAN)
    r = correlate(xs, ys, method=Method.PEARSON)
    assert rho is not None
    assert r is not None
    assert rho.r == pytest.approx(r.r)  # already ranks
    assert (rho.high - rho.low) > (r.high - r.low)


def test_too_few_pairs_or_no_variation_give_no_correlation():
    assert correlate([1, 2, 3], [1, 2, 3]) is None
    assert correlate([1, 2, 3, 4], [5, 5, 5, 5]) is None
    with pytest.raises(ValueError, match="paired"):
        correlate([1, 2, 3, 4], [1, 2, 3])


def test_the_description_says_association_not_cause():
    found = correlate([1, 2, 3, 4, 5, 6], [1, 3, 2, 5, 4, 6])
    assert found is not None
    text = found.describe()
    assert "not a cause" in text
    assert "n = 6" in text
