"""The triggers a service plan's contingencies watch (rapport.domain.contingencies): each formula,
the thresholds' edges, unmeasured figures, and the episode rule that records a firing once."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.domain.contingencies import (
    NEEDS_INTERVALS,
    NEEDS_THRESHOLD,
    PERCENT_RANGE,
    IntervalFigure,
    Observation,
    Trigger,
    TriggerKind,
    Verdict,
    check_trigger,
    episode,
    evaluate,
    understaffed_run,
)


def hour(forecast=10.0, actual=10.0, required=3, staffed=3):
    return IntervalFigure(forecast, actual, required, staffed)


@pytest.mark.parametrize(
    ("forecast", "holds", "ratio"),
    [(1540, False, 110.0), (1541, True, 1541 / 14), (1000, False, 1000 / 14)],
)
def test_forecast_demand_is_the_week_ahead_over_the_contacts_planned(forecast, holds, ratio):
    # given a plan resourced for 1,400 contacts a week and a trigger above 110%
    trigger = Trigger(TriggerKind.FORECAST_DEMAND, threshold=110)
    seen = Observation(planned_weekly_contacts=1400, forecast_week_contacts=forecast)
    # when it is evaluated
    verdict = evaluate(trigger, seen)
    # then 1,540 is exactly 110% (not above) and one more contact is
    assert verdict.holds is holds
    assert verdict.value == pytest.approx(ratio)
    assert "planned (trigger above 110%)" in verdict.reason


def test_actual_demand_is_today_so_far_over_the_forecast_for_the_same_hours():
    seen = Observation(intervals=[hour(forecast=20, actual=30), hour(forecast=30, actual=31)])
    verdict = evaluate(Trigger(TriggerKind.ACTUAL_DEMAND, threshold=120), seen)
    assert verdict.holds is True
    assert verdict.value == pytest.approx(100 * 61 / 50)
    assert verdict.reason == "Today so far 61 contacts arrived against 50 forecast: 122% (trigger above 120%)."


def test_understaffed_counts_the_run_back_from_the_last_interval_over():
    intervals = [hour(required=4, staffed=2), hour(required=4, staffed=2), hour(required=3, staffed=3),
                 hour(required=5, staffed=4), hour(required=5, staffed=1)]  # fmt: skip
    assert understaffed_run(intervals) == 2
    assert evaluate(Trigger(TriggerKind.UNDERSTAFFED, intervals=2), Observation(intervals=intervals)).holds
    assert not evaluate(Trigger(TriggerKind.UNDERSTAFFED, intervals=3), Observation(intervals=intervals)).holds


@pytest.mark.parametrize(("attainment", "holds"), [(79.9, True), (80.0, False), (95.0, False)])
def test_sla_attainment_below_the_threshold(attainment, holds):
    verdict = evaluate(Trigger(TriggerKind.SLA_ATTAINMENT, threshold=80), Observation(sla_attainment=attainment))
    assert verdict.holds is holds


def test_mail_backlog_older_than_the_hours_given():
    trigger = Trigger(TriggerKind.MAIL_BACKLOG, threshold=48)
    assert evaluate(trigger, Observation(oldest_mail_hours=49.5)).holds
    assert not evaluate(trigger, Observation(oldest_mail_hours=47)).holds
    nothing_waiting = evaluate(trigger, Observation(oldest_mail_hours=None))
    # no email waiting is a measured "no", which ends an episode
    assert (nothing_waiting.holds, nothing_waiting.measured) == (False, True)


def test_system_down_matches_the_named_system_or_any():
    seen = Observation(systems_down=["Telephony platform"])
    assert evaluate(Trigger(TriggerKind.SYSTEM_DOWN, system="telephony platform "), seen).holds
    assert not evaluate(Trigger(TriggerKind.SYSTEM_DOWN, system="Website"), seen).holds
    anything = evaluate(Trigger(TriggerKind.SYSTEM_DOWN), seen)
    assert anything.holds
    assert anything.reason == "Declared down: Telephony platform."


@pytest.mark.parametrize(
    "trigger",
    [
        Trigger(TriggerKind.FORECAST_DEMAND, threshold=110),
        Trigger(TriggerKind.ACTUAL_DEMAND, threshold=110),
        Trigger(TriggerKind.UNDERSTAFFED, intervals=1),
        Trigger(TriggerKind.SLA_ATTAINMENT, threshold=80),
    ],
)
def test_an_unmeasured_figure_never_holds_and_says_so(trigger):
    verdict = evaluate(trigger, Observation())
    assert (verdict.holds, verdict.measured) == (False, False)
    assert verdict.reason.startswith("Not measured")


@pytest.mark.parametrize(
    ("open_firing", "holds", "measured", "step"),
    [
        (False, True, True, "start"),
        (True, True, True, "continue"),
        (True, False, True, "end"),
        (True, False, False, "continue"),  # no evidence is not evidence the condition ended
        (False, False, True, "quiet"),
        (False, False, False, "quiet"),
    ],
)
def test_episodes_start_once_and_end_only_on_a_measured_figure(open_firing, holds, measured, step):
    assert episode(open_firing=open_firing, verdict=Verdict(holds, measured, None, "")) == step


@pytest.mark.parametrize(
    ("trigger", "errors"),
    [
        (Trigger(TriggerKind.ACTUAL_DEMAND), {"threshold": NEEDS_THRESHOLD}),
        (Trigger(TriggerKind.ACTUAL_DEMAND, threshold=0), {"threshold": PERCENT_RANGE}),
        (Trigger(TriggerKind.UNDERSTAFFED), {"intervals": NEEDS_INTERVALS}),
        (Trigger(TriggerKind.UNDERSTAFFED, intervals=97), {"intervals": NEEDS_INTERVALS}),
        (Trigger(TriggerKind.SYSTEM_DOWN), {}),
        (Trigger(TriggerKind.MAIL_BACKLOG, threshold=24), {}),
    ],
)
def test_triggers_are_checked_before_they_are_watched(trigger, errors):
    assert check_trigger(trigger) == errors


# only staff required and on duty matter to this trigger: the contacts are fixed
figures = st.builds(IntervalFigure, st.just(10.0), st.just(10.0), st.integers(0, 8), st.integers(0, 8))


@settings(suppress_health_check=[HealthCheck.too_slow])  # a busy shared machine, not a big strategy
@given(st.lists(figures, max_size=24), st.integers(1, 24))
def test_understaffed_holds_exactly_when_the_last_n_intervals_are_all_short(intervals, n):
    verdict = evaluate(Trigger(TriggerKind.UNDERSTAFFED, intervals=n), Observation(intervals=intervals))
    expected = len(intervals) >= n and all(f.staffed < f.required for f in intervals[-n:])
    assert verdict.holds is (bool(intervals) and expected)


@given(st.floats(1, 10_000), st.integers(1, 100_000), st.floats(1, 1000))
def test_more_forecast_demand_never_clears_a_demand_trigger(forecast, planned, threshold):
    trigger = Trigger(TriggerKind.FORECAST_DEMAND, threshold=threshold)
    low = evaluate(trigger, Observation(planned_weekly_contacts=planned, forecast_week_contacts=forecast))
    high = evaluate(trigger, Observation(planned_weekly_contacts=planned, forecast_week_contacts=forecast * 1.5))
    assert not (low.holds and not high.holds)
