"""Finding and removing a person's identifiers in text (rapport.domain.anonymise)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain.anonymise import Flag, Identity, Known, identity_pattern, mentions, scrub, third_party_flags

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


def test_mentions_find_full_names_titles_emails_and_phones():
    found = mentions(
        "Yesterday my neighbour Margaret Ellis said Dr Patel rang. Email m.e@example.net or 0113 496 0001."
    )
    assert "Margaret Ellis" in found.names
    assert "Yesterday" not in found.names  # a single word is never a name candidate
    assert found.titled == ("Dr Patel",)
    assert found.emails == ("m.e@example.net",)
    assert found.phones == ("0113 496 0001",)
    assert found.phone_keys() == {"01134960001", "441134960001"}


@pytest.mark.parametrize(
    "text",
    [
        "Rose bushes by the door. Hope you can help. Rose said yes.",
        "I hope Rose, my sister, will call. Hope.",
        "Rose\nSmith",  # a new line ends a name
        "Rose, Smith and others",  # so does a comma
    ],
)
def test_a_single_first_name_is_not_a_candidate(text):
    assert "Rose Smith" not in mentions(text).names
    assert not any(" " not in n for n in mentions(text).names)


def test_known_customers_are_flagged_as_customers_with_who_was_matched():
    known = Known(names={"margaret ellis": 7}, emails={"meg@example.net": 7}, phones={"01134960001": 8})
    text = "Alice Jones here. My neighbour Margaret Ellis (meg@example.net, +44 113 496 0001) and sam@example.org."
    assert third_party_flags(text, ALICE, known=known) == (
        Flag("customer", "meg@example.net", 7, "email"),
        Flag("email", "sam@example.org"),
        Flag("customer", "+44 113 496 0001", 8, "phone"),
        Flag("customer", "Margaret Ellis", 7, "name"),
    )


def test_the_subjects_own_name_is_never_flagged_even_if_another_customer_shares_it():
    known = Known(names={"alice jones": 99})
    assert third_party_flags("This is Alice Jones, Ms Jones to you.", ALICE, known=known) == ()


def test_titled_names_are_flagged_unless_they_are_the_subjects_or_already_matched():
    known = Known(names={"margaret ellis": 7})
    flags = third_party_flags("Mrs Margaret Ellis and Dr Patel; Ms Jones.", ALICE, known=known)
    assert flags == (Flag("customer", "Margaret Ellis", 7, "name"), Flag("name", "Dr Patel"))
