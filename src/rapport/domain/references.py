"""Human case references such as ``C-000123``.

A reference is the case number with a fixed prefix and at least six digits, so it reads well on
the phone and in an email subject, and sorts with the number.
"""

from __future__ import annotations

import re

PREFIX = "C-"
_PATTERN = re.compile(r"^\s*C-?(\d{1,12})\s*$", re.IGNORECASE)
# What a person types to find a case: its reference, or just its number ("41", "000041", "#41").
_ASKED_FOR = re.compile(r"^\s*(?:C-?\s*|#)?(\d{1,12})\s*$", re.IGNORECASE)


def format_reference(number: int) -> str:
    """The reference of case ``number`` (``1`` → ``C-000001``)."""
    if number < 1:
        raise ValueError("case numbers start at 1")
    return f"{PREFIX}{number:06d}"


def parse_reference(text: str) -> int | None:
    """The case number in ``text`` (``"c-123"``, ``"C-000123"``), or None when it is not one."""
    match = _PATTERN.match(text)
    if not match:
        return None
    number = int(match.group(1))
    return number if number >= 1 else None


def reference_asked_for(text: str) -> int | None:
    """The case number when ``text`` is nothing but a case reference or its bare number
    (``"C-000041"``, ``"c41"``, ``"000041"``, ``"41"``, ``"#41"``), else None: a search box treats such
    text as "take me to that case" before it searches words."""
    match = _ASKED_FOR.match(text)
    if not match:
        return None
    number = int(match.group(1))
    return number if number >= 1 else None
