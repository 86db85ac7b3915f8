"""Cost-benefit, before/after tests, gap ranks and RAG: published values and properties (hypothesis)."""

from __future__ import annotations

import math
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain.improvement import (
    CostBenefit,
    Rag,
    Summary,
    Verdict,
    appraise,
    explain,
    mean_change,
    mean_change_of,
    npv,
    payback_periods,
    proportion_change,
    rag,
    rank_gaps,
    t_quantile,
    t_two_sided,
    verdict,
)

money = st.decimals(min_value=D("-100000"), max_value=D("100000"), places=2, allow_nan=False, allow_infinity=False)
positive_money = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2)
rates = st.decimals(min_value=D("0"), max_value=D("0.2"), places=4)


# --- npv ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "flows", "expected"),
    [
        # C0 is not discounted; C1 = 110 at 10% is worth 100 today.
        ("0.10", ["-100", "110"], "0.00"),
        # Brealey & Myers' office block: -370,000 now, 420,000 in a year at 5% -> NPV 30,000.
        ("0.05", ["-370000", "420000"], "30000.00"),
        # An annuity of 1,000 for 3 periods at 10%: 2,486.85 (annuity factor 2.48685).
        ("0.10", ["0", "1000", "1000", "1000"], "2486.85"),
        ("0", ["-5", "1", "1", "1"], "-2.00"),
    ],
)
def test_npv_known_values(rate, flows, expected):
    assert npv(rate=D(rate), cashflows=[D(f) for f in flows]).quantize(D("0.01")) == D(expected)


def test_npv_refuses_a_rate_of_minus_100_percent():
    with pytest.raises(ValueError, match="above -100%"):
        npv(rate=D(-1), cashflows=[D(1)])


@given(st.lists(money, min_size=1, max_size=24))
def test_npv_at_zero_rate_is_the_sum(flows):
    assert npv(rate=D(0), cashflows=flows) == sum(flows)


@given(rates, st.lists(positive_money, min_size=2, max_size=24))
def test_npv_of_positive_flows_falls_as_the_rate_rises(rate, flows):
    assert npv(rate=rate + D("0.01"), cashflows=flows) < npv(rate=rate, cashflows=flows)


@given(rates, money, st.lists(money, max_size=12))
def test_the_first_flow_is_not_discounted(rate, first, rest):
    with_first = npv(rate=rate, cashflows=[first, *rest])
    without = npv(rate=rate, cashflows=[D(0), *rest])
    assert abs((with_first - without) - first) < D("0.000001")


# --- payback --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cost", "benefits", "expected"),
    [
        ("12000", ["1500"] * 12, 8.0),  # the example
        ("12000", ["1500"] * 7, None),  # never covered within the horizon
        ("1000", ["400", "400", "400"], 2.5),  # half-way through the third period
        ("1000", ["-200", "600", "600"], 2 + 0 / 600 + 600 / 600 - 0),  # a bad first month delays it
        ("0", ["1"], 0.0),
        ("100", [], None),
    ],
)
def test_payback_known_values(cost, benefits, expected):
    assert payback_periods(cost=D(cost), benefits=[D(b) for b in benefits]) == expected


@given(positive_money, st.decimals(min_value=D("100"), max_value=D("100000"), places=2))
def test_payback_of_constant_benefits_is_cost_over_benefit(cost, benefit):
    periods = math.ceil(cost / benefit) + 1
    found = payback_periods(cost=cost, benefits=[benefit] * periods)
    assert found == pytest.approx(float(cost / benefit))


@given(positive_money, st.lists(positive_money, min_size=1, max_size=24))
def test_cumulative_benefits_cover_the_cost_exactly_at_payback(cost, benefits):
    found = payback_periods(cost=cost, benefits=benefits)
    if found is None:
        assert sum(benefits) < cost
    else:
        whole = math.floor(found)
        assert sum(benefits[:whole]) <= cost
        if whole < len(benefits):
            assert sum(benefits[: whole + 1]) >= cost


def test_appraisal_states_its_assumptions_and_counts_hours_at_their_cost():
    plan = CostBenefit(
        one_off_cost=D(12000),
        monthly_cost=D(100),
        monthly_saving=D(600),
        monthly_hours_saved=D(40),
        hourly_cost=D("25.00"),
        months=12,
        annual_discount_rate=D(0),
    )
    found = appraise(plan)
    assert plan.monthly_net == D(1500)
    assert found.payback_months == 8.0
    assert found.net_present_value == D(6000)  # 12 x 1,500 - 12,000, undiscounted
    assert found.total_cost == D(13200)
    assert any("£25.00 an hour" in line for line in found.assumptions)


