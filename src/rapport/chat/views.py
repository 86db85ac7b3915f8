"""Live chat's pages and the widget's own endpoints.

The widget's endpoints (``/chat/w/<site key>/…``) are called from the organisation's website: they
answer only an allowed origin of the site (or Rapport's own pages), with CORS headers for that
origin alone, are rate limited per address, and take JSON sent as ``text/plain`` (a simple request,
no preflight). Every error is JSON naming the field.
"""

from __future__ import annotations

import io
import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django.views.i18n import JSONCatalog

from rapport.accounts.models import Team, User
from rapport.cases.services import Upload
from rapport.chat import access, selectors, services
from rapport.chat.models import ChatSite
from rapport.platform import csv_export
from rapport.platform.errors import FieldError, RapportError
from rapport.web.middleware import CSP
from rapport.web.views import actor, staff_page

MAX_BODY_BYTES = 20_000


def _own_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _cors(request: HttpRequest, response: HttpResponse, site: ChatSite | None) -> HttpResponse:
    origin = request.headers.get("Origin", "")
    if origin and site is not None and services.origin_ok(site, origin, _own_origin(request)):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        response["Access-Control-Max-Age"] = "600"
    response["Vary"] = "Origin"
    response["Cache-Control"] = "private, no-store"
    return response


def _error(request: HttpRequest, site: ChatSite | None, exc: RapportError) -> HttpResponse:
    errors = getattr(exc, "errors", {}) or {}
    body = {"detail": str(exc), "errors": [{"field": f, "message": m} for f, ms in errors.items() for m in ms]}
    return _cors(request, JsonResponse(body, status=exc.status), site)


def _site(request: HttpRequest, key: str) -> ChatSite:
    site = services.site_for_key(key)
    origin = request.headers.get("Origin", "")
    # A browser sends Origin on every cross-origin request and on same-origin POSTs; a GET from
    # the same origin may come without one.
    if origin and not services.origin_ok(site, origin, _own_origin(request)):
        raise FieldError(origin=services.NOT_ALLOWED_ORIGIN)
    if not origin and request.method == "POST":
        raise FieldError(origin=services.NOT_ALLOWED_ORIGIN)
    return site


def _payload(request: HttpRequest) -> dict[str, Any]:
    if len(request.body) > MAX_BODY_BYTES:
        raise FieldError(body="The message is too long.")
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise FieldError(body="Send a JSON object.") from None
    if not isinstance(data, dict):
        raise FieldError(body="Send a JSON object.")
    return data


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def websocket_url(request: HttpRequest) -> str:
    if settings.CHAT_WEBSOCKET_URL:
        return str(settings.CHAT_WEBSOCKET_URL).rstrip("/") + "/ws/chat/"
    scheme = "wss" if request.is_secure() else "ws"
    return f"{scheme}://{request.get_host()}/ws/chat/"


@csrf_exempt
@require_http_methods(["GET", "OPTIONS"])
def widget_config(request: HttpRequest, key: str) -> HttpResponse:
    """Whether chat is open, the expected wait, the pre-chat form's choices and the consent text."""
    site: ChatSite | None = None
    try:
        site = _site(request, key)
        if request.method == "OPTIONS":
            return _cors(request, HttpResponse(status=204), site)
        language = request.GET.get("language", "en")
        now = timezone.now()
        found = selectors.availability(site, now=now, language=language if language == "cy" else "")
        with translation.override("cy" if language == "cy" else "en"):
            consent = site.consent_text
        body = {
            "site": site.key,
            "name": site.name,
            "open": found.open,
            "reason": found.reason,
            "waiting": found.waiting,
            "expected_wait_seconds": found.expected_wait_seconds,
            "adjustments": list(site.adjustments),
            "welsh": site.welsh,
            "consent_text": consent,
            "websocket": websocket_url(request),
        }
        return _cors(request, JsonResponse(body), site)
    except RapportError as exc:
        return _error(request, site, exc)


@csrf_exempt
@require_http_methods(["POST", "OPTIONS"])
def widget_start(request: HttpRequest, key: str) -> HttpResponse:
    """The pre-chat form: opens a chat and gives its token (kept by the widget for reconnecting)."""
    site: ChatSite | None = None
    try:
        site = _site(request, key)
        if request.method == "OPTIONS":
            return _cors(request, HttpResponse(status=204), site)
        now = timezone.now()
        if not services.rate_allowed(
            f"start:{_address(request)}", now=now, per_minute=settings.CHAT_STARTS_PER_MINUTE, burst=5
        ):
            raise FieldError(rate=services.TOO_FAST)
        data = _payload(request)
        user = request.user if request.user.is_authenticated else None
        portal_user = user if isinstance(user, User) and hasattr(user, "customer") else None
        identity = data.get("identity") if isinstance(data.get("identity"), dict) else {}
        chat, token = services.chat_start(
            site=site,
            name=str(data.get("name", "")),
            email=str(data.get("email", "") or identity.get("email", "")),
            topic=str(data.get("topic", "")),
            language=str(data.get("language", "en")),
            adjustment=str(data.get("adjustment", "")),
            consent=data.get("consent") is True,
            identity_id=str(identity.get("id", "")),
            identity_signature=str(identity.get("signature", "")),
            portal_user=portal_user,
            now=now,
        )
        body = {"token": token, "status": chat.status, "case": chat.case.reference, "websocket": websocket_url(request)}
        return _cors(request, JsonResponse(body, status=201), site)
    except RapportError as exc:
        return _error(request, site, exc)


