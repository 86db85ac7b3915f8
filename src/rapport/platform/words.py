"""Counts in words for command output: "1 message", "2 messages", "1,696 cases"."""

from __future__ import annotations

IRREGULAR = {"breach": "breaches", "escalation": "escalations", "person": "people", "company": "companies"}


def plural(word: str) -> str:
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.endswith(("s", "sh", "ch", "x", "z")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in set("aeiou"):
        return word[:-1] + "ies"
    return word + "s"


def count(n: int, word: str, many: str | None = None) -> str:
    """``n`` with the word in the number it takes; ``many`` when the plural is not regular."""
    return f"{n:,} {word if n == 1 else (many or plural(word))}"
