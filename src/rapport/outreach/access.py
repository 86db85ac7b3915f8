"""Who may see and send proactive messages (built on the core policy).

- Every member of staff sees the sends and who they reached (to answer the replies).
- Team leaders, managers and admins draft, preview and send service messages.
- Only managers and admins send marketing (consent is the organisation's risk to take).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.access import is_staff
from rapport.accounts.models import Role
from rapport.domain.outreach import Purpose

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rapport.accounts.models import User

SENDERS = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN})
MARKETERS = frozenset({Role.MANAGER, Role.ADMIN})


def can_view(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def can_send(actor: User | AnonymousUser, purpose: str = Purpose.SERVICE) -> bool:
    if not is_staff(actor):
        return False
    allowed = MARKETERS if purpose == Purpose.MARKETING else SENDERS
    return actor.role in allowed  # type: ignore[union-attr]
