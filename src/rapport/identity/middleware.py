"""The second step of signing in, enforced on every request by one session read.

A session whose person still has to use (``verify``) or set up (``enrol``) a second factor reaches
only the pages that do that and sign-out; everything else redirects there (the API answers 401).
Requests with an API token carry no session and pass: tokens are scoped, hashed and revocable on
their own (ADR 0033).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from rapport.domain.identity import Step
from rapport.identity import services

FINISH_SIGNING_IN = "Finish signing in with your second factor first."

_OPEN_TO_ALL = ("/static/", "/logout/", "/login/", "/favicon")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open: dict[str, tuple[str, ...]] | None = None

    def _open_paths(self) -> dict[str, tuple[str, ...]]:
        if self._open is None:
            catalogue = reverse("otp_webauthn:js-i18n-catalog")
            verify = (
                reverse("identity:verify"),
                reverse("otp_webauthn:credential-authentication-begin"),
                reverse("otp_webauthn:credential-authentication-complete"),
                catalogue,
            )
            enrol = (
                reverse("identity:security"),
                reverse("identity:totp_add"),
                reverse("identity:recovery_codes"),
                reverse("otp_webauthn:credential-registration-begin"),
                reverse("otp_webauthn:credential-registration-complete"),
                catalogue,
            )
            self._open = {Step.VERIFY: verify, Step.ENROL: enrol}
        return self._open

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = request.session.get(services.SESSION_STEP)
        if step == Step.DONE:
            return self.get_response(request)
        if step is None:
            if not request.user.is_authenticated:
                return self.get_response(request)
            # A session from before this was switched on: decide once, then it is a session read.
            step = services.sign_in_step(
                user=request.user,  # type: ignore[arg-type]
                remembered_cookie=request.COOKIES.get(services.REMEMBER_COOKIE, ""),
                amr=(),
                now=timezone.now(),
            ).value
            request.session[services.SESSION_STEP] = step
            if step == Step.DONE:
                return self.get_response(request)
        path = request.path
        if path.startswith(_OPEN_TO_ALL) or path in self._open_paths().get(step, ()):
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse({"detail": FINISH_SIGNING_IN, "errors": []}, status=401)
        target = reverse("identity:verify" if step == Step.VERIFY else "identity:security")
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
