"""Reads for the sign-in security pages: a person's factors, the staff list with each person's
state (one query for the page, whatever its size), the audit, and the SSO mapping preview."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from rapport.accounts.models import STAFF_ROLES, User
from rapport.domain import identity as rules
from rapport.identity import services
from rapport.identity.models import RecoveryCode, RememberedBrowser, SecurityEvent
from rapport.platform.errors import FieldError

PAGE_SIZE = 50
NOT_JSON = "Paste the claims as a JSON object: {problem}."


@dataclass(frozen=True)
class Factors:
    """A person's second factors, for their own page."""

    authenticators: list[TOTPDevice]
    passkeys: list[WebAuthnCredential]
    recovery_codes_left: int
    browsers: list[RememberedBrowser]
    required: bool

    @property
    def on(self) -> bool:
        return bool(self.authenticators or self.passkeys)


def factors_of(user: User) -> Factors:
    return Factors(
        authenticators=list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id")),
        passkeys=list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("id")),
        recovery_codes_left=RecoveryCode.objects.filter(user=user).count(),
        browsers=list(RememberedBrowser.objects.filter(user=user).order_by("-created_at", "-id")),
        required=user.role in services.required_roles(),
    )


def staff_with_factors(*, query: str = "") -> QuerySet[User]:
    """Staff with whether each has an authenticator and how many recovery codes are left."""
    people = User.objects.filter(role__in=sorted(STAFF_ROLES)).annotate(
        has_authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        has_passkey=Exists(WebAuthnCredential.objects.filter(user=OuterRef("pk"), confirmed=True)),
        has_recovery_codes=Exists(RecoveryCode.objects.filter(user=OuterRef("pk"))),
    )
    if query:
        people = people.filter(Q(name__icontains=query) | Q(email__icontains=query))
    return people.order_by("name", "id")


def events_page(*, page: int, user_id: int | None = None) -> Page[SecurityEvent]:
    events = SecurityEvent.objects.select_related("user", "actor").order_by("-at", "-id")
    if user_id is not None:
        events = events.filter(user_id=user_id)
    return Paginator(events, PAGE_SIZE).get_page(page)


@dataclass(frozen=True)
class Preview:
    """What single sign-on would do: sign in (to ``existing``, or a new account) or refuse why."""

    mapped: rules.Mapped
    existing: User | None
    refusal: str
    note: str

    @property
    def signs_in(self) -> bool:
        return not self.refusal


def sso_preview(claims_text: str) -> Preview:
    """What single sign-on would do with these claims, without signing anyone in."""
    try:
        claims: Any = json.loads(claims_text)
    except json.JSONDecodeError as bad:
        raise FieldError(claims=NOT_JSON.format(problem=bad.msg)) from None
    if not isinstance(claims, Mapping):
        raise FieldError(claims=NOT_JSON.format(problem="it is not an object"))
    mapped = rules.map_claims(claims, services.sso_rules())
    existing = User.objects.filter(email__iexact=mapped.email).first() if mapped.email else None
    refusal, note = mapped.refusal, ""
    if refusal:
        pass
    elif existing is not None and existing.is_customer:
        refusal = services.SSO_CUSTOMER
    elif existing is not None and not existing.is_active:
        refusal = services.SSO_INACTIVE
    elif existing is None and not settings.RAPPORT_OIDC_CREATE_USERS:
        refusal = services.SSO_NO_ACCOUNT.format(email=mapped.email)
    elif existing is None:
        note = "A new account is made at the first sign-in."
    elif services.is_break_glass(existing):
        note = "A break-glass admin: single sign-on does not change their role or teams."
    return Preview(mapped=mapped, existing=existing, refusal=refusal, note=note)
