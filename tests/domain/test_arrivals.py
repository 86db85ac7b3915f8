"""The shape of demand: week, day, opening hours, bank holidays and trend."""

from __future__ import annotations

from datetime import date

import pytest

from rapport.domain import arrivals

EASTER_MONDAY = date(2026, 4, 6)  # England and Wales
AUGUST_HOLIDAY = date(2026, 8, 31)


def test_monday_is_busier_than_friday_and_the_weekend_quietest() -> None:
    monday, friday, sunday = date(2026, 3, 2), date(2026, 3, 6), date(2026, 3, 8)
    shapes = [arrivals.shape("email", arrivals.day_kind(d, "england"), 10) for d in (monday, friday, sunday)]
    assert shapes[0] > shapes[1] > shapes[2] > 0


def test_mid_morning_peak_and_quiet_night() -> None:
    monday = arrivals.day_kind(date(2026, 3, 2), "england")
    assert arrivals.shape("email", monday, 10) > arrivals.shape("email", monday, 12)  # the lunchtime dip
    assert arrivals.shape("email", monday, 3) < arrivals.shape("email", monday, 10) / 10


@pytest.mark.parametrize(
    ("channel", "day", "hour", "open_"),
    [
        ("phone", date(2026, 3, 2), 7, False),
        ("phone", date(2026, 3, 2), 8, True),
        ("phone", date(2026, 3, 2), 18, False),
        ("phone", date(2026, 3, 7), 12, True),  # Saturday morning
        ("phone", date(2026, 3, 7), 13, False),
        ("phone", date(2026, 3, 8), 10, False),  # Sunday
        ("chat", date(2026, 3, 2), 19, True),
        ("face_to_face", date(2026, 3, 7), 10, False),
        ("letter", date(2026, 3, 2), 14, False),  # the post is opened in the morning
        ("email", date(2026, 3, 8), 3, True),
    ],
)
def test_opening_hours_per_channel(channel: str, day: date, hour: int, open_: bool) -> None:
    assert arrivals.is_open(channel, arrivals.day_kind(day, "england"), hour) is open_
    assert (arrivals.shape(channel, arrivals.day_kind(day, "england"), hour) > 0) is open_


def test_bank_holiday_closes_live_channels_and_the_day_after_is_busier() -> None:
    holiday = arrivals.day_kind(AUGUST_HOLIDAY, "england")
    after = arrivals.day_kind(date(2026, 9, 1), "england")
    usual_tuesday = arrivals.day_kind(date(2026, 9, 8), "england")
    assert holiday.holiday
    assert arrivals.shape("phone", holiday, 10) == 0
    assert arrivals.shape("email", holiday, 10) == arrivals.shape(
        "email", arrivals.day_kind(date(2026, 9, 6), "england"), 10
    )
    assert after.after_holiday
    assert arrivals.shape("phone", after, 10) == pytest.approx(
        arrivals.shape("phone", usual_tuesday, 10) * arrivals.AFTER_HOLIDAY
    )


def test_the_nation_decides_the_holidays() -> None:
    # Easter Monday is a bank holiday in England, not in Scotland.
    assert arrivals.day_kind(EASTER_MONDAY, "england").holiday
    assert not arrivals.day_kind(EASTER_MONDAY, "scotland").holiday
    assert arrivals.day_kind(date(2026, 4, 7), "england").after_holiday


def test_after_a_friday_holiday_the_monday_is_busier() -> None:
    # Good Friday 2026 is 3 April; Easter Monday follows it, so take Boxing Day 2025 (a Friday).
    assert arrivals.day_kind(date(2025, 12, 29), "england").after_holiday


def test_demand_grows_gently() -> None:
    assert arrivals.trend(0) == 1.0
    assert arrivals.trend(365) == pytest.approx(1 + arrivals.TREND_PER_YEAR)
