"""Study units for the customer service qualification, read from their plain-text documents.

The format is the one the organisation's study units are written in (the service-practice
documents in ``seeds/``, 000-004):

    <first line: a preview of the synopsis, possibly cut off mid-word>
    Topic Synopsis
    <one or more lines of synopsis>
    Key Concepts & Core Principles
    - <bullet>            (a concept may start "Name: explanation")
    Exam Tips & Revision Strategies
    - <bullet>
    Common Misconceptions & Mistakes to Avoid
    - <bullet>
    Examiner Marking Points
    - <bullet>

Every heading appears once, in this order, and every bullet section has at least one bullet.
Blank lines are allowed anywhere. A document that does not follow the format is refused with the
line number and what was expected there; nothing is half-read.

A unit's identity is the SHA-256 of its normalised text (BOM, line endings and trailing blanks do
not change it), so importing the same file twice finds the same unit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

SYNOPSIS = "Topic Synopsis"
CONCEPTS = "Key Concepts & Core Principles"
TIPS = "Exam Tips & Revision Strategies"
MISCONCEPTIONS = "Common Misconceptions & Mistakes to Avoid"
MARKING_POINTS = "Examiner Marking Points"
HEADINGS = (SYNOPSIS, CONCEPTS, TIPS, MISCONCEPTIONS, MARKING_POINTS)
BULLET = "- "
MAX_CONCEPT_NAME = 80  # "Name: explanation" only when the part before the colon reads as a name


class CurriculumError(ValueError):
    """The document breaks the format at ``line`` (1-based); ``expected`` says what should be there."""

    def __init__(self, line: int, expected: str, found: str = "") -> None:
        self.line = line
        self.expected = expected
        self.found = found
        shown = f' but found "{_clip(found)}"' if found else " but the document ended"
        super().__init__(f"line {line}: expected {expected}{shown}")


@dataclass(frozen=True)
class Concept:
    name: str
    text: str


@dataclass(frozen=True)
class UnitDocument:
    identity: str
    preview: str
    synopsis: str
    concepts: tuple[Concept, ...]
    tips: tuple[str, ...]
    misconceptions: tuple[str, ...]
    marking_points: tuple[str, ...]

    @property
    def title(self) -> str:
        """A short title for lists: the synopsis's first sentence, cut at a word near 90 characters."""
        first = self.synopsis.split(". ")[0].rstrip(".")
        return _clip(first, 90)


