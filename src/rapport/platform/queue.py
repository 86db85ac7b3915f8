"""The job queue (Huey), with what operations need to see into it (ADR 0032).

- Each queued task is stored in an envelope with the time it was queued and the id of the request
  (or job) that queued it: ``/readyz`` and ``/metrics`` report the age of the oldest waiting job,
  and a job logs under the request id that asked for it (``rapport.platform.logs``). Tasks queued
  before the envelope existed are read as they are.
- A job that raises counts in ``rapport_job_failures_total`` by task name.
- Huey's SQLite queue overwrites what a task carried once it has run: with ``secure_delete`` the
  row's bytes are zeroed when it is deleted, so nothing a task once carried lingers in the queue's
  file (an erasure must leave no copy behind: UK GDPR Art 17).
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from typing import Any

from huey import RedisHuey, SqliteHuey
from huey import signals as huey_signals
from huey.storage import SqliteStorage

from rapport.platform import logs

ENVELOPE = "rapport.job/1"


class EnvelopedHuey:
    """Mixed into a Huey class: tasks travel in an envelope (queued-at, request id)."""

    def serialize_task(self, task: Any) -> bytes:
        message = self._registry.create_message(task)  # type: ignore[attr-defined]
        sent = logs.request_id.get() or getattr(task, "request_id", "")
        return self.serializer.serialize((ENVELOPE, message, time.time(), sent))  # type: ignore[attr-defined,no-any-return]

    def deserialize_task(self, data: bytes) -> Any:
        loaded = self.serializer.deserialize(data)  # type: ignore[attr-defined]
        if isinstance(loaded, tuple) and len(loaded) == 4 and loaded[0] == ENVELOPE:
            _, message, queued_at, sent = loaded
            task = self._registry.create_task(message)  # type: ignore[attr-defined]
            task.queued_at, task.request_id = queued_at, sent
            return task
        return self._registry.create_task(loaded)  # type: ignore[attr-defined]

    def execute(self, task: Any, timestamp: Any = None) -> Any:
        token = logs.request_id.set(getattr(task, "request_id", "") or logs.new_request_id())
        try:
            return super().execute(task, timestamp)  # type: ignore[misc]
        finally:
            logs.request_id.reset(token)

    def _emit(self, signal: str, task: Any, *args: Any, **kwargs: Any) -> None:
        if signal == huey_signals.SIGNAL_ERROR:
            from rapport.platform import metrics

            metrics.JOB_FAILURES.labels(task.name).inc()
        super()._emit(signal, task, *args, **kwargs)  # type: ignore[misc]

    def oldest_queued_at(self) -> datetime | None:
        """When the job next in line was queued (None for an empty queue, or one queued before
        the envelope)."""
        for data in self.storage.enqueued_items(limit=1):  # type: ignore[attr-defined]
            task = self.deserialize_task(data)
            queued_at = getattr(task, "queued_at", None)
            return datetime.fromtimestamp(queued_at, UTC) if queued_at else None
        return None


class SecureSqliteStorage(SqliteStorage):  # type: ignore[misc]
    def _create_connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = super()._create_connection()
        conn.execute("PRAGMA secure_delete=ON")
        return conn


class SecureSqliteHuey(EnvelopedHuey, SqliteHuey):  # type: ignore[misc]
    storage_class = SecureSqliteStorage


class RapportRedisHuey(EnvelopedHuey, RedisHuey):  # type: ignore[misc]
    """Huey on Redis (``REDIS_URL``), with the envelope."""
