"""Who may see and change service plans (built on the core policy).

- Managers and admins write every plan, declare systems down and restore them.
- Team leaders and agents read the plans of their own teams and those for the whole service.
- Loading one plan goes through ``access_plan``: missing and not yours give the same answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from rapport.access import actor_team_ids, is_staff
from rapport.accounts.models import Role
from rapport.plans.models import Plan
from rapport.platform.errors import NotFound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rapport.accounts.models import User

WRITERS: frozenset[str] = frozenset({Role.MANAGER, Role.ADMIN})
NO_PLAN = "No service plan with that id."


def can_view_plans(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def can_write_plans(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and actor.role in WRITERS  # type: ignore[union-attr]


def visible_plans(actor: User | AnonymousUser) -> QuerySet[Plan]:
    if not is_staff(actor):
        return Plan.objects.none()
    if actor.role in WRITERS:  # type: ignore[union-attr]
        return Plan.objects.all()
    return Plan.objects.filter(Q(team__isnull=True) | Q(team_id__in=actor_team_ids(actor)))  # type: ignore[arg-type]


def access_plan(actor: User | AnonymousUser, plan_id: int | str, *, for_update: bool = False) -> Plan:
    """The plan ``actor`` may read, or ``NotFound`` (the same for missing and forbidden)."""
    try:
        number = int(plan_id)
    except (TypeError, ValueError):
        raise NotFound(NO_PLAN) from None
    rows = visible_plans(actor).select_related("team", "owner")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    found = rows.filter(pk=number).first() if 0 < number < 2**63 else None
    if found is None:
        raise NotFound(NO_PLAN)
    return found
