"""Who may see what of the SLA engine (built on the core policy).

- any member of staff sees a case's targets, elapsed and remaining time (they work the case);
- the attainment report (every team, every agent) is for team leaders and above;
- customers see none of it: targets and OLAs are the organisation's own measures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.access import is_staff
from rapport.accounts.models import Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rapport.cases.models import Case

REPORT_ROLES = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN})


def can_view_case_sla(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def can_view_report(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and isinstance(actor, User) and actor.role in REPORT_ROLES


def can_revise_promise(actor: User | AnonymousUser, case: Case) -> bool:
    """The case owner sets a new time for a promise about to be missed; team leaders and managers
    may too (the owner may be away), and on a case nobody owns yet, whoever works it."""
    if not is_staff(actor) or not isinstance(actor, User):
        return False
    return case.owner_id in (None, actor.pk) or actor.role in REPORT_ROLES
