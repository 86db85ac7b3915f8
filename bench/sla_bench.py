"""How long the SLA state of 1,000,000 open cases takes, on one core (target: under 2 s).

    taskset -c 0 .venv/bin/python bench/sla_bench.py [--cases 1000000] [--seed 2026] [--repeat 3]

The state of a case's running clock at one instant is: business time used (before this run plus
this run), business time remaining, and ok / warning / breached. The engine's bulk path,
``rapport.domain.sla.clock_states_many``, evaluates every running clock of one calendar at once,
so the cases are split as the engine would split them: 80% on England office hours (Monday to
Friday 09:00-17:30), 20% on a 24/7 calendar. Each clock started (or resumed) at a seeded random
instant in the 7 days before "now" (2 March 2026), has used up to 4 business hours before that
run, a target of 4, 8, 16 or 40 business hours and a warning at 75%.

Timed (best of --repeat): the floor (one subtraction and one comparison per clock, in plain
Python), then the whole SLA state of every clock. The calendar's one-off layout is timed apart.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime

from rapport.domain.bank_holidays import bank_holidays
from rapport.domain.calendar import BusinessCalendar, to_epoch_us
from rapport.domain.sla import BREACHED, WARNING, clock_states_many

HOUR_US = 3600 * 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    now = to_epoch_us(datetime(2026, 3, 2, 10, tzinfo=UTC))
    week = 7 * 24 * HOUR_US
    office = BusinessCalendar(hours={d: [("09:00", "17:30")] for d in range(5)}, tz="Europe/London")
    always = BusinessCalendar.always_open()
    groups: list[tuple[BusinessCalendar, dict[str, list[int]]]] = []
    for calendar, share in ((office, 0.8), (always, 0.2)):
        count = int(args.cases * share)
        targets = [rng.choice((4, 8, 16, 40)) * HOUR_US for _ in range(count)]
        groups.append(
            (
                calendar,
                {
                    "running_since": [now - rng.randrange(week) for _ in range(count)],
                    "used": [rng.randrange(4 * HOUR_US) for _ in range(count)],
                    "target": targets,
                    "warn_after": [t * 75 // 100 for t in targets],
                },
            )
        )

    print(f"{args.cases:,} open cases, seed {args.seed}, one core")
    began = time.perf_counter()
    bank_holidays("england", 2026)
    for calendar, _ in groups:
        clock_states_many(calendar, running_since=[now], used=[0], target=[1], warn_after=[1], now=now)
    print(f"{'one-off: holidays and calendar layouts':<44} {time.perf_counter() - began:7.3f} s")

    def floor() -> None:
        for _, clocks in groups:
            [now - s > t for s, t in zip(clocks["running_since"], clocks["target"], strict=True)]

    def states() -> list[int]:
        codes: list[int] = []
        for calendar, clocks in groups:
            codes += clock_states_many(calendar, now=now, **clocks)[1]
        return codes

    best_floor = _best(floor, args.repeat)
    print(f"{'floor: subtract and compare per clock':<44} {best_floor:7.3f} s")
    best = _best(states, args.repeat)
    codes = states()
    print(f"{'SLA state (used, remaining, ok/warn/breach)':<44} {best:7.3f} s  {best / best_floor:4.1f}x the floor")
    breached, warned = codes.count(BREACHED), codes.count(WARNING)
    print(f"  {breached:,} breached, {warned:,} warning, {len(codes) - breached - warned:,} ok")
    print(f"  {'under' if best < 2 else 'OVER'} the 2 s budget for {args.cases:,} cases")


def _best(work: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - began)
    return best


if __name__ == "__main__":
    main()
