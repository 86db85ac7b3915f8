"""The brand's tone of voice: the words and phrases the organisation prefers and avoids, each with
its reason, and a checker that finds them in a text (a macro, a knowledge article, a reply).

Seed 001 asks how each touchpoint "reinforces or undermines the brand promise"; what a customer
reads is such a touchpoint. A guide is the organisation's own: "plain speaking" leads it to avoid
"utilise" and prefer "use" (Plain English Campaign, *How to write in plain English*, the A to Z of
alternative words; GOV.UK style guide, "Words to avoid"); "we put it right first time" leads it to
avoid "unfortunately there is nothing we can do". Plain, clear communication is also the FCA
Consumer Duty's consumer-understanding outcome (PRIN 2A.5) for firms it covers.

This module is only about the brand's own words. General language faults (negative phrasing,
blame, jargon in general) are ``rapport.domain.language``'s.

Matching is deterministic: case-insensitive, on whole words (a phrase never matches inside a longer
word), any run of spaces or line breaks between its words, and a trailing ``*`` for any ending
("apologi*" finds "apologise", "apologies"). Findings are in the order they occur; where two
entries match overlapping text the longer match wins, then the earlier entry in the guide.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Advice = Literal["avoid", "prefer"]
MAX_PHRASE = 80


@dataclass(frozen=True)
class ToneEntry:
    """One line of the guide: a word or phrase to ``avoid`` (with what to say ``instead``) or to
    ``prefer``, and the ``reason`` in the brand's terms."""

    phrase: str
    advice: Advice
    reason: str
    instead: str = ""


@dataclass(frozen=True)
class ToneMatch:
    entry: ToneEntry
    text: str
    start: int
    end: int


def phrase_problem(phrase: str) -> str | None:
    """Why ``phrase`` cannot be a guide entry, or None: it needs a letter or digit, at most
    ``MAX_PHRASE`` characters, and ``*`` only at its end."""
    bare = phrase.strip()
    if not bare or not any(ch.isalnum() for ch in bare):
        return "Give a word or phrase."
    if len(bare) > MAX_PHRASE:
        return f"Keep a phrase to {MAX_PHRASE} characters."
    if "*" in bare[:-1]:
        return "Use * only at the end, for any ending."
    return None


def pattern(phrase: str) -> re.Pattern[str]:
    """The expression that finds ``phrase`` as whole words, whatever the case and spacing."""
    bare = phrase.strip()
    open_ended = bare.endswith("*")
    words = bare.rstrip("*").split()
    body = r"\s+".join(re.escape(w) for w in words)
    tail = r"\w*" if open_ended else r"(?!\w)"
    return re.compile(r"(?<!\w)" + body + tail, re.IGNORECASE)


def check(text: str, guide: Sequence[ToneEntry]) -> list[ToneMatch]:
    """Every place ``text`` uses a phrase of ``guide``, in order, without overlaps."""
    found: list[tuple[int, int, int, ToneMatch]] = []
    for rank, entry in enumerate(guide):
        if phrase_problem(entry.phrase):
            continue
        found.extend(
            (hit.start(), -(hit.end() - hit.start()), rank, ToneMatch(entry, hit.group(), *hit.span()))
            for hit in pattern(entry.phrase).finditer(text)
        )
    found.sort(key=lambda item: item[:3])
    kept: list[ToneMatch] = []
    end = -1
    for start, _length, _rank, match in found:
        if start >= end:
            kept.append(match)
            end = match.end
    return kept
