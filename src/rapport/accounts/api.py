"""Who is calling the API, and the one shape every API error takes.

Two ways in: a bearer token (``Authorization: Bearer rpt_…``) for scripts and integrations, and the
Django session for the pages' own htmx calls. A session request that changes something must carry
the CSRF token; a token request needs none, because a browser never sends the header by itself.
The error schemas live here, in the app every other app already depends on, so that each router
can document them without importing the API root (which imports the routers).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf
from pydantic import AwareDatetime, ConfigDict

from rapport import access as policy
from rapport.accounts import selectors, services
from rapport.accounts.models import User
from rapport.accounts.services import token_authenticate

BAD_TOKEN = "This token is not valid or has been revoked."  # noqa: S105 - a message, not a secret
SIGN_IN = "Sign in, or send an API token as 'Authorization: Bearer rpt_…'."
CSRF_FAILED = "CSRF check failed: send the X-CSRFToken header with a session request that changes data."


class TokenRefused(AuthenticationError):
    """A bearer token was sent and is unknown, malformed or revoked."""

    def __init__(self) -> None:
        super().__init__(message=BAD_TOKEN)


class BearerToken(HttpBearer):
    """``Authorization: Bearer rpt_…``. A token that is sent but refused is a 401 at once: falling
    back to the session would act as someone other than the caller asked."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = token_authenticate(token)
        if user is None:
            raise TokenRefused
        return user


class SessionWithCsrf(APIKeyCookie):
    """The signed-in page user. Unsafe methods must pass Django's CSRF check (403 if not).

    Only a signed-in session is checked for CSRF, so an anonymous POST gets the 401 that says
    how to sign in, not a CSRF complaint.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, CSRF_FAILED)
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if key is None:
            return None
        user = request.user
        return user if isinstance(user, User) and user.is_active else None


AUTH = [BearerToken(), SessionWithCsrf()]


def actor(request: HttpRequest) -> User:
    """The authenticated caller (set by one of ``AUTH``)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


# --- the one error shape -------------------------------------------------------------------------


class FieldErrorOut(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    """Every error the API returns: a sentence, and each problem named by its field."""

    detail: str
    errors: list[FieldErrorOut] = []


ERRORS: dict[Any, type[Schema]] = {frozenset({400, 401, 403, 404, 413, 422}): ErrorOut}
"""Error responses for the OpenAPI document of every operation."""


def error_body(
    detail: str, errors: Mapping[str, list[str]] | Mapping[str | None, list[str]] | None = None
) -> dict[str, Any]:
    return {
        "detail": detail,
        "errors": [
            {"field": field, "message": message} for field, messages in (errors or {}).items() for message in messages
        ],
    }


# --- /me -------------------------------------------------------------------------------------------


class MyTeamOut(Schema):
    id: int
    name: str


class CustomerSelf(Schema):
    id: int
    name: str
    internal: bool


class MeOut(Schema):
    id: int
    name: str
    email: str
    role: str
    staff: bool
    teams: list[MyTeamOut]
    customer: CustomerSelf | None
    permissions: dict[str, bool] = Field(
        description="What the caller may do, by name (e.g. manage_customers, administer_users_and_teams): "
        "show only the actions that will be allowed."
    )


router = Router(tags=["me"])


@router.get("", response={200: MeOut, **ERRORS}, summary="The signed-in user")
def me(request: HttpRequest) -> dict[str, Any]:
    """Who the token or session belongs to: role, teams (staff) or customer record (customers)."""
    user = actor(request)
    staff = policy.is_staff(user)
    customer = None if staff else policy.visible_customers(user).first()
    return {
        "id": user.pk,
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "staff": staff,
        "teams": list(user.teams.all()) if staff else [],
        "customer": (
            {"id": customer.pk, "name": customer.name, "internal": customer.is_internal} if customer else None
        ),
        "permissions": policy.permissions_of(user),
    }


# --- /users and /teams -----------------------------------------------------------------------------

StaffRole = Literal["agent", "team_leader", "manager", "admin"]
TeamKindName = Literal["front_line", "back_office"]
SINCE = (
    "Only rows changed at or after this moment (ISO 8601 with a time zone, e.g. 2026-03-01T09:00:00Z): "
    "pass the time your last sync started."
)
CREATED_SINCE = "Only rows created at or after this moment (ISO 8601 with a time zone)."


class UserOut(Schema):
    id: int
    name: str
    email: str
    role: StaffRole
    active: bool = Field(description="False once an admin has deactivated the account: it cannot sign in.")
    teams: list[MyTeamOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_active(obj: Any) -> bool:
        return bool(obj.is_active)

    @staticmethod
    def resolve_created_at(obj: Any) -> datetime:
        return obj.date_joined  # type: ignore[no-any-return]

    @staticmethod
    def resolve_teams(obj: Any) -> list[Any]:
        return list(obj.teams.all())


class UserPage(Schema):
    items: list[UserOut]
    next_cursor: str | None


class UserListQuery(Schema):
    role: StaffRole | None = None
    team: int | None = Field(None, ge=1, le=2**31 - 1, description="Team id: its members only.")
    active: bool | None = Field(None, description="true: accounts that can sign in; false: deactivated ones.")
    q: str | None = Field(None, max_length=200, description="Start of the name, or the whole email address.")
    updated_since: AwareDatetime | None = Field(None, description=SINCE)
    created_since: AwareDatetime | None = Field(None, description=CREATED_SINCE)
    cursor: str | None = Field(None, max_length=500, description="next_cursor from the previous page.")
    limit: int = Field(50, ge=1, le=200)


class UserIn(Schema):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254)
    name: str = Field(max_length=150)
    role: StaffRole = "agent"
    teams: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field([], max_length=50, description="Team ids.")


class UserChanges(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=150)
    role: StaffRole | None = None
    active: bool | None = Field(None, description="false deactivates the account and revokes its API tokens.")
    teams: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] | None = Field(
        None, max_length=50, description="Team ids: the whole new list."
    )


