"""Routing's reads: the team leader's view (who holds what, each agent's status), fairness and
speed over a period, the decision log, and the KPI sources. A fixed number of queries each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet

from rapport import extensions
from rapport.accounts.models import Team, User
from rapport.cases.models import Case
from rapport.domain import routing as rules
from rapport.domain.calendar import BusinessCalendar, business_time_between_many, to_epoch_us
from rapport.platform.errors import FieldError, NotFound
from rapport.platform.pagination import Keyset, Page
from rapport.routing import access as policy
from rapport.routing import services
from rapport.routing.models import Decision, TeamRouting

DEFAULT_DAYS = 30
MAX_DAYS = 366
BAD_DAYS = f"Give a period from 1 to {MAX_DAYS} days."
DECISIONS = Keyset((("decided_at", datetime, True), ("id", int, True)))
PRIORITIES = (4, 3, 2, 1)  # urgent first
WEEKDAY_HOURS = [("09:00", "17:30")]


def teams(actor: User) -> list[tuple[Team, TeamRouting | None]]:
    """The teams whose routing ``actor`` leads, by name, each with its settings (None: defaults)."""
    led = policy.led_team_ids(actor)
    found = Team.objects.order_by("name")
    if led is not None:
        found = found.filter(pk__in=led)
    listed = list(found)
    settings = {r.team_id: r for r in TeamRouting.objects.filter(team_id__in=[t.pk for t in listed])}
    return [(t, settings.get(t.pk)) for t in listed]


def team_for(actor: User, team_id: int) -> tuple[Team, TeamRouting]:
    """The team (if ``actor`` leads it) and its routing, unsaved defaults when never set."""
    team = Team.objects.filter(pk=team_id).first()
    if team is None or not policy.leads_team(actor, team_id):
        raise NotFound(services.NO_TEAM)
    found = TeamRouting.objects.filter(team=team).first()
    return team, found or TeamRouting(team=team)


def days_back(value: object) -> int:
    if value in (None, ""):
        return DEFAULT_DAYS
    try:
        days = int(str(value))
    except ValueError:
        raise FieldError(days=BAD_DAYS) from None
    if not 1 <= days <= MAX_DAYS:
        raise FieldError(days=BAD_DAYS)
    return days


@dataclass(frozen=True)
class AgentRow:
    """One member of the team as the leader sees them: status now, whether the rota has them
    working, skills, the open cases they hold by priority (urgent, high, normal, low), load and
    capacity, why they take no work now ("" when they do), and assignments in the period."""

    agent: rules.Agent
    by_priority: tuple[int, int, int, int]
    absent: str
    assigned: int
    share: float | None

    @property
    def skills(self) -> list[str]:
        return sorted(self.agent.skills)


@dataclass(frozen=True)
class TeamView:
    team: Team
    settings: TeamRouting
    rows: list[AgentRow]
    unassigned: int
    start: datetime
    end: datetime
    fairness: rules.Fairness
    speed: rules.Speed
    nobody: int  # decisions in the period that found nobody


def team_view(actor: User, team_id: int, *, now: datetime, days: int = DEFAULT_DAYS) -> TeamView:
    """Who holds what in the team now, each agent's status, and how fair and fast routing was over
    the last ``days`` days."""
    team, settings = team_for(actor, team_id)
    members = services.members(team.pk)
    agents = services.agents_now(members, team_capacity=settings.capacity, now=now)
    held: dict[int, dict[int, int]] = {}
    for owner_id, priority, count in (
        Case.objects.filter(is_active=True, owner_id__in=members)
        .values("owner_id", "priority")
        .annotate(n=Count("id"))
        .values_list("owner_id", "priority", "n")
    ):
        held.setdefault(owner_id, {})[priority] = count
    unassigned = Case.objects.filter(is_active=True, team=team, owner__isnull=True).count()
    start = now - timedelta(days=days)
    decided = Decision.objects.filter(team=team, decided_at__gte=start, decided_at__lt=now)
    counts = {agent_id: 0 for agent_id in members}
    nobody = 0
    for agent_id, n in decided.values("agent_id").annotate(n=Count("id")).values_list("agent_id", "n"):
        if agent_id is None:
            nobody = n
        elif agent_id in counts:
            counts[agent_id] = n
    fair = rules.fairness(counts)
    rows = [
        AgentRow(
            agent=agents[agent_id],
            by_priority=tuple(held.get(agent_id, {}).get(p, 0) for p in PRIORITIES),  # type: ignore[arg-type]
            absent=rules.absence(agents[agent_id]),
            assigned=counts[agent_id],
            share=fair.shares.get(agent_id),
        )
        for agent_id in sorted(members, key=lambda a: (agents[a].name.lower(), a))  # by name
    ]
    return TeamView(
        team=team,
        settings=settings,
        rows=rows,
        unassigned=unassigned,
        start=start,
        end=now,
        fairness=fair,
        speed=rules.speed(waits(decided)),
        nobody=nobody,
    )


# --- business time ---------------------------------------------------------------------------------


def _office() -> BusinessCalendar:
    return BusinessCalendar(hours=dict.fromkeys(range(5), WEEKDAY_HOURS), tz="Europe/London", holidays="england")


def waits(decisions: QuerySet[Decision]) -> list[float]:
    """Business seconds from arrival to first assignment of each decision that first assigned a
    case, in the case's business calendar (``extensions.case_calendars``: the SLA policy's), else
    the office's (Monday to Friday 09:00-17:30, England and Wales bank holidays)."""
    rows = list(decisions.filter(first=True).values_list("case_id", "arrived_at", "decided_at"))
    if not rows:
        return []
    source = extensions.case_calendars[0]() if extensions.case_calendars else None
    default = (source.default if source else None) or _office()
    own = dict(source.for_cases(sorted({r[0] for r in rows}))) if source else {}
    by_calendar: dict[int, tuple[BusinessCalendar, list[tuple[int, int]]]] = {}
    for case_id, arrived, decided in rows:
        calendar = own.get(case_id, default)
        by_calendar.setdefault(id(calendar), (calendar, []))[1].append((to_epoch_us(arrived), to_epoch_us(decided)))
    found: list[float] = []
    for calendar, pairs in by_calendar.values():
        for end in sorted({e for _, e in pairs}):
            starts = [s for s, e in pairs if e == end]
            found.extend(max(0, us) / 1e6 for us in business_time_between_many(calendar, starts, end))
    return found


