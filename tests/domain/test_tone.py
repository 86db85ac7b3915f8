"""The tone-of-voice checker: whole words, any case and spacing, endings with *, longest first."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain.tone import ToneEntry, check, pattern, phrase_problem

UTILISE = ToneEntry("utilise", "avoid", "Plain speaking", "use")
NOTHING = ToneEntry("nothing we can do", "avoid", "We put it right first time", "here is what we can do")
APOLOGISE = ToneEntry("apologi*", "avoid", "Say sorry and mean it", "sorry")
SORRY = ToneEntry("sorry", "prefer", "Plain speaking: a person says sorry")
WE = ToneEntry("we", "prefer", "We own it")
GUIDE = [UTILISE, NOTHING, APOLOGISE, SORRY]


def found(text, guide=GUIDE):
    return [(m.text, m.entry.phrase, m.start) for m in check(text, guide)]


def test_whole_words_only_whatever_the_case():
    assert found("Please Utilise the form.") == [("Utilise", "utilise", 7)]
    assert found("The utilisation report") == []  # not inside a longer word
    assert found("sorryish") == []


def test_phrases_match_across_spaces_and_line_breaks():
    assert found("There is nothing  we\ncan do.") == [("nothing  we\ncan do", "nothing we can do", 9)]


def test_a_star_matches_any_ending():
    assert found("We apologise. Our apologies.") == [("apologise", "apologi*", 3), ("apologies", "apologi*", 18)]


def test_findings_are_in_order_and_do_not_overlap_the_longer_wins():
    guide = [WE, NOTHING]
    assert found("Sorry, there is nothing we can do; we tried.", guide) == [
        ("nothing we can do", "nothing we can do", 16),
        ("we", "we", 35),
    ]


def test_prefer_entries_are_reported_as_such():
    [match] = check("I'm sorry.", [SORRY])
    assert match.entry.advice == "prefer"


@pytest.mark.parametrize(
    ("phrase", "problem"),
    [
        ("", "Give a word or phrase."),
        ("***", "Give a word or phrase."),
        ("a*b", "Use * only at the end, for any ending."),
        ("x" * 81, "Keep a phrase to 80 characters."),
        ("fine", None),
    ],
)
def test_phrases_a_guide_cannot_hold(phrase, problem):
    assert phrase_problem(phrase) == problem


def test_a_bad_entry_in_a_stored_guide_is_skipped_not_a_crash():
    assert found("a*b text", [ToneEntry("a*b", "avoid", "?")]) == []


@given(
    st.text(max_size=200), st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=20)
)
def test_any_text_and_phrase_check_without_error_and_matches_sit_in_the_text(text, phrase):
    if phrase_problem(phrase):
        return
    entry = ToneEntry(phrase, "avoid", "why")
    matches = check(text, [entry])
    ends = [m.end for m in matches]
    assert all(text[m.start : m.end] == m.text for m in matches)
    assert ends == sorted(ends)
    pattern(phrase)  # compiles for any phrase the guide accepts
