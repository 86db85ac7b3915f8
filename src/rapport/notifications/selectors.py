"""Reads: a case's followers, a person's notifications, their unread count and preferences."""

from __future__ import annotations

from datetime import datetime

from django.core.cache import cache

from rapport.accounts.models import User
from rapport.cases.models import Case
from rapport.domain import notifications as rules
from rapport.notifications import access as policy
from rapport.notifications.models import Follow, Notification, Preference
from rapport.platform.pagination import Keyset, Page

NEWEST_FIRST = Keyset((("created_at", datetime, True), ("id", int, True)))
PAGE_SIZE = 25
UNREAD_TTL = 300  # seconds; every new notification and every read clears a person's copy at once


def unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def followers(case: Case) -> list[User]:
    """Who follows the case, by name (one query)."""
    ids = Follow.objects.filter(case=case).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).only("id", "name", "email").order_by("name", "id"))


def unread_count(user: User) -> int:
    """How many of the person's notifications are unread: a cached copy, else one count on the
    partial index of unread rows."""
    found = cache.get(unread_key(user.pk))
    if found is None:
        found = policy.visible(user).filter(read_at__isnull=True).count()
        cache.set(unread_key(user.pk), found, UNREAD_TTL)
    return int(found)


def notifications_page(
    user: User, *, cursor: str | None, unread_only: bool = False, size: int = PAGE_SIZE
) -> Page[Notification]:
    """A page of the person's notifications, newest first, with their cases (one query)."""
    rows = (
        policy.visible(user)
        .select_related("case", "actor")
        .only("id", "kind", "text", "created_at", "read_at", "case__id", "case__subject", "actor__id", "actor__name")
    )
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return NEWEST_FIRST.paginate(rows, cursor=cursor, size=size)


def preferences(user: User) -> dict[str, str]:
    """The person's channel for every kind (their choice, else the default)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: rules.channel_for(kind, chosen) for kind in rules.KINDS}
