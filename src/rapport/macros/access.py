"""Who may use, create and edit which macros and signatures (built on the core policy).

- Every member of staff uses shared macros, their own personal ones and their teams' macros;
  managers and admins use every team's as well. Nobody uses another person's personal macros.
- Agents create and edit their own personal macros; team leaders also their teams' macros;
  managers and admins also shared macros and any team's.
- Team leaders (their teams) and managers see which macros are used.
- Everyone sets their own signature; team leaders set their teams', managers any team's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from rapport.access import actor_team_ids, is_staff, sees_all_cases
from rapport.accounts.models import Role, User
from rapport.macros.models import Macro, Scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def usable(actor: User) -> Q:
    """The filter on Macro for the macros ``actor`` may use and see."""
    own = Q(scope=Scope.PERSONAL, owner_id=actor.pk) | Q(scope=Scope.SHARED)
    if sees_all_cases(actor):
        return own | Q(scope=Scope.TEAM)
    return own | Q(scope=Scope.TEAM, team_id__in=actor_team_ids(actor))


def can_use(actor: User, macro: Macro) -> bool:
    if not is_staff(actor):
        return False
    if macro.scope == Scope.PERSONAL:
        return macro.owner_id == actor.pk
    if macro.scope == Scope.TEAM:
        return sees_all_cases(actor) or macro.team_id in actor_team_ids(actor)
    return True


def leads_team(actor: User, team_id: int | None) -> bool:
    """A manager or admin leads every team; a team leader the teams they belong to."""
    if sees_all_cases(actor):
        return True
    return actor.role == Role.TEAM_LEADER and team_id is not None and team_id in actor_team_ids(actor)


def can_hold(actor: User | AnonymousUser, scope: str, *, owner_id: int | None, team_id: int | None) -> bool:
    """Whether ``actor`` may create or edit a macro of ``scope`` held by that owner or team."""
    if not is_staff(actor):
        return False
    assert isinstance(actor, User)
    if scope == Scope.PERSONAL:
        return owner_id == actor.pk
    if scope == Scope.TEAM:
        return leads_team(actor, team_id)
    return sees_all_cases(actor)


def can_edit(actor: User, macro: Macro) -> bool:
    return can_hold(actor, macro.scope, owner_id=macro.owner_id, team_id=macro.team_id)


def scopes_for(actor: User) -> list[str]:
    """The scopes ``actor`` may create macros in."""
    scopes = [Scope.PERSONAL.value]
    if actor.role == Role.TEAM_LEADER or sees_all_cases(actor):
        scopes.append(Scope.TEAM.value)
    if sees_all_cases(actor):
        scopes.append(Scope.SHARED.value)
    return scopes


def can_see_usage(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and actor.role in {Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN}  # type: ignore[union-attr]


def can_sign_for_team(actor: User, team_id: int) -> bool:
    return is_staff(actor) and leads_team(actor, team_id)
