"""The practice marker against the frozen scenario answers (issue #20, "A marker that cannot be
gamed"; tests/learning/scenario_answers/README.md).

The marker was tuned on ``tuning.json`` only; ``heldout.json`` is run here and nowhere else, and
only its aggregate figures are printed. For each part this prints per-point precision and recall
(one decision per answer and marking point), the same for misconceptions, and the Spearman rank
correlation between the marker's totals (points credited) and the examiner's grades. It asserts
that every keyword-salad and off-topic answer scores below every genuine partial answer, and
floors at the figures the marker reached when they were set (run with ``-s`` to see them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from rapport.domain.curriculum import parse_unit
from rapport.domain.marking import Point, mark
from tests.learning.seeds import needs_seeds, seed_file

SET_DIR = Path(__file__).parent / "scenario_answers"

# part: (points precision, points recall, misconceptions precision, misconceptions recall, Spearman)
FLOORS = {
    "tuning": (0.80, 0.76, 0.93, 0.96, 0.84),
    "heldout": (0.74, 0.88, 0.77, 0.35, 0.86),
}


@dataclass(frozen=True)
class Figures:
    points: tuple[int, int, int]  # true positives, false positives, false negatives
    misconceptions: tuple[int, int, int]
    spearman: float
    totals: dict[str, list[int]]  # the marker's totals by kind of answer


def ratio(tp: int, other: int) -> float:
    return tp / (tp + other) if tp + other else 0.0


def ranks(values: list[float]) -> list[float]:
    """1-based ranks, ties given their average rank (as Spearman's rho requires)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            result[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return result


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rank correlation: Pearson's r over the ranks, ties averaged (Spearman 1904)."""
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else 0.0


@cache
def unit(code: str) -> tuple[list[Point], list[Point], list[str]]:
    document = parse_unit(seed_file(code).read_text(encoding="utf-8"))
    return (
        [Point(n, text) for n, text in enumerate(document.marking_points, start=1)],
        [Point(n, text) for n, text in enumerate(document.misconceptions, start=1)],
        [f"{c.name}: {c.text}" for c in document.concepts],
    )


@cache
def figures(part: str) -> Figures:
    answers = json.loads((SET_DIR / f"{part}.json").read_text(encoding="utf-8"))["answers"]
    points, mistakes = [0, 0, 0], [0, 0, 0]
    marker_totals, grades = [], []
    totals: dict[str, list[int]] = {}
    for answer in answers:
        marking_points, misconceptions, concepts = unit(answer["unit"])
        result = mark(answer["text"], marking_points, misconceptions, concepts=concepts)
        for counts, got, want in (
            (points, set(result.credited), set(answer["points"])),
            (mistakes, {flag.number for flag in result.flags}, set(answer["misconceptions"])),
        ):
            counts[0] += len(got & want)
            counts[1] += len(got - want)
            counts[2] += len(want - got)
        marker_totals.append(len(result.credited))
        grades.append(answer["grade"])
        totals.setdefault(answer["kind"], []).append(len(result.credited))
    return Figures(tuple(points), tuple(mistakes), spearman(marker_totals, grades), totals)


def report(part: str, found: Figures) -> str:
    tp, fp, fn = found.points
    mtp, mfp, mfn = found.misconceptions
    return (
        f"{part}: points precision {ratio(tp, fp):.3f} recall {ratio(tp, fn):.3f} (tp={tp} fp={fp} fn={fn}); "
        f"misconceptions precision {ratio(mtp, mfp):.3f} recall {ratio(mtp, mfn):.3f} "
        f"(tp={mtp} fp={mfp} fn={mfn}); Spearman {found.spearman:.3f}; "
        f"totals by kind {dict(sorted(found.totals.items()))}"
    )


@needs_seeds
@pytest.mark.parametrize("part", ["tuning", "heldout"])
def test_keyword_salad_and_off_topic_answers_score_below_every_genuine_partial_answer(part):
    found = figures(part)
    print(report(part, found))
    gamed = found.totals["keyword_salad"] + found.totals["off_topic"]
    assert max(gamed) < min(found.totals["partial"]), report(part, found)


@needs_seeds
@pytest.mark.parametrize("part", ["tuning", "heldout"])
def test_precision_recall_and_rank_correlation_hold_their_floors(part):
    found = figures(part)
    print(report(part, found))
    point_precision, point_recall, mistake_precision, mistake_recall, rho = FLOORS[part]
    tp, fp, fn = found.points
    mtp, mfp, mfn = found.misconceptions
    assert ratio(tp, fp) >= point_precision, report(part, found)
    assert ratio(tp, fn) >= point_recall, report(part, found)
    assert ratio(mtp, mfp) >= mistake_precision, report(part, found)
    assert ratio(mtp, mfn) >= mistake_recall, report(part, found)
    assert found.spearman >= rho, report(part, found)


def test_spearman_averages_tied_ranks():
    assert ranks([3, 1, 3, 2]) == [3.5, 1.0, 3.5, 2.0]
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert spearman([1, 1, 2, 2], [1, 2, 1, 2]) == pytest.approx(0.0)
