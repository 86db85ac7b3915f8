"""Who may see feedback, KPIs and customer value (built on the core policy).

- Agents see their own figures: the KPIs of cases they own and the answers about them.
- Team leaders see their teams' figures and follow up their teams' low scores.
- Managers and admins see everything, record orders and staff measures and send RATER surveys.
- Customers see only their own surveys; survey links need no sign-in but name one invitation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.access import actor_team_ids, is_staff, sees_all_cases
from rapport.accounts.models import Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

LEADS = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN})


def can_view_dashboards(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def can_manage_value(actor: User | AnonymousUser) -> bool:
    """Orders, staff measures and RATER invitations: managers and admins."""
    return is_staff(actor) and sees_all_cases(actor)  # type: ignore[arg-type]


def can_follow_up(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and actor.role in LEADS  # type: ignore[union-attr]


def dashboard_scope(actor: User) -> tuple[list[int] | None, int | None]:
    """The (team ids, owner id) an actor's figures are bounded by: managers see all (None, None),
    team leaders their teams, agents the cases they own."""
    if sees_all_cases(actor):
        return None, None
    if actor.role == Role.TEAM_LEADER:
        return actor_team_ids(actor), None
    return None, actor.pk


def follow_up_team_ids(actor: User) -> list[int] | None:
    """Teams whose follow-ups ``actor`` works; None means every team (managers)."""
    return None if sees_all_cases(actor) else actor_team_ids(actor)


def can_send_rater(actor: User | AnonymousUser) -> bool:
    """Sending RATER questionnaires to a group, and seeing the sends: team leaders and managers."""
    return can_follow_up(actor)


def rater_team_ids(actor: User) -> list[int] | None:
    """Whose customers ``actor`` may send RATER questionnaires to: a team leader, customers with a
    case in one of their teams; managers and admins, every customer (None)."""
    return None if sees_all_cases(actor) else actor_team_ids(actor)


def sees_every_rater_send(actor: User) -> bool:
    """Managers and admins see every RATER send; a team leader sees the sends they made."""
    return sees_all_cases(actor)
