"""Sign-in security pages.

Everyone signed in (staff and portal customers): their own page (authenticator apps, recovery
codes, remembered browsers), setting up an authenticator, and the second step of signing in.
Admins: the staff list with each person's factors, resetting another's factors with a reason, the
audit, and a preview of how single sign-on maps claims to a role and teams. Single sign-on's own
two addresses (start, callback) are mozilla-django-oidc's views.
"""

from __future__ import annotations

import io
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp_webauthn import exceptions as webauthn_exceptions
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from rapport.accounts.models import User
from rapport.accounts.views import client_ip, landing
from rapport.domain.identity import Step
from rapport.identity import access as policy
from rapport.identity import selectors, services
from rapport.identity.forms import ConfirmForm, PreviewForm, ResetForm, VerifyForm
from rapport.platform import csv_export
from rapport.platform.errors import FieldError, NotFound
from rapport.web.forms import show_errors
from rapport.web.views import actor, staff_page

SSO_FAILED = "Single sign-on did not complete. Try again, or ask your service desk."


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _base(user: User) -> str:
    return "portal/base.html" if user.is_customer else "web/desk.html"


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return landing(request, request.user)


def _step_done(request: HttpRequest) -> None:
    """The person has their second factor: a new session key (no fixation across the step)."""
    request.session.cycle_key()
    request.session[services.SESSION_STEP] = Step.DONE.value


# --- a person's own page ------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def security(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    context = {
        "base": _base(user),
        "factors": selectors.factors_of(user),
        "enrolling": request.session.get(services.SESSION_STEP) == Step.ENROL,
        "next": request.GET.get("next", ""),
        "nav": "security",
    }
    return render(request, "identity/security.html", context)


def _qr_svg(uri: str) -> str:
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", xmldecl=False, svgns=True, scale=5, border=2, title=_("QR code"))
    return out.getvalue().decode()


