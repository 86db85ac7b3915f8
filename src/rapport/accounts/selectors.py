"""Reads of people and teams for the API: staff read them to assign work, customers never."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from rapport import access as policy
from rapport.accounts.models import Team, User
from rapport.platform.errors import Forbidden, NotFound
from rapport.platform.pagination import Keyset, Page, since

STAFF_ONLY = "Only staff can read the lists of users and teams."
NO_USER = "No user with that id."
NO_TEAM = "No team with that id."
USER_KEYSET = Keyset((("name", str, False), ("id", int, False)))
TEAM_KEYSET = Keyset((("name", str, False), ("id", int, False)))


def _require_staff(actor: User) -> None:
    if not policy.is_staff(actor):
        raise Forbidden(STAFF_ONLY)


def _staff_users() -> QuerySet[User]:
    # Customers' portal sign-ins are people's data held on the customer record, not the desk's staff.
    return User.objects.exclude(role="customer").prefetch_related(Prefetch("teams", Team.objects.order_by("name")))


def user_list(
    actor: User,
    *,
    role: str | None = None,
    team_id: int | None = None,
    active: bool | None = None,
    query: str | None = None,
    updated_since: datetime | None = None,
    created_since: datetime | None = None,
    cursor: str | None = None,
    size: int = 50,
) -> Page[User]:
    """Staff accounts by name then id; two queries a page (the accounts, their teams)."""
    _require_staff(actor)
    users = since(_staff_users(), updated_since=updated_since, created_since=created_since, created_field="date_joined")
    if role:
        users = users.filter(role=role)
    if team_id is not None:
        users = users.filter(teams__id=team_id)
    if active is not None:
        users = users.filter(is_active=active)
    if query:
        users = users.filter(Q(name__istartswith=query) | Q(email__iexact=query))
    return USER_KEYSET.paginate(users, cursor=cursor, size=size)


def user_get(actor: User, user_id: int) -> User:
    _require_staff(actor)
    found = _staff_users().filter(pk=user_id).first()
    if found is None:
        raise NotFound(NO_USER)
    return found


def team_list(
    actor: User,
    *,
    query: str | None = None,
    updated_since: datetime | None = None,
    created_since: datetime | None = None,
    cursor: str | None = None,
    size: int = 50,
) -> Page[Team]:
    """Teams by name then id, each with its number of active members; one query a page."""
    _require_staff(actor)
    teams = since(Team.objects.all(), updated_since=updated_since, created_since=created_since)
    if query:
        teams = teams.filter(name__istartswith=query)
    return TEAM_KEYSET.paginate(_with_counts(teams), cursor=cursor, size=size)


def _with_counts(teams: QuerySet[Team]) -> QuerySet[Team]:
    return teams.annotate(member_count=Count("members", filter=Q(members__is_active=True)))


def team_get(actor: User, team_id: int) -> Team:
    _require_staff(actor)
    found = _with_counts(Team.objects.filter(pk=team_id)).first()
    if found is None:
        raise NotFound(NO_TEAM)
    return found
