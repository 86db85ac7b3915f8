"""The Welsh catalogue: complete for every customer-facing surface, never fuzzy (Django would
ignore fuzzy entries and show English), placeholders kept, Welsh plural forms (nplurals=4), and
machine-assisted entries marked as needing review until a Welsh speaker has read them (ADR 0034,
docs/languages.md)."""

from __future__ import annotations

import gettext
import re

import pytest
from babel.messages.pofile import read_po

from rapport.domain.languages import welsh_plural
from tests.i18n.catalogues import LOCALE, compile_stale
from tests.i18n.messages import messages_of
from tests.i18n.surfaces import SRC, customer_facing_python, customer_facing_templates

PO = LOCALE / "cy" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
NEEDS_REVIEW = "Machine-assisted: needs review by a Welsh speaker."
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{ *[\w.]+ *\}\}|\{\w*\}|<code>|</code>")


@pytest.fixture(scope="module")
def catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="cy")


def entries(catalogue):
    return [m for m in catalogue if m.id]


def test_the_catalogue_declares_welsh_and_its_four_plural_forms(catalogue):
    assert str(catalogue.locale) == "cy"
    assert catalogue.num_plurals == 4
    assert catalogue.plural_expr == "(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3"


def test_the_compiled_catalogue_chooses_the_plural_form_the_welsh_rule_gives():
    # Given the catalogue compiled as make and the suite compile it
    compile_stale()
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    # Then its plural function agrees with the rule in rapport.domain.languages for every count
    assert [compiled.plural(n) for n in range(0, 120)] == [welsh_plural(n) for n in range(0, 120)]
    assert [welsh_plural(n) for n in (0, 1, 2, 3, 6, 8, 11, 20)] == [2, 0, 1, 2, 2, 3, 3, 2]


def test_every_plural_entry_has_all_four_forms(catalogue):
    plurals = [m for m in entries(catalogue) if m.pluralizable]
    assert plurals
    for message in plurals:
        assert len(message.string) == 4, message.id
        assert all(message.string), message.id


def test_no_entry_is_fuzzy_or_empty(catalogue):
    # Fuzzy entries are left out of the compiled catalogue: the customer would read English.
    fuzzy = [m.id for m in entries(catalogue) if m.fuzzy]
    empty = [m.id for m in entries(catalogue) if not m.pluralizable and not m.string]
    assert fuzzy == []
    assert empty == []


def test_every_placeholder_is_kept_in_the_welsh(catalogue):
    for message in entries(catalogue):
        source = message.id[0] if message.pluralizable else message.id
        targets = message.string if message.pluralizable else (message.string,)
        for target in targets:
            assert sorted(PLACEHOLDER.findall(target)) == sorted(PLACEHOLDER.findall(source)), source


def test_the_catalogue_translates_every_message_customers_read(catalogue):
    # Given every message the customer-facing templates and modules ask for
    used = messages_of([*customer_facing_templates(), *customer_facing_python()])

    # Then each is in the Welsh catalogue with a translation
    translated = {(m.context, m.id) for m in entries(catalogue) if all(m.string if m.pluralizable else [m.string])}
    missing = sorted(f"{path.relative_to(SRC)}: {key[1]!r}" for key, path in used.items() if key not in translated)
    assert missing == [], "\n".join(["Add these to the Welsh catalogue (docs/languages.md):", *missing])
    # (today's product asks customers to read about three hundred of them)
    assert len(used) >= 280


def test_machine_assisted_entries_say_they_need_review(catalogue):
    # Every entry either carries the review comment or has been reviewed (the comment deleted);
    # nothing else is written in its place.
    comments = {c for m in entries(catalogue) for c in m.user_comments}
    assert comments <= {NEEDS_REVIEW}
    waiting = [m for m in entries(catalogue) if NEEDS_REVIEW in m.user_comments]
    # docs/languages.md says no surface has been reviewed yet: keep the two in step.
    assert len(waiting) == len(entries(catalogue))
    assert (
        "No surface has been reviewed by a Welsh speaker yet" in (SRC.parents[1] / "docs" / "languages.md").read_text()
    )
