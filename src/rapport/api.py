"""The REST API at /api/v1/: routers, authentication, and one error shape for every failure.

Every error is ``{"detail": "...", "errors": [{"field": "priority", "message": "..."}]}``: the
services' errors (rapport.platform.errors), ninja's own validation and HTTP errors, oversized requests and
unknown paths alike. A 409 adds ``current``, the case as it is now.

Input that no database can store (a NUL character, a lone surrogate, JSON nested without end) or
that cannot be read at all (a form without its boundary) is refused here, in the parser and the
error handlers, for every operation at once (``rapport.platform.textinput``). Every answer is
``Cache-Control: private, no-store``: what the API returns is about people.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.core import signals
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.cache import patch_cache_control
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.parser import Parser

from rapport.accounts import api as accounts_api
from rapport.accounts.api import AUTH, SIGN_IN, TokenRefused, error_body
from rapport.automation import api as automation_api
from rapport.cases import api as cases_api
from rapport.cases.models import Case
from rapport.cases.schemas import CaseOut
from rapport.chat import api as chat_api
from rapport.coaching import api as coaching_api
from rapport.complaints import api as complaints_api
from rapport.customers import api as customers_api
from rapport.feedback import api as feedback_api
from rapport.improvement import api as improvement_api
from rapport.knowledge import api as knowledge_api
from rapport.learning import api as learning_api
from rapport.macros import api as macros_api
from rapport.mail import api as mail_api
from rapport.notifications import api as notifications_api
from rapport.outreach import api as outreach_api
from rapport.plans import api as plans_api
from rapport.platform import textinput
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound, RapportError, TooLarge
from rapport.privacy import api as privacy_api
from rapport.quality import api as quality_api
from rapport.routing import api as routing_api
from rapport.sla import api as sla_api
from rapport.timetracking import api as time_api
from rapport.web import api as web_api
from rapport.webhooks import api as webhooks_api
from rapport.workforce import api as workforce_api

logger = logging.getLogger(__name__)

CHECK_FIELDS = "Some fields need correcting; each is named in errors."
TOO_LARGE = "The request is too large."
NO_ENDPOINT = "No such endpoint. The paths are listed at /api/v1/openapi.json."
SERVER_ERROR = "Something went wrong on our side. It has been logged; try again shortly."
NO_BOUNDARY = (
    "This multipart/form-data body has no valid boundary: let your HTTP library set the Content-Type "
    "header (it adds '; boundary=…'), or send JSON."
)
PART_HEADERS_TOO_LONG = (
    "A part of this form has headers over 1,024 bytes: a file name or field name is too long "
    "(file names may be at most 255 characters)."
)
FORM_UNREADABLE = "This form cannot be read ({problem}); send multipart/form-data as a browser does, or JSON."


class RapportParser(Parser):
    """ninja's parser, refusing what cannot be stored (``rapport.platform.textinput``)."""

    def parse_body(self, request: HttpRequest) -> Any:
        return textinput.parse_json(request.body)

    def parse_querydict(self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest) -> Any:
        texts = ((name, value) for name, values in data.lists() for value in values if isinstance(value, str))
        textinput.check_fields(texts)
        return super().parse_querydict(data, list_fields, request)


class RapportAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """``cases_list`` for ``list_cases`` under the tag "cases": the tag, then what the handler
        does, its name without the tag's own word (``me`` alone becomes ``me_get``)."""
        tag = (operation.tags or ["api"])[0]
        own = {tag, tag.removesuffix("s")}
        words = [word for word in operation.view_func.__name__.split("_") if word not in own]
        return "_".join([tag, *(words or [next(iter(operation.methods)).lower()])])


api = RapportAPI(
    title="Rapport API",
    version="1",
    description=(
        "Cases, messages and customers. Authenticate with `Authorization: Bearer rpt_…` or, from the "
        "pages, the session cookie plus the CSRF token. Lists are cursor-paginated: pass `next_cursor` "
        "back as `cursor`."
    ),
    auth=AUTH,
    parser=RapportParser(),
)
api.add_router("/me", accounts_api.router)
api.add_router("/users", accounts_api.users_router)
api.add_router("/teams", accounts_api.teams_router)
api.add_router("/cases", cases_api.router)
api.add_router("/customers", customers_api.router)
api.add_router("/search", cases_api.search_router)
api.add_router("/attachments", cases_api.attachments_router)
api.add_router("/language", cases_api.language_router)
api.add_router("/mail", mail_api.router)
api.add_router("/sla", sla_api.router)
api.add_router("/complaints", complaints_api.router)
api.add_router("/privacy", privacy_api.router)
api.add_router("/feedback", feedback_api.router)
api.add_router("/learning", learning_api.router)
api.add_router("/cases", time_api.case_router)
api.add_router("/time", time_api.router)
api.add_router("/macros", macros_api.router)
api.add_router("/cases", macros_api.case_router)
api.add_router("/workforce", workforce_api.router)
api.add_router("/plans", plans_api.router)
api.add_router("/coaching", coaching_api.router)
api.add_router("/outreach", outreach_api.router)
api.add_router("/improvement", improvement_api.router)
api.add_router("/quality", quality_api.router)
api.add_router("/saved-views", web_api.router)
api.add_router("/exports", web_api.exports_router)
api.add_router("/notifications", notifications_api.router)
api.add_router("/kb", knowledge_api.router)
api.add_router("/webhooks", webhooks_api.router)
api.add_router("/routing", routing_api.router)
api.add_router("/automation", automation_api.router)
api.add_router("/chats", chat_api.router)
api.add_router("/chat", chat_api.availability_router)


