"""Every write about sign-in security: single sign-on accounts, second factors, recovery codes,
remembered browsers, resets, and the audit of each (``SecurityEvent``).

The multi-factor state of a session is one key, ``SESSION_STEP``, set when the person signs in
(``sign_in_step``, from the ``user_logged_in`` signal, which every way of signing in sends) and
read by ``SecondFactorMiddleware`` on each request: no query per request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from base64 import b32encode
from binascii import unhexlify
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from rapport.accounts.models import Role, Team, User
from rapport.domain import identity as rules
from rapport.domain.identity import Step
from rapport.identity import access
from rapport.identity.models import RecoveryCode, RememberedBrowser, SecurityEvent, SecurityEventKind
from rapport.platform.errors import FieldError, NotFound

SESSION_STEP = "rapport.mfa"
SESSION_SSO_AMR = "rapport.sso_amr"
REMEMBER_COOKIE = "rapport_mfa_browser"
RECOVERY_CODE_COUNT = 10

WRONG_CODE = "That code is not right. Check your authenticator app and enter the newest 6-digit code."
TOO_MANY_TRIES = "Too many wrong codes. Wait {seconds} seconds and try again."
NO_FACTOR = "There is no second factor to check on this account."
REASON_REQUIRED = "Say why you are resetting this person's second factors: the reason is kept in the audit."
NOT_YOURS = "You may not reset this person's second factors."
LAST_FACTOR = "Your role requires a second factor: set up another before removing this one."
SSO_CUSTOMER = "Customer accounts sign in with a password, not with single sign-on."
SSO_INACTIVE = "This account is switched off. Ask an admin."
SSO_NO_ACCOUNT = (
    "There is no Rapport account for {email}, and new accounts are not made by single sign-on. Ask an admin."
)


# --- the audit ---------------------------------------------------------------------------------


def audit(
    *,
    kind: SecurityEventKind,
    user: User | None,
    at: datetime,
    actor: User | None = None,
    detail: str = "",
    ip: str = "",
    email: str = "",
) -> SecurityEvent:
    return SecurityEvent.objects.create(
        at=at,
        user=user,
        actor=actor if actor is not None else user,
        kind=kind,
        email=email or (user.email if user else ""),
        detail=detail[:300],
        ip=ip[:45],
    )


# --- what a sign-in needs ------------------------------------------------------------------------


def required_roles() -> tuple[str, ...]:
    return tuple(settings.RAPPORT_MFA_REQUIRED_ROLES)


def has_factor(user: User) -> bool:
    """An authenticator app or a passkey (recovery codes are a back-up, not a factor)."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return True
    return bool(WebAuthnCredential.objects.filter(user=user, confirmed=True).exists())


def sign_in_step(*, user: User, remembered_cookie: str, amr: Sequence[str], now: datetime) -> Step:
    """What this person must do after their first factor (``domain.identity.step_after_sign_in``)."""
    factor = has_factor(user)
    return rules.step_after_sign_in(
        role=user.role,
        has_factor=factor,
        required_roles=required_roles(),
        remembered=factor and browser_recognised(user=user, cookie=remembered_cookie, now=now),
        provider_amr=amr,
        trust_provider_mfa=settings.RAPPORT_OIDC_TRUST_MFA,
    )


# --- authenticator apps (TOTP, RFC 6238) ---------------------------------------------------------


@dataclass(frozen=True)
class Provisioning:
    """What an authenticator app needs: the ``otpauth://`` URI (shown as a QR code) and the secret
    in base32 for typing in by hand."""

    uri: str
    secret: str


