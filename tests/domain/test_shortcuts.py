"""Single-key shortcuts a person can turn off or remap (WCAG 2.1.4): the pure rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain.shortcuts import ACTIONS, DEFAULT, DEFAULT_KEYS, binding_problems, shortcuts_from


def test_nothing_chosen_means_every_shortcut_on_with_its_usual_key():
    assert shortcuts_from(None) == DEFAULT
    assert shortcuts_from({}).keys == DEFAULT_KEYS
    assert DEFAULT.enabled is True


def test_a_person_turns_them_all_off():
    assert shortcuts_from({"enabled": False}).enabled is False


def test_a_remapped_key_is_kept_and_an_action_added_later_gets_its_default_unless_taken():
    chosen = shortcuts_from({"keys": {"next": "m", "previous": "k"}})

    assert chosen.keys["next"] == "m"
    # "macro" would be m by default, but m is taken: it is left without a key rather than doubled
    assert "macro" not in chosen.keys
    assert chosen.keys["reply"] == "r"


@pytest.mark.parametrize(
    ("keys", "action", "problem"),
    [
        ({"next": ""}, "next", "Give a key for move to the next case in the queue."),
        ({"next": "jj"}, "next", "Use one key for move to the next case in the queue (a letter, a number or a symbol)."),  # noqa: E501 - the messages verbatim
        ({"next": " "}, "next", "The space bar scrolls the page; choose another key for move to the next case in the queue."),  # noqa: E501 - the messages verbatim
        ({"next": "\t"}, "next", "Use one key for move to the next case in the queue (a letter, a number or a symbol)."),  # noqa: E501 - the messages verbatim
        ({"next": "x", "reply": "x"}, "reply", "'x' is already the key for move to the next case in the queue; give each action its own key."),  # noqa: E501 - the messages verbatim
        ({"explode": "e"}, "explode", "There is no shortcut called 'explode'."),
    ],
)  # fmt: skip
def test_keys_that_cannot_work_are_named(keys, action, problem):
    assert binding_problems(keys) == {action: problem}


def test_the_defaults_have_no_problem():
    assert binding_problems(DEFAULT_KEYS) == {}


@given(st.dictionaries(st.sampled_from(sorted(ACTIONS)), st.characters(), max_size=len(ACTIONS)))
def test_whatever_is_stored_every_key_is_used_once_at_most(stored):
    keys = shortcuts_from({"keys": stored}).keys

    assert len(set(keys.values())) == len(keys)
    assert set(keys) <= set(ACTIONS)
