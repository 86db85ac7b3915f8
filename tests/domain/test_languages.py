"""The languages customers are served in: codes and tags, the Welsh plural rule, and telling a
Welsh reply from an English one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain import languages


@pytest.mark.parametrize(("code", "tag"), [("en", "en-gb"), ("cy", "cy"), ("fr", "en-gb"), ("", "en-gb")])
def test_each_code_has_the_tag_of_its_catalogue_and_anything_else_is_english(code, tag):
    assert languages.tag_for(code) == tag


@pytest.mark.parametrize(
    ("tag", "code"), [("cy-GB", "cy"), ("cy", "cy"), ("en_GB", "en"), ("EN-us", "en"), ("ga", "en")]
)
def test_a_browser_tag_names_the_code_of_its_language(tag, code):
    assert languages.code_for(tag) == code


@pytest.mark.parametrize(
    ("value", "code"), [("cy", "cy"), ("en", "en"), ("en-gb", "en"), ("EN-GB", "en"), ("fr", "fr")]
)
def test_a_switch_may_send_the_code_or_the_tag(value, code):
    assert languages.chosen(value) == code


@pytest.mark.parametrize(
    ("n", "form"), [(0, 2), (1, 0), (2, 1), (3, 2), (4, 2), (6, 2), (8, 3), (11, 3), (12, 2), (100, 2)]
)
def test_the_welsh_plural_rule_gives_gettexts_form(n, form):
    assert languages.welsh_plural(n) == form


@given(st.integers(min_value=0, max_value=10**9))
def test_every_count_has_one_of_the_four_welsh_forms(n):
    # the rule as written in the catalogue header, evaluated the way gettext does
    expected = 0 if n == 1 else 1 if n == 2 else 2 if n not in (8, 11) else 3
    assert languages.welsh_plural(n) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Diolch am eich neges. Rydym wedi ad-dalu'r arian i'ch cyfrif heddiw, a bydd yn ymddangos cyn bo hir.", "cy"),
        ("Annwyl Mr Jones, mae eich archeb ar y ffordd ac fe fydd gyda chi ddydd Gwener.", "cy"),
        ("Thank you for your message. We have refunded the money to your account today.", "en"),
        ("Dear Mrs Evans, your order is on its way and will be with you on Friday.", "en"),
        ("OK", None),
        ("Thanks, diolch!", None),
    ],
)
def test_a_reply_is_recognised_as_welsh_or_english_or_left_undecided(text, code):
    assert languages.guess_language(text).code == code


def test_a_reply_in_the_language_the_customer_did_not_choose_is_named():
    english = "Thank you for your message. We will call you on Monday to arrange the repair."
    welsh = "Diolch am eich neges. Byddwn yn eich ffonio ddydd Llun i drefnu'r gwaith."

    assert languages.language_mismatch(english, "cy") == "en"
    assert languages.language_mismatch(welsh, "en") == "cy"
    assert languages.language_mismatch(welsh, "cy") is None
    assert languages.language_mismatch("Diolch!", "en") is None  # too short to tell
