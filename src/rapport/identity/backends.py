"""Authentication backends: passwords (refused to staff once single sign-on is the way in, except
the break-glass admins), and OpenID Connect through mozilla-django-oidc.

``SSOBackend`` lets mozilla-django-oidc do the protocol (state, nonce, PKCE, the code exchange,
the ID token's signature against the provider's JWKS, userinfo) and decides only who the person
is in Rapport (``services.sso_account``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from rapport.accounts.models import User
from rapport.identity import services


class PasswordBackend(ModelBackend):
    """Django's password check, for the accounts that may still use a password."""

    def user_can_authenticate(self, user: Any) -> bool:
        return bool(super().user_can_authenticate(user)) and services.password_allowed(user)


class SSOBackend(OIDCAuthenticationBackend):  # type: ignore[misc]  # the library ships no types
    """Signs a member of staff in from a verified OpenID Connect sign-in."""

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        # Claims from the signed ID token, completed by the userinfo endpoint (Entra ID and Okta put
        # groups in the ID token; Google and Keycloak may put them in either).
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        request = self.request
        ip = request.META.get("REMOTE_ADDR", "") if request is not None else ""
        try:
            user = services.sso_account(claims=claims, now=timezone.now(), ip=ip)
        except services.SignOnRefused as refused:
            if request is not None:
                messages.error(request, str(refused))
            return None
        if request is not None:
            amr = payload.get("amr") or []
            request.session[services.SESSION_SSO_AMR] = [str(v) for v in amr] if isinstance(amr, list) else []
        return user

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:  # pragma: no cover - not used
        return User.objects.none()
