"""Rules of the knowledge base: who moves an article through its workflow, when a review is
overdue, how a search is widened by synonyms and forgiven its typos, and what an accessible
article needs.

Pure: no Django, no I/O, no clock (today and the actor's standing are arguments).

- Public articles are published only after review by someone other than the author of the change
  (the "four eyes" principle for published information: consistent, accurate information is a
  principle of service, and a second reader catches what the writer cannot).
- Information is reviewed rather than fixed: each article has a review date; past it, the article
  is overdue until it is reviewed again.
- Accessible formats (Equality Act 2010 s.20 and s.29: information provided to the public in an
  accessible format; WCAG 2.2 SC 1.1.1 Non-text content, SC 1.3.1 Info and relationships):
  every image needs a text alternative and headings must not skip a level.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

DRAFT, REVIEW, PUBLISHED = "draft", "review", "published"
INTERNAL, PUBLIC = "internal", "public"

SUBMIT, APPROVE, PUBLISH, RETURN, UNPUBLISH = "submit", "approve", "publish", "return", "unpublish"

NOT_FROM_STATE = "An article that is {status} cannot be {action}ed."
NEEDS_APPROVER = "A public article is published by an approver (a team leader, manager or admin)."
NOT_YOUR_OWN = "Someone other than the author of the latest change must approve a public article."
PUBLIC_NEEDS_REVIEW = "A public article goes through review: submit it for review, then an approver publishes it."


class WorkflowRefused(ValueError):
    """The move is not allowed; the message says why in words for the person who tried."""


@dataclass(frozen=True)
class Standing:
    """The actor's standing for one article: may they approve at all, and did they write the
    change under review."""

    may_approve: bool
    wrote_latest: bool


def next_status(status: str, action: str, audience: str, standing: Standing) -> str:
    """The status ``action`` moves an article to, or ``WorkflowRefused``.

    draft → review (submit); review → published (approve, by an approver who did not write the
    latest change, for public articles); review → draft (return); draft → published (publish: an
    internal article only, staff information needs no second reader); published → draft
    (unpublish)."""
    moves = {
        (DRAFT, SUBMIT): REVIEW,
        (REVIEW, APPROVE): PUBLISHED,
        (REVIEW, RETURN): DRAFT,
        (DRAFT, PUBLISH): PUBLISHED,
        (REVIEW, PUBLISH): PUBLISHED,
        (PUBLISHED, UNPUBLISH): DRAFT,
    }
    target = moves.get((status, action))
    if target is None:
        raise WorkflowRefused(NOT_FROM_STATE.format(status=status, action=action.removesuffix("e")))
    if action == PUBLISH and audience == PUBLIC:
        raise WorkflowRefused(PUBLIC_NEEDS_REVIEW)
    if action in (APPROVE, RETURN) and audience == PUBLIC:
        if not standing.may_approve:
            raise WorkflowRefused(NEEDS_APPROVER)
        if action == APPROVE and standing.wrote_latest:
            raise WorkflowRefused(NOT_YOUR_OWN)
    return target


def review_overdue(review_due: date | None, today: date) -> bool:
    """Past its review date (the day itself is not yet overdue)."""
    return review_due is not None and review_due < today


# --- accessibility checks ------------------------------------------------------------------------

HEADING_SKIPS = (
    "Heading “{text}” jumps from level {before} to level {level}: use level {expected} "
    "(headings must not skip a level)."
)
HEADING_ONE = (
    "Heading “{text}” is a level 1 heading: the article's title is the page's only level 1 heading, "
    "so start at level 2 (##)."
)
IMAGE_NO_ALT = (
    "The image {src} has no text alternative: describe it inside the square brackets, "
    "e.g. ![A returns label on a parcel]({src})."
)


def heading_problems(headings: Sequence[tuple[int, str]]) -> list[str]:
    """Headings as (level, text) in order. The title is the page's level 1 heading; the body
    starts at level 2 and goes down one level at a time (it may climb back any number)."""
    problems: list[str] = []
    before = 1
    for level, text in headings:
        if level == 1:
            problems.append(HEADING_ONE.format(text=text))
        elif level > before + 1:
            problems.append(HEADING_SKIPS.format(text=text, before=before, level=level, expected=before + 1))
        before = level
    return problems


def image_problems(images: Sequence[tuple[str, str]]) -> list[str]:
    """Images as (source, alternative text): each needs words that describe it."""
    return [IMAGE_NO_ALT.format(src=src) for src, alt in images if not alt.strip()]


# --- search queries ------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12

Alternative = tuple[str, ...]
"""A phrase as its words: ("money", "back")."""
Group = tuple[Alternative, ...]
"""What one part of a query may match: any of its alternatives."""


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def synonym_phrases(text: str) -> tuple[Alternative, ...]:
    """A synonym group as an admin writes it: phrases separated by commas ("refund, money back")."""
    found = [tuple(words(part)) for part in text.split(",")]
    return tuple(dict.fromkeys(phrase for phrase in found if phrase))


def expand(text: str, synonyms: Iterable[Sequence[Alternative]], *, max_terms: int = MAX_TERMS) -> list[Group]:
    """The query's words as groups of alternatives, each synonym phrase found in the query
    (longest first) widened to every phrase of its group; other words stand alone.

    "money back delay" with the group (refund | money back) gives
    [(("money", "back"), ("refund",)), (("delay",),)]."""
    terms = words(text)[:max_terms]
    phrases: dict[Alternative, tuple[Alternative, ...]] = {}
    for group in synonyms:
        members = tuple(dict.fromkeys(tuple(p) for p in group if p))
        for phrase in members:
            phrases.setdefault(phrase, members)
    longest = sorted(phrases, key=len, reverse=True)
    groups: list[Group] = []
    i = 0
    while i < len(terms):
        for phrase in longest:
            if tuple(terms[i : i + len(phrase)]) == phrase:
                members = phrases[phrase]
                groups.append((phrase, *(m for m in members if m != phrase)))
                i += len(phrase)
                break
        else:
            groups.append(((terms[i],),))
            i += 1
    return groups


def _fts5_term(word: str, prefix: bool = True) -> str:
    return '"' + word.replace('"', "") + ('"*' if prefix else '"')


STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)


def meaningful(groups: Sequence[Group]) -> list[Group]:
    """The groups without common words: what a free-text description is matched on."""
    return [g for g in groups if not all(len(p) == 1 and (p[0] in STOP_WORDS or len(p[0]) < 3) for p in g)]


def being_typed(text: str) -> str | None:
    """The word a customer is still typing: the last word of ``text`` unless a space or punctuation
    follows it ("my parc" -> "parc"; "my parcel " -> None)."""
    found = words(text)
    return found[-1] if found and text[-1:].isalnum() else None


def fts5_query(groups: Sequence[Group], *, any_group: bool = False, prefixes: Collection[str] | None = None) -> str:
    """SQLite FTS5 MATCH syntax: every group must match (any one, with ``any_group``: suggestions
    for a customer's own description), any alternative of it, words as prefixes (only the words in
    ``prefixes`` when it is given: the word being typed; finished words match whole, stemmed)."""

    def alternative(phrase: Alternative) -> str:
        inner = " AND ".join(_fts5_term(w, prefixes is None or w in prefixes) for w in phrase)
        return f"({inner})" if len(phrase) > 1 else inner

    parts = []
    for group in groups:
        options = " OR ".join(alternative(p) for p in group)
        parts.append(f"({options})" if len(group) > 1 else options)
    return (" OR " if any_group else " AND ").join(parts)


def tsquery(groups: Sequence[Group], *, any_group: bool = False, prefixes: Collection[str] | None = None) -> str:
    """PostgreSQL to_tsquery syntax with the same meaning as ``fts5_query``."""

    def term(word: str) -> str:
        return re.sub(r"[^\w]", "", word) + (":*" if prefixes is None or word in prefixes else "")

    def alternative(phrase: Alternative) -> str:
        inner = " & ".join(term(w) for w in phrase if re.sub(r"[^\w]", "", w))
        return f"({inner})" if len(phrase) > 1 else inner

    parts = []
    for group in groups:
        options = " | ".join(a for a in (alternative(p) for p in group) if a)
        if options:
            parts.append(f"({options})" if len(group) > 1 else options)
    return (" | " if any_group else " & ").join(parts)


TYPO_CUTOFF = 0.75


def closest_word(word: str, vocabulary: Iterable[str]) -> str | None:
    """The vocabulary word most like ``word`` (one or two letters wrong, missing or swapped), or
    None when nothing is close enough; a word already in the vocabulary is its own answer.
    Words of three letters or fewer are never corrected: too many words are one letter apart."""
    known = list(vocabulary)
    if word in known:
        return word
    if len(word) <= 3:
        return None
    found = difflib.get_close_matches(word, known, n=1, cutoff=TYPO_CUTOFF)
    return found[0] if found else None


def corrected(text: str, vocabulary_for: Callable[[str], Iterable[str]]) -> str | None:
    """``text`` with each unknown word replaced by its closest known word, or None when nothing
    changed. ``vocabulary_for(word)`` gives the candidate words for one word."""
    changed = False
    out: list[str] = []
    for word in words(text)[:MAX_TERMS]:
        best = closest_word(word, vocabulary_for(word))
        if best is not None and best != word:
            changed = True
            out.append(best)
        else:
            out.append(word)
    return " ".join(out) if changed else None


# --- measures ------------------------------------------------------------------------------------


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a fraction; None when there is nothing to measure."""
    return part / whole if whole else None
