"""Who may see and change coaching records (on the core policy).

- Agents see their own targets, sessions, actions and appraisals, comment on and sign their own
  appraisal, and mark their own actions done.
- Team leaders see, coach and appraise the members of their teams and set their teams' targets;
  managers and admins do so for everyone. Nobody coaches or appraises themselves.
- The staff pulse: every member of staff answers; managers open rounds; results are shown to
  everyone at the level of the whole service, to team leaders for their teams, to managers for
  every team; always within the small-numbers rule (``rapport.domain.disclosure``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from rapport.access import actor_team_ids, is_staff
from rapport.accounts.models import STAFF_ROLES, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

LEADERS = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN})
ALL = frozenset({Role.MANAGER, Role.ADMIN})


def can_use(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def is_leader(actor: User) -> bool:
    return actor.role in LEADERS


def sees_everyone(actor: User) -> bool:
    return actor.role in ALL


def people(actor: User) -> QuerySet[User]:
    """The staff whose coaching records ``actor`` may see: themself, their teams', or everyone."""
    staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True)
    if sees_everyone(actor):
        return staff
    if actor.role == Role.TEAM_LEADER:
        return staff.filter(Q(teams__in=actor_team_ids(actor)) | Q(pk=actor.pk)).distinct()
    return staff.filter(pk=actor.pk)


def agent_scope(actor: User, field: str = "agent") -> Q:
    """The filter on a model with an agent field that bounds what ``actor`` may see."""
    if sees_everyone(actor):
        return Q()
    mine = Q(**{f"{field}_id": actor.pk})
    if actor.role == Role.TEAM_LEADER:
        return mine | Q(**{f"{field}__teams__in": actor_team_ids(actor)})
    return mine


def sees(actor: User, agent: User) -> bool:
    return actor.pk == agent.pk or leads(actor, agent)


def leads(actor: User, agent: User) -> bool:
    """Whether ``actor`` coaches ``agent``: managers everyone else, team leaders their teams'
    members; nobody themself."""
    if actor.pk == agent.pk or not is_staff(actor) or actor.role not in LEADERS:
        return False
    if sees_everyone(actor):
        return True
    return bool(set(actor_team_ids(actor)) & set(agent.teams.values_list("id", flat=True)))


def leads_team(actor: User, team_id: int) -> bool:
    return sees_everyone(actor) or (actor.role == Role.TEAM_LEADER and team_id in actor_team_ids(actor))


def can_run_pulse(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and actor.role in ALL  # type: ignore[union-attr]


def pulse_teams(actor: User) -> set[int] | None:
    """The teams whose pulse figures ``actor`` may see; None means every team."""
    if sees_everyone(actor):
        return None
    if actor.role == Role.TEAM_LEADER:
        return set(actor_team_ids(actor))
    return set()
