"""Who may see and change the service plan's figures (built on the core policy).

- Every member of staff sees the forecast and the staffing it needs (agents plan their week too).
- Team leaders, managers and admins enter known events and set handling times.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.access import actor_team_ids, is_staff
from rapport.accounts.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rapport.accounts.models import User

PLANNERS = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN})


def can_view_plans(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def can_plan(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and actor.role in PLANNERS  # type: ignore[union-attr]


def leads(actor: User, agent: User) -> bool:
    """Whether ``actor`` leads ``agent``: managers and admins lead everyone, a team leader the
    members of their teams."""
    if actor.role in {Role.MANAGER, Role.ADMIN}:
        return True
    mine = set(actor_team_ids(actor))
    return bool(mine & set(agent.teams.values_list("id", flat=True)))
