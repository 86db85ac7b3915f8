"""Who may see and do what in continuous improvement.

- Any member of staff sees standards, the journey, gaps, initiatives, proposals and the register,
  and may put a suggestion in the box (front-line staff see problems first).
- Team leaders, managers and admins create and run initiatives, set standards and the brand
  promise, add rules to the register and take up suggestions.
- The cases behind a figure open through the case page, which asks the access gate as ever: a
  list of ids shows nothing a person could not already open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.access import is_staff
from rapport.accounts.models import Role, User
from rapport.improvement.models import Initiative
from rapport.platform.errors import NotFound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

NO_INITIATIVE = "No initiative with that id."
MANAGERS = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN})


def can_view(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def can_suggest(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def can_manage(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", None) in MANAGERS


def access_initiative(actor: User | AnonymousUser, initiative_id: int | str) -> Initiative:
    """The initiative, for a member of staff; the same not-found answer otherwise."""
    try:
        pk = int(initiative_id)
    except (TypeError, ValueError):
        raise NotFound(NO_INITIATIVE) from None
    if not can_view(actor):
        raise NotFound(NO_INITIATIVE)
    found = Initiative.objects.select_related("owner", "parent").filter(pk=pk).first()
    if found is None:
        raise NotFound(NO_INITIATIVE)
    return found
