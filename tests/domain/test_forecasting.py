"""Forecasting: the daily model times the intraday profile, holidays, events, and honest accuracy."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from rapport.domain import arrivals, forecasting
from rapport.domain.forecasting import Series, Uplift

START = date(2025, 6, 2)  # a Monday
NATION = "england"


def synthetic(channel: str, *, days: int, per_day: float = 400.0, seed: int = 1, interval: int = 60) -> Series:
    """Contacts drawn (Poisson by the normal approximation) around the arrival shape of a channel."""
    rng = random.Random(seed)
    slots = forecasting.slots_per_day(interval)
    rows = []
    for index in range(days):
        day = START + timedelta(days=index)
        kind = arrivals.day_kind(day, NATION)
        row = []
        for slot in range(slots):
            hour = slot * interval // 60
            mean = per_day / 24 * arrivals.shape(channel, kind, hour) * arrivals.trend(index) * interval / 60
            row.append(float(max(round(rng.gauss(mean, mean**0.5)), 0)) if mean else 0.0)
        rows.append(tuple(row))
    return Series(START, tuple(rows))


def test_interval_must_divide_the_day_as_planners_do() -> None:
    assert forecasting.slots_per_day(15) == 96
    with pytest.raises(ValueError, match="15, 30 or 60"):
        forecasting.slots_per_day(20)


def test_two_weeks_of_history_are_needed() -> None:
    with pytest.raises(ValueError, match="two weeks"):
        forecasting.fit_daily(synthetic("email", days=10), nation=NATION)


def test_forecast_follows_the_week_and_the_day() -> None:
    # given half a year of phone calls
    series = synthetic("phone", days=182)
    monday = series.day(series.days) + timedelta(days=(7 - series.day(series.days).weekday()) % 7)

    # when the next fortnight is forecast
    rows = forecasting.forecast(series, start=series.day(series.days), days=14, nation=NATION)
    by_day = {series.day(series.days) + timedelta(days=i): row for i, row in enumerate(rows)}

    # then Monday is busier than Friday, the phone is quiet on Sunday and out of hours
    friday, sunday = monday + timedelta(days=4), monday + timedelta(days=6)
    assert sum(by_day[monday]) > sum(by_day[friday]) > 0
    assert sum(by_day[sunday]) == pytest.approx(0, abs=1e-9)
    assert by_day[monday][3] == 0  # 03:00
    assert by_day[monday][10] > by_day[monday][12]  # the mid-morning peak over lunch


def test_a_bank_holiday_expects_no_calls_and_the_day_after_more() -> None:
    # given history up to the week before the August bank holiday (Monday 25 August 2025)
    series = synthetic("phone", days=(date(2025, 8, 18) - START).days)

    # when the holiday's week is forecast
    rows = forecasting.forecast(series, start=date(2025, 8, 18), days=14, nation=NATION)
    holiday, tuesday_after = rows[7], rows[8]
    usual_tuesday = rows[1]

    # then the phones are closed on the holiday and busier the day after
    assert sum(holiday) == pytest.approx(0, abs=1e-9)
    assert sum(tuesday_after) > sum(usual_tuesday) * 1.1


def test_the_day_after_uplift_is_measured_from_the_history() -> None:
    # the synthetic history carries arrivals.AFTER_HOLIDAY; a year of it shows the uplift again
    model = forecasting.fit_daily(synthetic("email", days=364), nation=NATION)
    assert model.after_holiday == pytest.approx(arrivals.AFTER_HOLIDAY, abs=0.2)


def test_known_events_lift_their_channel_and_days_only() -> None:
    series = synthetic("email", days=84)
    start = series.day(series.days)
    recall = Uplift(start + timedelta(days=1), start + timedelta(days=2), 1.5, channel="email")
    plain = forecasting.forecast(series, start=start, days=4, nation=NATION, channel="email")
    lifted = forecasting.forecast(series, start=start, days=4, nation=NATION, uplifts=[recall], channel="email")
    other = forecasting.forecast(series, start=start, days=4, nation=NATION, uplifts=[recall], channel="phone")
    assert sum(lifted[0]) == pytest.approx(sum(plain[0]))
    assert sum(lifted[1]) == pytest.approx(sum(plain[1]) * 1.5)
    assert sum(other[1]) == pytest.approx(sum(plain[1]))


def test_profile_shares_sum_to_one_per_open_weekday() -> None:
    profile = forecasting.intraday_profile(synthetic("phone", days=56), nation=NATION)
    assert sum(profile[0]) == pytest.approx(1.0)
    assert sum(profile[6]) == 0  # closed on Sundays


def test_seasonal_naive_is_the_same_interval_last_week() -> None:
    series = synthetic("email", days=21)
    rows = forecasting.seasonal_naive(series, start=series.day(21), days=10)
    assert rows[0] == list(series.counts[14])
    assert rows[8] == rows[1]  # beyond the history it repeats its own first week


def test_wape_and_bias() -> None:
    # forecast 10 and 30 against actual 20 and 20: |-10| + |10| over 40 is 50%, bias 0
    assert forecasting.accuracy([[10, 30]], [[20, 20]]) == forecasting.Accuracy(0.5, 0.0, 40)
    assert forecasting.accuracy([[30, 30]], [[20, 20]]).bias == pytest.approx(0.5)
    assert forecasting.accuracy([[0]], [[0]]).wape == 0


def test_backtest_beats_seasonal_naive_on_a_noisy_shaped_history() -> None:
    # given a year of noisy email with holidays in it
    series = synthetic("email", days=364, per_day=300)

    # when backtested over four rolling origins
    result = forecasting.backtest(series, nation=NATION, origins=4)

    # then it is scored against the naive forecast, and smooths the noise that naive copies
    assert result is not None
    assert result.origins == 4
    assert result.beats_naive
    assert result.model.wape < 0.5
    assert abs(result.model.bias) < 0.1


def test_a_forecast_that_cannot_beat_naive_says_so() -> None:
    # given a history that repeats one week exactly, then jumps: the naive copy of last week wins
    week = [tuple(float(d * 10 + s) for s in range(24)) for d in range(7)]
    series = Series(START, tuple(week * 6 + [tuple(v * 3 for v in row) for row in week] * 2))
    result = forecasting.backtest(series, nation="scotland", origins=1)
    assert result is not None
    assert not result.beats_naive


def test_backtest_needs_history() -> None:
    assert forecasting.backtest(synthetic("email", days=15), nation=NATION) is None