# --- proportions ----------------------------------------------------------------------------------


def test_proportion_change_matches_r_prop_test():
    # R: prop.test(c(60, 45), c(100, 100), correct = FALSE): X-squared = 4.5113, p-value = 0.03367,
    # 95 percent confidence interval 0.01315296 0.28684704.
    found = proportion_change(before=(45, 100), after=(60, 100))
    assert found.difference == pytest.approx(0.15)
    assert found.p_value == pytest.approx(0.03367, abs=5e-6)
    assert found.low == pytest.approx(0.01315296, abs=1e-7)
    assert found.high == pytest.approx(0.28684704, abs=1e-7)
    assert verdict(found, higher_is_better=True) is Verdict.IMPROVED
    assert verdict(found, higher_is_better=False) is Verdict.WORSE


def test_proportion_change_of_a_small_difference_is_no_detectable_change():
    found = proportion_change(before=(50, 100), after=(52, 100))
    assert found.p_value == pytest.approx(0.7773, abs=1e-4)  # R: prop.test(c(52,50), c(100,100), correct=FALSE)
    assert verdict(found, higher_is_better=True) is Verdict.NO_CHANGE


@pytest.mark.parametrize(
    ("before", "after", "reason"),
    [
        ((0, 0), (5, 10), "a side has no cases"),
        ((3, 10), (0, 0), "a side has no cases"),
        ((0, 10), (0, 12), "every case is the same on both sides"),
        ((10, 10), (12, 12), "every case is the same on both sides"),
        ((0, 10), (12, 12), "every case is the same on both sides"),
    ],
)
def test_degenerate_proportions_are_not_enough_data(before, after, reason):
    found = proportion_change(before=before, after=after)
    assert not found.enough_data
    assert found.reason == reason
    assert (found.p_value, found.low, found.high) == (None, None, None)
    assert verdict(found, higher_is_better=True) is Verdict.NOT_ENOUGH_DATA
    assert explain(found, Verdict.NOT_ENOUGH_DATA).startswith("Not enough data (")


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError, match="between 0 and the total"):
        proportion_change(before=(11, 10), after=(1, 10))
    with pytest.raises(ValueError, match="confidence"):
        proportion_change(before=(1, 10), after=(1, 10), confidence=1.0)