@csrf_exempt
@require_http_methods(["POST", "OPTIONS"])
def widget_offline(request: HttpRequest, key: str) -> HttpResponse:
    """The offline form: an email case, answered by email."""
    site: ChatSite | None = None
    try:
        site = _site(request, key)
        if request.method == "OPTIONS":
            return _cors(request, HttpResponse(status=204), site)
        now = timezone.now()
        if not services.rate_allowed(
            f"start:{_address(request)}", now=now, per_minute=settings.CHAT_STARTS_PER_MINUTE, burst=5
        ):
            raise FieldError(rate=services.TOO_FAST)
        data = _payload(request)
        case = services.offline_message(
            site=site,
            name=str(data.get("name", "")),
            email=str(data.get("email", "")),
            topic=str(data.get("topic", "")),
            body=str(data.get("body", "")),
            now=now,
        )
        return _cors(request, JsonResponse({"case": case.reference}, status=201), site)
    except RapportError as exc:
        return _error(request, site, exc)


@csrf_exempt
@require_http_methods(["POST", "OPTIONS"])
def widget_upload(request: HttpRequest, key: str) -> HttpResponse:
    """A file from the customer in a chat (multipart: ``token``, ``client_id``, ``file``), with the
    portal's checks; filed once per client id like a message, and shown to the agent live."""
    site: ChatSite | None = None
    try:
        site = _site(request, key)
        if request.method == "OPTIONS":
            return _cors(request, HttpResponse(status=204), site)
        now = timezone.now()
        if not services.rate_allowed(
            f"upload:{_address(request)}", now=now, per_minute=settings.CHAT_STARTS_PER_MINUTE, burst=5
        ):
            raise FieldError(rate=services.TOO_FAST)
        chat = services.chat_for_token(str(request.POST.get("token", "")))
        if chat.site_id != site.pk:
            raise FieldError(token="No such chat.")  # noqa: S106 - an error message, not a password
        upload = request.FILES.get("file")
        if upload is None:
            raise FieldError(file="Choose a file.")
        if upload.size is not None and upload.size > settings.RAPPORT_MAX_ATTACHMENT_BYTES:
            raise FieldError(file="The file is too large.")
        line, created = services.customer_says(
            chat=chat,
            client_id=str(request.POST.get("client_id", "")),
            body="",
            attachments=[Upload(str(upload.name or "file"), upload.read())],
            now=now,
        )
        if created:
            from asgiref.sync import async_to_sync
            from channels.layers import get_channel_layer

            layer = get_channel_layer()
            if layer is not None:
                async_to_sync(layer.group_send)(f"chat-{chat.pk}", {"type": "chat.line", "line": line})
        return _cors(request, JsonResponse({"client_id": line["client_id"], "seq": line["seq"]}, status=201), site)
    except RapportError as exc:
        return _error(request, site, exc)


class WidgetCatalog(JSONCatalog):
    """The widget's strings in the language asked for (``?language=cy``), as JSON."""

    domain = "djangojs"
    packages = ["rapport.chat"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = "cy" if request.GET.get("language") == "cy" else "en"
        with translation.override(language):
            response = super().get(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"  # public text, no credentials
        response["Cache-Control"] = "public, max-age=3600"
        return response


@staff_page
@require_GET
def console(request: HttpRequest) -> HttpResponse:
    """The agent's chat console: the waiting queue and their chats, live over a WebSocket."""
    user = actor(request)
    if not access.can_chat(user):
        raise Http404
    data = selectors.console(user)
    colleagues = User.objects.filter(is_active=True).exclude(pk=user.pk).exclude(role="customer").order_by("name")
    context = {
        "waiting": data["waiting"],
        "mine": data["mine"],
        "settings_row": data["settings"],
        "colleagues": list(colleagues.values("id", "name")[:200]),
        "teams": list(Team.objects.order_by("name").values("id", "name")),
        "websocket": websocket_url(request).replace("/ws/chat/", "/ws/chat/agent/"),
    }
    response = render(request, "chat/console.html", context)
    # The console's socket may be on another host (CHAT_WEBSOCKET_URL): the page may connect to it.
    socket_origin = context["websocket"].split("/ws/", 1)[0]
    response["Content-Security-Policy"] = f"{CSP}; connect-src 'self' {socket_origin}"
    return response


@staff_page
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    """Chats, newest first, 50 a page (older with ``before``), filtered by status; also as CSV."""
    user = actor(request)
    status = request.GET.get("status", "")
    if status not in {"", "waiting", "active", "ended"}:
        status = ""
    before = request.GET.get("before", "")
    before_id = int(before) if before.isdigit() else None
    if request.GET.get("format") == "csv":
        chats = selectors.chat_list(user, status=status, limit=5000, before_id=before_id)
        out = io.StringIO()
        writer = csv_export.writer(out)
        writer.writerow(
            [
                "Case",
                "Customer",
                "Topic",
                "Language",
                "Status",
                "Agent",
                "Started",
                "First answer (s)",
                "Target met",
                "CSAT",
            ]
        )
        for c in chats:
            writer.writerow(
                [
                    c.case.reference,
                    c.customer.name,
                    c.topic,
                    c.language,
                    c.status,
                    c.agent.name if c.agent else "",
                    c.started_at.isoformat(),
                    c.waited_seconds if c.answered_at else "",
                    "no" if c.breached_at else ("yes" if c.answered_at else ""),
                    c.csat or "",
                ]
            )
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="chats.csv"'
        return response
    chats = selectors.chat_list(user, status=status, limit=PAGE + 1, before_id=before_id)
    older = chats[PAGE - 1].pk if len(chats) > PAGE else None
    return render(request, "chat/history.html", {"chats": chats[:PAGE], "status": status, "older": older})


PAGE = 50
