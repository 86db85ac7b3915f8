"""Erlang C staffing: known values, an exact oracle, the unsettled queue, and properties."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.domain.staffing import erlang_c, required_staff, scheduled_for, staffing, traffic_erlangs


def textbook_erlang_c(traffic: int, agents: int) -> Fraction:
    """Erlang C as printed in the textbooks, in exact fractions: (A^N/N! · N/(N-A)) ÷ (Σ_{k<N}
    A^k/k! + A^N/N! · N/(N-A)). Slow and overflow-prone in floats, exact here: the oracle."""
    top = Fraction(traffic**agents, math.factorial(agents)) * Fraction(agents, agents - traffic)
    return top / (sum(Fraction(traffic**k, math.factorial(k)) for k in range(agents)) + top)


def log_space_erlang_c(traffic: float, agents: int) -> float:
    """Erlang C through logarithms (lgamma), a second independent route for large centres."""
    log_terms = [k * math.log(traffic) - math.lgamma(k + 1) for k in range(agents)]
    log_top = agents * math.log(traffic) - math.lgamma(agents + 1) + math.log(agents / (agents - traffic))
    peak = max([*log_terms, log_top])
    total = sum(math.exp(term - peak) for term in log_terms) + math.exp(log_top - peak)
    return math.exp(log_top - peak) / total


# Worked examples with their published answers.
def test_three_servers_two_erlangs_wait_with_probability_four_ninths() -> None:
    # The standard small example (e.g. Wolfram's ErlangC[3, 2] = 4/9): 1 + 2 + 2 below, 4 above.
    assert erlang_c(traffic=2, agents=3) == pytest.approx(4 / 9, rel=1e-12)


def test_one_call_a_minute_three_minutes_each_five_agents() -> None:
    # A call a minute, three minutes each: 3 Erlangs. With five agents 76.4% are answered at once.
    figures = staffing(calls=60, interval_minutes=60, aht_seconds=180, agents=5)
    assert figures.traffic == pytest.approx(3.0)
    assert figures.answered_immediately == pytest.approx(0.7638, abs=5e-5)
    assert figures.occupancy == pytest.approx(0.6)


def test_a_hundred_calls_in_half_an_hour_need_fourteen_agents_for_eighty_in_twenty() -> None:
    # The call-centre industry's usual example: 100 calls per 30 minutes, 180 s AHT → 10 Erlangs;
    # 80% answered within 20 s needs 14 agents (13 deliver 79.6%).
    need = required_staff(calls=100, interval_minutes=30, aht_seconds=180, target_answer_seconds=20, sl_target=0.8)
    assert need.traffic == pytest.approx(10.0)
    assert need.agents == 14
    assert need.prob_wait == pytest.approx(0.1741, abs=5e-5)
    assert need.service_level == pytest.approx(0.8884, abs=5e-5)
    assert need.asa_seconds == pytest.approx(7.84, abs=5e-3)
    assert need.occupancy == pytest.approx(10 / 14)
    thirteen = staffing(calls=100, interval_minutes=30, aht_seconds=180, agents=13, target_answer_seconds=20)
    assert thirteen.service_level == pytest.approx(0.7956, abs=5e-5)


def test_three_hundred_and_sixty_calls_of_four_minutes_with_fifty_five_agents() -> None:
    # 360 calls per half hour of 4 minutes each is 48 Erlangs; 55 agents, answer within 15 s.
    figures = staffing(calls=360, interval_minutes=30, aht_seconds=240, agents=55, target_answer_seconds=15)
    exact = float(textbook_erlang_c(48, 55))
    assert figures.traffic == 48.0
    assert figures.prob_wait == pytest.approx(exact, rel=1e-12)
    assert figures.service_level == pytest.approx(1 - exact * math.exp(-7 * 15 / 240), rel=1e-12)
    assert figures.asa_seconds == pytest.approx(exact * 240 / 7, rel=1e-12)
    assert figures.occupancy == pytest.approx(48 / 55)


@pytest.mark.parametrize("traffic", [1, 2, 5, 9, 20, 37])
def test_the_recursion_agrees_with_the_textbook_formula_in_exact_arithmetic(traffic: int) -> None:
    for agents in range(traffic + 1, traffic + 15):
        assert erlang_c(traffic=traffic, agents=agents) == pytest.approx(
            float(textbook_erlang_c(traffic, agents)), rel=1e-11
        )


@pytest.mark.parametrize(("traffic", "agents"), [(500.0, 520), (2000.0, 2060), (4321.5, 4400), (9000.0, 9100)])
def test_large_centres_neither_overflow_nor_drift(traffic: float, agents: int) -> None:
    # 9,000 Erlangs: A^N/N! would overflow a float many times over; the recursion never forms it.
    assert erlang_c(traffic=traffic, agents=agents) == pytest.approx(log_space_erlang_c(traffic, agents), rel=1e-9)


def test_hundreds_of_agents_are_found_for_thousands_of_erlangs() -> None:
    need = required_staff(calls=24_000, interval_minutes=30, aht_seconds=300, target_answer_seconds=20, sl_target=0.9)
    assert need.traffic == 4000.0
    assert 4000 < need.agents < 4100
    assert need.service_level is not None
    assert need.service_level >= 0.9
    fewer = staffing(
        calls=24_000, interval_minutes=30, aht_seconds=300, agents=need.agents - 1, target_answer_seconds=20
    )
    assert fewer.service_level is not None
    assert fewer.service_level < 0.9


# The queue that never settles.
@pytest.mark.parametrize("agents", [0, 5, 10])
def test_with_no_more_agents_than_the_traffic_everyone_waits_for_ever(agents: int) -> None:
    figures = staffing(calls=100, interval_minutes=30, aht_seconds=180, agents=agents, target_answer_seconds=20)
    assert figures.traffic == 10.0
    assert figures.prob_wait == 1.0
    assert figures.service_level == 0.0
    assert figures.asa_seconds == math.inf
    assert figures.occupancy == 1.0
    assert figures.answered_immediately == 0.0
    assert not figures.settles
    assert erlang_c(traffic=10, agents=agents) == 1.0


def test_without_an_answer_time_there_is_no_service_level() -> None:
    assert staffing(calls=100, interval_minutes=30, aht_seconds=180, agents=14).service_level is None
    assert staffing(calls=100, interval_minutes=30, aht_seconds=180, agents=3).service_level is None


def test_no_demand_needs_one_agent_who_is_never_busy() -> None:
    need = required_staff(calls=0, interval_minutes=15, aht_seconds=300, target_answer_seconds=20, sl_target=0.8)
    assert (need.agents, need.prob_wait, need.service_level, need.occupancy) == (1, 0.0, 1.0, 0.0)


# Targets.
def test_each_target_alone_and_all_together() -> None:
    demand = {"calls": 100, "interval_minutes": 30, "aht_seconds": 180}
    by_wait = required_staff(**demand, target_prob_wait=0.2)
    assert by_wait.prob_wait <= 0.2
    assert staffing(**demand, agents=by_wait.agents - 1).prob_wait > 0.2
    by_occupancy = required_staff(**demand, max_occupancy=0.6)
    assert by_occupancy.agents == 17  # 10 / 17 = 0.588; 10 / 16 = 0.625
    together = required_staff(
        **demand, target_answer_seconds=20, sl_target=0.8, target_prob_wait=0.2, max_occupancy=0.6
    )
    assert together.agents == max(14, by_wait.agents, 17)


def test_a_service_level_target_needs_an_answer_time_and_some_target_is_needed() -> None:
    demand = {"calls": 100, "interval_minutes": 30, "aht_seconds": 180}
    with pytest.raises(ValueError, match="at least one target"):
        required_staff(**demand)
    with pytest.raises(ValueError, match="target_answer_seconds"):
        required_staff(**demand, sl_target=0.8)
    with pytest.raises(ValueError, match="below 1"):
        required_staff(**demand, target_answer_seconds=20, sl_target=1.0)
    with pytest.raises(ValueError, match="above 0"):
        required_staff(**demand, target_prob_wait=0.0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"sl_target": 80, "target_answer_seconds": 20}, "fraction from 0 to 1"),
        ({"max_occupancy": 0.0}, "fraction from 0 to 1"),
        ({"max_occupancy": 0.85, "shrinkage": 1.0}, "fraction from 0 to 1"),
        ({"max_occupancy": 0.85, "shrinkage": -0.1}, "fraction from 0 to 1"),
        ({"max_occupancy": 0.85, "target_answer_seconds": -1}, "cannot be negative"),
        ({"max_occupancy": float("nan")}, "fraction from 0 to 1"),
    ],
)
def test_out_of_range_inputs_are_refused_with_the_name_of_the_input(arguments: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        required_staff(calls=100, interval_minutes=30, aht_seconds=180, **arguments)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"calls": -1}, "calls cannot be negative"),
        ({"interval_minutes": 0}, "interval_minutes must be more than 0"),
        ({"aht_seconds": 0}, "aht_seconds must be more than 0"),
        ({"agents": 2.5}, "whole number"),
        ({"agents": -1}, "agents cannot be negative"),
    ],
)
def test_impossible_demand_is_refused(arguments: dict[str, float], message: str) -> None:
    values = {"calls": 100, "interval_minutes": 30, "aht_seconds": 180, "agents": 12, **arguments}
    with pytest.raises(ValueError, match=message):
        staffing(**values)  # type: ignore[arg-type]


# Shrinkage.
@pytest.mark.parametrize(
    ("agents", "shrinkage", "scheduled"),
    [(14, 0.3, 20), (13, 0.3, 19), (10, 0.0, 10), (7, 0.125, 8), (1, 0.35, 2), (0, 0.3, 0), (99, 0.01, 100)],
)
def test_scheduled_allows_for_shrinkage_exactly(agents: int, shrinkage: float, scheduled: int) -> None:
    # 14 ÷ 0.7 is 20; in binary floating point 14 / (1 - 0.3) is 20.000000000000004, which would round up to 21.
    assert scheduled_for(agents, shrinkage) == scheduled


def test_required_staff_reports_the_rota_figure_with_shrinkage() -> None:
    need = required_staff(
        calls=100, interval_minutes=30, aht_seconds=180, target_answer_seconds=20, sl_target=0.8, shrinkage=0.3
    )
    assert (need.agents, need.scheduled) == (14, 20)


# Properties.
demands = st.fixed_dictionaries(
    {
        "calls": st.integers(min_value=0, max_value=2_000),
        "interval_minutes": st.sampled_from([15, 30, 60]),
        "aht_seconds": st.integers(min_value=30, max_value=1_200),
    }
)


@settings(max_examples=200, deadline=None)
@given(demands, st.integers(min_value=0, max_value=300), st.integers(min_value=0, max_value=120))
def test_more_agents_never_lower_the_service_level(demand: dict[str, int], agents: int, answer: int) -> None:
    fewer = staffing(**demand, agents=agents, target_answer_seconds=answer)
    more = staffing(**demand, agents=agents + 1, target_answer_seconds=answer)
    assert fewer.service_level is not None
    assert more.service_level is not None
    assert more.service_level >= fewer.service_level - 1e-12
    assert more.prob_wait <= fewer.prob_wait + 1e-12
    assert more.asa_seconds <= fewer.asa_seconds
    assert 0.0 <= more.prob_wait <= 1.0
    assert 0.0 <= more.service_level <= 1.0
    # Waiting no more than T includes not waiting at all.
    assert more.service_level >= more.answered_immediately - 1e-12


@settings(max_examples=200, deadline=None)
@given(
    demands,
    st.integers(min_value=5, max_value=60),
    st.floats(min_value=0.5, max_value=0.95),
    st.floats(min_value=0.0, max_value=0.5),
)
def test_required_staff_is_the_fewest_that_meets_the_target(
    demand: dict[str, int], answer: int, target: float, shrinkage: float
) -> None:
    need = required_staff(**demand, target_answer_seconds=answer, sl_target=target, shrinkage=shrinkage)
    assert need.agents > need.traffic
    assert need.service_level is not None
    assert need.service_level >= target
    assert need.scheduled >= need.agents
    one_fewer = staffing(**demand, agents=need.agents - 1, target_answer_seconds=answer)
    assert one_fewer.service_level is not None
    assert one_fewer.service_level < target


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=0.01, max_value=500), st.integers(min_value=1, max_value=600))
def test_traffic_is_calls_times_handling_time_over_the_interval(calls: float, aht: int) -> None:
    assert traffic_erlangs(calls=calls, interval_minutes=15, aht_seconds=aht) == pytest.approx(calls * aht / 900)
