"""The case page with collision polling: what one open case page costs, in process.

    RAPPORT_DATA_DIR=/tmp/presence [DATABASE_URL=postgres://…] [REDIS_URL=redis://127.0.0.1:6379/4] \\
      python bench/presence_bench.py [--cases 20000] [--requests 300] [--pages 200]

Seeds the database up to --cases (``rapport seed``) when it holds fewer, then, signed in as a
manager (who sees every case) with production settings (DEBUG off, cached templates):

* the case page (with every registered panel: followers, latest CSAT/CES, SLA, complaints …) for
  --requests random cases: median and 99th percentile, and the queries of one view;
* the collision poll (``GET /cases/<ref>/presence/``, every 10 s per open page) for the same
  cases: median, 99th percentile and queries (its own: none; Django's session and user: two, with
  database sessions), first after the page view vouched for access, as an open page polls;
* the "I am replying" signal (``POST …/presence/``);
* what --pages open case pages cost in polls: polls per second and the share of one core.

Without REDIS_URL, production settings use the database cache, and every cache read is a query:
run it with Redis, as production does.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
os.environ.setdefault("RAPPORT_ENV", "production")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("RAPPORT_SSL_REDIRECT", "false")
os.environ.setdefault("RAPPORT_SECURE_COOKIES", "false")
import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from rapport.accounts.models import Role, User  # noqa: E402
from rapport.cases.models import Case  # noqa: E402
from rapport.cases.presence import POLL_SECONDS  # noqa: E402
from rapport.domain.references import format_reference  # noqa: E402

EMAIL = "presence-bench@example.com"


def timed(label: str, calls: list[tuple[Client, str, str]]) -> float:
    """Run each (client, method, path); print median, p99 and CPU per call; return the CPU per call
    (s: steadier than the wall clock on a shared machine)."""
    walls: list[float] = []
    cpu = time.process_time()
    for client, method, path in calls:
        began = time.perf_counter()
        response = client.post(path, {"state": "replying"}) if method == "POST" else client.get(path)
        walls.append(time.perf_counter() - began)
        if response.status_code not in (200, 204):
            raise SystemExit(f"{label}: {path} answered {response.status_code}")
    cpu = (time.process_time() - cpu) / len(calls)
    walls.sort()
    median, p99 = statistics.median(walls), walls[min(len(walls) - 1, int(len(walls) * 0.99))]
    print(f"{label:<34} median {median * 1000:7.2f} ms   p99 {p99 * 1000:7.2f} ms   cpu {cpu * 1000:6.2f} ms/call")
    return cpu


def queries(client: Client, method: str, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.post(path, {"state": "replying"}) if method == "POST" else client.get(path)
    return len(captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--pages", type=int, default=200, help="open case pages to cost in polls")
    args = parser.parse_args()

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    have = Case.objects.count()
    if have < args.cases:
        print(f"seeding {have} -> {args.cases} cases")
        rapport = os.path.join(os.path.dirname(sys.executable), "rapport")
        subprocess.run([rapport, "seed", "--cases", str(args.cases - have)], check=True)
    top = Case.objects.aggregate(n=Max("id"))["n"] or 1
    cache = "Redis" if os.environ.get("REDIS_URL") else "the database (no REDIS_URL)"
    print(f"cases: {Case.objects.count()}   cache: {cache}")

    user = User.objects.filter(email=EMAIL).first() or User.objects.create_user(
        EMAIL, None, name="Presence Bench", role=Role.MANAGER
    )
    colleague = User.objects.filter(email="colleague-" + EMAIL).first() or User.objects.create_user(
        "colleague-" + EMAIL, None, name="Megan Jones", role=Role.MANAGER
    )
    client, other = Client(), Client()
    client.force_login(user)
    other.force_login(colleague)
    rng = random.Random(1)
    ids = sorted(
        set(
            Case.objects.filter(pk__in=rng.sample(range(1, top + 1), min(top, args.requests * 2))).values_list(
                "id", flat=True
            )
        )
    )
    refs = [format_reference(i) for i in ids[: args.requests]]
    # A colleague has each case open too, so every poll has someone to show.
    for ref in refs:
        other.get(f"/cases/{ref}/")

    page = f"/cases/{refs[0]}/"
    poll = f"/cases/{refs[0]}/presence/?seen=0"
    client.get(page)
    print(f"queries: case page {queries(client, 'GET', page)}; poll, first of the page {queries(client, 'GET', poll)} "
          f"then {queries(client, 'GET', poll)}; replying signal {queries(client, 'POST', poll)} "
          "(Django's session and user included: 2)")  # fmt: skip

    timed("case page (with panels)", [(client, "GET", f"/cases/{r}/") for r in refs])
    timed("collision poll, first of each page", [(client, "GET", f"/cases/{r}/presence/?seen=0") for r in refs])
    cpu = timed("collision poll, later", [(client, "GET", f"/cases/{r}/presence/?seen=0") for r in refs])
    timed("replying signal (POST)", [(client, "POST", f"/cases/{r}/presence/") for r in refs])
    rate = args.pages / POLL_SECONDS
    print(f"{args.pages} open case pages poll {rate:.0f} times a second: {rate * cpu * 100:.1f}% of one core (CPU)")


if __name__ == "__main__":
    main()
