"""Who may see and do what with a person's data (privacy and reasonable adjustments).

- any member of staff records adjustments, consents and data requests (they serve the customer);
- team leaders and above export a person's data and read the access log (people and staff);
- managers and admins erase, place or lift legal holds and run retention for real.

Acting on a data request (granting or lifting a restriction, upholding an objection, applying a
rectification) follows the rule for every other data-request action: staff who may work the
request's case (``rapport.access.require_work``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.access import can_work_case, is_staff
from rapport.accounts.models import Role, User
from rapport.platform.errors import Forbidden

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rapport.cases.models import Case

EXPORT_ROLES = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN})
ERASE_ROLES = frozenset({Role.MANAGER, Role.ADMIN})

NOT_EXPORTER = "Only team leaders, managers and admins may export a person's data."
NOT_ERASER = "Only managers and admins may erase a person's data or change legal holds."
NOT_AUDITOR = "Only team leaders, managers and admins may read the access log."
NOT_REQUEST_HANDLER = "Only staff handling data requests may restrict, lift, uphold or correct."


def can_record(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def can_export(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", None) in EXPORT_ROLES


def can_audit(actor: User | AnonymousUser) -> bool:
    return can_export(actor)


def can_erase(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", None) in ERASE_ROLES


def require_export(actor: User) -> None:
    if not can_export(actor):
        raise Forbidden(NOT_EXPORTER)


def require_audit(actor: User) -> None:
    if not can_audit(actor):
        raise Forbidden(NOT_AUDITOR)


def require_erase(actor: User) -> None:
    if not can_erase(actor):
        raise Forbidden(NOT_ERASER)


def can_act_on_request(actor: User | AnonymousUser, case: Case) -> bool:
    """Staff who may work a data request's case may carry out what it asks (Arts 16, 18, 21)."""
    return is_staff(actor) and can_work_case(actor, case)  # type: ignore[arg-type]


def require_act_on_request(actor: User, case: Case) -> None:
    if not can_act_on_request(actor, case):
        raise Forbidden(NOT_REQUEST_HANDLER)


def can_merge_into_non_request(actor: User) -> bool:
    """Only a manager may merge a data request into a case that is not one (``privacy.merging``)."""
    return is_staff(actor) and actor.role in {Role.MANAGER, Role.ADMIN}
