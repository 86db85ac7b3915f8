"""Case references: formatting and parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain.references import format_reference, parse_reference


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("C-000123", 123),
        ("c-123", 123),
        (" C-1 ", 1),
        ("C123", 123),
        ("C-1234567", 1234567),
        ("C-000000", None),
        ("123", None),
        ("C-", None),
        ("C-12a", None),
        ("", None),
        ("D-000001", None),
    ],
)
def test_parse(text, number):
    assert parse_reference(text) == number


def test_format_pads_to_six_digits():
    assert format_reference(42) == "C-000042"
    assert format_reference(1_234_567) == "C-1234567"


def test_format_refuses_non_positive_numbers():
    with pytest.raises(ValueError, match="start at 1"):
        format_reference(0)


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_round_trip(number):
    assert parse_reference(format_reference(number)) == number
