"""Sign-in, API tokens and staff accounts."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from rapport import access as policy
from rapport.accounts.models import ApiToken, Role, Team, TeamKind, User
from rapport.domain import shortcuts
from rapport.platform.errors import FieldError, Forbidden, NotFound, Refused

TOKEN_PREFIX = "rpt"  # noqa: S105 - a public marker that tells a token apart, not a secret


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, user: User, name: str = "", now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token and its plain text, which is shown once and never stored."""
    if not user.is_active:
        raise FieldError(user="This account is not active.")
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], key_id=key_id, digest=_digest(secret), created_at=now or timezone.now()
    )
    return token, f"{TOKEN_PREFIX}_{key_id}_{secret}"


def token_authenticate(raw: str, *, now: datetime | None = None) -> User | None:
    """The active user behind a bearer token, or None (unknown, malformed or revoked)."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user").filter(key_id=parts[1], revoked_at__isnull=True).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(parts[2])):
        return None
    if not token.user.is_active:
        return None
    now = now or timezone.now()
    # Record use at most once a minute: a write per request would serialise SQLite.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_revoke(*, key_id: str | None = None, user: User | None = None, now: datetime | None = None) -> int:
    """Revoke one token by id, or every token of a user. Returns how many were revoked."""
    tokens = ApiToken.objects.filter(revoked_at__isnull=True)
    if key_id:
        key_id = key_id.removeprefix(f"{TOKEN_PREFIX}_").split("_", 1)[0]
        tokens = tokens.filter(key_id=key_id)
    elif user is not None:
        tokens = tokens.filter(user=user)
    else:
        raise FieldError(token="Name a token or a user.")  # noqa: S106 - a message, not a secret
    count = tokens.update(revoked_at=now or timezone.now())
    if key_id and not count:
        raise NotFound("No active token with that id.")
    return count


def staff_create(*, email: str, name: str, role: str, password: str | None) -> User:
    """A staff account. A password, when given, must pass settings.AUTH_PASSWORD_VALIDATORS."""
    if role not in Role.values or role == Role.CUSTOMER:
        raise FieldError(role="Choose agent, team_leader, manager or admin.")
    if password is not None:
        try:
            validate_password(password, user=User(email=email, name=name))
        except ValidationError as weak:
            raise FieldError(password=" ".join(weak.messages)) from None
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise FieldError(email="An account already uses this email address.")
        admin = role == Role.ADMIN
        return User.objects.create_user(email, password, name=name, role=role, is_staff=admin, is_superuser=admin)


def shortcuts_set(*, user: User, enabled: bool, keys: Mapping[str, str]) -> shortcuts.Shortcuts:
    """Keep a person's choice of single-key shortcuts: on or off, and a key for each action
    (WCAG 2.1.4; ``domain.shortcuts``). A choice with a problem is refused whole, naming each key."""
    cleaned = {action: (key or "").strip() if key != " " else key for action, key in keys.items()}
    problems = shortcuts.binding_problems(cleaned)
    if problems:
        raise FieldError({action: [problem] for action, problem in problems.items()})
    chosen = shortcuts.shortcuts_from({"enabled": enabled, "keys": cleaned})
    user.shortcuts = {"enabled": chosen.enabled, "keys": dict(chosen.keys)}
    user.save(update_fields=["shortcuts"])
    return chosen


# --- people and teams, by admins (the API's /users and /teams) ------------------------------------

ADMINS_ONLY = "Only admins can add or change staff accounts and teams."
NOT_YOURSELF = "You cannot deactivate your own account or take away your own admin role."
LAST_ADMIN = "This is the last active admin: make someone else an admin first."
NO_SUCH_TEAM = "Choose teams by their ids; these do not exist: {ids}."
TEAM_NAME_TAKEN = "A team already has this name."
TEAM_NAME_REQUIRED = "Give the team a name."
STAFF_ROLE = "Choose agent, team_leader, manager or admin."


def _require_admin(actor: User) -> None:
    if not policy.can_administer_people(actor):
        raise Forbidden(ADMINS_ONLY)


def _teams(team_ids: list[int]) -> list[Team]:
    found = list(Team.objects.filter(pk__in=team_ids))
    missing = sorted(set(team_ids) - {t.pk for t in found})
    if missing:
        raise FieldError(teams=NO_SUCH_TEAM.format(ids=", ".join(map(str, missing))))
    return found


def user_create(
    *, actor: User, email: str, name: str, role: str, teams: list[int], password: str | None = None,
    now: datetime | None = None,
) -> User:  # fmt: skip
    """An admin adds a staff account (without a password it signs in by the reset link or SSO)."""
    _require_admin(actor)
    errors: dict[str, list[str]] = {}
    email, name = email.strip().lower(), " ".join(name.split())
    if not name:
        errors["name"] = ["Give the person's name."]
    if not email or "@" not in email:
        errors["email"] = ["Enter a valid email address."]
    if errors:
        raise FieldError(errors)
    with transaction.atomic():
        members_of = _teams(teams)
        user = staff_create(email=email, name=name[:150], role=role, password=password)
        user.updated_at = now or timezone.now()
        user.save(update_fields=["updated_at"])
        user.teams.set(members_of)
    return user


def user_update(
    *, actor: User, user_id: int, role: str | None = None, active: bool | None = None, name: str | None = None,
    teams: list[int] | None = None, now: datetime | None = None,
) -> User:  # fmt: skip
    """An admin changes a staff account's role, name, teams or whether it may sign in. Deactivating
    revokes the account's API tokens; an admin can neither lock themselves out nor remove the last admin."""
    _require_admin(actor)
    now = now or timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().exclude(role=Role.CUSTOMER).filter(pk=user_id).first()
        if user is None:
            raise NotFound("No user with that id.")
        if role is not None and (role not in Role.values or role == Role.CUSTOMER):
            raise FieldError(role=STAFF_ROLE)
        losing_admin = user.role == Role.ADMIN and (active is False or (role is not None and role != Role.ADMIN))
        if losing_admin and user.pk == actor.pk:
            raise FieldError(active=NOT_YOURSELF) if active is False else FieldError(role=NOT_YOURSELF)
        if losing_admin and not User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk).exists():
            raise Refused(LAST_ADMIN)
        if name is not None:
            if not " ".join(name.split()):
                raise FieldError(name="Give the person's name.")
            user.name = " ".join(name.split())[:150]
        if role is not None:
            user.role = role
            user.is_staff = user.is_superuser = role == Role.ADMIN
        if active is not None:
            user.is_active = active
            if not active:
                token_revoke(user=user, now=now)
        if teams is not None:
            user.teams.set(_teams(teams))
        user.updated_at = now
        user.save()
    return user


