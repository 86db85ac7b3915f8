"""The Check: cases seeded before and after a change give the right verdict, on demand and on the
check date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rapport.improvement import services
from rapport.improvement.models import KpiResult, Stage
from rapport.platform.errors import FieldError, Forbidden

pytestmark = pytest.mark.django_db

CHANGE = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)


def _live(initiative, manager, kpi, target):
    services.stage_move(actor=manager, initiative=initiative, now=CHANGE, change_at=CHANGE)
    return services.kpi_add(actor=manager, initiative=initiative, now=CHANGE, kpi=kpi, target=target)


def test_fewer_complaints_after_the_change_is_improved(initiative, manager, seed_cases, now):
    seed_cases(200, CHANGE - timedelta(days=13), complaints=80)  # 40% before
    seed_cases(200, CHANGE + timedelta(days=3), complaints=20)  # 10% after
    kpi = _live(initiative, manager, "complaint_rate", 15)

    assert kpi.baseline == pytest.approx(40.0)
    assert kpi.baseline_n == 200
    [result] = services.check_run(initiative=initiative, now=now, actor=manager)

    assert result.verdict.value == "improved"
    assert result.change.before == pytest.approx(40.0)
    assert result.change.after == pytest.approx(10.0)
    assert result.change.difference == pytest.approx(-30.0)
    assert result.change.low < -30 < result.change.high < 0
    assert result.change.p_value < 0.001
    stored = KpiResult.objects.get()
    assert stored.verdict == "improved"
    assert "200 before, 200 after" in stored.explanation


def test_the_same_rate_after_the_change_is_no_detectable_change(initiative, manager, seed_cases, now):
    seed_cases(100, CHANGE - timedelta(days=10), complaints=20)
    seed_cases(100, CHANGE + timedelta(days=3), complaints=21)
    _live(initiative, manager, "complaint_rate", 15)

    [result] = services.check_run(initiative=initiative, now=now, actor=manager)

    assert result.verdict.value == "no detectable change"


def test_slower_replies_after_the_change_are_worse(initiative, manager, seed_cases, now):
    seed_cases(60, CHANGE - timedelta(days=10), reply_hours=2)
    seed_cases(60, CHANGE - timedelta(days=5), reply_hours=3)
    seed_cases(60, CHANGE + timedelta(days=3), reply_hours=5)
    seed_cases(60, CHANGE + timedelta(days=8), reply_hours=6)
    _live(initiative, manager, "first_response_hours", 2)

    [result] = services.check_run(initiative=initiative, now=now, actor=manager)

    assert result.verdict.value == "worse"
    assert result.change.before == pytest.approx(2.5)
    assert result.change.after == pytest.approx(5.5)


def test_no_cases_after_the_change_is_not_enough_data_with_the_sizes(initiative, manager, seed_cases, now):
    seed_cases(50, CHANGE - timedelta(days=10), complaints=10)
    _live(initiative, manager, "complaint_rate", 15)

    [result] = services.check_run(initiative=initiative, now=now, actor=manager)

    assert result.verdict.value == "not enough data"
    assert KpiResult.objects.get().explanation == "Not enough data (a side has no cases; 50 before, 0 after)."


def test_cases_outside_the_scope_are_not_counted(initiative, manager, seed_cases, now, other_team):
    initiative.scope_dimension, initiative.scope_value = "team", str(other_team.pk)
    initiative.save()
    seed_cases(100, CHANGE - timedelta(days=10), complaints=50)  # the front line's, not Billing's
    seed_cases(100, CHANGE - timedelta(days=10), complaints=10, team=other_team)
    seed_cases(100, CHANGE + timedelta(days=3), complaints=10, team=other_team)
    kpi = _live(initiative, manager, "complaint_rate", 15)

    [result] = services.check_run(initiative=initiative, now=now, actor=manager)

    assert kpi.baseline == pytest.approx(10.0)
    assert result.verdict.value == "no detectable change"


def test_the_check_runs_by_itself_on_the_check_date_once(initiative, manager, seed_cases):
    seed_cases(200, CHANGE - timedelta(days=13), complaints=80)
    seed_cases(200, CHANGE + timedelta(days=3), complaints=20)
    _live(initiative, manager, "complaint_rate", 15)
    before_date = datetime(2026, 2, 28, 7, 0, tzinfo=UTC)
    on_date = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)

    assert services.checks_due(now=before_date) == 0
    assert services.checks_due(now=on_date) == 1
    assert services.checks_due(now=on_date + timedelta(hours=1)) == 0

    result = KpiResult.objects.get()
    assert result.automatic
    assert result.verdict == "improved"
    initiative.refresh_from_db()
    assert initiative.stage == Stage.CHECK


def test_a_check_needs_the_change_to_have_gone_live(initiative, manager, now):
    with pytest.raises(FieldError) as error:
        services.check_run(initiative=initiative, now=now, actor=manager)
    assert "change_at" in error.value.errors


def test_agents_cannot_run_a_check(initiative, manager, agent, now):
    services.stage_move(actor=manager, initiative=initiative, now=CHANGE)
    with pytest.raises(Forbidden):
        services.check_run(initiative=initiative, now=now, actor=agent)


def test_the_baseline_is_the_days_before_the_change(initiative, manager, seed_cases):
    seed_cases(10, CHANGE - timedelta(days=40), complaints=10)  # before the 28-day baseline: ignored
    seed_cases(20, CHANGE - timedelta(days=20), complaints=5)
    kpi = _live(initiative, manager, "complaint_rate", 15)
    assert (kpi.baseline, kpi.baseline_n) == (25.0, 20)
    assert initiative.check_on == date(2026, 3, 1)
