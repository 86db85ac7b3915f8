"""The demo's routing: settings for every team, a reduced capacity, and decisions to look at."""

from __future__ import annotations

from datetime import timedelta

from rapport.accounts.models import Team
from rapport.routing import demo
from rapport.routing.models import AgentCapacity, Decision, TeamRouting
from tests.conftest import make_user


def test_the_demo_sets_up_routing_and_routes_waiting_cases_once(crew, billing, raise_case, now):
    make_user("boss@example.com", "manager")
    make_user("dave@example.com", "agent", [billing])
    for i in range(3):
        raise_case(f"Waiting {i}")

    demo.seed(now=now)
    demo.seed(now=now + timedelta(minutes=1))

    assert TeamRouting.objects.count() == Team.objects.count()
    assert TeamRouting.objects.filter(route_on_arrival=True).count() == 1
    assert AgentCapacity.objects.get().capacity == 8
    assert Decision.objects.count() == 3
    assert Decision.objects.filter(agent__isnull=False).count() == 3
