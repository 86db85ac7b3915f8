"""Who may import: admins only (an import writes customers, staff accounts and cases in bulk).
Everyone on the desk who may see a case sees what was imported with it (the case page's panel
goes through the case page's own gate)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.access import is_staff
from rapport.accounts.models import Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def can_import(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", "") == Role.ADMIN
