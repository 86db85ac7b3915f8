"""The pure rules of targets, reminders, appraisals and the pulse (rapport.domain.coaching)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from rapport.domain import coaching as rules


def test_a_figure_meets_its_target_in_the_kpi_s_direction():
    assert rules.target_state(92.0, Decimal("90"), higher_is_better=True) == "met"
    assert rules.target_state(88.0, Decimal("90"), higher_is_better=True) == "not met"
    assert rules.target_state(3.5, Decimal("4"), higher_is_better=False) == "met"
    assert rules.target_state(4.5, Decimal("4"), higher_is_better=False) == "not met"
    assert rules.target_state(None, Decimal("4"), higher_is_better=False) == "not measured"


def _t(key, *, own, start, end, kpi="csat", order=None):
    return rules.TargetChoice(key, kpi, own, start, end, order or key)


def test_an_agent_s_own_target_wins_over_the_team_s():
    team = _t(1, own=False, start=date(2026, 1, 1), end=date(2026, 12, 31))
    own = _t(2, own=True, start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert rules.applicable([team, own], "csat", date(2026, 2, 1)) == own
    assert rules.applicable([team, own], "csat", date(2026, 6, 1)) == team
    assert rules.applicable([team, own], "fcr", date(2026, 2, 1)) is None


def test_among_targets_of_one_kind_the_latest_started_then_latest_set_stands():
    older = _t(1, own=False, start=date(2026, 1, 1), end=date(2026, 12, 31))
    newer = _t(2, own=False, start=date(2026, 4, 1), end=date(2026, 12, 31))
    reset = _t(3, own=False, start=date(2026, 4, 1), end=date(2026, 12, 31))
    assert rules.applicable([older, newer], "csat", date(2026, 5, 1)) == newer
    assert rules.applicable([reset, newer, older], "csat", date(2026, 5, 1)) == reset


def test_periods_must_run_forwards_and_last_at_most_a_year():
    assert rules.period_error(date(2026, 1, 1), date(2026, 3, 31)) is None
    assert "end on or after" in rules.period_error(date(2026, 3, 1), date(2026, 2, 1))
    assert "at most a year" in rules.period_error(date(2026, 1, 1), date(2027, 6, 1))


@pytest.mark.parametrize(
    ("due", "done", "expected"),
    [
        (date(2026, 3, 10), False, None),
        (date(2026, 3, 4), False, "action_due"),
        (date(2026, 3, 2), False, "action_due"),
        (date(2026, 3, 1), False, "action_overdue"),
        (date(2026, 3, 1), True, None),
        (None, False, None),
    ],
)
def test_actions_are_reminded_when_due_soon_and_when_overdue(due, done, expected):
    assert rules.action_reminder(due, done, date(2026, 3, 2)) == expected


def test_appraisal_states():
    assert rules.appraisal_state(False, False) == "draft"
    assert "waiting for the agent" in rules.appraisal_state(True, False)
    assert "waiting for the leader" in rules.appraisal_state(False, True)
    assert "locked" in rules.appraisal_state(True, True)


def test_pulse_answers_are_checked_question_by_question():
    assert rules.check_answer(9, {"tools": 4, "training": 5, "workload": 2}) == {}
    errors = rules.check_answer(11, {"tools": 0, "training": 5})
    assert set(errors) == {"recommend", "tools", "workload"}


def test_enps_is_promoters_minus_detractors_and_agreement_is_the_top_two_boxes():
    # 3 promoters (9, 10, 9), 1 passive (8), 2 detractors (6, 3): (3 - 2) / 6 = +16.7
    summary = rules.summarise(
        [9, 10, 9, 8, 6, 3], {"tools": [5, 4, 3, 2, 1, 4], "training": [5] * 6, "workload": [1] * 6}
    )
    assert summary.n == 6
    assert summary.enps.value == pytest.approx(100 / 6)
    assert summary.agreeing == {"tools": pytest.approx(50.0), "training": 100.0, "workload": 0.0}
    assert rules.summarise([], {}).agreeing["tools"] is None
