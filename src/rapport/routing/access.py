"""Who may see routing and change it (built on the core policy).

- Team leaders see and set routing for the teams they belong to; managers and admins for every team.
- Any member of staff who may work a case may ask for it to be routed (the case's own gate decides).
- Agents see no one else's load: the team leader's view is for those who lead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.access import actor_team_ids, is_staff
from rapport.accounts.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rapport.accounts.models import User

LEADERS = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN})
EVERY_TEAM = frozenset({Role.MANAGER, Role.ADMIN})


def can_lead_routing(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", "") in LEADERS


def led_team_ids(actor: User) -> list[int] | None:
    """The teams whose routing ``actor`` sees and sets: None for every team, [] for none."""
    if not can_lead_routing(actor):
        return []
    if actor.role in EVERY_TEAM:
        return None
    return actor_team_ids(actor)


def leads_team(actor: User, team_id: int) -> bool:
    teams = led_team_ids(actor)
    return teams is None or team_id in teams


def can_route(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)