def _respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


# --- errors the services raise (rapport.platform.errors) ------------------------------------------------------


@api.exception_handler(FieldError)
def field_error(request: HttpRequest, exc: FieldError) -> HttpResponse:
    detail = TOO_LARGE if isinstance(exc, TooLarge) else CHECK_FIELDS
    return _respond(request, exc.status, error_body(detail, exc.errors))


@api.exception_handler(NotFound)
def not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _respond(request, 404, error_body(exc.message))


@api.exception_handler(Forbidden)
def forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
    return _respond(request, 403, error_body(exc.message))


@api.exception_handler(Conflict)
def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    body = error_body(exc.message, {"version": [exc.message]})
    if isinstance(exc.current, Case):
        current = CaseOut.model_validate(exc.current, context={"request": request})
        body["current"] = current.model_dump(mode="json")
    elif isinstance(exc.current, dict):  # a capability's row, already shaped by its router (a time entry, an article)
        body["current"] = exc.current
    elif isinstance(exc.current, list) and all(isinstance(c, Case) for c in exc.current):
        # A merge: every case in it as it is now, so the client can read again and retry.
        body["current"] = [
            CaseOut.model_validate(c, context={"request": request}).model_dump(mode="json") for c in exc.current
        ]
    return _respond(request, 409, body)


@api.exception_handler(RapportError)
def rapport_error(request: HttpRequest, exc: RapportError) -> HttpResponse:
    return _respond(request, exc.status, error_body(str(exc)))


# --- errors from ninja and Django ----------------------------------------------------------------------


def _field(loc: Sequence[Any]) -> str | None:
    """The field a pydantic location names: its last name, skipping list positions, the source
    ("body", "query") and the handler's own parameter name for the whole body."""
    names = [part for part in loc[1:] if isinstance(part, str) and part != "payload"]
    return names[-1] if names else None


def _message(error: dict[str, Any], field: str | None) -> str:
    kind = error.get("type")
    if kind == "missing":
        # The pages' voice ("Enter the subject."), never Django's generic "This field is required."
        return f"Enter the {field.replace('_', ' ')}." if field else "Enter every required value."
    if kind == "extra_forbidden":
        return "This field cannot be set here."
    if kind in {"literal_error", "enum"}:
        choices = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        if choices:
            return f"Choose one of: {', '.join(choices)}."
    return str(error.get("msg", "This value is not valid."))


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str | None, list[str]] = {}
    for error in exc.errors:
        field = _field(error.get("loc", ()))
        errors.setdefault(field, []).append(_message(error, field))
    return _respond(request, 422, error_body(CHECK_FIELDS, errors))


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _respond(request, 401, error_body(exc.message if isinstance(exc, TokenRefused) else SIGN_IN))
    response["WWW-Authenticate"] = 'Bearer realm="Rapport API"'
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja wraps whatever the parser raised in "Cannot parse request body": answer the parser's own refusal.
    if isinstance(exc.__cause__, RapportError):
        return api.on_exception(request, exc.__cause__)
    detail = textinput.NOT_JSON if exc.status_code == 400 and exc.message.startswith("Cannot parse") else exc.message
    return _respond(request, exc.status_code, error_body(detail))


@api.exception_handler(MultiPartParserError)
def unreadable_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # Django reads a form on first use of request.POST or FILES, in the handler or in the CSRF check.
    problem = str(exc)
    if problem.startswith("Invalid boundary"):
        detail = NO_BOUNDARY
    elif "header size" in problem:
        detail = PART_HEADERS_TOO_LONG
    else:
        detail = FORM_UNREADABLE.format(problem=problem.rstrip("."))
    return _respond(request, 400, error_body(detail))


@api.exception_handler(Http404)
def http_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, 404, error_body(NotFound().message))


@api.exception_handler(SuspiciousOperation)
def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # Django refuses bodies over DATA_UPLOAD_MAX_MEMORY_SIZE, and forms with too many fields or files.
    if isinstance(exc, RequestDataTooBig):
        return _respond(request, 413, error_body(TOO_LARGE))
    return _respond(request, 400, error_body(str(exc) or "Bad request."))


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A bug: logged, signalled as Django does (so the test client re-raises it), answered in JSON.
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    signals.got_request_exception.send(sender=None, request=request)
    return _respond(request, 500, error_body(SERVER_ERROR))


# --- for every operation -----------------------------------------------------------------------------


def _checked_path(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Path parameters are text too: a NUL in ``/cases/%00`` is refused like one in a body."""

    @wraps(run)
    def checked(request: HttpRequest, *args: Any, **path: Any) -> HttpResponse:
        try:
            textinput.check_fields((name, value) for name, value in path.items() if isinstance(value, str))
        except FieldError as refused:
            return api.on_exception(request, refused)
        return run(request, *args, **path)

    return checked


def _private(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every answer, errors and files included, is kept by no shared cache and no browser disk."""

    @wraps(run)
    def private(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = run(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return private


api.add_decorator(_checked_path, mode="view")
api.add_decorator(_private, mode="view")


# --- unknown paths -------------------------------------------------------------------------------------

# Added last, so it only answers what no other route matched.
_unknown = Router()


@_unknown.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False)
def unknown_endpoint(request: HttpRequest, rest: str) -> HttpResponse:
    return _respond(request, 404, error_body(NO_ENDPOINT))


api.add_router("", _unknown)
