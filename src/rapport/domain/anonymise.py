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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

ERASED = "[erased]"
ERASED_TEXT = "[Erased at the customer's request]"  # what stands where a person's own words were
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
    """Something in a message that may be another person's data, to review before release.

    ``kind`` is "email", "phone" or "name" (staff, or a titled name such as "Mrs Ellis"), or
    "customer" when the desk knows the person: then ``customer_id`` says who was matched and
    ``matched_on`` by what ("name", "email" or "phone")."""

    kind: str
    value: str
    customer_id: int | None = None
    matched_on: str = ""


# Courtesy and professional titles that introduce a person's name (ICO "Right of access": a
# titled surname such as "Dr Patel" is enough to identify someone to the reader).
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "rev"})
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
_GAP = re.compile(r"[ \t]+")  # only spaces join words into one name; a comma, stop or new line ends it
MAX_NAME_WORDS = 4  # "Mary Anne de Souza" fits; longer capitalised runs are headings, not names


def name_key(name: str) -> str:
    """How a name is compared: lower case with single spaces (the ``Lower(name)`` index)."""
    return " ".join(name.split()).lower()


def phone_keys(written: str) -> tuple[str, ...]:
    """The digit strings a phone number written in ``written`` may be stored as: as written, and
    with a UK 0 trunk prefix exchanged for 44 or back."""
    digits = re.sub(r"\D", "", written)
    keys = [digits]
    if digits.startswith("44") and len(digits) > 10:
        keys.append("0" + digits[2:])
    elif digits.startswith("0"):
        keys.append("44" + digits[1:])
    return tuple(keys)


@dataclass(frozen=True, slots=True)
class Mentions:
    """Who a text may name: full-name candidates (two or more capitalised words, titles dropped),
    titled surnames ("Mrs Ellis"), email addresses and phone numbers, each as written."""

    names: tuple[str, ...] = ()
    titled: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()

    def name_keys(self) -> set[str]:
        return {name_key(n) for n in self.names}

    def email_keys(self) -> set[str]:
        return {e.lower() for e in self.emails}

    def phone_keys(self) -> set[str]:
        return {k for p in self.phones for k in phone_keys(p)}


def _capitalised_runs(text: str) -> list[list[str]]:
    """Runs of capitalised words joined only by spaces ("my neighbour Margaret Ellis said")."""
    runs: list[list[str]] = []
    current: list[str] = []
    last_end = -1
    for match in _WORD.finditer(text):
        word = match.group()
        joined = last_end >= 0 and _GAP.fullmatch(text[last_end : match.start()]) is not None
        if not joined and current:
            runs.append(current)
            current = []
        if word[0].isupper():
            current.append(word)
        elif current:
            runs.append(current)
            current = []
        last_end = match.end()
    if current:
        runs.append(current)
    return runs


def mentions(text: str) -> Mentions:
    """Everything in ``text`` that may identify a person, for looking up against the desk's
    customers in one batch. A single capitalised word is never a candidate on its own: "Rose",
    "Hope" or "Will" start sentences and name flowers, so only a full name (two or more words, as
    every sub-run of a capitalised run: "Yesterday Margaret Ellis" gives "Margaret Ellis") or a
    titled surname counts."""
    names: dict[str, None] = {}
    titled: dict[str, None] = {}
    for run in _capitalised_runs(text):
        for i, word in enumerate(run):
            rest = [w for w in run[i + 1 : i + MAX_NAME_WORDS] if w.rstrip(".").lower() not in TITLES]
            if word.rstrip(".").lower() in TITLES and rest:
                titled.setdefault(" ".join([word, *rest]), None)
        words = [w for w in run if w.rstrip(".").lower() not in TITLES]
        for size in range(2, MAX_NAME_WORDS + 1):
            for start in range(len(words) - size + 1):
                names.setdefault(" ".join(words[start : start + size]), None)
    return Mentions(
        names=tuple(names),
        titled=tuple(titled),
        emails=tuple(_EMAIL.findall(text)),
        phones=tuple(found.strip() for found in _PHONE.findall(text) if len(re.sub(r"\D", "", found)) >= 9),
    )


@dataclass(frozen=True, slots=True)
class Known:
    """Customers of the desk found for a batch of mentions: customer id by name key, by lower-case
    email and by phone digits (``phone_keys``), and each one's name as the desk holds it (``who``).
    The subject is never in it."""

    names: Mapping[str, int] = field(default_factory=dict)
    emails: Mapping[str, int] = field(default_factory=dict)
    phones: Mapping[str, int] = field(default_factory=dict)
    who: Mapping[int, str] = field(default_factory=dict)


def third_party_flags(
    text: str, subject: Identity, others: Sequence[str] = (), known: Known | None = None
) -> tuple[Flag, ...]:
    """Email addresses and phone numbers in ``text`` that are not the subject's, any of the
    ``others`` names (staff) it mentions, titled names, and the names, emails and phone numbers of
    ``known`` customers (kind "customer", with who was matched). The subject's own name, email and
    phone are never flagged."""
    known = known or Known()
    found = mentions(text)
    own_email = subject.email.strip().lower()
    own_name = name_key(subject.name)
    own_parts = set(own_name.split())
    flags: list[Flag] = []
    for email in found.emails:
        if email.lower() == own_email:
            continue
        who = known.emails.get(email.lower())
        flags.append(Flag("customer", email, who, "email") if who else Flag("email", email))
    own_digits = subject.phone_digits[-9:]
    for phone in found.phones:
        if own_digits and re.sub(r"\D", "", phone).endswith(own_digits):
            continue
        who = next((known.phones[k] for k in phone_keys(phone) if k in known.phones), None)
        flags.append(Flag("customer", phone, who, "phone") if who else Flag("phone", phone))
    lowered = text.lower()
    staff = [n for n in _unique(others) if len(n) >= MIN_PART and n.lower() in lowered]
    flags.extend(Flag("name", name) for name in staff)
    named = {name_key(n) for n in staff}
    for name in found.names:
        key = name_key(name)
        who = known.names.get(key)
        if who and key != own_name and key not in named:
            named.add(key)
            flags.append(Flag("customer", name, who, "name"))
    for titled in found.titled:
        surname = name_key(titled).split()[-1]
        if surname not in own_parts and not any(surname in n.split() for n in named):
            flags.append(Flag("name", titled))
    return tuple(flags)


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        value = " ".join(value.split())
        if value:
            seen.setdefault(value, None)
    return list(seen)
