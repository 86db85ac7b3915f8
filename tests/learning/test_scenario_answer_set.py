"""The frozen labelled scenario answers for the practice-answer marker are well formed (issue #20).

This checks the set alone — it never runs the marker — so the yardstick can be trusted before the
marker is tuned. See tests/learning/scenario_answers/README.md for the labelling rules.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from rapport.domain.curriculum import parse_unit
from tests.learning.seeds import needs_seeds, seed_file

SET_DIR = Path(__file__).parent / "scenario_answers"
KINDS = frozenset({"strong", "partial", "poor", "off_topic", "keyword_salad", "misconception"})
UNITS = ("000", "001", "002", "003", "004")
MIN_ANSWERS = {"tuning": 50, "heldout": 20}
ANSWER_KEYS = {
    "id",
    "unit",
    "kind",
    "text",
    "points",
    "evidence",
    "further_evidence",
    "misconceptions",
    "misconception_evidence",
    "negated_misconceptions",
    "grade",
}


def load(part: str) -> dict:
    return json.loads((SET_DIR / f"{part}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=["tuning", "heldout"])
def part(request):
    return request.param, load(request.param)


def test_both_parts_describe_the_same_five_units():
    tuning, heldout = load("tuning")["units"], load("heldout")["units"]
    assert tuning == heldout
    assert tuple(sorted(tuning)) == UNITS
    for unit in tuning.values():
        assert unit["scenario"].strip()
        assert unit["marking_points"] >= 1
        assert unit["misconceptions"] >= 1


@needs_seeds
@pytest.mark.parametrize("unit", UNITS)
def test_units_match_the_documents_the_labels_were_written_against(unit):
    meta = load("tuning")["units"][unit]
    path = seed_file(unit)
    document = parse_unit(path.read_text(encoding="utf-8"))
    assert path.name == meta["document"]
    assert document.identity == meta["identity"]
    assert len(document.marking_points) == meta["marking_points"]
    assert len(document.misconceptions) == meta["misconceptions"]


def test_ids_and_texts_are_unique_across_both_parts():
    answers = load("tuning")["answers"] + load("heldout")["answers"]
    ids = Counter(answer["id"] for answer in answers)
    texts = Counter(answer["text"] for answer in answers)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [t[:60] for t, n in texts.items() if n > 1] == []


def test_counts_and_kinds(part):
    name, data = part
    answers = data["answers"]
    assert len(answers) >= MIN_ANSWERS[name]
    assert {answer["kind"] for answer in answers} == KINDS
    for answer in answers:
        assert set(answer) == ANSWER_KEYS, answer["id"]
        assert answer["kind"] in KINDS, answer["id"]
        assert answer["unit"] in UNITS, answer["id"]


def test_every_unit_has_at_least_fourteen_answers():
    answers = load("tuning")["answers"] + load("heldout")["answers"]
    per_unit = Counter(answer["unit"] for answer in answers)
    assert all(per_unit[unit] >= 14 for unit in UNITS), per_unit


def test_answers_are_whole_answers_of_80_to_400_words(part):
    _, data = part
    for answer in data["answers"]:
        words = len(answer["text"].split())
        assert 80 <= words <= 400, (answer["id"], words)


def test_points_and_misconceptions_are_within_range_with_quoted_evidence(part):
    _, data = part
    for answer in data["answers"]:
        unit = data["units"][answer["unit"]]
        points, misconceptions = answer["points"], answer["misconceptions"]
        assert points == sorted(set(points)), answer["id"]
        assert all(1 <= n <= unit["marking_points"] for n in points), answer["id"]
        assert all(1 <= n <= unit["misconceptions"] for n in misconceptions), answer["id"]
        assert set(answer["evidence"]) == {str(n) for n in points}, answer["id"]
        assert set(answer["further_evidence"]) <= set(answer["evidence"]), answer["id"]
        assert set(answer["misconception_evidence"]) == {str(n) for n in misconceptions}, answer["id"]
        negated = {int(n) for n in answer["negated_misconceptions"]}
        assert all(1 <= n <= unit["misconceptions"] for n in negated), answer["id"]
        assert not negated & set(misconceptions), answer["id"]
        quoted = [
            *answer["evidence"].values(),
            *(s for sentences in answer["further_evidence"].values() for s in sentences),
            *answer["misconception_evidence"].values(),
            *answer["negated_misconceptions"].values(),
        ]
        for sentence in quoted:
            assert sentence.strip(), answer["id"]
            assert sentence in answer["text"], (answer["id"], sentence[:60])


def test_labels_agree_with_the_kind(part):
    _, data = part
    for answer in data["answers"]:
        kind, points, grade = answer["kind"], answer["points"], answer["grade"]
        assert grade in range(5), answer["id"]
        if kind in {"keyword_salad", "off_topic"}:
            assert points == [], answer["id"]
            assert grade == 0, answer["id"]
        elif kind == "partial":
            assert 1 <= len(points) <= 2, answer["id"]
        elif kind == "strong":
            assert len(points) >= 3, answer["id"]
            assert grade >= 3, answer["id"]
        elif kind == "poor":
            assert len(points) <= 1, answer["id"]
        else:
            assert answer["misconceptions"], answer["id"]


def test_negated_misconceptions_are_present_in_both_parts(part):
    _, data = part
    negations = sum(len(answer["negated_misconceptions"]) for answer in data["answers"])
    assert negations >= 5
