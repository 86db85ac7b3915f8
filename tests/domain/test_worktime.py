"""Durations, days and timers of time tracking (``domain.worktime``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain import worktime
from rapport.domain.worktime import WorkTimeRefused

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("45", 45), (" 45 ", 45), ("1:30", 90), ("0:05", 5), ("24:00", 1440), ("1440", 1440), ("10:00", 600)],
)
def test_a_duration_is_minutes_or_hours_and_minutes(text, minutes):
    assert worktime.parse_duration(text) == minutes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", worktime.DURATION_REQUIRED),
        ("  ", worktime.DURATION_REQUIRED),
        ("0", worktime.DURATION_NOT_POSITIVE),
        ("0:00", worktime.DURATION_NOT_POSITIVE),
        ("-5", worktime.DURATION_NOT_POSITIVE),
        ("-1:30", worktime.DURATION_NOT_POSITIVE),
        ("1441", worktime.DURATION_TOO_LONG),
        ("24:01", worktime.DURATION_TOO_LONG),
        ("1.5", worktime.DURATION_UNREADABLE),
        ("1:75", worktime.DURATION_UNREADABLE),
        ("1h30", worktime.DURATION_UNREADABLE),
        ("ten", worktime.DURATION_UNREADABLE),
    ],
)
def test_a_duration_that_cannot_be_recorded_is_refused_on_the_minutes_field(text, message):
    with pytest.raises(WorkTimeRefused) as refused:
        worktime.parse_duration(text)
    assert (refused.value.field, refused.value.message) == ("minutes", message)


def test_a_day_in_the_future_is_refused_and_today_is_fine():
    today = date(2026, 3, 2)
    assert worktime.check_day(today, today=today) == today
    assert worktime.check_day(date(2025, 12, 31), today=today) == date(2025, 12, 31)
    with pytest.raises(WorkTimeRefused) as refused:
        worktime.check_day(date(2026, 3, 3), today=today)
    assert (refused.value.field, refused.value.message) == ("worked_on", worktime.DATE_IN_FUTURE)


@pytest.mark.parametrize(
    ("ran", "minutes"),
    [
        (timedelta(seconds=5), 1),
        (timedelta(seconds=89), 1),
        (timedelta(seconds=91), 2),
        (timedelta(minutes=45), 45),
        (timedelta(hours=24), 1440),
        (timedelta(seconds=-30), 1),  # a clock stepped back: still at least a minute
    ],
)
def test_a_timer_records_its_running_time_to_the_nearest_minute(ran, minutes):
    assert worktime.timer_minutes(T0, T0 + ran) == minutes


def test_a_timer_left_running_for_more_than_a_day_records_nothing():
    with pytest.raises(WorkTimeRefused) as refused:
        worktime.timer_minutes(T0, T0 + timedelta(hours=24, seconds=1))
    assert (refused.value.field, refused.value.message) == ("timer", worktime.TIMER_TOO_LONG)


@pytest.mark.parametrize(
    ("minutes", "words", "clock"), [(5, "5 min", "0:05"), (60, "1 h", "1:00"), (90, "1 h 30 min", "1:30")]
)
def test_durations_in_words(minutes, words, clock):
    assert worktime.in_words(minutes) == words
    assert worktime.hours_minutes(minutes) == clock


def test_an_average_of_nothing_is_not_zero():
    assert worktime.average(0, 0) is None
    assert worktime.average(90, 2) == 45


@given(st.integers(min_value=1, max_value=worktime.MAX_MINUTES))
def test_every_recordable_duration_reads_back_the_same_either_way(minutes):
    assert worktime.parse_duration(str(minutes)) == minutes
    assert worktime.parse_duration(worktime.hours_minutes(minutes)) == minutes


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=24)))
def test_a_timer_never_records_less_than_a_minute_or_more_than_a_day(ran):
    assert 1 <= worktime.timer_minutes(T0, T0 + ran) <= worktime.MAX_MINUTES
