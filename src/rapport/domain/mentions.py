"""Who an internal note mentions: ``@handle`` or ``@Display Name`` (issue 16).

Zendesk and Help Scout let staff mention a colleague in an internal note with ``@`` followed by
their name; Rapport accepts either the person's handle (the part of their work email before the
``@``, e.g. ``@megan.jones``) or their display name as the desk shows it (``@Megan Jones``),
in any letter case. A mention must end at a word boundary, so ``@Sam`` does not mention
"Samira", and an email address in the text (``megan.jones@example.com``) mentions nobody: the
``@`` must start the text or follow a space or punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """Someone who may be mentioned: their id, display name and handle."""

    id: int
    name: str
    handle: str


def handle_of(email: str) -> str:
    """A person's handle: the local part of their email (``megan.jones@…`` → ``megan.jones``)."""
    return email.split("@", 1)[0].lower()


_MENTION_START = re.compile(r"(?:^|(?<=[\s(\[{,;:!?\"']))@", re.UNICODE)


def mentioned(text: str, people: Iterable[Person]) -> set[int]:
    """The ids of ``people`` that ``text`` mentions. Longer names win over their prefixes: with a
    "Sam" and a "Sam Patel", ``@Sam Patel`` mentions only Sam Patel."""
    candidates = [
        (label, person.id)
        for person in people
        for label in {person.name.strip().lower(), person.handle.strip().lower()}
        if label
    ]
    candidates.sort(key=lambda c: -len(c[0]))
    lowered = text.lower()
    found: set[int] = set()
    for start in (m.end() for m in _MENTION_START.finditer(text)):
        for label, person_id in candidates:
            end = start + len(label)
            if lowered.startswith(label, start) and (end == len(lowered) or not _word(lowered[end])):
                found.add(person_id)
                break
    return found


def _word(char: str) -> bool:
    """A character that continues a name (a full stop ending a sentence does not)."""
    return char.isalnum() or char in "_-"
