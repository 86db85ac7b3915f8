"""Survey scoring and customer value (seed 004: tangible metrics, not vague impressions)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain.scoring import (
    NO_DATA,
    NetPromoter,
    Risk,
    TierRule,
    ces,
    churn_risk,
    csat,
    distribution,
    lifetime_value,
    nps,
    percentile,
    rater_gaps,
    signed,
    tier_for,
)


def test_csat_is_the_share_of_four_and_five():
    score = csat([5, 4, 3, 1])
    assert (score.n, score.value) == (4, 50.0)
    assert str(score) == "50.0%"


def test_ces_is_the_mean():
    assert ces([7, 5, 6]).value == 6.0


@pytest.mark.parametrize("fn", [csat, ces, nps])
def test_an_empty_sample_is_no_data_not_zero(fn):
    score = fn([])
    assert score.n == 0
    assert score.value is None
    assert not score.has_data
    assert str(score) == NO_DATA


@pytest.mark.parametrize(("fn", "bad"), [(csat, 0), (csat, 6), (ces, 8), (nps, 11), (nps, -1), (csat, True)])
def test_scores_off_the_scale_are_refused(fn, bad):
    with pytest.raises(ValueError, match="scores run from"):
        fn([bad])


def test_nps_worked_example_with_its_wald_interval():
    # 50 promoters, 30 passives, 20 detractors: NPS +30; Var = (0.5 + 0.2 - 0.09) / 100 = 0.0061.
    result = nps([10] * 50 + [8] * 30 + [3] * 20)
    assert (result.promoters, result.passives, result.detractors) == (50, 30, 20)
    assert result.value == pytest.approx(30.0)
    assert result.low == pytest.approx(30 - 100 * 1.959964 * 0.0061**0.5, abs=1e-3)
    assert result.high == pytest.approx(30 + 100 * 1.959964 * 0.0061**0.5, abs=1e-3)
    assert "n=100" in str(result)


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [(12.4, 0, "+12"), (-3.6, 0, "-4"), (-0.4, 0, "0"), (0.4, 0, "0"), (-0.004, 2, "0.00"), (-0.25, 2, "-0.25")],
)
def test_signed_figures_never_show_a_negative_zero(value, places, shown):
    assert signed(value, places=places) == shown


def test_an_nps_interval_that_starts_just_below_zero_reads_from_zero():
    result = NetPromoter(n=50, promoters=20, passives=16, detractors=14, value=12.0, low=-0.4, high=24.4)
    assert str(result) == "+12 (95% CI 0 to +24, n=50)"


@given(st.floats(min_value=-100, max_value=100))
def test_no_figure_reads_minus_zero(value):
    assert signed(value) not in {"-0", "+0"}


def test_results_are_frozen():
    with pytest.raises(FrozenInstanceError):
        nps([10]).value = 0  # type: ignore[misc]


@given(st.lists(st.integers(0, 10), min_size=1, max_size=300))
def test_nps_lies_within_its_interval_and_bounds(scores):
    result = nps(scores)
    assert -100 <= result.low <= result.value <= result.high <= 100
    assert result.promoters + result.passives + result.detractors == result.n == len(scores)


@given(st.lists(st.integers(0, 10), min_size=1, max_size=200), st.integers(0, 10))
def test_a_higher_answer_never_lowers_nps(scores, index):
    index %= len(scores)
    raised = list(scores)
    raised[index] = min(10, raised[index] + 1)
    assert nps(raised).value >= nps(scores).value


@given(st.lists(st.integers(1, 5), min_size=1, max_size=200))
def test_csat_is_a_percentage_and_rises_with_a_better_answer(scores):
    value = csat(scores).value
    assert 0 <= value <= 100
    assert csat([*scores, 5]).value >= value or value == 100
    assert csat([*scores, 1]).value <= value


@given(st.lists(st.integers(1, 7), min_size=1, max_size=200))
def test_ces_stays_on_its_scale(scores):
    assert 1 <= ces(scores).value <= 7


def test_rater_gaps_per_dimension_and_weighted_overall():
    result = rater_gaps(
        expectations={"reliability": [7, 7], "empathy": [5, 5]},
        perceptions={"reliability": [5, 6], "empathy": [6, 6]},
        weights={"reliability": 30, "empathy": 10},
    )
    gaps = {g.dimension.value: g.gap for g in result.gaps}
    assert gaps["reliability"] == -1.5
    assert gaps["empathy"] == 1.0
    assert gaps["tangibles"] is None
    assert result.overall == pytest.approx((30 * -1.5 + 10 * 1.0) / 40)
    assert result.n == 2


def test_rater_without_answers_is_no_data():
    result = rater_gaps({}, {})
    assert result.overall is None
    assert str(result) == NO_DATA


def test_rater_refuses_unknown_dimensions():
    with pytest.raises(ValueError, match="unknown RATER dimension"):
        rater_gaps({"speed": [3]}, {"speed": [4]})


@given(st.lists(st.integers(1, 7), min_size=1, max_size=50), st.lists(st.integers(1, 7), min_size=1, max_size=50))
def test_a_better_perception_never_lowers_the_gap(expected, perceived):
    before = rater_gaps({"assurance": expected}, {"assurance": perceived}).overall
    after = rater_gaps({"assurance": expected}, {"assurance": [*perceived, 7]}).overall
    assert after >= before - 1e-12
    assert -6 <= before <= 6


def test_percentiles_are_nearest_rank():
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50) == 5
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9
    assert distribution([]).median is None
    assert distribution([30, 10, 20]).median == 20


@given(st.lists(st.integers(0, 10**9), min_size=1, max_size=300))
def test_median_never_exceeds_p90_and_both_are_observed(values):
    result = distribution(values)
    assert result.median <= result.p90
    assert result.median in values
    assert result.p90 in values


def test_lifetime_value_worked_example():
    # £1,200 over two years is £600 a year; 25% margin is £150; r=0.8, d=0.1: 150 * 0.8 / 0.3 = 400.
    value = lifetime_value(
        orders=[Decimal(700), Decimal(500)],
        years_observed=Decimal(2),
        margin=Decimal("0.25"),
        retention=Decimal("0.8"),
        discount_rate=Decimal("0.1"),
    )
    assert value.value == Decimal("400.00")
    assert value.annual_margin == Decimal("150.00")
    assert value.n == 2
    assert str(value) == "£400.00"


def test_lifetime_value_without_orders_is_no_data():
    value = lifetime_value(
        orders=[], years_observed=Decimal(1), margin=Decimal("0.3"), retention=Decimal("0.5"), discount_rate=Decimal(0)
    )
    assert value.value is None
    assert str(value) == NO_DATA


@given(
    st.decimals(0, 1, places=2),
    st.decimals(0, "0.95", places=2),
    st.decimals(0, "0.5", places=2),
    st.decimals(1, 10_000, places=2),
)
def test_lifetime_value_rises_with_retention_and_margin_and_falls_with_discount(margin, retention, discount, spend):
    def clv(m, r, d):
        return lifetime_value(orders=[spend], years_observed=Decimal(1), margin=m, retention=r, discount_rate=d).value

    base = clv(margin, retention, discount)
    assert base >= 0
    assert clv(margin, min(retention + Decimal("0.04"), Decimal("0.99")), discount) >= base
    assert clv(min(margin + Decimal("0.1"), Decimal(1)), retention, discount) >= base
    assert clv(margin, retention, discount + Decimal("0.1")) <= base


def test_churn_risk_from_recency_and_complaints():
    assert churn_risk(days_since_last_order=10, complaints_last_year=0).risk == Risk.LOW
    high = churn_risk(days_since_last_order=400, complaints_last_year=2, unresolved_complaints=1)
    assert high.risk == Risk.HIGH
    assert high.score == 100
    assert "a complaint is still open" in high.reasons


@given(st.integers(0, 2000), st.integers(0, 5))
def test_churn_risk_never_falls_as_a_customer_goes_quiet(days, complaints):
    now = churn_risk(days_since_last_order=days, complaints_last_year=complaints).score
    later = churn_risk(days_since_last_order=days + 30, complaints_last_year=complaints).score
    assert 0 <= now <= later <= 100


def test_tiers_pick_the_highest_threshold_reached():
    tiers = [TierRule("silver", Decimal(500)), TierRule("gold", Decimal(2000))]
    assert tier_for(Decimal(2500), tiers) == "gold"
    assert tier_for(Decimal(600), tiers) == "silver"
    assert tier_for(Decimal(10), tiers) == ""
    assert tier_for(None, tiers) == ""
