"""Demo routing: the front line routes new cases as they arrive by least load, a second team by
skills, the rest in turn; one agent works reduced hours (a lower capacity); and each team's
unowned open cases are routed now, so the team leader's view has decisions, fairness and speed."""

from __future__ import annotations

from datetime import datetime

from rapport.accounts.models import Role, Team, User
from rapport.cases.models import Case
from rapport.domain.routing import Method
from rapport.routing import services
from rapport.routing.models import Decision, TeamRouting, Trigger

METHODS = (Method.LEAST_LOADED, Method.SKILLS)
PER_TEAM = 12


def seed(*, now: datetime) -> None:
    if TeamRouting.objects.exists() or Decision.objects.exists():
        return
    manager = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("id").first()
    if manager is None:
        return
    for position, team in enumerate(Team.objects.order_by("id")):
        services.team_routing_set(
            actor=manager,
            team_id=team.pk,
            changes=services.TeamSettings(
                method=METHODS[position] if position < len(METHODS) else Method.ROUND_ROBIN,
                route_on_arrival=position == 0,
                capacity=15,
            ),
            now=now,
        )
    reduced = User.objects.filter(role=Role.AGENT, is_active=True).order_by("id")[3:4].first()
    if reduced is not None:
        services.agent_capacity_set(actor=manager, agent_id=reduced.pk, capacity=8, now=now)
    for team in Team.objects.order_by("id"):
        waiting = Case.objects.filter(team=team, is_active=True, owner__isnull=True).order_by("created_at", "id")
        for case_id in waiting.values_list("pk", flat=True)[:PER_TEAM]:
            services.case_route(case=case_id, now=now, trigger=Trigger.ARRIVAL)
