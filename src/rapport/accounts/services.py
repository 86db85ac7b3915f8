"""Sign-in, API tokens and staff accounts."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rapport.accounts.models import ApiToken, Role, User
from rapport.domain import shortcuts
from rapport.platform.errors import FieldError, NotFound

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
