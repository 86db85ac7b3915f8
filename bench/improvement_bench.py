"""How long the service gap analysis and an initiative's Check take over 1,000,000 cases.

    RAPPORT_DATA_DIR=/tmp/improvement-bench .venv/bin/python bench/improvement_bench.py [--cases 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/improvement_bench .venv/bin/python bench/improvement_bench.py

Tops the database up to --cases (``rapport.seeding.bulk``, spread over 365 days), then times, each
the median of --repeat runs after one warm-up:

- the gap analysis (``rapport.improvement.gaps.analyse``) for the last 28 days of the whole service
  and of one team: every provider registered (SLA by policy and team, complaint root causes, RATER,
  low CSAT/CES, data requests, repeat contacts, reopened cases, standards, suggestions);
- the Check (``services.check_run``) of an initiative whose change went live 28 days ago, measured
  by every testable KPI in the catalogue, the baseline being the 28 days before the change.

The target is under 2 s each on SQLite. The load average is printed with the figures, since the
machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from rapport.accounts.models import Role, Team, User  # noqa: E402
from rapport.cases.models import Case  # noqa: E402
from rapport.improvement import catalogue, gaps, services  # noqa: E402
from rapport.seeding.bulk import seed  # noqa: E402

EMAIL = "bench-improvement-manager@example.com"


def median_time(work: Callable[[], object], repeat: int) -> float:
    work()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    now = timezone.now()
    have = Case.objects.count()
    if have < args.cases:
        started = time.perf_counter()
        seed(cases=args.cases - have, seed=args.seed, now=now)
        print(f"seeded {args.cases - have} cases in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    manager, _ = User.objects.get_or_create(email=EMAIL, defaults={"name": "Bench manager", "role": Role.MANAGER})
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"{connection.vendor}: {Case.objects.count()} cases (load {load})")

    whole = gaps.gap_scope("service", "", now - timedelta(days=28), now)
    found = gaps.analyse(whole)
    took = median_time(lambda: gaps.analyse(whole), args.repeat)
    print(
        f"gap analysis, whole service, last 28 days: {took * 1000:.0f} ms ({len(found)} gaps; median of {args.repeat})"
    )
    team = Team.objects.order_by("id").first()
    if team is not None:
        one = gaps.gap_scope("team", str(team.pk), now - timedelta(days=28), now)
        took = median_time(lambda: gaps.analyse(one), args.repeat)
        print(f"gap analysis, one team, last 28 days: {took * 1000:.0f} ms (median of {args.repeat})")

    kpis = [entry.name for entry in catalogue.catalogue() if entry.testable]
    with transaction.atomic():
        initiative = services.initiative_create(
            actor=manager,
            now=now,
            fields={"title": "Bench", "problem": "Bench", "check_on": now.date()},
        )
        services.stage_move(actor=manager, initiative=initiative, now=now, change_at=now - timedelta(days=28))
        for name in kpis:
            services.kpi_add(actor=manager, initiative=initiative, now=now, kpi=name, target=50)
        results = services.check_run(initiative=initiative, now=now)
        took = median_time(lambda: services.check_run(initiative=initiative, now=now), args.repeat)
        transaction.set_rollback(True)
    print(
        f"Check of {len(kpis)} KPIs ({', '.join(kpis)}), 28 days either side: "
        f"{took * 1000:.0f} ms (median of {args.repeat})"
    )
    for result in results:
        print(
            f"  {result.kpi.kpi}: {result.verdict.value} "
            f"({result.change.before_n} before, {result.change.after_n} after)"
        )


if __name__ == "__main__":
    main()
