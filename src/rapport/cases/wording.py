"""Hints on the wording of a reply while it is written (docs/language.md).

The rules are ``rapport.domain.language``; this adds the organisation's own lists from settings
and, for a case, whether it is a complaint (the empathy check is asked of complaint replies
only). Hints never block sending: nothing here is called by the send path."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from rapport.cases.models import Case
from rapport.domain import languages
from rapport.domain.case_rules import CaseType
from rapport.domain.language import Finding, review

# A reply longer than this is not reviewed (the API answers 422; the page says so).
MAX_REVIEW_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class Hint:
    """A finding with the passage it quotes, ready for a page or an API answer."""

    code: str
    label: str
    start: int
    end: int
    quote: str
    explanation: str
    suggestion: str


def wording_hints(*, text: str, complaint: bool) -> tuple[Hint, ...]:
    findings = review(
        text,
        complaint=complaint,
        jargon=settings.RAPPORT_LANGUAGE_JARGON,
        known=settings.RAPPORT_LANGUAGE_KNOWN,
    )
    return tuple(_hint(text, f) for f in findings)


def reply_hints(*, case: Case, text: str) -> tuple[Hint, ...]:
    """The hints on a reply to ``case`` (already loaded through the access gate): the wording, and
    a reply written in a language other than the one the customer asked to be served in."""
    text = text[:MAX_REVIEW_CHARS]
    hints = wording_hints(text=text, complaint=case.type == CaseType.COMPLAINT)
    language = language_hint(text=text, expected=case.customer.language)
    return (language, *hints) if language else hints


LANGUAGE_NAMES = {languages.ENGLISH: "English", languages.WELSH: "Welsh"}


def language_hint(*, text: str, expected: str) -> Hint | None:
    """A hint when ``text`` is clearly written in a language other than ``expected`` (the
    customer's preferred language): a Welsh speaker answered in English, or the reverse."""
    found = languages.language_mismatch(text, expected)
    if found is None:
        return None
    first = text.strip().split("\n", 1)[0][:80]
    return Hint(
        code="language",
        label="Language",
        start=0,
        end=len(first),
        quote=first,
        explanation=(
            f"This customer asked to be served in {LANGUAGE_NAMES.get(expected, expected)}, "
            f"and this reply reads as {LANGUAGE_NAMES.get(found, found)}."
        ),
        suggestion=f"Write the reply in {LANGUAGE_NAMES.get(expected, expected)}.",
    )


def _hint(text: str, finding: Finding) -> Hint:
    return Hint(
        code=finding.code,
        label=finding.label,
        start=finding.start,
        end=finding.end,
        quote=text[finding.start : finding.end],
        explanation=finding.explanation,
        suggestion=finding.suggestion,
    )
