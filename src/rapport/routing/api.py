"""/api/v1/routing: each team's routing settings, who holds what, fairness and speed, agents'
capacity, routing a case now, and the decision log."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from rapport.accounts.api import ERRORS, actor
from rapport.platform.pagination import page_size
from rapport.routing import selectors, services
from rapport.routing.models import Decision, TeamRouting

router = Router(tags=["routing"])

MethodName = Literal["round_robin", "least_loaded", "skills"]


class TeamRoutingOut(Schema):
    team_id: int
    team: str
    method: str
    route_on_arrival: bool
    capacity: int = Field(description="Open cases each member may hold unless their own capacity is set.")


class TeamRoutingPage(Schema):
    items: list[TeamRoutingOut]


class TeamRoutingPatch(Schema):
    method: MethodName | None = None
    route_on_arrival: bool | None = None
    capacity: int | None = Field(None, ge=1, le=500)


class RoutingAgentOut(Schema):
    id: int
    name: str
    status: str = Field(description="The workforce status now: available, busy, on_break, training, away, off_shift.")
    on_rota: bool | None = Field(description="Whether a work shift covers now; null when no rota is around now.")
    skills: list[str]
    open_cases: int
    open_by_priority: dict[str, int]
    load: int = Field(description="Open cases weighted by priority (low 1, normal 2, high 3, urgent 4).")
    capacity: int
    takes_work: bool
    why_not: str
    assigned: int = Field(description="Cases routing gave them in the period.")
    share: float | None


class RoutingFairnessOut(Schema):
    total: int
    gini: float | None
    max_share: float | None
    min_share: float | None
    max_min_ratio: float | None


class RoutingSpeedOut(Schema):
    first_assignments: int
    median_business_seconds: float | None
    p90_business_seconds: float | None


class RoutingTeamViewOut(Schema):
    settings: TeamRoutingOut
    agents: list[RoutingAgentOut]
    unassigned: int
    period_start: datetime
    period_end: datetime
    fairness: RoutingFairnessOut
    speed: RoutingSpeedOut
    nobody_available: int


class RoutingDaysQuery(Schema):
    days: int = Field(30, ge=1, le=366, description="The period, in days back from now.")


class RoutingCapacityIn(Schema):
    capacity: int | None = Field(None, ge=0, le=500, description="Open cases; null to follow the team's.")


class RoutingCapacityOut(Schema):
    agent_id: int
    capacity: int | None


class RoutingRouteIn(Schema):
    method: Literal["", "round_robin", "least_loaded", "skills"] = Field(
        "", description="Blank for the case's team's own method."
    )


class RoutingRouteOut(Schema):
    case: str
    agent_id: int | None
    reason: str


class RoutingDecisionOut(Schema):
    id: int
    case: str
    team_id: int | None
    agent_id: int | None
    agent: str
    method: str
    rule: str
    reason: str
    trigger: str
    first: bool
    arrived_at: datetime
    decided_at: datetime


class RoutingDecisionPage(Schema):
    items: list[RoutingDecisionOut]
    next_cursor: str | None


class RoutingDecisionQuery(Schema):
    team: int | None = None
    agent: int | None = None
    cursor: str | None = None
    limit: int | None = Field(None, ge=1, le=200)


def _settings(team_id: int, name: str, found: TeamRouting | None) -> dict[str, Any]:
    found = found or TeamRouting()
    return {
        "team_id": team_id,
        "team": name,
        "method": found.method,
        "route_on_arrival": found.route_on_arrival,
        "capacity": found.capacity,
    }


def _decision(d: Decision) -> dict[str, Any]:
    return {
        "id": d.pk,
        "case": d.case.reference,
        "team_id": d.team_id,
        "agent_id": d.agent_id,
        "agent": str(d.agent) if d.agent else "",
        "method": d.method,
        "rule": d.rule,
        "reason": d.reason,
        "trigger": d.trigger,
        "first": d.first,
        "arrived_at": d.arrived_at,
        "decided_at": d.decided_at,
    }


@router.get(
    "/teams",
    response={200: TeamRoutingPage, **ERRORS},
    operation_id="routing_teams_list",
    summary="Routing of the teams you lead",
)
def teams(request: HttpRequest) -> Any:
    """Each team's method, routing on arrival and capacity (team leaders: their teams; managers and
    admins: every team)."""
    return {"items": [_settings(t.pk, t.name, r) for t, r in selectors.teams(actor(request))]}


@router.get(
    "/teams/{team_id}",
    response={200: RoutingTeamViewOut, **ERRORS},
    operation_id="routing_team_view",
    summary="Who holds what in a team, with fairness and speed",
)
def team(request: HttpRequest, team_id: int, query: Query[RoutingDaysQuery]) -> Any:
    """Each member's status, rota, skills, open cases by priority, load and capacity now; the share
    of assignments each received over the period, its Gini coefficient and max/min ratio; the
    median and 90th percentile business time from arrival to first assignment."""
    view = selectors.team_view(actor(request), team_id, now=timezone.now(), days=query.days)
    return {
        "settings": _settings(view.team.pk, view.team.name, view.settings),
        "agents": [
            {
                "id": r.agent.id,
                "name": r.agent.name,
                "status": r.agent.status,
                "on_rota": r.agent.on_rota,
                "skills": sorted(r.agent.skills),
                "open_cases": r.agent.open_cases,
                "open_by_priority": dict(zip(("urgent", "high", "normal", "low"), r.by_priority, strict=True)),
                "load": r.agent.load,
                "capacity": r.agent.capacity,
                "takes_work": not r.absent,
                "why_not": r.absent,
                "assigned": r.assigned,
                "share": r.share,
            }
            for r in view.rows
        ],
        "unassigned": view.unassigned,
        "period_start": view.start,
        "period_end": view.end,
        "fairness": {
            "total": view.fairness.total,
            "gini": view.fairness.gini,
            "max_share": view.fairness.max_share,
            "min_share": view.fairness.min_share,
            "max_min_ratio": view.fairness.max_min_ratio,
        },
        "speed": {
            "first_assignments": view.speed.n,
            "median_business_seconds": view.speed.median,
            "p90_business_seconds": view.speed.p90,
        },
        "nobody_available": view.nobody,
    }


@router.patch(
    "/teams/{team_id}",
    response={200: TeamRoutingOut, **ERRORS},
    operation_id="routing_team_update",
    summary="Change a team's routing",
)
def team_update(request: HttpRequest, team_id: int, body: TeamRoutingPatch) -> Any:
    """Only the fields sent change; kept in the settings history."""
    found = services.team_routing_set(
        actor=actor(request),
        team_id=team_id,
        changes=services.TeamSettings(
            method=body.method, route_on_arrival=body.route_on_arrival, capacity=body.capacity
        ),
        now=timezone.now(),
    )
    return _settings(found.team_id, found.team.name, found)


@router.put(
    "/agents/{agent_id}/capacity",
    response={200: RoutingCapacityOut, **ERRORS},
    operation_id="routing_agent_capacity_set",
    summary="Set an agent's own capacity",
)
def capacity(request: HttpRequest, agent_id: int, body: RoutingCapacityIn) -> Any:
    """Open cases the agent may hold before routing passes them by; null follows their team's."""
    found = services.agent_capacity_set(
        actor=actor(request), agent_id=agent_id, capacity=body.capacity, now=timezone.now()
    )
    return {"agent_id": agent_id, "capacity": found}