# --- the decision log --------------------------------------------------------------------------------


def decisions(actor: User, *, team_id: int | None = None, agent_id: int | None = None) -> QuerySet[Decision]:
    """Decisions in the teams ``actor`` leads, newest first."""
    if not policy.can_lead_routing(actor):
        raise NotFound(services.NO_TEAM)
    found = Decision.objects.select_related("case", "team", "agent", "asked_by")
    led = policy.led_team_ids(actor)
    if led is not None:
        found = found.filter(team_id__in=led)
    if team_id is not None:
        found = found.filter(team_id=team_id)
    if agent_id is not None:
        found = found.filter(agent_id=agent_id)
    return found


def decisions_page(
    actor: User, *, team_id: int | None = None, agent_id: int | None = None, cursor: str | None, size: int
) -> Page[Decision]:
    return DECISIONS.paginate(decisions(actor, team_id=team_id, agent_id=agent_id), cursor=cursor, size=size)


def decisions_of_case(case_ids: Sequence[int]) -> QuerySet[Decision]:
    return Decision.objects.filter(case_id__in=list(case_ids)).order_by("-decided_at", "-id")


# --- KPI sources --------------------------------------------------------------------------------------


def _scoped(scope: extensions.KpiScope) -> QuerySet[Decision]:
    found = Decision.objects.filter(scope.cases("case__"), decided_at__gte=scope.start, decided_at__lt=scope.end)
    if scope.dimension == "agent" and scope.value.isdigit():
        found = found.filter(agent_id=int(scope.value))
    if scope.dimension == "team" and scope.value.isdigit():
        found = found.filter(team_id=int(scope.value))
    return found


def time_to_assignment(scope: extensions.KpiScope) -> float | None:
    """Median business minutes from arrival to first assignment by routing in the scope."""
    found = rules.speed(waits(_scoped(scope))).median
    return None if found is None else round(found / 60, 1)


def time_to_assignment_p90(scope: extensions.KpiScope) -> float | None:
    found = rules.speed(waits(_scoped(scope))).p90
    return None if found is None else round(found / 60, 1)


def assignment_fairness(scope: extensions.KpiScope) -> float | None:
    """The Gini coefficient of assignments among the agents who received any in the scope, x 100."""
    counts = dict(
        _scoped(scope)
        .filter(agent__isnull=False)
        .values("agent_id")
        .annotate(n=Count("id"))
        .values_list("agent_id", "n")
    )
    found = rules.gini(list(counts.values()))
    return None if found is None else round(100 * found, 1)


def routed_share(scope: extensions.KpiScope) -> float | None:
    """Share of routing decisions that found someone."""
    totals = _scoped(scope).aggregate(n=Count("id"), found=Count("id", filter=Q(agent__isnull=False)))
    return None if not totals["n"] else round(100 * totals["found"] / totals["n"], 1)


def staff_names(ids: Sequence[int]) -> dict[int, str]:
    return dict(User.objects.filter(pk__in=list(ids)).values_list("pk", "name"))
