"""The planning demo: a known event, a handling time, a rota with breaks, leave and training."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport import extensions
from rapport.improvement import catalogue
from rapport.workforce import selectors
from rapport.workforce.demo import PRICE_RISE, seed
from rapport.workforce.models import Activity, KnownEvent, Shift, StatusChange

pytestmark = pytest.mark.django_db


def test_demo_plans_three_weeks_once(manager, agent, other_agent, now):
    seed(now=now)
    seed(now=now)

    assert KnownEvent.objects.get().name == PRICE_RISE
    activities = set(Shift.objects.values_list("activity", flat=True))
    assert {Activity.WORK, Activity.BREAK} <= activities
    assert Shift.objects.filter(agent=agent).count() == 30  # fifteen days of work and lunch
    assert Shift.objects.filter(agent=other_agent, activity=Activity.TRAINING).count() == 3
    # the demo clock is Monday 10:00: both agents are at work, and the rota said so
    assert selectors.status_now(agent.pk) == "available"
    # last week is history: statuses kept at the rota's boundaries, none in the future
    assert StatusChange.objects.filter(at__lt=now - timedelta(days=2)).count() > 20
    assert not StatusChange.objects.filter(at__gt=now).exists()
    assert selectors.shrinkage_view().total == pytest.approx(0.30)  # 11 + 6.5 + 6 + 3 + 3.5 per cent
    assert {p.source for p in selectors.shrinkage_view().parts} == {selectors.ENTERED}
    skilled = {a.agent.pk: a for a in selectors.agent_skills()}
    assert skilled[agent.pk].skills == ("complaints", "welsh")
    assert skilled[other_agent.pk].products == ("Mobile",)


def test_the_demo_week_gone_reads_high_but_imperfect_adherence(manager, agent, other_agent, now):
    seed(now=now)
    last_week = catalogue.scope("service", "", now - timedelta(days=7), now)

    adherence = extensions.kpi(extensions.ROTA_ADHERENCE, last_week)

    assert adherence is not None
    assert 75 < adherence < 100
