"""The frozen labelled set for the language assistant is well formed (issue #20).

This checks the set alone — it never runs a checker — so that the yardstick can be trusted before
anything is tuned against it. See tests/domain/language_set/README.md for the labelling rules.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

SET_DIR = Path(__file__).parent / "language_set"
CODES = frozenset({"negative_phrasing", "blame", "jargon", "no_ownership", "no_next_step", "no_empathy"})
SECTORS = frozenset({"retail", "utilities", "council", "telecoms", "insurance", "travel"})
# Minimum replies per code, and clean replies, in each part (the brief for the set).
MIN_PER_CODE = {"tuning": 25, "heldout": 8}
MIN_ITEMS = {"tuning": 175, "heldout": 55}


def load(part: str) -> list[dict]:
    return json.loads((SET_DIR / f"{part}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=["tuning", "heldout"])
def part(request):
    return request.param, load(request.param)


def test_items_have_the_documented_shape(part):
    _, items = part
    for item in items:
        assert set(item) == {"id", "sector", "text", "complaint", "codes"}, item["id"]
        assert isinstance(item["text"], str), item["id"]
        assert item["text"].strip(), item["id"]
        assert isinstance(item["complaint"], bool), item["id"]
        assert item["sector"] in SECTORS, item["id"]
        assert isinstance(item["codes"], dict), item["id"]


def test_ids_are_unique_across_both_parts():
    ids = [item["id"] for part in ("tuning", "heldout") for item in load(part)]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates


def test_texts_are_not_repeated_across_parts():
    texts = [item["text"] for part in ("tuning", "heldout") for item in load(part)]
    assert len(texts) == len(set(texts))


def test_codes_are_known_and_every_phrase_occurs_in_its_text(part):
    _, items = part
    for item in items:
        for code, findings in item["codes"].items():
            assert code in CODES, (item["id"], code)
            assert findings, (item["id"], code)
            for finding in findings:
                assert isinstance(finding, list), (item["id"], code)
                assert finding, (item["id"], code)
                for phrase in finding:
                    assert phrase, (item["id"], code)
                    assert phrase == phrase.strip(), (item["id"], phrase)
                    assert phrase in item["text"], (item["id"], code, phrase)


def test_no_empathy_is_labelled_only_on_complaint_replies(part):
    _, items = part
    for item in items:
        if "no_empathy" in item["codes"]:
            assert item["complaint"], item["id"]


def test_counts_cover_every_code_and_enough_clean_replies(part):
    name, items = part
    assert len(items) >= MIN_ITEMS[name]
    per_code = Counter(code for item in items for code in item["codes"])
    for code in CODES:
        assert per_code[code] >= MIN_PER_CODE[name], (name, code, per_code[code])
    clean = [item for item in items if not item["codes"]]
    assert len(clean) >= {"tuning": 50, "heldout": 20}[name]
    # Clean complaint replies prove that a good complaint reply draws no finding.
    assert sum(item["complaint"] for item in clean) >= 5


def test_the_set_as_a_whole_meets_the_brief():
    items = load("tuning") + load("heldout")
    assert len(items) >= 240
    assert sum(1 for item in items if not item["codes"]) >= 70
    lengths = [len(item["text"]) for item in items]
    assert min(lengths) < 80
    assert max(lengths) > 1200
    assert {item["sector"] for item in items} == SECTORS


def test_tricky_clean_cases_are_present():
    clean_texts = " ".join(item["text"] for part in ("tuning", "heldout") for item in load(part) if not item["codes"])
    for phrase in (
        "I can't wait to help",
        "you'll have the refund by Friday",
        "we can't see any reason to refuse your refund, so I have approved it",
        "BSL",
        "Consumer Rights Act",
        '"the delivery driver was rude',
    ):
        assert phrase in clean_texts, phrase
