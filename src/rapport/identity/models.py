"""Sign-in security: the audit of sign-ins and second factors, recovery codes, remembered browsers.

Authenticator apps (TOTP) are django-otp's ``TOTPDevice`` rows; this app adds what django-otp does
not keep the way Rapport needs it: recovery codes stored only as digests, browsers remembered for a
while after a second factor (at most a set number each), and an append-only audit of every SSO
sign-in, enrolment, use, failure and reset.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SecurityEventKind(models.TextChoices):
    SSO_SIGN_IN = "sso_sign_in", "Signed in with single sign-on"
    SSO_ACCOUNT_CREATED = "sso_account_created", "Account created by single sign-on"
    SSO_REFUSED = "sso_refused", "Single sign-on refused"
    FACTOR_ADDED = "factor_added", "Second factor set up"
    FACTOR_REMOVED = "factor_removed", "Second factor removed"
    FACTOR_USED = "factor_used", "Second factor used"
    FACTOR_FAILED = "factor_failed", "Wrong second-factor code"
    RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
    RECOVERY_CODES_MADE = "recovery_codes_made", "New recovery codes made"
    FACTORS_RESET = "factors_reset", "Second factors reset by an admin"
    BROWSER_REMEMBERED = "browser_remembered", "Browser remembered"
    BROWSERS_FORGOTTEN = "browsers_forgotten", "Remembered browsers forgotten"


class SecurityEvent(models.Model):
    """One thing that happened to a person's sign-in security. Append-only: never edited.

    ``user`` is whose security it is; ``actor`` who did it (the same person, an admin resetting
    their factors, or nobody for a refused SSO sign-in with no account). ``detail`` names the
    factor, the reason for a reset, or why SSO refused; never a code or a secret.
    """

    at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=SecurityEventKind.choices)
    email = models.EmailField(blank=True, help_text="The email address the event was about, kept if the account goes.")
    detail = models.CharField(max_length=300, blank=True)
    ip = models.CharField(max_length=45, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="identity_event_at"),
            models.Index(fields=["user", "-at"], name="identity_event_user"),
            models.Index(fields=["kind", "-at"], name="identity_event_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.email})"


class RecoveryCode(models.Model):
    """A single-use code for when the authenticator is lost. Only its SHA-256 digest is kept:
    codes carry 50 random bits and are used once, so a fast digest is enough (as API tokens)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "digest"], name="identity_recovery_user")]

    def __str__(self) -> str:
        return f"Recovery code of {self.user_id}"


class RememberedBrowser(models.Model):
    """A browser that need not ask for the second factor again until ``expires_at``. The cookie
    holds ``key_id`` and a secret whose SHA-256 digest is kept here."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key_id = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    label = models.CharField(max_length=200, blank=True, help_text="The browser, as it described itself.")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="identity_browser_user")]

    def __str__(self) -> str:
        return self.label or self.key_id
