"""Customer-facing text is marked for translation, so Welsh (and any other language) is a catalogue
to write, not hundreds of strings to find (ADR 0011)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.i18n.untranslated import unmarked

SRC = Path(__file__).resolve().parents[2] / "src" / "rapport"
FIXTURES = Path(__file__).with_name("fixtures")

# What customers read: the portal, survey pages, their data-rights pages and subject access
# summary, the shared page frame and error summary, and any email template.
CUSTOMER_FACING = (
    "portal/templates/portal/*.html",
    "feedback/templates/feedback/answer*.html",
    "privacy/templates/privacy/portal_*.html",
    "privacy/templates/privacy/export_summary.html",
    "knowledge/templates/knowledge/help*.html",
    "web/templates/web/base.html",
    "web/templates/web/_error_summary.html",
    "*/templates/*/email/*",
)


def customer_facing_templates() -> list[Path]:
    return sorted({path for pattern in CUSTOMER_FACING for path in SRC.glob(pattern)})


def test_the_check_finds_unmarked_text_and_its_line():
    found = unmarked(FIXTURES / "unmarked.html", name="unmarked.html")

    assert [str(u) for u in found] == [
        "unmarked.html:5: 'Send us a message' is not marked for translation",
        "unmarked.html:6: 'Our logo' is not marked for translation",
    ]


def test_the_check_passes_marked_text_variables_and_punctuation():
    assert unmarked(FIXTURES / "marked.html") == []


def test_the_list_of_customer_facing_templates_is_not_empty():
    names = {p.relative_to(SRC).as_posix() for p in customer_facing_templates()}
    assert {"portal/templates/portal/case.html", "feedback/templates/feedback/answer.html"} <= names


@pytest.mark.parametrize("path", customer_facing_templates(), ids=lambda p: p.relative_to(SRC).as_posix())
def test_customer_facing_templates_mark_every_string(path):
    found = unmarked(path, name=path.relative_to(SRC).as_posix())
    assert not found, "\n".join(str(u) for u in found)
