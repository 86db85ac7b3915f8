"""Case references: formatting and parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain.references import format_reference, parse_reference, reference_asked_for


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


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("C-000041", 41),
        ("c-41", 41),
        ("C41", 41),
        ("000041", 41),
        ("41", 41),
        (" #41 ", 41),
        ("0", None),
        ("C-000000", None),
        ("41 kettles", None),
        ("order 41", None),
        ("", None),
        ("-41", None),
    ],
)
def test_a_reference_or_bare_number_asks_for_a_case(text, number):
    assert reference_asked_for(text) == number