@login_required
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def totp_add(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_confirm(
                user=user, code=form.cleaned_data["code"], now=timezone.now(), ip=client_ip(request)
            )
        except FieldError as refused:
            show_errors(form, refused.errors)
            status = 422
        else:
            if request.session.get(services.SESSION_STEP) == Step.ENROL:
                _step_done(request)
            messages.success(request, _("Your authenticator app is set up. You'll use it each time you sign in."))
            if codes:
                return render(
                    request,
                    "identity/recovery_codes.html",
                    {"base": _base(user), "codes": codes, "next": _next(request), "nav": "security"},
                )
            return redirect("identity:security")
    elif request.method == "POST":
        status = 422
    device = services.totp_pending(user=user)
    provisioning = services.totp_provisioning(device)
    context = {
        "base": _base(user),
        "form": form,
        "secret": provisioning.secret,
        # segno writes the SVG from the URI's bits: no text of ours or the person's is in it.
        "qr": mark_safe(_qr_svg(provisioning.uri)),  # noqa: S308 - markup made by segno from data
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "nav": "security",
    }
    return render(request, "identity/totp_add.html", context, status=status)


@login_required
@never_cache
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    if not selectors.factors_of(user).on:
        messages.error(request, _("Set up an authenticator app first: recovery codes are its back-up."))
        return redirect("identity:security")
    codes = services.recovery_codes_make(user=user, now=timezone.now(), ip=client_ip(request))
    return render(
        request, "identity/recovery_codes.html", {"base": _base(user), "codes": codes, "next": "", "nav": "security"}
    )


@login_required
@require_POST
def factor_remove(request: HttpRequest, kind: str, device_id: int) -> HttpResponse:
    user = _person(request)
    try:
        services.factor_remove(user=user, kind=kind, device_id=device_id, now=timezone.now(), ip=client_ip(request))
    except NotFound:
        raise Http404 from None
    except FieldError as refused:
        messages.error(request, " ".join(m for ms in refused.errors.values() for m in ms))
    else:
        messages.success(request, _("The second factor was removed."))
    return redirect("identity:security")


@login_required
@require_POST
def browsers_forget(request: HttpRequest) -> HttpResponse:
    count = services.browsers_forget(user=_person(request), now=timezone.now(), ip=client_ip(request))
    messages.success(request, _("Remembered browsers forgotten: %(count)s.") % {"count": count})
    response = redirect("identity:security")
    response.delete_cookie(services.REMEMBER_COOKIE)
    return response


# --- the second step of signing in -------------------------------------------------------------


@login_required
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    if request.session.get(services.SESSION_STEP) != Step.VERIFY:
        return redirect(_next(request))
    form = VerifyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        now, ip = timezone.now(), client_ip(request)
        try:
            used = services.second_factor_verify(user=user, code=form.cleaned_data["code"], now=now, ip=ip)
        except FieldError as refused:
            show_errors(form, refused.errors)
            status = 422
        else:
            _step_done(request)
            if used == "recovery":
                messages.warning(
                    request,
                    _("You used a recovery code: %(left)s left. Make new ones on your sign-in security page.")
                    % {"left": services.recovery_codes_left(user)},
                )
            response = redirect(_next(request))
            if form.cleaned_data["remember"]:
                label = request.META.get("HTTP_USER_AGENT", "")[:200]
                cookie = services.browser_remember(user=user, label=label, now=now, ip=ip)
                response.set_cookie(
                    services.REMEMBER_COOKIE,
                    cookie,
                    max_age=int(settings.RAPPORT_MFA_REMEMBER_DAYS) * 86400,
                    secure=request.is_secure(),
                    httponly=True,
                    samesite="Lax",
                )
            return response
    elif request.method == "POST":
        status = 422
    factors = selectors.factors_of(user)
    context = {
        "base": "web/base.html",
        "form": form,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "has_authenticator": bool(factors.authenticators),
        "has_passkey": bool(factors.passkeys),
    }
    return render(request, "identity/verify.html", context, status=status)


# --- admins ------------------------------------------------------------------------------------


def _admin(request: HttpRequest) -> User:
    user = actor(request)
    if not policy.can_manage_security(user):
        raise Http404
    return user


@staff_page
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    _admin(request)
    query = request.GET.get("q", "").strip()[:100]
    staff = selectors.staff_with_factors(query=query)
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        writer = csv_export.writer(out)
        writer.writerow(["Name", "Email", "Role", "Active", "Authenticator app", "Recovery codes", "Required"])
        required = services.required_roles()
        writer.writerows(
            [
                p.name,
                p.email,
                p.get_role_display(),
                "yes" if p.is_active else "no",
                "yes" if p.has_authenticator else "no",
                "yes" if p.has_recovery_codes else "no",
                "yes" if p.role in required else "no",
            ]
            for p in staff
        )
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="sign-in-security.csv"'
        return response
    page = Paginator(staff, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "query": query,
        "required": services.required_roles(),
        "sso": settings.RAPPORT_OIDC_ENABLED,
        "staff_passwords": settings.RAPPORT_STAFF_PASSWORDS,
    }
    return render(request, "identity/people.html", context)


@staff_page
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, user_id: int) -> HttpResponse:
    admin = _admin(request)
    subject = get_object_or_404(User.objects.exclude(role="customer"), pk=user_id)
    form = ResetForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.factors_reset(
                actor=admin,
                person=subject,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
                ip=client_ip(request),
            )
        except FieldError as refused:
            show_errors(form, refused.errors)
            status = 422
        else:
            messages.success(request, f"{subject}'s second factors were reset. The reason is in the audit.")
            return redirect("identity:person", user_id=subject.pk)
    elif request.method == "POST":
        status = 422
    context = {
        "subject": subject,
        "factors": selectors.factors_of(subject),
        "form": form,
        "may_reset": policy.can_reset(admin, subject),
        "events": selectors.events_page(page=1, user_id=subject.pk),
    }
    return render(request, "identity/person.html", context, status=status)


