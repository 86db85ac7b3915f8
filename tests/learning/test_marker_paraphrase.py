"""The marker on the study units' own points and misconceptions: a misconception restated in other
words is flagged, the same claim denied is not, and key words glued together with verbs and the
scenario's names earn nothing (issue #20, "A marker that cannot be gamed").

These sentences were written by the marker's author to pin the rules down; they are not an
evaluation (the frozen scenario answers are: test_scenario_marking.py).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from rapport.domain.curriculum import parse_unit
from rapport.domain.marking import Marking, Point, mark
from tests.learning.seeds import needs_seeds, seed_file

SENTENCES = json.loads((Path(__file__).parent / "marker_sentences.json").read_text(encoding="utf-8"))
RESTATED = [(row["unit"], row["misconception"], row["text"]) for row in SENTENCES["restated"]]
DENIED = [(row["unit"], row["misconception"], row["text"]) for row in SENTENCES["denied"]]
GLUED_SALADS = [(row["unit"], row["text"]) for row in SENTENCES["glued_salads"]]


@cache
def marked(code: str, text: str) -> Marking:
    document = parse_unit(seed_file(code).read_text(encoding="utf-8"))
    return mark(
        text,
        [Point(n, t) for n, t in enumerate(document.marking_points, start=1)],
        [Point(n, t) for n, t in enumerate(document.misconceptions, start=1)],
        concepts=[f"{c.name}: {c.text}" for c in document.concepts],
    )


@needs_seeds
@pytest.mark.parametrize(("code", "number", "text"), RESTATED)
def test_a_misconception_restated_in_other_words_is_flagged_quoting_the_sentence(code, number, text):
    flags = {flag.number: flag for flag in marked(code, text).flags}
    assert number in flags
    assert flags[number].quote in text


@needs_seeds
@pytest.mark.parametrize(("code", "number", "text"), DENIED)
def test_a_sentence_denying_a_misconception_is_not_flagged(code, number, text):
    assert number not in {flag.number for flag in marked(code, text).flags}


@needs_seeds
@pytest.mark.parametrize(("code", "text"), GLUED_SALADS)
def test_key_words_glued_with_verbs_and_the_scenario_names_earn_nothing(code, text):
    assert marked(code, text).credited == set()