def totp_pending(*, user: User) -> TOTPDevice:
    """The authenticator being set up (not yet confirmed), made if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def totp_provisioning(device: TOTPDevice) -> Provisioning:
    secret = b32encode(unhexlify(device.key.encode())).decode().rstrip("=")
    return Provisioning(uri=str(device.config_url), secret=secret)


def _totp_matches(device: TOTPDevice, code: str, now: datetime) -> bool:
    """RFC 6238 with the time given, so tests and the throttle use the injected clock; a code at or
    before the last one accepted is refused (no replay), the drift is learnt as django-otp does."""
    if not (code.isdigit() and len(code) == device.digits):
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = now.timestamp()
    if not totp.verify(int(code), device.tolerance, device.last_t + 1):
        return False
    device.last_t = totp.t()
    device.drift = totp.drift
    return True


def _clean_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def totp_confirm(*, user: User, code: str, now: datetime, ip: str = "") -> list[str]:
    """Confirm the authenticator being set up with a code from it. Returns new recovery codes when
    the person had none (shown once), else an empty list."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        raise FieldError(code="Start setting up an authenticator app first.")
    if not _totp_matches(device, _clean_code(code), now):
        raise FieldError(code=WRONG_CODE)
    device.confirmed = True
    device.last_used_at = now
    device.save()
    audit(kind=SecurityEventKind.FACTOR_ADDED, user=user, at=now, detail="Authenticator app", ip=ip)
    if RecoveryCode.objects.filter(user=user).exists():
        return []
    return recovery_codes_make(user=user, now=now, ip=ip)


@transaction.atomic
def factor_remove(*, user: User, kind: str, device_id: int, now: datetime, ip: str = "") -> None:
    """Remove one of a person's own factors (``kind``: ``totp`` or ``passkey``). The last factor of
    a role that requires one stays; with the last factor go the recovery codes and browsers."""
    model = WebAuthnCredential if kind == "passkey" else TOTPDevice
    device = model.objects.filter(user=user, pk=device_id).first()
    if device is None:
        raise NotFound("No such second factor.")
    device.delete()
    others = has_factor(user)
    if device.confirmed and not others and user.role in required_roles():
        raise FieldError(device=LAST_FACTOR)
    if device.confirmed:
        audit(kind=SecurityEventKind.FACTOR_REMOVED, user=user, at=now, detail=str(device.name), ip=ip)
    if not others:
        RecoveryCode.objects.filter(user=user).delete()
        RememberedBrowser.objects.filter(user=user).delete()


def passkey_added(*, user: User, credential: WebAuthnCredential, now: datetime, ip: str = "") -> None:
    audit(kind=SecurityEventKind.FACTOR_ADDED, user=user, at=now, detail=f"Passkey: {credential.name}", ip=ip)


def passkey_used(*, user: User, credential: WebAuthnCredential, now: datetime, ip: str = "") -> None:
    audit(kind=SecurityEventKind.FACTOR_USED, user=user, at=now, detail=f"Passkey: {credential.name}", ip=ip)


# --- recovery codes ------------------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _recovery_code() -> str:
    raw = b32encode(secrets.token_bytes(5)).decode().lower()  # 40 bits, 8 characters
    return f"{raw[:4]}-{raw[4:]}"


