"""``/healthz`` (the process is alive) and ``/readyz`` (it can serve: database, cache, file store,
job queue and migrations), for load balancers, systemd and orchestrators (ADR 0032).

Both are cheap and carry no personal data: names of checks, ``ok`` or the kind of failure (an
exception's class name, never its message, which may name a host or a person), the queue's depth
and the age of its oldest job. Neither touches the session or the signed-in user: the middleware
answers them before any other middleware runs (``rapport.platform.middleware``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from rapport.platform import storage

# Jobs older than this in the queue make the desk "not ready": the workers are not keeping up.
QUEUE_AGE_LIMIT = 15 * 60.0


@dataclass
class Readiness:
    checks: dict[str, str] = field(default_factory=dict)
    queue: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ready(self) -> bool:
        return all(result == "ok" for result in self.checks.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "status": "ready" if self.ready else "not ready",
            "checks": self.checks,
            "queue": self.queue,
            "seconds": round(self.seconds, 4),
        }


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = "rapport:readyz"
    cache.set(key, "1", 30)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")


def _storage() -> None:
    storage.check(default_storage)


_migrated = False  # once every migration is applied it stays so for this process's life


def _migrations() -> None:
    global _migrated
    if _migrated:
        return
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("migrations not applied")
    _migrated = True


def _queue(result: Readiness) -> None:
    from huey.contrib.djhuey import HUEY

    result.queue["depth"] = float(HUEY.pending_count())
    oldest = HUEY.oldest_queued_at() if hasattr(HUEY, "oldest_queued_at") else None
    age = max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0
    result.queue["oldest_job_age_seconds"] = round(age, 1)
    if age > QUEUE_AGE_LIMIT:
        raise RuntimeError("the oldest job has waited too long")


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
    "migrations": _migrations,
}


def readiness() -> Readiness:
    started = time.perf_counter()
    result = Readiness()
    for name, check in CHECKS.items():
        result.checks[name] = _run(check)
    result.checks["queue"] = _run(lambda: _queue(result))
    result.seconds = time.perf_counter() - started
    return result


def _run(check: Callable[[], None]) -> str:
    try:
        check()
    except RuntimeError as failed:
        return f"failed: {failed}"
    except Exception as failed:
        return f"failed: {type(failed).__name__}"
    return "ok"
