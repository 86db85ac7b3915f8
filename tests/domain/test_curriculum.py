"""Study units read from their documents: exactly, strictly, and with a stable identity."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain.curriculum import (
    HEADINGS,
    CurriculumError,
    identity_of,
    parse_unit,
    practice_places,
    split_concept,
)
from tests.learning.seeds import SEED_FILES, needs_seeds

GOOD = """A short preview of the
Topic Synopsis
A short preview of the synopsis, which goes on.
Key Concepts & Core Principles
- Complaint Handling: The HEAT model.
- Service Level Agreements (SLAs): Targets.
Exam Tips & Revision Strategies
- Use examples.
Common Misconceptions & Mistakes to Avoid
- Assuming all complaints can be resolved.
Examiner Marking Points
- Award credit for applying HEAT.
- Award credit for explaining the law."""


def count_independently(text: str) -> dict[str, list[str]]:
    """The bullets under each heading, counted from the raw text without the parser."""
    found: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line in HEADINGS:
            current = line
            found[current] = []
        elif current and line.startswith("- "):
            found[current].append(line[2:])
    return found


@needs_seeds
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_every_seed_document_imports_exactly(path):
    text = path.read_text(encoding="utf-8")
    raw = count_independently(text)

    unit = parse_unit(text)

    assert unit.preview == text.splitlines()[0]
    assert unit.synopsis == text.splitlines()[2]
    # A named concept is "Name: text"; an unnamed one keeps its whole bullet as its text.
    bullets = [c.text if c.text.startswith(c.name) else f"{c.name}: {c.text}" for c in unit.concepts]
    assert bullets == raw["Key Concepts & Core Principles"]
    assert list(unit.tips) == raw["Exam Tips & Revision Strategies"]
    assert list(unit.misconceptions) == raw["Common Misconceptions & Mistakes to Avoid"]
    assert list(unit.marking_points) == raw["Examiner Marking Points"]
    # Every non-blank line is the preview, a heading, the synopsis or a bullet: nothing skipped.
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 2 + len(HEADINGS) + sum(len(b) for b in raw.values())


@needs_seeds
def test_the_five_seeds_have_the_sections_they_were_written_with():
    counts = {p.name[:3]: parse_unit(p.read_text(encoding="utf-8")) for p in SEED_FILES}
    assert {
        k: (len(u.concepts), len(u.tips), len(u.misconceptions), len(u.marking_points)) for k, u in counts.items()
    } == {
        "000": (5, 4, 4, 4),
        "001": (5, 4, 4, 4),
        "002": (5, 4, 4, 4),
        "003": (5, 4, 4, 4),
        "004": (5, 8, 6, 8),
    }


def test_concepts_are_named_by_the_text_before_their_colon():
    assert split_concept("Service Level Agreements (SLAs): Learning how to define.").name == (
        "Service Level Agreements (SLAs)"
    )
    unnamed = split_concept("Developing and maintaining relationships, including strategies for trust.")
    assert unnamed.name == "Developing and maintaining relationships"
    assert unnamed.text.startswith("Developing and maintaining relationships, including")


def test_identity_ignores_line_endings_bom_and_trailing_blank_lines():
    assert identity_of(GOOD) == identity_of("\ufeff" + GOOD.replace("\n", "\r\n") + "\n\n")
    assert identity_of(GOOD) != identity_of(GOOD.replace("examples", "real examples"))


@pytest.mark.parametrize(
    ("broken", "line", "expected"),
    [
        (GOOD.replace("Topic Synopsis\n", "Synopsis\n"), 2, 'the heading "Topic Synopsis"'),
        (GOOD.replace("- Use examples.", "Use examples."), 8, 'a bullet starting "- "'),
        (GOOD.replace("Exam Tips & Revision Strategies\n- Use examples.\n", ""), 7, "Exam Tips"),
        (GOOD.replace("- Award credit for applying HEAT.\n- Award credit for explaining the law.", ""), 12, "bullet"),
        (GOOD.replace("- Assuming all complaints can be resolved.\n", ""), 10, "bullet"),
        ("", 1, "a first line previewing the synopsis"),
        (GOOD.replace("A short preview of the\n", "Something else entirely\n"), 1, "previews the synopsis"),
        (GOOD + "\nTopic Synopsis", 14, 'a bullet starting "- "'),
    ],
    ids=[
        "renamed-heading",
        "not-a-bullet",
        "missing-section",
        "no-marking-points",
        "empty-section",
        "empty",
        "preview-mismatch",
        "heading-repeated",
    ],
)
def test_a_malformed_document_names_the_line_and_what_was_expected(broken, line, expected):
    with pytest.raises(CurriculumError) as refused:
        parse_unit(broken)

    assert refused.value.line == line
    assert expected in refused.value.expected
    assert str(refused.value).startswith(f"line {line}: expected ")


def test_concepts_link_to_where_they_are_practised():
    paths = lambda text: [p.path for p in practice_places(text)]  # noqa: E731
    assert paths("Complaint handling: the HEAT model") == ["/complaints/"]
    assert paths("Service Level Agreements (SLAs): define and monitor") == ["/sla/"]
    assert paths("Continuous Improvement Models: the Plan-Do-Check-Act (PDCA) cycle") == ["/feedback/"]
    assert paths("Legislative Frameworks: the Equality Act 2010 and GDPR") == ["/complaints/", "/privacy/"]
    assert paths("Internal vs. External Customers: colleagues") == []
    assert paths("Weightlessness") == []  # "heat" inside another word is not HEAT


_line = (
    st.text(
        alphabet=st.characters(whitelist_categories=("L", "N"), whitelist_characters=" ,.()'"), min_size=1, max_size=40
    )
    .map(str.strip)
    .filter(lambda s: s and s not in HEADINGS and not s.startswith("-"))
)


@given(
    synopsis=_line,
    sections=st.lists(st.lists(_line, min_size=1, max_size=6), min_size=4, max_size=4),
)
def test_any_well_formed_document_reads_back_what_was_written(synopsis, sections):
    lines = [synopsis, HEADINGS[0], synopsis]
    for heading, bullets in zip(HEADINGS[1:], sections, strict=True):
        lines += [heading, *(f"- {b}" for b in bullets)]

    unit = parse_unit("\n".join(lines))

    assert unit.synopsis == synopsis
    assert [list(unit.tips), list(unit.misconceptions), list(unit.marking_points)] == sections[1:]
    assert len(unit.concepts) == len(sections[0])
    assert re.fullmatch(r"[0-9a-f]{64}", unit.identity)
