"""Placeholders in a macro's text: ``{{ customer.name }}`` filled in when the macro is applied.

The syntax is deliberately small (no logic, no filters): two braces, a name from ``PLACEHOLDERS``,
two braces; spaces inside the braces are optional. A name that is not in the list is refused when
the macro is saved, so a typo is found by its author, never by a customer reading "{{ cusomer.name }}".
Values are plain text; the Markdown around them is the macro author's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

PLACEHOLDERS: Mapping[str, str] = {
    "customer.name": "The customer's name (with their named contact or advocate, when they have one)",
    "case.reference": "The case reference, e.g. C-000123",
    "case.subject": "The case subject",
    "agent.name": "The name of the person applying the macro",
    "agent.signature": "Their signature (their own, else their team's)",
    "sla.promise": 'When we promise the next answer, e.g. "by 1pm on Friday"',
    "next_business_day": 'The next business day, e.g. "Monday 8 December"',
}
"""Every placeholder a macro may use, with what it becomes (shown beside the macro form)."""

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
UNKNOWN = "{names} {verb} not a placeholder. Use one of: {known}."
UNCLOSED = "A placeholder is not closed: write it as {{ customer.name }}, with two braces each side."


@dataclass(frozen=True)
class Problem:
    """Why a text's placeholders cannot be filled: the message to show its author."""

    message: str


def names_in(text: str) -> list[str]:
    """The placeholder names ``text`` uses, in order of first use."""
    seen: dict[str, None] = {}
    for found in _PLACEHOLDER.finditer(text):
        seen.setdefault(found.group(1), None)
    return list(seen)


def problems(text: str) -> list[Problem]:
    """What is wrong with the placeholders in ``text`` (nothing: an empty list)."""
    found: list[Problem] = []
    unknown = [name for name in names_in(text) if name not in PLACEHOLDERS]
    if unknown:
        names = ", ".join("{{ " + name + " }}" for name in unknown)
        verb = "is" if len(unknown) == 1 else "are"
        known = ", ".join("{{ " + name + " }}" for name in PLACEHOLDERS)
        found.append(Problem(UNKNOWN.format(names=names, verb=verb, known=known)))
    if "{{" in _PLACEHOLDER.sub("", text) or "}}" in _PLACEHOLDER.sub("", text):
        found.append(Problem(UNCLOSED))
    return found


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each known placeholder replaced by its value (an empty value leaves nothing);
    unknown names are left as written (``problems`` refuses them before a macro is saved)."""

    def value(found: re.Match[str]) -> str:
        name = found.group(1)
        return values.get(name, "") if name in PLACEHOLDERS else found.group(0)

    return _PLACEHOLDER.sub(value, text)
