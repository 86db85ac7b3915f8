"""Finding and removing a person's identifiers in text (rapport.domain.anonymise)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain.anonymise import Flag, Identity, identity_pattern, scrub, third_party_flags

ALICE = Identity("Alice Jones", "alice@example.com", "07700 900123")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("From Alice Jones", "From [erased]"),
        ("from ALICE   JONES!", "from [erased]!"),
        ("mail ALICE@Example.com now", "mail [erased] now"),
        ("ring 07700900123", "ring [erased]"),
        ("ring 07700-900-123", "ring [erased]"),
        ("ring +44 7700 900123", "ring [erased]"),
        ("ring +44 (0)7700 900 123", "ring [erased]"),
        ("Dear Alice, thanks", "Dear Alice, thanks"),  # name parts only on the person's own cases
        ("Alicent and Jonesy", "Alicent and Jonesy"),
    ],
)
def test_scrub_full_identity(text, expected):
    assert scrub(text, identity_pattern(ALICE)) == expected


def test_scrub_name_parts_on_own_cases_only_whole_words():
    pattern = identity_pattern(ALICE, name_parts=True)
    assert scrub("Dear Alice, Ms Jones. Alicent stays.", pattern) == "Dear [erased], Ms [erased]. Alicent stays."


def test_short_name_parts_are_left_alone():
    pattern = identity_pattern(Identity("Jo Li"), name_parts=True)
    assert scrub("Jo Li, Jo, Li", pattern) == "[erased], Jo, Li"


def test_empty_identity_changes_nothing():
    assert identity_pattern(Identity("")) is None
    assert scrub("anything", None) == "anything"


def test_search_terms_include_last_six_phone_digits():
    assert ALICE.search_terms() == ("Alice Jones", "alice@example.com", "07700 900123", "900123")


@given(st.text(max_size=60), st.text(max_size=60))
def test_scrubbed_text_never_keeps_the_email(before, after):
    text = f"{before}alice@example.com{after}"
    assert "alice@example.com" not in scrub(text, identity_pattern(ALICE)).lower()


def test_third_party_flags_other_contacts_and_named_people():
    text = "Alice here (alice@example.com, 07700 900123). My son bob@example.org, 0113 496 0000. Ask Priya Shah."
    assert third_party_flags(text, ALICE, ["Priya Shah", "Sam Lee"]) == (
        Flag("email", "bob@example.org"),
        Flag("phone", "0113 496 0000"),
        Flag("name", "Priya Shah"),
    )


def test_no_flags_for_the_subject_alone():
    assert third_party_flags("alice@example.com 07700900123", ALICE) == ()