def normalise(text: str) -> str:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def identity_of(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def split_concept(bullet: str) -> Concept:
    """``"Name: explanation"`` becomes a named concept; a bullet without such a name keeps its
    whole text and takes its name from its first clause (seed 001 writes concepts that way)."""
    head, sep, rest = bullet.partition(": ")
    if sep and rest and len(head) <= MAX_CONCEPT_NAME and not head.endswith("."):
        return Concept(name=head.strip(), text=rest.strip())
    first = bullet.split(", ")[0]
    return Concept(name=_clip(first, MAX_CONCEPT_NAME), text=bullet)


def parse_unit(text: str) -> UnitDocument:
    """The unit in ``text``; ``CurriculumError`` names the first line that breaks the format."""
    lines = normalise(text).split("\n")
    numbered = [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]
    if not numbered:
        raise CurriculumError(1, "a first line previewing the synopsis")
    preview_line, preview = numbered[0]
    if preview in HEADINGS or preview.startswith(BULLET):
        raise CurriculumError(preview_line, "a first line previewing the synopsis", preview)
    sections: dict[str, list[tuple[int, str]]] = {}
    position = 1
    for heading in HEADINGS:
        if position >= len(numbered) or numbered[position][1] != heading:
            found = numbered[position] if position < len(numbered) else (numbered[-1][0] + 1, "")
            raise CurriculumError(found[0], f'the heading "{heading}"', found[1])
        position += 1
        body: list[tuple[int, str]] = []
        following = HEADINGS[HEADINGS.index(heading) + 1 :]
        while position < len(numbered) and numbered[position][1] not in following:
            body.append(numbered[position])
            position += 1
        sections[heading] = body
        after = numbered[position] if position < len(numbered) else (numbered[-1][0] + 1, "")
        _check_body(heading, body, next_heading=following[0] if following else None, after=after)
    synopsis = " ".join(line for _, line in sections[SYNOPSIS])
    if not synopsis.startswith(preview.rstrip(".… ")):
        raise CurriculumError(preview_line, "a first line that previews the synopsis (its opening words)", preview)
    return UnitDocument(
        identity=identity_of(text),
        preview=preview,
        synopsis=synopsis,
        concepts=tuple(split_concept(b) for b in _bullets(sections[CONCEPTS])),
        tips=_bullets(sections[TIPS]),
        misconceptions=_bullets(sections[MISCONCEPTIONS]),
        marking_points=_bullets(sections[MARKING_POINTS]),
    )


def _check_body(heading: str, body: list[tuple[int, str]], *, next_heading: str | None, after: tuple[int, str]) -> None:
    """``after`` is the line that follows the section (the next heading, or the end)."""
    or_next = f' or the heading "{next_heading}"' if next_heading else ""
    if heading == SYNOPSIS:
        if not body:
            raise CurriculumError(after[0], "the synopsis text", after[1])
        for number, line in body:
            if line.startswith(BULLET) or line in HEADINGS:
                raise CurriculumError(number, f"synopsis text{or_next}", line)
        return
    if not body:
        raise CurriculumError(after[0], f'a bullet starting "{BULLET}" under "{heading}"', after[1])
    for number, line in body:
        if not line.startswith(BULLET) or not line[len(BULLET) :].strip():
            raise CurriculumError(number, f'a bullet starting "{BULLET}" under "{heading}"{or_next}', line)


def _bullets(body: list[tuple[int, str]]) -> tuple[str, ...]:
    return tuple(line[len(BULLET) :].strip() for _, line in body)


def _clip(text: str, limit: int = 60) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


@dataclass(frozen=True)
class PracticePlace:
    """Where in the desk a concept is practised: a label and the path of that area's pages."""

    label: str
    path: str


_COMPLAINTS = PracticePlace("Complaint workflow (HEAT)", "/complaints/")
_SLA = PracticePlace("Service levels (SLAs)", "/sla/")
_IMPROVEMENT = PracticePlace("Improvement and feedback (PDCA)", "/feedback/")
_REMEDIES = PracticePlace("Remedies (Consumer Rights Act 2015)", "/complaints/")
_DATA_REQUESTS = PracticePlace("Data requests (UK GDPR)", "/privacy/")

# Words that tie a concept to a place, as the documents write them (domain.md §3, §4, §5, §7).
_PLACES: tuple[tuple[tuple[str, ...], tuple[PracticePlace, ...]], ...] = (
    (("heat", "complaint"), (_COMPLAINTS,)),
    (("sla", "slas", "service level"), (_SLA,)),
    (("pdca", "plan-do-check-act", "improvement", "feedback"), (_IMPROVEMENT,)),
    (
        ("legislat", "legal", "consumer rights act", "gdpr", "data protection", "equality act", "regulat"),
        (_REMEDIES, _DATA_REQUESTS),
    ),
)


def practice_places(text: str) -> tuple[PracticePlace, ...]:
    """The places a concept whose name and text is ``text`` is practised, in a stable order."""
    lowered = f" {text.lower()} "
    found: list[PracticePlace] = []
    for words, places in _PLACES:
        if any(_mentions(lowered, word) for word in words):
            found.extend(place for place in places if place not in found)
    return tuple(found)


def _mentions(lowered: str, word: str) -> bool:
    start = lowered.find(word)
    while start != -1:
        if not lowered[start - 1].isalnum():
            return True
        start = lowered.find(word, start + 1)
    return False
