"""Who may do what with complaints, built on the core policy.

- any member of staff who can see a complaint's case may work its HEAT stages, record outcomes,
  ask for awards and escalate it (the case gate decides who sees the case);
- only a manager or an admin may override the closing checks, with a written reason;
- an approval request is decided by someone whose role is at least the role it was sent to, and
  never by the person who asked;
- reports and the complaint list are for team leaders and above (agents see complaints on cases).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.access import is_staff
from rapport.accounts.models import Role, User
from rapport.platform.errors import Forbidden

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rapport.complaints.models import ApprovalRequest

RANK: dict[str, int] = {Role.AGENT: 1, Role.TEAM_LEADER: 2, Role.MANAGER: 3, Role.ADMIN: 4}
OVERRIDE_ONLY_MANAGERS = "Only a manager may override the closing checks."
NOT_YOUR_APPROVAL = "This request needs someone with more authority, who did not ask for it."
REPORTS_ONLY_LEADERS = "Complaint reports are for team leaders and above."


def rank(role: str) -> int:
    return RANK.get(role, 0)


def can_work_complaints(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def can_override(actor: User) -> bool:
    return is_staff(actor) and rank(actor.role) >= RANK[Role.MANAGER]


def require_override(actor: User) -> None:
    if not can_override(actor):
        raise Forbidden(OVERRIDE_ONLY_MANAGERS)


def can_decide(actor: User, approval: ApprovalRequest) -> bool:
    return (
        is_staff(actor)
        and rank(actor.role) >= rank(approval.approver_role)
        and approval.award.requested_by_id != actor.pk
    )


def require_decide(actor: User, approval: ApprovalRequest) -> None:
    if not can_decide(actor, approval):
        raise Forbidden(NOT_YOUR_APPROVAL)


def can_see_reports(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and rank(getattr(actor, "role", "")) >= RANK[Role.TEAM_LEADER]


def require_reports(actor: User) -> None:
    if not can_see_reports(actor):
        raise Forbidden(REPORTS_ONLY_LEADERS)
