"""How long the business calendar takes over 1,000,000 open cases, on one core.

    taskset -c 0 .venv/bin/python bench/calendar_bench.py [--cases 1000000] [--seed 2026] [--repeat 3]

The calendar is England, Monday to Friday 09:00-17:30. Each case has a start (raised at) spread over
2025-2027 and a "now" up to 30 days later (seeded, so every run times the same data). Timed, each
over every case:
  * business_time_between(calendar, start, now) on aware datetimes, one call per case;
  * add_business_time(calendar, start, 8 hours), one call per case (the due date);
  * business_time_between_many(calendar, starts, now): the SLA engine's bulk run at one instant;
  * add_business_time_many(calendar, starts, 8 hours) in epoch microseconds.
Each figure is the best of --repeat runs, and also a multiple of the floor (one datetime
subtraction per case, "now - start", timed in the same run), so the ratios hold on a busy machine.
Building the inputs is not timed; the one-off costs (the holidays package's first load, the
calendar's layout of open spans) are timed apart.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from rapport.domain.bank_holidays import bank_holidays
from rapport.domain.calendar import (
    BusinessCalendar,
    add_business_time,
    add_business_time_many,
    business_time_between,
    business_time_between_many,
    to_epoch_us,
)

EIGHT_HOURS = timedelta(hours=8)


def _timed(label: str, cases: int, repeat: int, work: Callable[[], object], floor: float | None = None) -> float:
    """Best of ``repeat`` runs (the machine's other load only ever adds time)."""
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - began)
    ratio = f"  {best / floor:5.1f}x the floor" if floor else ""
    print(f"{label:<48} {best:7.3f} s  {best / cases * 1e6:6.3f} µs/case{ratio}")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    first = to_epoch_us(datetime(2025, 1, 1, tzinfo=UTC))
    span = to_epoch_us(datetime(2027, 12, 1, tzinfo=UTC)) - first
    month = 30 * 86_400 * 1_000_000
    starts_us = [first + rng.randrange(span) for _ in range(args.cases)]
    nows_us = [start + rng.randrange(month) for start in starts_us]
    # Aware datetimes in UTC, as the database hands them back.
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    starts = [epoch + timedelta(microseconds=us) for us in starts_us]
    nows = [epoch + timedelta(microseconds=us) for us in nows_us]
    now_us = to_epoch_us(datetime(2027, 12, 31, 12, tzinfo=UTC))

    weekdays = {day: [("09:00", "17:30")] for day in range(5)}
    calendar = BusinessCalendar(hours=weekdays, tz="Europe/London", holidays="england")
    print(f"{args.cases:,} cases, seed {args.seed}, one core")
    # The holidays package loads its UK rules on first use, once per process: shown apart.
    began = time.perf_counter()
    bank_holidays("england", 2025)
    print(f"{'holidays package, first use (once per process)':<48} {time.perf_counter() - began:7.3f} s")
    began = time.perf_counter()
    business_time_between_many(calendar, [first], now_us)
    print(f"{'layout 2025-2028 (once per calendar)':<48} {time.perf_counter() - began:7.3f} s")

    floor = _timed(
        "floor: now - start, one subtraction per case",
        args.cases,
        args.repeat,
        lambda: [now - start for start, now in zip(starts, nows, strict=True)],
    )
    _timed(
        "business_time_between, one call per case",
        args.cases,
        args.repeat,
        lambda: [business_time_between(calendar, start, now) for start, now in zip(starts, nows, strict=True)],
        floor,
    )
    _timed(
        "add_business_time 8h, one call per case",
        args.cases,
        args.repeat,
        lambda: [add_business_time(calendar, start, EIGHT_HOURS) for start in starts],
        floor,
    )
    _timed(
        "business_time_between_many (one now)",
        args.cases,
        args.repeat,
        lambda: business_time_between_many(calendar, starts_us, now_us),
        floor,
    )
    _timed(
        "add_business_time_many 8h",
        args.cases,
        args.repeat,
        lambda: add_business_time_many(calendar, starts_us, EIGHT_HOURS // timedelta(microseconds=1)),
        floor,
    )


if __name__ == "__main__":
    main()
