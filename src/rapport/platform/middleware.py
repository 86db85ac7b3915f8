"""The first middleware: answers ``/healthz``, ``/readyz`` and ``/metrics`` before any other runs
(no session, no user, no host check), and for every other request carries a request id, counts
the request and times it (ADR 0032).

What it adds to a page is a few microseconds: a context variable for the request id and one for
the database time, two clock reads, and a counter and a histogram bucket incremented by labels
that are the URL pattern, the method and the status.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from rapport.platform import health, logs, metrics

HEALTHZ = "/healthz"
READYZ = "/readyz"
METRICS = "/metrics"
NO_STORE = "no-store"

request_log = logging.getLogger("rapport.request")


class OpsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path == HEALTHZ:
            return _answer(JsonResponse({"status": "alive"}))
        if path == READYZ:
            result = health.readiness()
            return _answer(JsonResponse(result.as_json(), status=200 if result.ready else 503))
        if path == METRICS:
            return _metrics(request)
        rid = logs.usable_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        rid_token = logs.request_id.set(rid)
        db_total = [0.0]
        db_token = metrics.database_time.set(db_total)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            metrics.database_time.reset(db_token)
            logs.request_id.reset(rid_token)
        elapsed = time.perf_counter() - started
        match = request.resolver_match
        view = match.route if match is not None else "unmatched"
        metrics.REQUESTS.labels(view, request.method, response.status_code).inc()
        metrics.LATENCY.labels(view).observe(elapsed)
        if db_total[0]:
            metrics.DATABASE.labels(view).inc(db_total[0])
        response["X-Request-ID"] = rid
        if request_log.isEnabledFor(logging.INFO):
            request_log.info(
                "%s %s %s",
                request.method,
                view,
                response.status_code,
                extra={
                    "request_id": rid,
                    "method": request.method,
                    "view": view,
                    "status": response.status_code,
                    "ms": round(elapsed * 1000, 1),
                    "db_ms": round(db_total[0] * 1000, 1),
                },
            )
        return response


def _answer(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = NO_STORE
    return response


def _metrics(request: HttpRequest) -> HttpResponse:
    allowed = metrics.may_read(
        address=request.META.get("REMOTE_ADDR", ""),
        authorization=request.META.get("HTTP_AUTHORIZATION", ""),
        allowed=settings.RAPPORT_METRICS_ALLOW,
        token=settings.RAPPORT_METRICS_TOKEN,
    )
    if not allowed:
        # The same answer as any unknown page, so the endpoint's presence is not advertised.
        return _answer(JsonResponse({"detail": "Not found."}, status=404))
    return _answer(HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE))
