"""CPU that the operations middleware adds to a request (request id, counts, latency histogram,
database time), measured directly: the same trivial view, with and without the middleware.

    .venv/bin/python bench/ops_overhead.py [REQUESTS] [QUERIES]

The view runs QUERIES (default 30, about a case page's) ``SELECT 1`` on a SQLite database in
memory, so the per-query cost of timing database calls is in the figure. Prints the CPU per request
both ways and the difference (budget: 0.2 ms).
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
os.environ.setdefault("RAPPORT_ENV", "production")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
import django

django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.urls import resolve  # noqa: E402

from rapport.platform.middleware import OpsMiddleware  # noqa: E402


def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    queries = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    factory = RequestFactory()
    match = resolve("/cases/C-000001/")

    def view(request):
        request.resolver_match = match
        with connection.cursor() as cursor:
            for _ in range(queries):
                cursor.execute("SELECT 1")
                cursor.fetchone()
        return HttpResponse("ok")

    wrapped = OpsMiddleware(view)
    request = factory.get("/cases/C-000001/")
    for handler in (view, wrapped):  # warm up both, and the connection
        for _ in range(200):
            handler(request)

    def cpu(handler) -> float:
        best = float("inf")
        for _ in range(5):  # the best of five rounds: the least disturbed by a shared machine
            started = time.process_time()
            for _ in range(requests // 5):
                handler(request)
            best = min(best, (time.process_time() - started) / (requests // 5))
        return best * 1000

    bare, timed = cpu(view), cpu(wrapped)
    print(
        f"{requests} requests, {queries} queries each: without {bare:.4f} ms, with {timed:.4f} ms, "
        f"added {timed - bare:.4f} ms CPU a request"
    )


if __name__ == "__main__":
    main()
