"""Who is calling the API, and the one shape every API error takes.

Two ways in: a bearer token (``Authorization: Bearer rpt_…``) for scripts and integrations, and the
Django session for the pages' own htmx calls. A session request that changes something must carry
the CSRF token; a token request needs none, because a browser never sends the header by itself.
The error schemas live here, in the app every other app already depends on, so that each router
can document them without importing the API root (which imports the routers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from rapport import access as policy
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
    }