counts = st.integers(min_value=1, max_value=5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@given(counts, counts)
def test_proportion_interval_holds_the_difference_and_p_is_a_probability(before, after):
    found = proportion_change(before=before, after=after)
    if found.enough_data:
        assert found.low <= found.difference <= found.high
        assert 0 <= found.p_value <= 1
    else:
        assert found.p_value is None


@given(counts, counts)
def test_swapping_before_and_after_negates_the_difference_and_keeps_p(before, after):
    there = proportion_change(before=before, after=after)
    back = proportion_change(before=after, after=before)
    if there.enough_data:
        assert back.difference == pytest.approx(-there.difference)
        assert back.p_value == pytest.approx(there.p_value)
        assert back.low == pytest.approx(-there.high)


# --- means ----------------------------------------------------------------------------------------

SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_mean_change_matches_r_welch_t_test_on_the_sleep_data():
    # R: t.test(extra ~ group, data = sleep): t = -1.8608, df = 17.776, p-value = 0.07939,
    # 95 percent confidence interval -3.3654832 0.2054832 (group 1 - group 2).
    found = mean_change(before=SLEEP_2, after=SLEEP_1)
    assert found.difference == pytest.approx(-1.58)
    assert found.p_value == pytest.approx(0.07939, abs=5e-6)
    assert found.low == pytest.approx(-3.3654832, abs=1e-6)
    assert found.high == pytest.approx(0.2054832, abs=1e-6)
    assert verdict(found, higher_is_better=True) is Verdict.NO_CHANGE
    assert "10 before, 10 after" in explain(found, Verdict.NO_CHANGE)


@pytest.mark.parametrize(
    ("df", "critical"),
    # Student's t, two-sided 95% critical values (Fisher & Yates; any printed table).
    [(1, 12.7062), (2, 4.3027), (5, 2.5706), (10, 2.2281), (30, 2.0423), (120, 1.9799), (1e7, 1.9600)],
)
def test_t_quantile_matches_the_printed_table(df, critical):
    assert t_quantile(0.95, df) == pytest.approx(critical, abs=1e-4)
    assert t_two_sided(critical, df) == pytest.approx(0.05, abs=1e-4)


def test_summaries_from_sums_equal_summaries_of_values():
    values = [3.0, 4.0, 5.0, 6.0, 8.0]
    direct = Summary.of(values)
    summed = Summary.from_sums(n=5, total=sum(values), squares=sum(v * v for v in values))
    assert summed.mean == pytest.approx(direct.mean)
    assert summed.variance == pytest.approx(direct.variance) == pytest.approx(3.7)


@pytest.mark.parametrize(
    ("before", "after", "reason"),
    [
        ([], [1.0, 2.0], "a side has fewer than 2 values"),
        ([1.0], [1.0, 2.0], "a side has fewer than 2 values"),
        ([2.0, 2.0, 2.0], [3.0, 3.0], "the values do not vary"),
    ],
)
def test_degenerate_samples_are_not_enough_data(before, after, reason):
    found = mean_change(before=before, after=after)
    assert not found.enough_data
    assert found.reason == reason
    assert found.p_value is None
    assert verdict(found, higher_is_better=False) is Verdict.NOT_ENOUGH_DATA


samples = st.lists(st.floats(min_value=-1000, max_value=1000, allow_nan=False), min_size=2, max_size=40)


@given(samples, samples)
def test_welch_interval_holds_the_difference_and_p_is_a_probability(before, after):
    found = mean_change(before=before, after=after)
    if found.enough_data:
        assert found.low <= found.difference <= found.high
        assert 0 <= found.p_value <= 1
    else:
        assert found.p_value is None
        assert found.reason


@given(samples, st.floats(min_value=-100, max_value=100, allow_nan=False))
def test_shifting_both_samples_changes_nothing(values, shift):
    plain = mean_change_of(before=Summary.of(values), after=Summary.of([v * 1.5 for v in values]))
    moved = mean_change_of(
        before=Summary.of([v + shift for v in values]), after=Summary.of([v * 1.5 + shift for v in values])
    )
    if plain.enough_data and moved.enough_data:
        assert moved.difference == pytest.approx(plain.difference, abs=1e-6)


# --- ranks and RAG --------------------------------------------------------------------------------


def test_gaps_rank_by_size_times_reach_then_key_and_say_why():
    ranked = rank_gaps([("b", 0.5, 10), ("a", 0.1, 50), ("c", 0.9, 2), ("d", 1.7, 1)])
    assert [gap.key for gap in ranked] == ["a", "b", "c", "d"]  # 5, 5, 1.8, 1 (d clamped to 100%)
    assert ranked[0].why == "10% short of the standard x 50 reached = 5.0"


@given(st.lists(st.tuples(st.text(max_size=5), st.floats(0, 1), st.integers(0, 1000)), max_size=20))
def test_rank_is_deterministic_whatever_the_input_order(gaps):
    assert rank_gaps(gaps) == rank_gaps(list(reversed(gaps)))


@pytest.mark.parametrize(
    ("value", "higher", "expected"),
    [(0.95, True, Rag.GREEN), (0.87, True, Rag.AMBER), (0.70, True, Rag.RED), (None, True, Rag.NONE)],
)
def test_rag_against_a_target(value, higher, expected):
    assert rag(value, target=0.9, higher_is_better=higher, amber_within=0.05) is expected


def test_rag_when_lower_is_better():
    assert rag(3.0, target=4.0, higher_is_better=False, amber_within=1.0) is Rag.GREEN
    assert rag(4.5, target=4.0, higher_is_better=False, amber_within=1.0) is Rag.AMBER
    assert rag(6.0, target=4.0, higher_is_better=False, amber_within=1.0) is Rag.RED


# --- requirements ---------------------------------------------------------------------------------


def test_a_legal_requirement_cites_its_act_and_is_mandatory():
    from rapport.domain.improvement import requirement_problems

    ok = requirement_problems(
        origin="external", category="legislation", obligation="mandatory", citation="Consumer Rights Act 2015 s.49"
    )
    assert ok == {}
    missing = requirement_problems(origin="external", category="legislation", obligation="mandatory", citation=" ")
    assert set(missing) == {"citation"}


def test_internal_and_external_categories_do_not_mix_and_best_practice_is_not_mandatory():
    from rapport.domain.improvement import requirement_problems

    wrong = requirement_problems(origin="internal", category="regulator", obligation="mandatory", citation="")
    assert set(wrong) == {"category"}
    training = requirement_problems(origin="internal", category="staff_training", obligation="mandatory", citation="")
    assert set(training) == {"obligation"}
    assert set(requirement_problems(origin="", category="", obligation="best_practice", citation="")) == {"origin"}
