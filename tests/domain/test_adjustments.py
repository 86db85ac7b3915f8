"""Reasonable adjustments as rules (Equality Act 2010 ss.20, 29)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain.adjustments import CHARGE_REFUSED, MAX_EXTRA_MINUTES, charge_refusal, extra_time


@given(st.integers(min_value=1, max_value=10**9))
def test_any_charge_linked_to_an_adjustment_is_refused(pence):
    assert charge_refusal(pence, linked_to_adjustment=True) == CHARGE_REFUSED


def test_charges_not_linked_or_zero_are_not_this_rules_business():
    assert charge_refusal(500, linked_to_adjustment=False) is None
    assert charge_refusal(0, linked_to_adjustment=True) is None


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        ([], timedelta()),
        ([60], timedelta(hours=1)),
        ([60, 240], timedelta(hours=4)),
        ([10**9], timedelta(minutes=MAX_EXTRA_MINUTES)),
    ],
)
def test_extra_time_is_the_largest_adjustment_capped(minutes, expected):
    assert extra_time(minutes) == expected
