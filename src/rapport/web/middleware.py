"""What wraps every request: the headers every page carries, and the scope of the access log."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from rapport.access import log as access_log

# Everything the pages need is served from our own origin: no CDN, no inline script.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/v1/docs"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class AccessLogMiddleware:
    """Each request is one scope of the access log: a person whose data several gates load in one
    request gets one row (``rapport.access.log``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with access_log.request_scope():
            return self.get_response(request)


# The pages customers and the public read. Only these choose a language; every other request
# (the staff desk, the API, admin) stays in English without looking at a header (ADR 0034).
CUSTOMER_PATHS = (
    "/portal/",
    "/help/",
    "/feedback/s/",
    "/feedback/my-surveys/",
    "/privacy/request/",
    "/privacy/choices/",
    "/login/",
    "/logout/",
    "/language/",
)


class CustomerLanguageMiddleware:
    """The language of a customer page: the one chosen with the switch (a cookie), else the
    browser's ``Accept-Language``, else English. A signed-in customer's saved preference then
    takes over in the portal's views (``rapport.customers.language.activate_for``). The response
    says which language it is in and that it varies by those headers, and the default is put back
    afterwards so the next request on this thread starts in English."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(CUSTOMER_PATHS):
            return self.get_response(request)
        tag = translation.get_language_from_request(request)
        translation.activate(tag)
        request.LANGUAGE_CODE = tag
        request.customer_facing = True  # type: ignore[attr-defined]  # the page shows the switch
        try:
            response = self.get_response(request)
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            response.headers.setdefault("Content-Language", translation.get_language() or tag)
        finally:
            translation.deactivate()
        return response
