"""Django admin: the sign-in audit, read-only. Second factors are not edited here: django-otp's
own admin pages would show an authenticator's secret and change factors without the audit, so
they are taken away; admins reset a person's factors at /identity/people/ with a reason."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential

from rapport.identity.models import SecurityEvent

for model in (TOTPDevice, WebAuthnCredential, WebAuthnAttestation):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["at", "email", "kind", "actor", "detail", "ip"]
    list_filter = ["kind"]
    search_fields = ["email", "detail"]
    date_hierarchy = "at"
    list_select_related = ["actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
