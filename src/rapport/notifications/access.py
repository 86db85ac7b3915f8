"""Who may follow cases and read notifications (built on the core policy).

- Any member of staff may follow a case they may see, and unfollow it.
- Each person sees only their own notifications, and only those about cases they may still see
  (``visible``): moving teams hides what they were told about their old team's cases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from rapport.access import is_staff, sees_all_cases, visible_cases
from rapport.accounts.models import User
from rapport.notifications.models import Notification

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def can_follow(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def can_be_notified(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def visible(actor: User) -> QuerySet[Notification]:
    """The actor's own notifications about cases they may see now (the core's case scope; no
    filter at all for those who see every case)."""
    mine = Notification.objects.filter(recipient=actor)
    return mine if sees_all_cases(actor) else mine.filter(case__in=visible_cases(actor))
