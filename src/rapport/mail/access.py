"""Who may see and manage the email channel: mailboxes, the outbox and quarantined mail hold
customers' words and addresses, so managers may look and admins may act."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from rapport.access import is_staff
from rapport.accounts.models import Role, User
from rapport.platform.errors import Forbidden

NOT_ALLOWED = "Only admins can manage the email channel."


def can_view_mail(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", "") in {Role.MANAGER, Role.ADMIN}


def can_manage_mail(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", "") == Role.ADMIN


def require_manage_mail(actor: User | AnonymousUser) -> User:
    if not can_manage_mail(actor):
        raise Forbidden(NOT_ALLOWED)
    assert isinstance(actor, User)
    return actor


def can_clear_flag(actor: User | AnonymousUser) -> bool:
    """Any member of staff may clear a flagged address once the customer has confirmed it: the
    agent on the phone with them is the one who learns it."""
    return is_staff(actor)


def require_clear_flag(actor: User | AnonymousUser) -> User:
    if not can_clear_flag(actor):
        raise Forbidden("Only staff can clear a flagged address.")
    assert isinstance(actor, User)
    return actor
