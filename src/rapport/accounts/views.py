"""Sign in and sign out for staff and customers alike."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from rapport import access as policy
from rapport import extensions
from rapport.accounts import throttle
from rapport.accounts.models import User
from rapport.web.forms import SignInForm

BAD_CREDENTIALS = gettext_noop(
    "That email address and password do not match an active account. Check them and try again."
)
SIGNED_OUT = gettext_noop("You have signed out.")


def client_ip(request: HttpRequest) -> str:
    """The address sign-in attempts are counted against.

    The peer address, unless the peer is one of our own reverse proxies (RAPPORT_TRUSTED_PROXIES):
    then the nearest address in X-Forwarded-For that is not a trusted proxy, read from the right,
    because everything to its left was written by the client and could be anything.
    """
    peer = request.META.get("REMOTE_ADDR", "") or "unknown"
    trusted = settings.RAPPORT_TRUSTED_PROXIES
    if peer not in trusted:
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return peer


def landing(request: HttpRequest, user: User | AnonymousUser) -> str:
    """Where a person goes after signing in: a safe ``next``, else the desk or the portal."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("home") if policy.is_staff(user) else reverse("portal:home")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(landing(request, request.user))
    form = SignInForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        ip = client_ip(request)
        refusal = throttle.login_refusal(email=email, ip=ip)
        if refusal is not None:
            form.add_error(None, refusal)
            status = 429
        else:
            # The model backend refuses inactive accounts, with the same answer as a wrong password.
            user = authenticate(request, email=email, password=form.cleaned_data["password"])
            if user is None:
                throttle.login_failed(email=email, ip=ip)
                form.add_error(None, gettext(BAD_CREDENTIALS))
            else:
                throttle.login_succeeded(email=email, ip=ip)
                login(request, user)
                return redirect(landing(request, user))
    elif request.method == "POST":
        status = 422
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    options = [option for hook in extensions.sign_in_options if (option := hook(request)) is not None]
    notes = [note for hook in extensions.password_sign_in_notes if (note := hook())]
    context = {"form": form, "next": next_url, "sign_in_options": options, "password_notes": notes}
    return render(request, "accounts/login.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    # Asked before the session ends: single sign-on keeps what the provider needs in it.
    elsewhere = next((url for hook in extensions.sign_out_redirects if (url := hook(request))), None)
    logout(request)
    if elsewhere:
        return redirect(elsewhere)
    messages.info(request, gettext(SIGNED_OUT))
    return redirect("login")