class TeamOut(Schema):
    id: int
    name: str
    kind: TeamKindName
    email: str
    members: int = Field(description="Active accounts in the team.")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_members(obj: Any) -> int:
        return int(getattr(obj, "member_count", 0))


class TeamPage(Schema):
    items: list[TeamOut]
    next_cursor: str | None


class TeamListQuery(Schema):
    q: str | None = Field(None, max_length=100, description="Start of the team's name.")
    updated_since: AwareDatetime | None = Field(None, description=SINCE)
    created_since: AwareDatetime | None = Field(None, description=CREATED_SINCE)
    cursor: str | None = Field(None, max_length=500, description="next_cursor from the previous page.")
    limit: int = Field(50, ge=1, le=200)


class TeamIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=100)
    kind: TeamKindName = "front_line"
    email: str = Field("", max_length=254, description="The team's shared mailbox, if it has one.")


class TeamChanges(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=100)
    kind: TeamKindName | None = None
    email: str | None = Field(None, max_length=254)


users_router = Router(tags=["users"])
teams_router = Router(tags=["teams"])


@users_router.get("", response={200: UserPage, **ERRORS}, summary="List staff accounts")
def list_users(request: HttpRequest, filters: Query[UserListQuery]) -> Any:
    """Staff accounts by name, then id, with their teams: any member of staff may read them (to
    assign work); customers get 403. Filter by role, team, active, and ``updated_since`` to sync."""
    page = selectors.user_list(
        actor(request), role=filters.role, team_id=filters.team, active=filters.active, query=filters.q,
        updated_since=filters.updated_since, created_since=filters.created_since,
        cursor=filters.cursor, size=filters.limit,
    )  # fmt: skip
    return {"items": page.items, "next_cursor": page.next_cursor}


@users_router.post("", response={201: UserOut, **ERRORS}, summary="Add a staff account (admins)")
def create_user(request: HttpRequest, payload: UserIn, response: HttpResponse) -> Any:
    """A new staff account in a role and teams. It has no password: the person sets one through
    "forgotten password" (or signs in by SSO). Answers 201 with its ``Location``."""
    user = services.user_create(actor=actor(request), **payload.model_dump())
    response["Location"] = f"/api/v1/users/{user.pk}"
    return Status(201, selectors.user_get(actor(request), user.pk))


@users_router.get("/{user_id}", response={200: UserOut, **ERRORS}, summary="One staff account")
def get_user(request: HttpRequest, user_id: int) -> Any:
    """One staff account with its teams (404 for a customer's sign-in or an unknown id)."""
    return selectors.user_get(actor(request), user_id)


@users_router.patch(
    "/{user_id}", response={200: UserOut, **ERRORS, 409: ErrorOut}, summary="Change a staff account (admins)"
)
def update_user(request: HttpRequest, user_id: int, payload: UserChanges) -> Any:
    """Change the role, name or teams, or deactivate (``active``: false) or reactivate the account.
    Fields left out stay as they are. The last active admin cannot be removed (409)."""
    user = actor(request)
    services.user_update(actor=user, user_id=user_id, **payload.model_dump(exclude_unset=True))
    return selectors.user_get(user, user_id)


@teams_router.get("", response={200: TeamPage, **ERRORS}, summary="List teams")
def list_teams(request: HttpRequest, filters: Query[TeamListQuery]) -> Any:
    """Teams by name, then id, with how many active members each has (staff only)."""
    page = selectors.team_list(
        actor(request), query=filters.q, updated_since=filters.updated_since, created_since=filters.created_since,
        cursor=filters.cursor, size=filters.limit,
    )  # fmt: skip
    return {"items": page.items, "next_cursor": page.next_cursor}


@teams_router.post("", response={201: TeamOut, **ERRORS}, summary="Add a team (admins)")
def create_team(request: HttpRequest, payload: TeamIn, response: HttpResponse) -> Any:
    """A new team; names are unique whatever their case. Answers 201 with its ``Location``."""
    team = services.team_create(actor=actor(request), **payload.model_dump())
    response["Location"] = f"/api/v1/teams/{team.pk}"
    return Status(201, selectors.team_get(actor(request), team.pk))


@teams_router.get("/{team_id}", response={200: TeamOut, **ERRORS}, summary="One team")
def get_team(request: HttpRequest, team_id: int) -> Any:
    """One team and its number of active members (staff only)."""
    return selectors.team_get(actor(request), team_id)


@teams_router.patch("/{team_id}", response={200: TeamOut, **ERRORS}, summary="Change a team (admins)")
def update_team(request: HttpRequest, team_id: int, payload: TeamChanges) -> Any:
    """Rename a team, or change its kind or mailbox; fields left out stay as they are."""
    user = actor(request)
    services.team_update(actor=user, team_id=team_id, **payload.model_dump(exclude_unset=True))
    return selectors.team_get(user, team_id)
