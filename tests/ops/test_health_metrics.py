"""``/healthz``, ``/readyz`` and ``/metrics``, the request id in logs and jobs (ADR 0032)."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.test import Client
from prometheus_client import REGISTRY

from rapport.platform import health, logs
from rapport.platform.middleware import OpsMiddleware
from rapport.platform.storage import storage_from_url

TOKEN = "metrics-token-for-tests-only-0123456789"


def test_healthz_answers_alive_without_the_database_a_session_or_a_host_check():
    # (no django_db mark: any database access would raise)
    client = Client(HTTP_HOST="10.0.0.7")  # a load balancer probing by address: not in ALLOWED_HOSTS

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


@pytest.mark.django_db
def test_readyz_checks_the_database_cache_storage_migrations_and_queue(client):
    response = client.get("/readyz")

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ready"
    assert body["checks"] == {name: "ok" for name in ("database", "cache", "storage", "migrations", "queue")}
    assert set(body["queue"]) == {"depth", "oldest_job_age_seconds"}
    assert not response.cookies


@pytest.mark.django_db
def test_readyz_is_not_ready_when_the_store_cannot_be_reached_and_says_only_what_failed(
    client, settings, s3_endpoint, monkeypatch
):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "rapport-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "rapport-test-secret")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_url(f"s3://no-such-bucket?endpoint={s3_endpoint}&region=eu-west-2"),
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["storage"] == "failed: ClientError"  # the kind of failure, no host or key
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_is_not_ready_while_migrations_are_missing(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: ["platform.9999_to_come"])

    body = client.get("/readyz").json()

    assert body["checks"]["migrations"] == "failed: migrations not applied"


def _scrape(**extra) -> tuple[int, str]:
    response = Client(**extra).get("/metrics")
    return response.status_code, response.content.decode()


@pytest.mark.django_db
def test_metrics_are_never_public(settings):
    settings.RAPPORT_METRICS_ALLOW = ()
    settings.RAPPORT_METRICS_TOKEN = TOKEN

    assert _scrape()[0] == 404
    assert _scrape(HTTP_AUTHORIZATION="Bearer wrong")[0] == 404
    assert _scrape(HTTP_AUTHORIZATION=f"Basic {TOKEN}")[0] == 404

    settings.RAPPORT_METRICS_TOKEN = ""
    assert _scrape(HTTP_AUTHORIZATION="Bearer ")[0] == 404


@pytest.mark.django_db
def test_metrics_are_read_with_the_token_or_from_an_allowed_address(settings):
    import ipaddress

    settings.RAPPORT_METRICS_TOKEN = TOKEN
    settings.RAPPORT_METRICS_ALLOW = (ipaddress.ip_network("10.1.0.0/16"),)

    assert _scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")[0] == 200
    assert _scrape(REMOTE_ADDR="10.1.2.3")[0] == 200
    assert _scrape(REMOTE_ADDR="10.2.2.3")[0] == 404


def _sample(name: str, labels: dict[str, str]) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.django_db
def test_requests_are_counted_by_view_and_status_with_latency_and_database_time(settings, agent, case):
    settings.RAPPORT_METRICS_TOKEN = TOKEN
    view = "cases/<str:reference>/"
    before = _sample("rapport_requests_total", {"view": view, "method": "GET", "status": "200"})
    timed_before = _sample("rapport_request_seconds_count", {"view": view})
    db_before = _sample("rapport_database_seconds_total", {"view": view})
    desk = Client()
    desk.force_login(agent)

    assert desk.get(f"/cases/{case.reference}/").status_code == 200
    assert desk.get("/no-such-page/").status_code == 404

    assert _sample("rapport_requests_total", {"view": view, "method": "GET", "status": "200"}) == before + 1
    assert _sample("rapport_request_seconds_count", {"view": view}) == timed_before + 1
    assert _sample("rapport_database_seconds_total", {"view": view}) > db_before
    status, text = _scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert status == 200
    assert 'rapport_requests_total{method="GET",status="404",view="unmatched"}' in text
    for gauge in ("rapport_queue_depth", "rapport_queue_oldest_job_age_seconds", "rapport_outbox_backlog"):
        assert re.search(rf"^{gauge} \d", text, re.M), gauge
    assert case.reference not in text  # labels are URL patterns, never paths


def test_the_request_id_is_taken_from_the_proxy_when_usable_and_sent_back(rf):
    seen = []

    def view(request):
        seen.append(logs.request_id.get())
        from django.http import HttpResponse

        return HttpResponse("ok")

    middleware = OpsMiddleware(view)

    kept = middleware(rf.get("/x", HTTP_X_REQUEST_ID="nginx-4f2a9c"))
    made = middleware(rf.get("/x", HTTP_X_REQUEST_ID="bad id\nwith a line break"))

    assert kept["X-Request-ID"] == "nginx-4f2a9c"
    assert re.fullmatch(r"[0-9a-f]{16}", made["X-Request-ID"])
    assert seen == ["nginx-4f2a9c", made["X-Request-ID"]]
    assert logs.request_id.get() == ""  # nothing leaks to the next request


def test_log_lines_are_json_with_the_request_id():
    record = logging.LogRecord("rapport.test", logging.WARNING, __file__, 1, "sent %s", ("reply",), None)
    record.case_count = 3
    token = logs.request_id.set("abc123")
    try:
        logs.RequestIdFilter().filter(record)
        line = logs.JsonFormatter().format(record)
    finally:
        logs.request_id.reset(token)

    entry = json.loads(line)
    assert entry["message"] == "sent reply"
    assert entry["request_id"] == "abc123"
    assert entry["level"] == "WARNING"
    assert entry["case_count"] == 3
    assert entry["time"].endswith("+00:00")
