"""How service planning plugs into the desk: a navigation link, the figures service plans watch and
its demo data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rapport import extensions
from rapport.workforce import access as policy

if TYPE_CHECKING:
    from rapport.accounts.models import User


def register() -> None:
    item = extensions.NavItem(
        label="Planning", url_name="workforce:forecast", section="workforce", visible=policy.can_view_plans, order=85
    )
    if item not in extensions.nav_items:
        extensions.nav_items.append(item)
    if status_control not in extensions.header_controls:
        extensions.header_controls.append(status_control)
    if seed_demo not in extensions.demo_seeders:
        extensions.demo_seeders.append(seed_demo)
    if planning_figures not in extensions.planning_figures:
        extensions.planning_figures.append(planning_figures)
    if agent_rosters not in extensions.agent_rosters:
        extensions.agent_rosters.append(agent_rosters)
    from rapport.workforce.evidence import ADHERENCE

    extensions.kpi_sources.register(extensions.ROTA_ADHERENCE, ADHERENCE)


def planning_figures(team_id: int | None, now: datetime) -> extensions.PlanningFigures:
    """What service plans watch (ADR 0020): the week's forecast and the staff it needs for the
    team, and today's hourly actuals so far (the desk's, as the actuals page shows them)."""
    from django.utils import timezone

    from rapport.domain.contingencies import IntervalFigure
    from rapport.workforce import selectors

    today = timezone.localtime(now).date()
    ahead = selectors.staffing_view(today=today, weeks=1, scope=selectors.Scope(team_id=team_id))
    required = [ahead.required_total(day, slot) for day in range(7) for slot in range(24)] if ahead.cells else []
    over = timezone.localtime(now) - timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    cells = selectors.actuals_view(day=today).cells[: int(over.total_seconds() // 3600)]
    return extensions.PlanningFigures(
        forecast_week_contacts=sum(c.total for c in ahead.forecast.channels) if ahead.cells else None,
        required_peak=max(required, default=0) if required else None,
        required_agent_hours=float(sum(required)) if required else None,
        today=tuple(IntervalFigure(c.forecast, c.actual, c.required, c.staffed) for c in cells),
    )


def agent_rosters(agent_ids: Sequence[int], at: datetime) -> dict[int, extensions.AgentRoster]:
    """What routing needs of each agent at ``at`` (ADR 0028): their status from the record (the
    latest change at or before ``at``, never the header's short-lived copy), whether a work shift
    of their rota covers ``at`` (None when no shift of theirs is within a day of it) and their
    skills. Three queries whatever the number of agents."""
    from datetime import timedelta

    from django.db.models import OuterRef, Subquery

    from rapport.accounts.models import User
    from rapport.workforce import services
    from rapport.workforce.models import AgentSkill, Availability, Shift, Skill, StatusChange

    ids = sorted(set(agent_ids))
    latest = StatusChange.objects.filter(agent=OuterRef("pk"), at__lte=at).order_by("-at", "-id").values("status")[:1]
    statuses = dict(User.objects.filter(pk__in=ids).annotate(now=Subquery(latest)).values_list("pk", "now"))
    near: dict[int, list[Shift]] = {}
    for shift in Shift.objects.filter(
        agent_id__in=ids, starts_at__lte=at + timedelta(days=1), ends_at__gte=at - timedelta(days=1)
    ):
        near.setdefault(shift.agent_id, []).append(shift)
    skills: dict[int, set[str]] = {}
    for agent_id, skill, detail in AgentSkill.objects.filter(agent_id__in=ids).values_list(
        "agent_id", "skill", "detail"
    ):
        name = f"{skill}:{'-'.join(detail.lower().split())}" if skill == Skill.PRODUCT else skill
        skills.setdefault(agent_id, set()).add(name)
    found: dict[int, extensions.AgentRoster] = {}
    for agent_id in ids:
        shifts = near.get(agent_id)
        on_rota = None
        if shifts:
            covering = [s for s in shifts if s.starts_at <= at < s.ends_at]
            on_rota = services.rota_status(covering) == Availability.AVAILABLE
        found[agent_id] = extensions.AgentRoster(
            status=str(statuses.get(agent_id) or Availability.OFF_SHIFT),
            on_rota=on_rota,
            skills=frozenset(skills.get(agent_id, ())),
        )
    return found


def status_control(user: User) -> extensions.Panel | None:
    """The agent's status in the header, to change in one step (read from a short-lived copy)."""
    from rapport.workforce import selectors
    from rapport.workforce.models import Availability

    if not policy.can_view_plans(user):
        return None
    return extensions.Panel(
        template="workforce/_status_control.html",
        place="header",
        context={"current": selectors.status_shown(user.pk), "choices": Availability.choices},
    )


def seed_demo(now: datetime) -> None:
    from rapport.workforce.demo import seed

    seed(now=now)