@transaction.atomic
def recovery_codes_make(*, user: User, now: datetime, ip: str = "") -> list[str]:
    """Ten new single-use codes, replacing any left; returned once, kept only as digests."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, digest=_digest(_clean_code(code)), created_at=now) for code in codes]
    )
    audit(kind=SecurityEventKind.RECOVERY_CODES_MADE, user=user, at=now, ip=ip)
    return codes


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user).count()


# --- the second step of a sign-in -----------------------------------------------------------------


def second_factor_verify(*, user: User, code: str, now: datetime, ip: str = "") -> str:
    """Check a code from the authenticator app or a recovery code; returns which was used.

    Wrong codes are throttled per device (django-otp's back-off: 1, 2, 4 … seconds after each
    failure), and each is in the audit: the failure is committed before the refusal is raised.
    """
    used = _second_factor_attempt(user=user, code=_clean_code(code), now=now, ip=ip)
    if used:
        return used
    with transaction.atomic():
        for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            device.throttling_failure_timestamp = now
            device.throttling_failure_count += 1
            device.save(update_fields=["throttling_failure_timestamp", "throttling_failure_count"])
        audit(kind=SecurityEventKind.FACTOR_FAILED, user=user, at=now, ip=ip)
    raise FieldError(code=WRONG_CODE)


def _locked_until(device: TOTPDevice) -> datetime | None:
    """django-otp's back-off on the injected clock: after n failures in a row, wait
    ``OTP_TOTP_THROTTLE_FACTOR * 2 ** (n - 1)`` seconds (1, 2, 4 … by default)."""
    if not device.throttling_failure_count or device.throttling_failure_timestamp is None:
        return None
    factor = int(getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1))
    wait = factor * 2 ** min(device.throttling_failure_count - 1, 20)
    last: datetime = device.throttling_failure_timestamp
    return last + timedelta(seconds=wait)


def _throttle_reset(device: TOTPDevice) -> None:
    device.throttling_failure_timestamp = None
    device.throttling_failure_count = 0


@transaction.atomic
def _second_factor_attempt(*, user: User, code: str, now: datetime, ip: str) -> str:
    devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("id"))
    if not devices:
        raise FieldError(code=NO_FACTOR)
    for device in devices:
        until = _locked_until(device)
        if until is not None and until > now:
            wait = max(int((until - now).total_seconds()), 1)
            raise FieldError(code=TOO_MANY_TRIES.format(seconds=wait))
    for device in devices:
        if _totp_matches(device, code, now):
            _throttle_reset(device)
            device.last_used_at = now
            device.save()
            audit(kind=SecurityEventKind.FACTOR_USED, user=user, at=now, detail=device.name, ip=ip)
            return "totp"
    recovery = RecoveryCode.objects.filter(user=user, digest=_digest(code)).first()
    if recovery is None:
        return ""
    recovery.delete()
    for device in devices:
        _throttle_reset(device)
        device.save(update_fields=["throttling_failure_timestamp", "throttling_failure_count"])
    left = recovery_codes_left(user)
    audit(kind=SecurityEventKind.RECOVERY_CODE_USED, user=user, at=now, detail=f"{left} left", ip=ip)
    return "recovery"


# --- remembered browsers -----------------------------------------------------------------------


@transaction.atomic
def browser_remember(*, user: User, label: str, now: datetime, ip: str = "") -> str:
    """Remember this browser for ``RAPPORT_MFA_REMEMBER_DAYS``; returns the cookie's value. A person
    keeps at most ``RAPPORT_MFA_REMEMBER_LIMIT``: the oldest are forgotten first."""
    limit = max(int(settings.RAPPORT_MFA_REMEMBER_LIMIT), 1)
    RememberedBrowser.objects.filter(user=user, expires_at__lte=now).delete()
    kept = list(RememberedBrowser.objects.filter(user=user).order_by("-created_at", "-id").values_list("pk", flat=True))
    if len(kept) >= limit:
        RememberedBrowser.objects.filter(pk__in=kept[limit - 1 :]).delete()
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    RememberedBrowser.objects.create(
        user=user,
        key_id=key_id,
        digest=_digest(secret),
        label=label[:200],
        created_at=now,
        expires_at=now + timedelta(days=int(settings.RAPPORT_MFA_REMEMBER_DAYS)),
    )
    audit(kind=SecurityEventKind.BROWSER_REMEMBERED, user=user, at=now, detail=label[:120], ip=ip)
    return f"{key_id}.{secret}"


def browser_recognised(*, user: User, cookie: str, now: datetime) -> bool:
    key_id, _, secret = cookie.partition(".")
    if not key_id or not secret:
        return False
    browser = RememberedBrowser.objects.filter(user=user, key_id=key_id, expires_at__gt=now).first()
    if browser is None or not hmac.compare_digest(browser.digest, _digest(secret)):
        return False
    RememberedBrowser.objects.filter(pk=browser.pk).update(last_used_at=now)
    return True


def browsers_forget(*, user: User, now: datetime, ip: str = "") -> int:
    count, _ = RememberedBrowser.objects.filter(user=user).delete()
    if count:
        audit(kind=SecurityEventKind.BROWSERS_FORGOTTEN, user=user, at=now, detail=f"{count}", ip=ip)
    return count


# --- an admin's reset -------------------------------------------------------------------------------


@transaction.atomic
def factors_reset(*, actor: User, person: User, reason: str, now: datetime, ip: str = "") -> None:
    """Remove every second factor, recovery code and remembered browser of ``person``, with the
    reason in the audit. Their next sign-in asks them to set up a factor again if their role
    requires one."""
    if not access.can_reset(actor, person):
        raise NotFound(NOT_YOURS)
    reason = " ".join(reason.split())
    if not reason:
        raise FieldError(reason=REASON_REQUIRED)
    TOTPDevice.objects.filter(user=person).delete()
    WebAuthnCredential.objects.filter(user=person).delete()
    RecoveryCode.objects.filter(user=person).delete()
    RememberedBrowser.objects.filter(user=person).delete()
    audit(kind=SecurityEventKind.FACTORS_RESET, user=person, actor=actor, at=now, detail=reason, ip=ip)


# --- single sign-on ----------------------------------------------------------------------------


class SignOnRefused(Exception):
    """Single sign-on found no account to sign in to; the message says why, for the person."""


def sso_rules() -> rules.MappingRules:
    return rules.MappingRules(
        groups_claim=settings.RAPPORT_OIDC_GROUPS_CLAIM,
        roles=settings.RAPPORT_OIDC_ROLE_MAP,
        teams=settings.RAPPORT_OIDC_TEAM_MAP,
        default_role=settings.RAPPORT_OIDC_DEFAULT_ROLE,
        require_verified_email=settings.RAPPORT_OIDC_REQUIRE_VERIFIED_EMAIL,
    )


def is_break_glass(user: User) -> bool:
    return user.email.lower() in settings.RAPPORT_BREAK_GLASS


def password_allowed(user: User) -> bool:
    """Whether this account may sign in with a password: customers always; staff while
    ``RAPPORT_STAFF_PASSWORDS`` is on, and the break-glass admins always."""
    return bool(settings.RAPPORT_STAFF_PASSWORDS) or user.is_customer or is_break_glass(user)


def sso_account(*, claims: Mapping[str, object], now: datetime, ip: str = "") -> User:
    """The staff account for a verified sign-in at the identity provider, matched by verified email,
    its role and teams brought up to date from the claims; made just in time when allowed. A
    refusal is in the audit and raised as ``SignOnRefused``."""
    mapped = rules.map_claims(claims, sso_rules())
    user = User.objects.filter(email__iexact=mapped.email).first() if mapped.email else None
    refusal = mapped.refusal
    if not refusal and user is not None and user.is_customer:
        refusal = SSO_CUSTOMER
    elif not refusal and user is not None and not user.is_active:
        refusal = SSO_INACTIVE
    elif not refusal and user is None and not settings.RAPPORT_OIDC_CREATE_USERS:
        refusal = SSO_NO_ACCOUNT.format(email=mapped.email)
    if refusal:
        audit(kind=SecurityEventKind.SSO_REFUSED, user=user, email=mapped.email, detail=refusal, at=now, ip=ip)
        raise SignOnRefused(refusal)
    return _sso_sync(user=user, mapped=mapped, now=now, ip=ip)


@transaction.atomic
def _sso_sync(*, user: User | None, mapped: rules.Mapped, now: datetime, ip: str) -> User:
    created = user is None
    if user is None:
        user = User.objects.create_user(mapped.email, None, name=mapped.name, role=mapped.role)
    if not is_break_glass(user):
        user.name = mapped.name or user.name
        if created or settings.RAPPORT_OIDC_ROLE_MAP or settings.RAPPORT_OIDC_DEFAULT_ROLE:
            user.role = mapped.role
        user.is_staff = user.is_superuser = user.role == Role.ADMIN
        user.save(update_fields=["name", "role", "is_staff", "is_superuser"])
        if settings.RAPPORT_OIDC_TEAM_MAP:
            user.teams.set([Team.objects.get_or_create(name=name)[0] for name in mapped.teams])
    kind = SecurityEventKind.SSO_ACCOUNT_CREATED if created else SecurityEventKind.SSO_SIGN_IN
    detail = str(user.get_role_display()) + (f"; teams: {', '.join(mapped.teams)}" if mapped.teams else "")
    audit(kind=kind, user=user, at=now, detail=detail, ip=ip)
    return user
