"""Prometheus metrics at ``/metrics``, for an allow-list of addresses or a bearer token, never
public (ADR 0032).

Counted as things happen (cheap: a few microseconds a request):

- ``rapport_requests_total{view,method,status}`` and ``rapport_request_seconds{view}`` (a latency
  histogram), ``view`` being the URL pattern that answered (``cases/<str:reference>/``), never the
  path, so no reference or address becomes a label;
- ``rapport_database_seconds_total{view}``: time spent in database calls while answering;
- ``rapport_job_failures_total{job}``: background jobs that raised (``rapport.platform.queue``);
- ``rapport_sla_breaches_recorded_total``: SLA breaches recorded (the SLA app counts them).

Measured when scraped: ``rapport_queue_depth``, ``rapport_queue_oldest_job_age_seconds``, and the
gauges apps register with :func:`register_gauge` (the mail outbox's backlog).

With several processes on one host (gunicorn's workers, the worker), ``PROMETHEUS_MULTIPROC_DIR``
names a folder they share (``rapport serve`` sets one and empties it as it starts): each writes its
counts there and a scrape adds them up.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

CONTENT_TYPE = CONTENT_TYPE_LATEST
log = logging.getLogger(__name__)

REQUESTS = Counter("rapport_requests", "Requests answered, by view, method and status.", ["view", "method", "status"])
LATENCY = Histogram(
    "rapport_request_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
DATABASE = Counter("rapport_database_seconds", "Time spent in database calls while answering, by view.", ["view"])
JOB_FAILURES = Counter("rapport_job_failures", "Background jobs that raised, by job.", ["job"])
SLA_BREACHES = Counter("rapport_sla_breaches_recorded", "SLA breaches recorded.")


# --- database time ---------------------------------------------------------------------------------

# The running total of the request being answered: a one-item list, so the wrapper adds to it
# without setting the variable again. None outside a request (jobs, commands).
database_time: ContextVar[list[float] | None] = ContextVar("rapport_database_time", default=None)


def time_queries(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    """A database execute wrapper (installed on each new connection): adds the call's time to
    the request's total."""
    total = database_time.get()
    if total is None:
        return execute(sql, params, many, context)
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        total[0] += time.perf_counter() - started


def install_on(connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: every connection times its calls."""
    if time_queries not in connection.execute_wrappers:
        connection.execute_wrappers.append(time_queries)


# --- gauges measured at scrape time -------------------------------------------------------------


@dataclass(frozen=True)
class Gauge:
    name: str
    documentation: str
    measure: Callable[[], float | None]


_gauges: dict[str, Gauge] = {}


def register_gauge(name: str, documentation: str, measure: Callable[[], float | None]) -> None:
    """A gauge read when ``/metrics`` is scraped (one cheap, indexed query at most; None leaves
    it out). Registering a name again replaces it."""
    _gauges[name] = Gauge(name, documentation, measure)


class ScrapeCollector(Collector):
    def describe(self) -> Iterator[Metric]:
        """Nothing: without it, registering the collector would measure every gauge at import."""
        return iter(())

    def collect(self) -> Iterator[Metric]:
        for gauge in list(_gauges.values()):
            try:
                value = gauge.measure()
            except Exception:  # one broken source leaves that gauge out, not the page
                log.warning("metrics: %s could not be measured", gauge.name, exc_info=True)
                continue
            if value is not None:
                yield GaugeMetricFamily(gauge.name, gauge.documentation, value=value)


def _queue_depth() -> float:
    from huey.contrib.djhuey import HUEY

    return float(HUEY.pending_count())


def _queue_oldest_age() -> float:
    from django.utils import timezone
    from huey.contrib.djhuey import HUEY

    oldest = HUEY.oldest_queued_at() if hasattr(HUEY, "oldest_queued_at") else None
    return max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0


register_gauge("rapport_queue_depth", "Jobs waiting in the queue.", _queue_depth)
register_gauge("rapport_queue_oldest_job_age_seconds", "Age of the job next in line (0 when none).", _queue_oldest_age)


def exposition() -> bytes:
    """The text a scrape receives."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(ScrapeCollector())
        return generate_latest(registry)
    return generate_latest(REGISTRY)


if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    REGISTRY.register(ScrapeCollector())


# --- who may read them ------------------------------------------------------------------------------


def may_read(
    *,
    address: str,
    authorization: str,
    allowed: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network],
    token: str,
) -> bool:
    """Whether a scraper at ``address`` sending ``authorization`` may read the metrics: its address
    is in ``allowed``, or it sends ``Bearer <token>`` (compared in constant time). With neither
    configured, nobody may."""
    sent = authorization[7:].strip() if authorization.startswith("Bearer ") else ""
    if token and sent and hmac.compare_digest(sent.encode(), token.encode()):
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in allowed)
