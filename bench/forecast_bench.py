"""How long the demand forecast takes over the seeded history (goal: under 10 s at 1,000,000 cases).

    RAPPORT_DATA_DIR=/tmp/fc-bench .venv/bin/python bench/forecast_bench.py [--cases 1000000] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forecast_bench .venv/bin/python bench/forecast_bench.py

Tops the database up to --cases with ``rapport.seeding.bulk`` (a year of arrivals shaped by
``rapport.domain.arrivals``, ending at a fixed clock), then times, for 15- and 60-minute intervals:
the history read (one GROUP BY query over the year's cases), and the whole forecast page's work
(the read, six channels' Holt-Winters fits, intraday profiles, four-origin backtests and two
weeks ahead). Each figure is the median of --repeat runs; the load average is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import UTC, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from rapport.cases.models import Case  # noqa: E402
from rapport.seeding import bulk  # noqa: E402
from rapport.workforce import selectors  # noqa: E402

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
GOAL_SECONDS = 10.0


def timed(repeat: int, work) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    have = Case.objects.count()
    if have < args.cases:
        print(f"seeding {args.cases - have:,} cases …", flush=True)
        bulk.seed(cases=args.cases - have, seed=2026, now=NOW)
    today = NOW.date()
    cases = Case.objects.filter(created_at__gte=NOW - timedelta(days=selectors.HISTORY_DAYS + 1)).count()
    total, load = Case.objects.count(), os.getloadavg()[0]
    print(f"{connection.vendor}: {total:,} cases, {cases:,} in the year's history; load {load:.2f}")
    for interval in (60, 15):
        read = timed(
            args.repeat,
            lambda i=interval: selectors.arrivals_history(
                interval=i, first_day=today - timedelta(days=selectors.HISTORY_DAYS), last_day=today - timedelta(days=1)
            ),
        )
        whole = timed(args.repeat, lambda i=interval: selectors.forecast_view(today=today, interval=i, weeks=2))
        verdict = "within" if whole < GOAL_SECONDS else "over"
        print(
            f"  {interval:>2}-minute intervals: history query {read:6.2f} s, whole forecast {whole:6.2f} s"
            f" ({verdict} the {GOAL_SECONDS:.0f} s goal for 1,000,000 cases)"
        )


if __name__ == "__main__":
    main()