@router.post(
    "/cases/{reference}/route",
    response={200: RoutingRouteOut, **ERRORS},
    operation_id="routing_case_route",
    summary="Route a case now",
)
def route(request: HttpRequest, reference: str, body: RoutingRouteIn) -> Any:
    """Choose an available agent by the method (the team's own when blank) and assign the case:
    a named contact first, never someone absent or at capacity. ``agent_id`` null: nobody was
    suitable, and ``reason`` says why."""
    user = actor(request)
    outcome = services.case_route_request(actor=user, reference=reference, method=body.method, now=timezone.now())
    return {"case": reference, "agent_id": outcome.user_id, "reason": outcome.reason}


@router.get(
    "/decisions",
    response={200: RoutingDecisionPage, **ERRORS},
    operation_id="routing_decisions_list",
    summary="Routing decisions, newest first",
)
def decisions(request: HttpRequest, query: Query[RoutingDecisionQuery]) -> Any:
    """Every decision in the teams you lead: the case, whom it went to, the rule and why, when the
    case arrived and when it was decided. Cursor-paginated."""
    page = selectors.decisions_page(
        actor(request),
        team_id=query.team,
        agent_id=query.agent,
        cursor=query.cursor,
        size=page_size(query.limit, default=50),
    )
    return {"items": [_decision(d) for d in page.items], "next_cursor": page.next_cursor}
