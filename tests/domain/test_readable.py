"""Setting values as a person reads them: durations, opening hours, money."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.domain.readable import duration_words, hours_words, money_words, yes_no

OFFICE = {str(d): [["09:00", "17:30"]] for d in range(5)}


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (timedelta(hours=4), "4 hours"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(minutes=30), "30 minutes"),
        (timedelta(days=1, hours=2, minutes=30), "1 day 2 hours 30 minutes"),
        (timedelta(days=14), "2 weeks"),
        (timedelta(days=10), "10 days"),
        (timedelta(0), "none"),
        (timedelta(hours=-2), "minus 2 hours"),
    ],
)
def test_durations_read_as_words(value, words):
    assert duration_words(value) == words


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        (OFFICE, "Mon\u2013Fri 9:00\u201317:30"),
        ({**OFFICE, "5": [["10:00", "13:00"]]}, "Mon\u2013Fri 9:00\u201317:30; Sat 10:00\u201313:00"),
        ({str(d): [["00:00", "24:00"]] for d in range(7)}, "Mon\u2013Sun all day"),
        ({"0": [["08:00", "12:00"], ["13:00", "17:00"]]}, "Mon 8:00\u201312:00, 13:00\u201317:00"),
        ({"0": [["09:00", "17:00"]], "2": [["09:00", "17:00"]]}, "Mon 9:00\u201317:00; Wed 9:00\u201317:00"),
        ({}, "closed"),
    ],
)
def test_opening_hours_group_days_with_the_same_spans(hours, words):
    assert hours_words(hours) == words


def test_money_and_yes_no():
    assert money_words("1250.00") == "\u00a31,250"
    assert money_words("12.5") == "\u00a312.50"
    assert money_words("not money") == "not money"
    assert (yes_no(True), yes_no(False)) == ("Yes", "No")
