"""Bank holidays by nation, including substitute days."""

from __future__ import annotations

from datetime import date

import pytest

from rapport.domain.bank_holidays import bank_holidays, is_working_day, next_working_day


@pytest.mark.parametrize(
    ("nation", "day", "holiday"),
    [
        ("england", date(2026, 4, 6), True),  # Easter Monday
        ("scotland", date(2026, 4, 6), False),  # not a bank holiday in Scotland
        ("scotland", date(2026, 1, 2), True),
        ("england", date(2026, 1, 2), False),
        ("scotland", date(2026, 11, 30), True),  # St Andrew's Day
        ("northern_ireland", date(2026, 3, 17), True),
        ("northern_ireland", date(2026, 7, 13), True),  # 12 July falls on a Sunday: substitute Monday
        ("england", date(2026, 12, 28), True),  # Boxing Day on Saturday: substitute Monday
        ("wales", date(2027, 12, 27), True),  # Christmas Day 2027 on Saturday: substitute Monday
    ],
)
def test_nation_lists(nation, day, holiday):
    assert (day in bank_holidays(nation, day.year)) is holiday


def test_working_days_skip_weekends_and_holidays():
    assert not is_working_day(date(2026, 12, 26), "england")  # Saturday
    assert next_working_day(date(2026, 12, 25), "england") == date(2026, 12, 29)
    assert next_working_day(date(2026, 12, 24), "england") == date(2026, 12, 24)


def test_unknown_nation_is_refused():
    with pytest.raises(ValueError, match="nation must be one of"):
        bank_holidays("france", 2026)
