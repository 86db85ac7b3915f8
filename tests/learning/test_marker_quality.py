"""The marker against a hand-labelled set of practice answers (tests/learning/labelled/): each
answer lists the marking points a careful examiner would credit and the misconceptions it repeats.

The floors below are the figures the marker reached when they were set; a change that lowers
either fails here. Points are counted per (answer, marking point) pair.
"""

from __future__ import annotations

import json

import pytest

from rapport.domain.curriculum import parse_unit
from rapport.domain.marking import Point, mark
from tests.learning.seeds import LABELLED, needs_seeds, seed_file

POINT_PRECISION_FLOOR = 0.95
POINT_RECALL_FLOOR = 0.88
MISCONCEPTION_PRECISION_FLOOR = 0.83
MISCONCEPTION_RECALL_FLOOR = 0.76


def labelled_sets() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(LABELLED.glob("*.json"))]


def test_the_labelled_set_has_at_least_sixty_answers_covering_every_unit():
    sets = labelled_sets()
    assert sum(len(s["answers"]) for s in sets) >= 60
    assert sorted(s["unit"] for s in sets) == ["000", "001", "002", "003", "004"]
    assert all(len(s["answers"]) >= 10 for s in sets)


def scores() -> dict[str, tuple[int, int, int]]:
    """True positives, false positives and false negatives for points and misconceptions."""
    totals = {"points": [0, 0, 0], "misconceptions": [0, 0, 0]}
    for labelled in labelled_sets():
        unit = parse_unit(seed_file(labelled["unit"]).read_text(encoding="utf-8"))
        points = [Point(n, text) for n, text in enumerate(unit.marking_points, start=1)]
        mistakes = [Point(n, text) for n, text in enumerate(unit.misconceptions, start=1)]
        concepts = [f"{c.name}: {c.text}" for c in unit.concepts]
        for answer in labelled["answers"]:
            assert set(answer["points"]) <= {p.number for p in points}
            result = mark(answer["text"], points, mistakes, concepts=concepts)
            for kind, got, want in (
                ("points", result.credited, set(answer["points"])),
                ("misconceptions", {f.number for f in result.flags}, set(answer["misconceptions"])),
            ):
                totals[kind][0] += len(got & want)
                totals[kind][1] += len(got - want)
                totals[kind][2] += len(want - got)
    return {kind: tuple(values) for kind, values in totals.items()}  # type: ignore[misc]


@needs_seeds
@pytest.mark.parametrize(
    ("kind", "precision_floor", "recall_floor"),
    [
        ("points", POINT_PRECISION_FLOOR, POINT_RECALL_FLOOR),
        ("misconceptions", MISCONCEPTION_PRECISION_FLOOR, MISCONCEPTION_RECALL_FLOOR),
    ],
)
def test_marker_precision_and_recall_hold_against_the_labelled_set(kind, precision_floor, recall_floor):
    tp, fp, fn = scores()[kind]

    precision, recall = tp / (tp + fp), tp / (tp + fn)

    assert precision >= precision_floor, f"{kind}: precision {precision:.3f} (tp={tp}, fp={fp})"
    assert recall >= recall_floor, f"{kind}: recall {recall:.3f} (tp={tp}, fn={fn})"
