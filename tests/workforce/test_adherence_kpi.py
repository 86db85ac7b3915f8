"""Adherence to the rota as a catalogue KPI: per agent and per team, from shifts and statuses."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q

from rapport import extensions
from rapport.workforce.evidence import adherence_sample
from rapport.workforce.models import Shift, StatusChange


def _scope(now, dimension, value):
    return extensions.KpiScope(
        cases=lambda prefix: Q(),
        start=now - timedelta(days=1),
        end=now + timedelta(days=1),
        dimension=dimension,
        value=str(value),
    )


def test_adherence_is_the_share_of_rostered_time_in_the_rostered_status(
    agent, other_agent, team, now, django_assert_max_num_queries
):
    start = now.replace(hour=9, minute=0)
    Shift.objects.create(agent=agent, starts_at=start, ends_at=start + timedelta(hours=2), activity="work")
    Shift.objects.create(
        agent=agent, starts_at=start + timedelta(hours=3), ends_at=start + timedelta(hours=4), activity="leave"
    )
    # available for the first hour, away for the second: half the rostered time kept to the rota
    StatusChange.objects.create(agent=agent, status="available", source="agent", at=start)
    StatusChange.objects.create(agent=agent, status="away", source="agent", at=start + timedelta(hours=1))
    Shift.objects.create(agent=other_agent, starts_at=start, ends_at=start + timedelta(hours=1), activity="work")
    StatusChange.objects.create(agent=other_agent, status="busy", source="agent", at=start - timedelta(days=2))
    source = extensions.kpi_sources.get(extensions.ROTA_ADHERENCE)
    assert source is not None

    with django_assert_max_num_queries(3):
        mine = adherence_sample(_scope(now, "agent", agent.pk), now=now + timedelta(days=1))
    assert (mine.n, mine.total) == (8, 4)  # 15-minute checkpoints in 2 h of work; leave is not counted
    assert source.measure(_scope(now, "agent", agent.pk)) == 50.0  # the test clock is long past
    assert source.measure(_scope(now, "team", team.pk)) == 50.0
    everyone = source.sample(_scope(now, "service", ""))
    # only time that has passed counts: at 10:00 the first hour has been kept, the second not begun
    early = adherence_sample(_scope(now, "agent", agent.pk), now=start + timedelta(hours=1))
    assert (early.n, early.total) == (4, 4)
    assert (everyone.n, everyone.total) == (12, 8)  # the other agent kept to the rota all hour


def test_no_rostered_time_is_not_measured(agent, now):
    source = extensions.kpi_sources.get(extensions.ROTA_ADHERENCE)
    assert source.measure(_scope(now, "agent", agent.pk)) is None
