"""Who an internal note mentions (rapport.domain.mentions)."""

from __future__ import annotations

import pytest

from rapport.domain.mentions import Person, handle_of, mentioned

PEOPLE = [
    Person(1, "Megan Jones", "megan.jones"),
    Person(2, "Sam", "sam"),
    Person(3, "Sam Patel", "s.patel"),
    Person(4, "Samira Khan", "samira"),
]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("@megan.jones can you call them?", {1}),
        ("Thanks @Megan Jones.", {1}),
        ("@MEGAN JONES, please", {1}),
        ("@Sam Patel to review", {3}),
        ("@Sam to review", {2}),
        ("@Samira and @s.patel", {3, 4}),
        ("(@sam) agreed", {2}),
        ("write to megan.jones@example.com", set()),
        ("@Samuel is nobody here", set()),
        ("no mention at all", set()),
    ],
)
def test_mentions_by_handle_or_display_name(text, ids):
    assert mentioned(text, PEOPLE) == ids


def test_a_handle_is_the_local_part_of_the_work_email():
    assert handle_of("Megan.Jones@rapport.example") == "megan.jones"
