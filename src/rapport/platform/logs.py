"""Structured logs: one JSON object a line, each carrying the id of the request it belongs to, and
that id carried on into the jobs the request queued (ADR 0032).

The id comes from the proxy's ``X-Request-ID`` when it sends a usable one (so nginx's log, ours and
the job's can be joined), or is made here; it is sent back in the response's ``X-Request-ID``.
A job runs with the id of the request that queued it (``rapport.platform.queue`` stores it beside
the task), and a periodic job with one of its own.

Standard library only: ``JsonFormatter`` is named in ``LOGGING`` and a filter adds the request id
to every record, so every logger (Django's, Huey's, ours) writes the same shape.
"""

from __future__ import annotations

import json
import logging
import os
import re
from contextvars import ContextVar
from datetime import UTC, datetime

request_id: ContextVar[str] = ContextVar("rapport_request_id", default="")

_USABLE = re.compile(r"[A-Za-z0-9._-]{1,64}")


def new_request_id() -> str:
    """A fresh id: 16 hex characters (64 random bits), cheaper to make than a UUID."""
    return os.urandom(8).hex()


def usable_request_id(sent: str | None) -> str:
    """``sent`` when it is a plausible id (letters, digits, ``._-``, at most 64), else a new one:
    nothing a client sends can break a log line or grow it without bound."""
    if sent and _USABLE.fullmatch(sent):
        return sent
    return new_request_id()


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (empty outside a request or job)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


# What a LogRecord always has: everything else passed with ``extra=`` is written as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``,
    ``request_id``, the fields given with ``extra=``, and ``exception`` with the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id.get(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in _STANDARD and key[0] != "_"})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, fmt: str, level: str) -> dict[str, object]:
    """``LOGGING`` for ``fmt`` ``json`` (production's default) or ``text`` (a terminal's)."""
    formatter = (
        {"()": "rapport.platform.logs.JsonFormatter"}
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "rapport.platform.logs.RequestIdFilter"}},
        "formatters": {"rapport": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "rapport", "filters": ["request_id"]}},
        "root": {"handlers": ["console"], "level": level},
    }
