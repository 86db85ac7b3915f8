"""How long the practice marker takes per answer, on the hand-labelled answers and on long ones.

    .venv/bin/python bench/learning_marker.py

The target is under 200 ms an answer on one CPU core; it prints the median and worst times over the
hand-labelled answers, the frozen scenario answers and one 20,000-character answer per unit. The
first call in a process also loads the lemmatiser's English dictionary (once per worker); it is
timed and printed apart. Needs the study-unit documents (RAPPORT_SEEDS_DIR or ../shared/seeds).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.learning.seeds import LABELLED, SEED_FILES, seed_file  # noqa: E402

from rapport.domain.curriculum import parse_unit  # noqa: E402
from rapport.domain.marking import Point, mark  # noqa: E402


def main() -> int:
    if not SEED_FILES:
        print("the study-unit documents are not available; set RAPPORT_SEEDS_DIR")
        return 1
    by_unit: dict[str, list[str]] = {}
    scenario_answers = ROOT / "tests" / "learning" / "scenario_answers"
    for path in [*sorted(LABELLED.glob("*.json")), *sorted(scenario_answers.glob("*.json"))]:
        labelled = json.loads(path.read_text(encoding="utf-8"))
        for answer in labelled["answers"]:
            by_unit.setdefault(answer.get("unit") or labelled["unit"], []).append(answer["text"])
    start = time.perf_counter()
    mark("A first answer loads the dictionary.", [Point(1, "Award credit for a warm start.")])
    first = time.perf_counter() - start
    timings = []
    for code, answers in sorted(by_unit.items()):
        unit = parse_unit(seed_file(code).read_text(encoding="utf-8"))
        points = [Point(n, t) for n, t in enumerate(unit.marking_points, start=1)]
        mistakes = [Point(n, t) for n, t in enumerate(unit.misconceptions, start=1)]
        concepts = [f"{c.name}: {c.text}" for c in unit.concepts]
        answers.append(" ".join(answers * 4)[:20_000])  # the longest answer the desk accepts
        for text in answers:
            start = time.perf_counter()
            mark(text, points, mistakes, concepts=concepts)
            timings.append(time.perf_counter() - start)
    print(f"first call (loads the lemmatiser's dictionary): {first * 1000:.0f} ms")
    print(
        f"{len(timings)} answers: median {statistics.median(timings) * 1000:.2f} ms, "
        f"worst {max(timings) * 1000:.2f} ms (target < 200 ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
