"""The figures service plans watch come from the workforce app's forecast, staffing and actuals,
through ``extensions.planning_figures`` (ADR 0020)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from rapport import extensions
from rapport.seeding import bulk


def test_the_workforce_app_gives_the_weeks_forecast_the_staff_it_needs_and_today_so_far(db):
    now = timezone.now()
    bulk.seed(cases=1000, seed=19, now=now, days=42)

    figures = extensions.planning_figures_for(None, now)

    assert figures is not None
    assert figures.forecast_week_contacts > 0
    assert figures.required_peak >= 1
    assert figures.required_agent_hours >= figures.required_peak
    local = timezone.localtime(now)
    assert len(figures.today) == local.hour  # the hours of today already over
    assert all(f.required >= 0 and f.staffed >= 0 for f in figures.today)


def test_a_team_with_no_history_has_no_forecast(team, db):
    figures = extensions.planning_figures_for(team.pk, timezone.now() - timedelta(days=1))
    assert figures.forecast_week_contacts is None
    assert figures.required_peak is None