def team_create(
    *, actor: User, name: str, kind: str = "front_line", email: str = "", now: datetime | None = None
) -> Team:
    _require_admin(actor)
    clean = _team_fields(name=name, kind=kind, email=email)
    now = now or timezone.now()
    with transaction.atomic():
        if Team.objects.filter(name__iexact=clean["name"]).exists():
            raise FieldError(name=TEAM_NAME_TAKEN)
        return Team.objects.create(created_at=now, updated_at=now, **clean)


def team_update(
    *, actor: User, team_id: int, name: str | None = None, kind: str | None = None, email: str | None = None,
    now: datetime | None = None,
) -> Team:  # fmt: skip
    _require_admin(actor)
    with transaction.atomic():
        team = Team.objects.select_for_update().filter(pk=team_id).first()
        if team is None:
            raise NotFound("No team with that id.")
        clean = _team_fields(
            name=team.name if name is None else name,
            kind=team.kind if kind is None else kind,
            email=team.email if email is None else email,
        )
        if Team.objects.filter(name__iexact=clean["name"]).exclude(pk=team.pk).exists():
            raise FieldError(name=TEAM_NAME_TAKEN)
        for field_name, value in clean.items():
            setattr(team, field_name, value)
        team.updated_at = now or timezone.now()
        team.save()
    return team


def _team_fields(*, name: str, kind: str, email: str) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    name = " ".join(name.split())
    if not name:
        errors["name"] = [TEAM_NAME_REQUIRED]
    elif len(name) > 100:
        errors["name"] = ["Keep this to 100 characters or fewer."]
    if kind not in TeamKind.values:
        errors["kind"] = [f"Choose one of: {', '.join(TeamKind.values)}."]
    email = email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["Enter a valid email address."]
    if errors:
        raise FieldError(errors)
    return {"name": name, "kind": kind, "email": email}
