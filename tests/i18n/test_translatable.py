"""Customer-facing text is marked for translation, so Welsh (and any other language) is a catalogue
to write, not hundreds of strings to find (ADR 0011)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.i18n.surfaces import SRC, customer_facing_templates
from tests.i18n.untranslated import unmarked

FIXTURES = Path(__file__).with_name("fixtures")


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
    assert {
        "portal/templates/portal/case.html",
        "feedback/templates/feedback/answer.html",
        "knowledge/templates/knowledge/help_article.html",
        "accounts/templates/accounts/login.html",
        "web/templates/web/_language_switch.html",
        "web/templates/404.html",
    } <= names


@pytest.mark.parametrize("path", customer_facing_templates(), ids=lambda p: p.relative_to(SRC).as_posix())
def test_customer_facing_templates_mark_every_string(path):
    found = unmarked(path, name=path.relative_to(SRC).as_posix())
    assert not found, "\n".join(str(u) for u in found)
