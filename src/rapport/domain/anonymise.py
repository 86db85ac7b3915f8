"""Finding and removing a person's identifiers in free text, for erasure and subject access.

UK GDPR Art 17 (erasure) is met by anonymisation when the data can no longer identify the person
(ICO, "Anonymisation, pseudonymisation and privacy enhancing technologies guidance", ch.1: data is
anonymous when the person is not identifiable by the means reasonably likely to be used). So the
person's name, email address and phone number are replaced wherever they were written, in any
case or spacing, while the text around them (what the team replied, how long it took) may stay.

For subject access, UK GDPR Art 15(4) says the copy "shall not adversely affect the rights and
freedoms of others": text naming other people is flagged for review before release (ICO, "Right
of access", section "What should we do if the request involves information about other
individuals?").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ERASED = "[erased]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PHONE = re.compile(r"(?<!\w)\+?\d[\d\s().-]{8,}\d(?!\w)")
MIN_PART = 3  # shorter name parts ("Al", "Jo") would blank ordinary words


@dataclass(frozen=True, slots=True)
class Identity:
    """What identifies a person in text: their full name, name parts, email and phone."""

    name: str
    email: str = ""
    phone: str = ""

    @property
    def phone_digits(self) -> str:
        return re.sub(r"\D", "", self.phone)

    def search_terms(self) -> tuple[str, ...]:
        """Strings whose presence (case-insensitive) in a stored value means it may identify the
        person: the full name, email and phone as written, and the phone's last six digits (so a
        number written with other spacing is found too)."""
        terms = [self.name.strip(), self.email.strip(), self.phone.strip()]
        if len(self.phone_digits) >= 6:
            terms.append(self.phone_digits[-6:])
        return tuple(t for t in terms if t)


def _phone_pattern(digits: str) -> str:
    # The digits in order with any spacing or punctuation between them; a leading 0 may be +44.
    body = r"[\s().-]*".join(re.escape(d) for d in digits)
    if digits.startswith("0"):
        rest = r"[\s().-]*".join(re.escape(d) for d in digits[1:])
        return rf"(?:{body}|\+?44[\s().-]*(?:\(0\))?[\s().-]*{rest})"
    return body


def identity_pattern(identity: Identity, *, name_parts: bool = False) -> re.Pattern[str] | None:
    """One case-insensitive pattern for the person's identifiers; with ``name_parts`` each part of
    the name of three letters or more too ("Dear Alice"), used only on the person's own cases."""
    alternatives: list[str] = []
    if identity.email.strip():
        alternatives.append(re.escape(identity.email.strip()))
    if len(identity.phone_digits) >= 6:
        alternatives.append(_phone_pattern(identity.phone_digits))
    name = " ".join(identity.name.split())
    if name:
        alternatives.append(r"\s+".join(re.escape(p) for p in name.split(" ")))
        if name_parts:
            alternatives.extend(rf"\b{re.escape(p)}\b" for p in name.split(" ") if len(p) >= MIN_PART)
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)


def scrub(text: str, pattern: re.Pattern[str] | None) -> str:
    """``text`` with every match of ``pattern`` replaced by ``[erased]``."""
    if pattern is None or not text:
        return text
    return pattern.sub(ERASED, text)


@dataclass(frozen=True, slots=True)
class Flag:
    """Something in a message that may be another person's data, to review before release."""

    kind: str  # "email" | "phone" | "name"
    value: str


def third_party_flags(text: str, subject: Identity, others: Sequence[str] = ()) -> tuple[Flag, ...]:
    """Email addresses and phone numbers in ``text`` that are not the subject's, and any of the
    ``others`` names (staff, other customers) it mentions."""
    own_email = subject.email.strip().lower()
    flags = [Flag("email", found) for found in _EMAIL.findall(text) if found.lower() != own_email]
    own_digits = subject.phone_digits[-9:]
    for found in _PHONE.findall(text):
        digits = re.sub(r"\D", "", found)
        if len(digits) >= 9 and (not own_digits or not digits.endswith(own_digits)):
            flags.append(Flag("phone", found.strip()))
    lowered = text.lower()
    flags.extend(Flag("name", name) for name in _unique(others) if len(name) >= MIN_PART and name.lower() in lowered)
    return tuple(flags)


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        value = " ".join(value.split())
        if value:
            seen.setdefault(value, None)
    return list(seen)
