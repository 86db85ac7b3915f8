"""gunicorn settings for `rapport serve` and `rapport demo` (``--config python:rapport.gunicorn_conf``).

Threaded workers (gthread): requests mostly wait on the database, so a few processes with several
threads each serve many users in little memory. Command-line flags (``--bind``, ``--workers``)
win over these; each value can also come from the environment.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


bind = os.environ.get("RAPPORT_BIND", "127.0.0.1:8000")
# Two processes per core, at most eight: beyond that SQLite's single writer, not Python, is the limit.
workers = _int("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1), 8))
worker_class = "gthread"
threads = _int("RAPPORT_THREADS", 4)
# Seconds an idle keep-alive connection is held. A kept-alive connection stays with the process that
# accepted it, so under steady load a few busy connections can pile onto one process while another
# idles; 0 closes after each response and lets every request go to whichever process is free.
keepalive = _int("RAPPORT_KEEPALIVE", 5)
timeout = _int("RAPPORT_REQUEST_TIMEOUT", 60)  # a worker silent this long is restarted
graceful_timeout = 30
# Restart each worker now and then (with jitter, so they do not all restart at once): a slow leak
# in any library can never take the server down.
max_requests = 5000
max_requests_jitter = 500
# Behind a proxy on the same host; the proxy sets X-Forwarded-Proto (settings.SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("RAPPORT_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-" if os.environ.get("RAPPORT_ACCESS_LOG", "").lower() in {"1", "true", "yes", "on"} else None
errorlog = "-"
loglevel = os.environ.get("RAPPORT_LOG_LEVEL", "info").lower()
proc_name = "rapport"
# gunicorn 24+ opens a runtime control socket at one fixed path per user; we do not use it, and
# two servers on one host (demo and a benchmark, say) would take it from each other.
control_socket_disable = True


def post_worker_init(worker: object) -> None:
    """Move everything loaded at start-up (Django, the apps, compiled regexes) out of the garbage
    collector's view, so its full collections do not walk it again on requests."""
    import gc

    gc.freeze()
