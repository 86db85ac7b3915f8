"""Who may manage others' sign-in security: admins only (resetting someone's second factor is a
way into their account, so it is kept to the role that configures the organisation)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.access import is_staff
from rapport.accounts.models import Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def can_manage_security(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", "") == Role.ADMIN


def can_reset(actor: User | AnonymousUser, person: User) -> bool:
    """An admin resets another person's factors; their own they manage on their own page (an admin
    who lost theirs asks another admin, or uses a recovery code)."""
    return can_manage_security(actor) and getattr(actor, "pk", None) != person.pk
