"""Who manages webhooks, and what a subscription's service account lets its payloads carry.

- Only admins manage webhooks (they send the organisation's records to another system).
- A payload is built as its service account would see the case (``rapport.access``): events of
  cases outside its scope are not sent. Data leaving the organisation is minimised (UK GDPR Art
  5(1)(c)), so on top of the gate: internal notes leave only for a role that reviews staff detail
  (team leader, manager, admin), and the customer's personal data (name, email, phone, address)
  only for a role that sees every case (manager, admin); others get the customer's id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.access import can_see_internal, is_staff, sees_all_cases
from rapport.accounts.models import Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

ROLES = [
    (Role.AGENT.value, "Agent: case events, no internal notes, customer id only"),
    (Role.TEAM_LEADER.value, "Team leader: with internal notes, customer id only"),
    (Role.MANAGER.value, "Manager: with internal notes and customer details"),
    (Role.ADMIN.value, "Admin: with internal notes and customer details"),
]
INTERNAL_ROLES = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN})


def can_manage_webhooks(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", "") == Role.ADMIN


def sends_internal(account: User) -> bool:
    return can_see_internal(account) and account.role in INTERNAL_ROLES


def sends_personal_data(account: User) -> bool:
    return is_staff(account) and sees_all_cases(account)
