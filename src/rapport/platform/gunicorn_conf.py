"""gunicorn settings for `rapport serve` and `rapport demo` (``--config python:rapport.platform.gunicorn_conf``).

One single-threaded process per core by default (the sync worker). A request here is CPU work in
Python with SQLite in the same process, so a second thread in a process only waits for the
interpreter's lock, and a thread holding the database's write lock waits with it. At 1M cases on
two cores with eight concurrent clients, two processes of four threads served 60 queue pages,
133 case pages and 132 new cases a second (p99 201, 113 and 79 ms); two processes of one thread
served 168, 146 and 325 (p99 68, 73 and 42 ms). More processes than cores only take turns on them
(four: 138, 117 and 242 a second). ``RAPPORT_THREADS`` above 1 switches to
threaded workers (gthread), for deployments whose requests wait on a remote database.

The sync worker reads each request whole before serving it, so it belongs behind a buffering
proxy (nginx, Caddy) when clients are on the internet. Command-line flags (``--bind``,
``--workers``) win over these; each value can also come from the environment.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


bind = os.environ.get("RAPPORT_BIND", "127.0.0.1:8000")


def _cores() -> int:
    """The cores this process may run on (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# At least two, so one slow request never stops the desk; at most eight, where SQLite's one writer
# is the limit long before the cores are.
workers = _int("WEB_CONCURRENCY", min(max(_cores(), 2), 8))
threads = _int("RAPPORT_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
# Seconds an idle keep-alive connection is held (threaded workers only: the sync worker closes each
# connection after its response, so every request goes to whichever process is free).
keepalive = _int("RAPPORT_KEEPALIVE", 5)
# A worker silent this long is restarted; a sync worker is silent while it serves a request, so
# this is also the longest a request may take.
timeout = _int("RAPPORT_REQUEST_TIMEOUT", 60)
graceful_timeout = 30
# Restart each worker now and then (with jitter, so they do not all restart at once): a slow leak
# in any library can never take the server down.
max_requests = 5000
max_requests_jitter = 500
# Load the application once in the master and fork the workers from it, with every template compiled
# (``when_ready``): a worker that starts, or restarts after max_requests, serves its first request
# as fast as its thousandth, and the workers share the loaded code's memory.
preload_app = True
# Behind a proxy on the same host; the proxy sets X-Forwarded-Proto (settings.SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("RAPPORT_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-" if os.environ.get("RAPPORT_ACCESS_LOG", "").lower() in {"1", "true", "yes", "on"} else None
errorlog = "-"
loglevel = os.environ.get("RAPPORT_LOG_LEVEL", "info").lower()
proc_name = "rapport"
# gunicorn 24+ opens a runtime control socket at one fixed path per user; we do not use it, and
# two servers on one host (demo and a benchmark, say) would take it from each other.
control_socket_disable = True


def when_ready(server: object) -> None:
    """In the master, before the first fork: compile every template and the URL patterns, then
    close any database connection that loading opened (a forked child must open its own)."""
    from django.db import connections

    warm_templates()
    connections.close_all()


def warm_templates() -> int:
    """Compile every template the project's engines can find; returns how many."""
    import logging
    from pathlib import Path

    from django.template import engines
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - populating the resolver is the point
    compiled = 0
    for engine in engines.all():
        for directory in engine.template_dirs:
            for path in Path(directory).rglob("*"):
                if not path.is_file() or path.suffix not in {".html", ".txt", ".xml"}:
                    continue
                try:
                    engine.get_template(path.relative_to(directory).as_posix())
                except Exception:
                    # its page will say so when it is asked for; the server starts all the same
                    logging.getLogger(__name__).debug("template %s not compiled", path, exc_info=True)
                    continue
                compiled += 1
    return compiled


def post_worker_init(worker: object) -> None:
    """Move everything loaded at start-up (Django, the apps, compiled regexes) out of the garbage
    collector's view, so its full collections do not walk it again on requests; on SQLite, move
    WAL checkpoints off the request path."""
    import gc

    from django.conf import settings

    checkpoint_off_requests(settings.DATABASES["default"])
    gc.freeze()


def checkpoint_off_requests(database: dict[str, object]) -> bool:
    """Start this process's background checkpointer for a SQLite file (``rapport.platform.dbbackends.sqlite``)."""
    from rapport.platform.dbbackends.sqlite import base

    if database["ENGINE"] != "rapport.platform.dbbackends.sqlite":
        return False
    return base.checkpoint_in_background(str(database["NAME"]))  # a file database only (it checks)
