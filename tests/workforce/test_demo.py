"""The planning demo: a known event, a handling time, a rota with breaks, leave and training."""

from __future__ import annotations

import pytest

from rapport.workforce import selectors
from rapport.workforce.demo import PRICE_RISE, seed
from rapport.workforce.models import Activity, KnownEvent, Shift, StatusChange

pytestmark = pytest.mark.django_db


def test_demo_plans_a_fortnight_once(manager, agent, other_agent, now):
    seed(now=now)
    seed(now=now)

    assert KnownEvent.objects.get().name == PRICE_RISE
    activities = set(Shift.objects.values_list("activity", flat=True))
    assert {Activity.WORK, Activity.BREAK} <= activities
    assert Shift.objects.filter(agent=agent).count() == 20  # ten days of work and lunch
    assert Shift.objects.filter(agent=other_agent, activity=Activity.TRAINING).count() == 2
    # the demo clock is Monday 10:00: both agents are at work, and the rota said so
    assert selectors.status_now(agent.pk) == "available"
    assert StatusChange.objects.filter(source="rota").count() == 2
    assert selectors.shrinkage_view().total == pytest.approx(0.30)  # 11 + 6.5 + 6 + 3 + 3.5 per cent
    assert {p.source for p in selectors.shrinkage_view().parts} == {selectors.ENTERED}
    skilled = {a.agent.pk: a for a in selectors.agent_skills()}
    assert skilled[agent.pk].skills == ("complaints", "welsh")
    assert skilled[other_agent.pk].products == ("Mobile",)
