"""How long a week of Erlang C staffing takes: 10 queues x 672 fifteen-minute intervals (goal: under 100 ms).

    taskset -c 0 .venv/bin/python bench/staffing_bench.py [--queues 10] [--seed 2026] [--repeat 5]

Each queue has its own average handling time (3 to 12 minutes) and volume (a peak of 20 to 400
contacts an interval); each interval's demand follows a working-day shape (nothing overnight, a
morning peak, a lunchtime dip) with seeded noise. For every interval ``required_staff`` finds the
fewest agents for 80% answered within 20 seconds with occupancy at most 90% and 30% shrinkage:
what the staffing heat-map computes for a week. Best of --repeat, on one core.
"""

from __future__ import annotations

import argparse
import math
import random
import time

from rapport.domain.staffing import required_staff

INTERVALS = 7 * 24 * 4


def demand(rng: random.Random, peak: float) -> list[float]:
    """Contacts per 15 minutes over a week: open 08:00-20:00 on weekdays, 09:00-17:00 at weekends."""
    week = []
    for interval in range(INTERVALS):
        day, hour = divmod(interval / 4, 24)
        opens, closes = (8, 20) if day < 5 else (9, 17)
        if not opens <= hour < closes:
            week.append(0.0)
            continue
        shape = 0.55 + 0.45 * math.sin(math.pi * (hour - opens) / (closes - opens)) - (0.15 if 12 <= hour < 13 else 0)
        week.append(max(0.0, peak * shape * (0.5 if day >= 5 else 1.0) * rng.uniform(0.85, 1.15)))
    return week


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queues", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    queues = [(demand(rng, rng.uniform(20, 400)), rng.uniform(180, 720)) for _ in range(args.queues)]

    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        staffed = [
            [
                required_staff(
                    calls=calls,
                    interval_minutes=15,
                    aht_seconds=aht,
                    target_answer_seconds=20,
                    sl_target=0.8,
                    max_occupancy=0.9,
                    shrinkage=0.3,
                ).scheduled
                if calls
                else 0
                for calls in week
            ]
            for week, aht in queues
        ]
        timings.append(time.perf_counter() - started)
    intervals = args.queues * INTERVALS
    peak = max(max(week) for week in staffed)
    print(f"{args.queues} queues x {INTERVALS} intervals = {intervals:,} staffing calculations")
    print(f"best {min(timings) * 1000:.1f} ms, median {sorted(timings)[len(timings) // 2] * 1000:.1f} ms")
    print(f"per interval {min(timings) / intervals * 1e6:.1f} µs; busiest interval needs {peak} on the rota")


if __name__ == "__main__":
    main()
