"""How long the staff pulse's results take to decide and summarise, on one core (no database).

    taskset -c 0 .venv/bin/python bench/coaching_pulse.py [--answers 100000] [--teams 500] [--seed 20]

Answers are spread over teams of very different sizes (seeded, so every run times the same data):
many teams below five, so secondary suppression has work to do. Timed, best of three:
  * disclosure.disclosed over the team counts (primary and secondary suppression);
  * coaching.summarise for every shown team and the whole service (eNPS with its interval, agreement).
"""

from __future__ import annotations

import argparse
import random
import time

from rapport.domain import coaching, disclosure


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    weights = [rng.paretovariate(1.2) for _ in range(args.teams)]
    teams = rng.choices(range(args.teams), weights=weights, k=args.answers)
    answers: dict[int, list[tuple[int, int, int, int]]] = {}
    for team in teams:
        answers.setdefault(team, []).append(
            (rng.randint(0, 10), rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5))
        )
    counts = {str(t): len(answers.get(t, [])) for t in range(args.teams)}

    def run() -> tuple[int, int]:
        decided = disclosure.disclosed(counts)
        shown = 0
        groups = [answers[int(k)] for k in decided.shown] + [[a for v in answers.values() for a in v]]
        for group in groups:
            coaching.summarise(
                [a[0] for a in group],
                {"tools": [a[1] for a in group], "training": [a[2] for a in group], "workload": [a[3] for a in group]},
            )
            shown += 1
        return shown, len(decided.suppressed)

    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        shown, hidden = run()
        best = min(best, time.perf_counter() - started)
    print(
        f"{args.answers:,} answers in {args.teams} teams: {shown - 1} teams shown, {hidden} hidden; "
        f"decided and summarised in {best * 1000:.1f} ms (best of 3)"
    )


if __name__ == "__main__":
    main()
