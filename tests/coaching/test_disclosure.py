"""Small-numbers disclosure control: primary and secondary suppression (ONS/GSS, ICO)."""

from __future__ import annotations

import itertools

import pytest

from rapport.domain.disclosure import MINIMUM_GROUP, disclosed


def test_groups_of_five_or_more_are_shown_with_the_total():
    found = disclosed({"a": 5, "b": 9, "c": 12})
    assert found.shown == {"a", "b", "c"}
    assert found.total_shown
    assert not found.suppressed


def test_a_group_below_five_is_suppressed_and_so_is_the_smallest_other_group():
    # 3 alone could be read as total - (8 + 12): the next smallest group hides it too.
    found = disclosed({"a": 3, "b": 8, "c": 12})
    assert found.suppressed == {"a", "b"}
    assert found.shown == {"c"}
    assert found.total_shown


def test_two_small_groups_that_together_stay_below_five_pull_in_a_third():
    # 1 + 2 = 3: the total minus the shown groups would reveal a group of three.
    found = disclosed({"a": 1, "b": 2, "c": 6, "d": 7})
    assert found.suppressed == {"a", "b", "c"}
    assert found.shown == {"d"}


def test_people_outside_every_group_count_with_the_hidden():
    # 2 people in no team: total 20 minus the groups reveals them unless a group is hidden too.
    found = disclosed({"a": 8, "b": 10}, total=20)
    assert found.suppressed == {"a"}
    assert found.shown == {"b"}


def test_a_total_below_five_is_never_shown():
    found = disclosed({"a": 2, "b": 1})
    assert not found.total_shown
    assert found.shown == frozenset()


def test_when_every_group_is_hidden_and_the_rest_is_too_small_the_total_goes_too():
    found = disclosed({"a": 4, "b": 0}, total=4)
    assert not found.total_shown


def test_empty_groups_are_neither_shown_nor_suppressed():
    found = disclosed({"a": 0, "b": 6, "c": 7})
    assert found.suppressed == frozenset()
    assert found.shown == {"b", "c"}


def test_ties_are_broken_by_key_so_the_table_is_stable():
    assert disclosed({"z": 6, "y": 6, "a": 2}).suppressed == {"a", "y"}


def test_bad_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        disclosed({"a": -1})
    with pytest.raises(ValueError, match="smaller than its groups"):
        disclosed({"a": 6}, total=5)


@pytest.mark.parametrize("counts", list(itertools.product(range(0, 9), repeat=3)))
def test_no_shown_figure_reveals_a_group_below_five(counts):
    """Exhaustively for three groups of 0-8 people: everything shown rests on five or more, and
    what the total minus the shown groups leaves is either nothing or five or more people."""
    groups = dict(zip("abc", counts, strict=True))
    found = disclosed(groups)
    assert all(groups[key] >= MINIMUM_GROUP for key in found.shown)
    if found.total_shown:
        hidden = sum(groups.values()) - sum(groups[key] for key in found.shown)
        assert hidden == 0 or hidden >= MINIMUM_GROUP
        assert len([k for k in found.suppressed if groups[k] > 0]) != 1
