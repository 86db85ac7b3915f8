"""How sign-in security plugs into the core: the multi-factor step set at every sign-in, the
single sign-on button on the sign-in page and sign-out at the provider, the nav link for admins,
and the demo's audit trail.

The step is set from Django's ``user_logged_in`` signal, not from the sign-in views: every way of
signing in (the password form, single sign-on, Django admin's form, a test's ``force_login``)
calls ``django.contrib.auth.login``, which sends it, so no way in can skip the second factor.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rapport import extensions
from rapport.identity import access as policy
from rapport.identity import services

_registered = False


def on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    step = services.sign_in_step(
        user=user,
        remembered_cookie=request.COOKIES.get(services.REMEMBER_COOKIE, ""),
        amr=request.session.pop(services.SESSION_SSO_AMR, []),
        now=timezone.now(),
    )
    request.session[services.SESSION_STEP] = step.value


def sso_option(request: HttpRequest) -> extensions.SignInOption | None:
    if not settings.RAPPORT_OIDC_ENABLED:
        return None
    url = reverse("identity:oidc_start")
    wanted = request.GET.get("next", "")
    if wanted:
        url = f"{url}?{urlencode({'next': wanted})}"
    return extensions.SignInOption(label=settings.RAPPORT_OIDC_LABEL, url=url, hint="For staff.")


def password_note() -> str:
    if settings.RAPPORT_OIDC_ENABLED and not settings.RAPPORT_STAFF_PASSWORDS:
        return "Staff sign in with single sign-on. Passwords are for customers and the break-glass admin."
    return ""


def provider_sign_out(request: HttpRequest) -> str | None:
    """The provider's end-session endpoint (OpenID Connect RP-Initiated Logout 1.0 §2), when this
    session came from single sign-on and the provider has one."""
    id_token = request.session.get("oidc_id_token")
    endpoint = settings.RAPPORT_OIDC_LOGOUT_ENDPOINT
    if not (settings.RAPPORT_OIDC_ENABLED and id_token and endpoint):
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def own_security_link(user: Any) -> extensions.HeaderLink | None:
    """Every member of staff reaches their own second factors from the header (no query)."""
    return extensions.HeaderLink(label="Sign-in security", url_name="identity:security")


def _demo(now: datetime) -> None:
    from rapport.identity.demo import seed_identity_demo

    seed_identity_demo(now)


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    user_logged_in.connect(on_sign_in, dispatch_uid="rapport.identity.on_sign_in")
    extensions.sign_in_options.append(sso_option)
    extensions.password_sign_in_notes.append(password_note)
    extensions.sign_out_redirects.append(provider_sign_out)
    extensions.header_links.append(own_security_link)
    extensions.nav_items.append(
        extensions.NavItem(
            label="Sign-in security",
            url_name="identity:people",
            section="identity",
            visible=policy.can_manage_security,
            order=96,
        )
    )
    extensions.demo_seeders.append(_demo)
