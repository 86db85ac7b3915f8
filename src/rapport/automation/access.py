"""Who may see and change automation rules.

Rules act on every case in the organisation as its automation account, so only managers and
admins write them; team leaders may read them and their dry runs (to know why a case changed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.access import is_staff
from rapport.accounts.models import Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
READERS = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN})


def can_read_rules(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", "") in READERS


def can_manage_rules(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", "") in MANAGERS