@staff_page
@require_GET
def events(request: HttpRequest) -> HttpResponse:
    _admin(request)
    wanted = request.GET.get("page", "1")
    page = selectors.events_page(page=int(wanted) if wanted.isdigit() else 1)
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        writer = csv_export.writer(out)
        writer.writerow(["When", "Person", "Email", "What", "By", "Detail", "Address"])
        writer.writerows(
            [e.at.isoformat(), str(e.user or ""), e.email, e.get_kind_display(), str(e.actor or ""), e.detail, e.ip]
            for e in page.object_list
        )
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="sign-in-audit.csv"'
        return response
    return render(request, "identity/events.html", {"page": page})


@staff_page
@require_http_methods(["GET", "POST"])
def sso_preview(request: HttpRequest) -> HttpResponse:
    _admin(request)
    form = PreviewForm(request.POST if request.method == "POST" else None)
    preview = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            preview = selectors.sso_preview(form.cleaned_data["claims"])
        except FieldError as refused:
            show_errors(form, refused.errors)
            status = 422
    elif request.method == "POST":
        status = 422
    context = {
        "form": form,
        "preview": preview,
        "rules": services.sso_rules(),
        "create_users": settings.RAPPORT_OIDC_CREATE_USERS,
        "sso": settings.RAPPORT_OIDC_ENABLED,
    }
    return render(request, "identity/sso_preview.html", context, status=status)


# --- single sign-on's callback ---------------------------------------------------------------


class SSOCallback(OIDCAuthenticationCallbackView):  # type: ignore[misc]  # the library ships no types
    """mozilla-django-oidc's callback; a refusal goes back to the sign-in page with the reason
    (``SSOBackend`` put it in the messages), or a general one."""

    def login_failure(self) -> HttpResponse:
        stored = messages.get_messages(self.request)
        said = len(stored) > 0
        stored.used = False  # counting them is not showing them: keep them for the sign-in page
        if not said:
            messages.error(self.request, SSO_FAILED)
        return redirect(reverse("login"))


class SSOStart(OIDCAuthenticationRequestView):  # type: ignore[misc]  # the library ships no types
    """mozilla-django-oidc's redirect to the provider, only while single sign-on is configured."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.RAPPORT_OIDC_ENABLED:
            raise Http404
        return super().get(request)  # type: ignore[no-any-return]


# --- passkeys (django-otp-webauthn's ceremonies, on Rapport's session step) -------------------


class _OnOurStep:
    """django-otp-webauthn asks ``user.is_verified()`` (django-otp's middleware, which loads the
    device on every request, is not used): answer it from the session step."""

    request: HttpRequest

    def initial(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        if request.user.is_authenticated:
            done = request.session.get(services.SESSION_STEP, Step.DONE) == Step.DONE
            request.user.is_verified = lambda: done  # type: ignore[union-attr]
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


class PasskeyRegisterBegin(_OnOurStep, BeginCredentialRegistrationView):  # type: ignore[misc]
    pass


class PasskeyRegisterComplete(_OnOurStep, CompleteCredentialRegistrationView):  # type: ignore[misc]
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().post(*args, **kwargs)
        if response.status_code == 200:
            user = _person(self.request)
            credential = WebAuthnCredential.objects.filter(user=user).order_by("-id").first()
            if credential is not None:
                services.passkey_added(user=user, credential=credential, now=timezone.now(), ip=client_ip(self.request))
            if self.request.session.get(services.SESSION_STEP) == Step.ENROL:
                _step_done(self.request)
        return response


class PasskeyVerifyBegin(_OnOurStep, BeginCredentialAuthenticationView):  # type: ignore[misc]
    pass


class PasskeyVerifyComplete(_OnOurStep, CompleteCredentialAuthenticationView):  # type: ignore[misc]
    """A passkey as the second step of signing in: only for the person already signed in with
    their first factor (no passwordless sign-in), then the same step as a code."""

    def complete_auth(self, device: WebAuthnCredential) -> None:
        user = self.request.user
        if not user.is_authenticated or device.user_id != user.pk:
            raise webauthn_exceptions.PasswordlessLoginDisabled()
        _step_done(self.request)
        services.passkey_used(
            user=_person(self.request), credential=device, now=timezone.now(), ip=client_ip(self.request)
        )

    def get_success_url(self) -> str:
        return _next(self.request)
