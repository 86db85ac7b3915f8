"""The routing rules, on plain snapshots: presence, each method's choice, the named contact,
skills, fairness (Gini, max/min share) and percentiles."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.domain import routing as rules
from rapport.domain.routing import Agent, Need


def agents(*specs: dict) -> list[Agent]:
    return [Agent(id=i + 1, name=f"A{i + 1}", **spec) for i, spec in enumerate(specs)]


@pytest.mark.parametrize(
    ("agent", "why"),
    [
        (Agent(1), ""),
        (Agent(1, status="away"), "away"),
        (Agent(1, status="on_break"), "on break"),
        (Agent(1, status="off_shift"), "off shift"),
        (Agent(1, status="busy"), "busy"),
        (Agent(1, on_rota=False), "not on a work shift"),
        (Agent(1, on_rota=True), ""),
        (Agent(1, open_cases=20, capacity=20), "at capacity"),
        (Agent(1, open_cases=0, capacity=0), "at capacity"),
    ],
)
def test_only_someone_available_on_shift_and_below_capacity_takes_work(agent, why):
    assert rules.absence(agent) == why


def test_round_robin_takes_the_next_present_agent_after_the_last_in_turn():
    team = agents({}, {"status": "away"}, {}, {})

    first = rules.choose(method="round_robin", agents=team, need=Need(), last=None, team="Billing")
    after_one = rules.choose(method="round_robin", agents=team, need=Need(), last=1, team="Billing")
    wraps = rules.choose(method="round_robin", agents=team, need=Need(), last=4, team="Billing")

    assert (first.agent_id, after_one.agent_id, wraps.agent_id) == (1, 3, 1)
    assert first.reason == "round-robin in Billing"
    assert first.rule == "round_robin"


def test_round_robin_continues_after_an_agent_who_left_the_team():
    team = agents({}, {}, {})

    assert rules.choose(method="round_robin", agents=team[::2], need=Need(), last=2, team="T").agent_id == 3


def test_least_loaded_takes_the_lightest_load_then_the_fewest_cases_then_the_turn():
    team = agents(
        {"load": 8, "open_cases": 4},
        {"load": 5, "open_cases": 5},
        {"load": 5, "open_cases": 3},
        {"load": 1, "status": "away"},
    )

    choice = rules.choose(method="least_loaded", agents=team, need=Need(), last=None, team="T")

    assert choice.agent_id == 3
    assert choice.reason == "least-loaded in T"


def test_skills_never_go_to_someone_without_them_and_say_who_was_missing():
    team = agents({"skills": frozenset({"welsh"}), "status": "away"}, {"skills": frozenset({"complaints"})})
    need = rules.needs_for(language="cy", case_type="enquiry", bsl_relay=False)

    choice = rules.choose(method="skills", agents=team, need=need, last=None, team="Front line")

    assert choice == rules.Choice(None, "no Welsh speaker available in Front line", "none")


def test_skills_take_the_least_loaded_holder_of_every_skill_needed():
    both = frozenset({"welsh", "complaints"})
    team = agents({"skills": both, "load": 9}, {"skills": frozenset({"welsh"}), "load": 0}, {"skills": both, "load": 2})
    need = rules.needs_for(language="cy-GB", case_type="complaint", bsl_relay=False)

    choice = rules.choose(method="skills", agents=team, need=need, last=None, team="T")

    assert choice.agent_id == 3
    assert choice.reason == "skills (complaints-trained agent and Welsh speaker) in T"


def test_a_case_needing_nothing_special_goes_by_load_under_skills():
    team = agents({"load": 3}, {"load": 1})

    assert rules.choose(method="skills", agents=team, need=Need(), last=None, team="T").agent_id == 2


@pytest.mark.parametrize(
    ("kwargs", "skills"),
    [
        ({"language": "en", "case_type": "enquiry", "bsl_relay": False}, set()),
        ({"language": "cy", "case_type": "enquiry", "bsl_relay": False}, {"welsh"}),
        ({"language": "", "case_type": "complaint", "bsl_relay": True}, {"complaints", "bsl_relay"}),
        ({"language": "", "case_type": "data_request", "bsl_relay": False}, {"data_protection"}),
        (
            {"language": "", "case_type": "request", "bsl_relay": False, "products": ["Home phone"]},
            {"product:home-phone"},
        ),
    ],
)
def test_what_a_case_needs(kwargs, skills):
    assert rules.needs_for(**kwargs).skills == skills


def test_the_named_contact_wins_when_available_whatever_the_method():
    team = agents({}, {})
    contact = Agent(9, name="Sam Patel")

    for method in rules.Method:
        choice = rules.choose(
            method=method, agents=team, need=Need(named_contact=9), last=None, team="T", contact=contact
        )
        assert choice == rules.Choice(9, "named contact Sam Patel", "named_contact")


@pytest.mark.parametrize(
    ("contact", "note"),
    [
        (Agent(9, name="Sam Patel", status="away"), "named contact Sam Patel is away; "),
        (Agent(9, name="Sam Patel", open_cases=5, capacity=5), "named contact Sam Patel is at capacity; "),
    ],
)
def test_an_absent_named_contact_falls_back_to_the_method_and_says_why(contact, note):
    choice = rules.choose(
        method="round_robin", agents=agents({}), need=Need(named_contact=9), last=None, team="T", contact=contact
    )

    assert choice.agent_id == 1
    assert choice.reason == note + "round-robin in T"


def test_nobody_available_leaves_the_case_with_its_team():
    choice = rules.choose(
        method="least_loaded", agents=agents({"status": "off_shift"}), need=Need(), last=None, team="T"
    )

    assert choice == rules.Choice(None, "nobody available in T", "none")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a busy shared machine, not a big strategy
@given(
    st.lists(
        st.builds(
            dict,
            status=st.sampled_from(["available", "busy", "away", "on_break", "off_shift", "training"]),
            on_rota=st.sampled_from([None, True, False]),
            open_cases=st.integers(0, 30),
            capacity=st.integers(0, 30),
            load=st.integers(0, 100),
            skills=st.frozensets(st.sampled_from(["welsh", "complaints", "bsl_relay"])),
        ),
        max_size=8,
    ),
    st.sampled_from(list(rules.Method)),
    st.frozensets(st.sampled_from(["welsh", "complaints", "bsl_relay"])),
    st.one_of(st.none(), st.integers(1, 9)),
)
def test_never_someone_absent_and_skills_are_always_held(specs, method, skills, last):
    team = agents(*specs)

    choice = rules.choose(method=method, agents=team, need=Need(skills=skills), last=last, team="T")

    if choice.agent_id is None:
        assert all(rules.absence(a) or (method == "skills" and not skills <= a.skills) for a in team)
    else:
        chosen = next(a for a in team if a.id == choice.agent_id)
        assert rules.absence(chosen) == ""
        if method == "skills":
            assert skills <= chosen.skills


def test_round_robin_shares_evenly_over_many_turns():
    team = agents({}, {}, {}, {})
    counts = dict.fromkeys(range(1, 5), 0)
    last = None
    for _ in range(400):
        last = rules.choose(method="round_robin", agents=team, need=Need(), last=last, team="T").agent_id
        counts[last] += 1

    assert counts == {1: 100, 2: 100, 3: 100, 4: 100}
    assert rules.fairness(counts).gini == 0


@pytest.mark.parametrize(
    ("counts", "expected"),
    [([5, 5, 5, 5], 0.0), ([0, 0, 0, 10], 0.75), ([1, 2, 3, 4], 0.25), ([], None), ([0, 0], None)],
)
def test_gini_coefficient(counts, expected):
    found = rules.gini(counts)

    assert found is None if expected is None else found == pytest.approx(expected)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 1000), min_size=1, max_size=40))
def test_gini_matches_the_mean_absolute_difference_definition(counts):
    n, total = len(counts), sum(counts)
    found = rules.gini(counts)

    if total == 0:
        assert found is None
    else:
        by_definition = sum(abs(x - y) for x in counts for y in counts) / (2 * n * total)
        assert found == pytest.approx(by_definition, abs=1e-9)
        assert 0 <= found < 1


def test_fairness_gives_shares_and_the_max_min_ratio():
    fair = rules.fairness({1: 6, 2: 3, 3: 3})

    assert fair.total == 12
    assert fair.max_share == pytest.approx(0.5)
    assert fair.min_share == pytest.approx(0.25)
    assert fair.max_min_ratio == pytest.approx(2.0)
    assert rules.fairness({1: 4, 2: 0}).max_min_ratio is None


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [([1, 2, 3, 4], 50, 2.5), ([1, 2, 3, 4, 5], 50, 3), ([10], 90, 10), (list(range(1, 11)), 90, 9.1), ([], 50, None)],
)
def test_percentile_is_hyndman_fan_type_7(values, p, expected):
    found = rules.percentile(values, p)

    assert found is None if expected is None else found == pytest.approx(expected)


def test_percentile_refuses_a_p_outside_0_to_100():
    with pytest.raises(ValueError, match="between 0 and 100"):
        rules.percentile([1.0], 101)


def test_speed_is_the_median_and_p90():
    assert rules.speed([60.0, 120.0, 180.0]) == rules.Speed(3, 120.0, 168.0)
