"""How well the language assistant agrees with the frozen labelled set (issue #20).

The set (tests/domain/language_set/, written and frozen by another engineer before any tuning)
has a tuning part, the only one the rules were tuned on, and a held-out part that tuning never
looked at. Two figures per code, on both parts:

- phrase level: a finding is right when a labelled phrase of its code overlaps its span
  (precision), and a labelled phrase is found when a finding of its code overlaps it (recall);
- reply level: the reply carries the code at all, predicted against labelled.

The table is printed in every run. The floors below are the figures reached (rounded down), so a
change to the rules that makes the assistant worse fails here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from rapport.domain.language import CODES, review

SET_DIR = Path(__file__).parent / "language_set"


@dataclass
class Counts:
    predicted: int = 0
    predicted_right: int = 0
    labelled: int = 0
    labelled_found: int = 0

    @property
    def precision(self) -> float:
        return self.predicted_right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.labelled_found / self.labelled if self.labelled else 1.0


def _spans(text: str, phrases: list[str]) -> list[tuple[int, int]]:
    spans = []
    for phrase in phrases:
        start = text.find(phrase)
        while start != -1:
            spans.append((start, start + len(phrase)))
            start = text.find(phrase, start + 1)
    return spans


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def score(items: list[dict]) -> tuple[dict[str, Counts], dict[str, Counts]]:
    phrase = {code: Counts() for code in CODES}
    reply = {code: Counts() for code in CODES}
    for item in items:
        text = item["text"]
        findings = review(text, complaint=item["complaint"])
        for code in CODES:
            predicted = [(f.start, f.end) for f in findings if f.code == code]
            labelled = [_spans(text, group) for group in item["codes"].get(code, [])]
            every_label = [span for group in labelled for span in group]
            p = phrase[code]
            p.predicted += len(predicted)
            p.predicted_right += sum(_overlaps(span, every_label) for span in predicted)
            p.labelled += len(labelled)
            p.labelled_found += sum(any(_overlaps(span, predicted) for span in group) for group in labelled)
            r = reply[code]
            r.predicted += bool(predicted)
            r.labelled += bool(labelled)
            r.predicted_right += bool(predicted) and bool(labelled)
            r.labelled_found += bool(predicted) and bool(labelled)
    return phrase, reply


def _load(part: str) -> list[dict]:
    return json.loads((SET_DIR / f"{part}.json").read_text(encoding="utf-8"))


def _table(part: str, phrase: dict[str, Counts], reply: dict[str, Counts], clean: tuple[int, int]) -> str:
    lines = [f"\n{part}: code               phrase P / R (n)            reply P / R (n)"]
    for code in CODES:
        p, r = phrase[code], reply[code]
        lines.append(
            f"  {code:<20} {p.precision:5.2f} / {p.recall:5.2f} ({p.predicted:>3}/{p.labelled:>3})"
            f"    {r.precision:5.2f} / {r.recall:5.2f} ({r.predicted:>3}/{r.labelled:>3})"
        )
    lines.append(f"  clean replies with no finding: {clean[0]} of {clean[1]}")
    return "\n".join(lines)


def _clean(items: list[dict]) -> tuple[int, int]:
    clean = [item for item in items if not item["codes"]]
    return sum(not review(i["text"], complaint=i["complaint"]) for i in clean), len(clean)


# Floors at the figures reached: (phrase precision, phrase recall, reply precision, reply recall).
FLOORS = {
    "tuning": {
        "negative_phrasing": (0.95, 0.97, 0.98, 1.00),
        "blame": (1.00, 1.00, 1.00, 1.00),
        "jargon": (1.00, 0.96, 1.00, 1.00),
        "no_ownership": (0.95, 0.93, 1.00, 0.95),
        "no_next_step": (0.88, 0.87, 0.94, 0.98),
        "no_empathy": (1.00, 1.00, 1.00, 1.00),
    },
    "heldout": {
        "negative_phrasing": (1.00, 0.60, 1.00, 0.70),
        "blame": (1.00, 0.53, 1.00, 0.53),
        "jargon": (0.90, 0.91, 0.91, 0.91),
        "no_ownership": (0.75, 0.64, 0.90, 0.71),
        "no_next_step": (0.89, 0.70, 0.92, 0.86),
        "no_empathy": (1.00, 1.00, 1.00, 1.00),
    },
}
CLEAN_FLOORS = {"tuning": 1.00, "heldout": 0.91}


@pytest.mark.parametrize("part", ["tuning", "heldout"])
def test_precision_and_recall_per_code_hold_their_floors(part: str, capsys: pytest.CaptureFixture[str]) -> None:
    items = _load(part)
    phrase, reply = score(items)
    clean = _clean(items)
    with capsys.disabled():  # the figures belong in every test run's output
        print(_table(part, phrase, reply, clean))
    for code, (pp, pr, rp, rr) in FLOORS[part].items():
        got = (phrase[code].precision, phrase[code].recall, reply[code].precision, reply[code].recall)
        assert all(g >= f for g, f in zip(got, (pp, pr, rp, rr), strict=True)), (code, got)
    assert clean[0] / clean[1] >= CLEAN_FLOORS[part]
