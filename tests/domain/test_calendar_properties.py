"""Properties of the business calendar, for every calendar, instant and duration.

What holds (see rapport.domain.calendar's docstring):
* between(s, add(s, d)) == d, and add(s, d) is the *earliest* such instant;
* add(s, between(s, t)) is t, or the last closing before t when t is out of hours;
* add(add(s, d1), d2) == add(s, d1 + d2) for all d1, d2 >= 0: add lands where the target is first
  met, so the second leg starts exactly where the first one's time ran out;
* add is non-decreasing in s and strictly increasing in d;
* between is additive and antisymmetric, 0 <= between(a, b) <= b - a for a <= b, and equals b - a
  on a 24/7 calendar;
* between agrees with an independent oracle: the definition walked minute by minute on the wall clock.
Runs are deterministic (derandomize) and bounded in size.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.domain.bank_holidays import bank_holidays
from rapport.domain.calendar import (
    BusinessCalendar,
    add_business_time,
    business_time_between,
    business_time_between_many,
    to_epoch_us,
)

LONDON = ZoneInfo("Europe/London")
PROPERTY = settings(max_examples=200, derandomize=True, deadline=None)
ORACLE = settings(max_examples=100, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])

US = 1_000_000
MINUTE = 60 * US
HOUR = 60 * MINUTE
LOW = to_epoch_us(datetime(2025, 1, 1, tzinfo=UTC))
HIGH = to_epoch_us(datetime(2028, 1, 1, tzinfo=UTC))
# Where things happen: clock changes, Easter, Christmas, the turn of the year (UTC instants).
LANDMARKS = [
    to_epoch_us(moment)
    for moment in (
        datetime(2025, 3, 30, 1, tzinfo=UTC),
        datetime(2025, 10, 26, 1, tzinfo=UTC),
        datetime(2026, 3, 29, 1, tzinfo=UTC),
        datetime(2026, 10, 25, 1, tzinfo=UTC),
        datetime(2027, 3, 28, 1, tzinfo=UTC),
        datetime(2027, 10, 31, 1, tzinfo=UTC),
        datetime(2026, 4, 3, 12, tzinfo=UTC),
        datetime(2026, 12, 24, 12, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),
    )
]

WEEKDAYS = {day: [("09:00", "17:30")] for day in range(5)}
# Built once, so their layouts are memoised across examples.
CALENDARS = [
    BusinessCalendar(hours=WEEKDAYS, holidays="england"),
    BusinessCalendar(
        hours={day: [("09:00", "12:30"), ("13:30", "17:30")] for day in range(5)},
        holidays="scotland",
        closures=[(datetime(2026, 12, 24, 12), datetime(2026, 12, 25)), date(2026, 12, 31)],
    ),
    # Sunday hours straddling both clock changes
    BusinessCalendar(hours={**WEEKDAYS, 6: [("00:30", "03:00")], 5: [("01:00", "01:30")]}, holidays="northern_ireland"),
    BusinessCalendar.always_open(),
    BusinessCalendar(
        hours={day: [("00:00", "24:00")] for day in range(7)},
        holidays=None,
        closures=[(datetime(2026, 3, 29, 1, 30), datetime(2026, 3, 29, 3)), date(2026, 10, 25)],
    ),
]
ALWAYS_OPEN = CALENDARS[3]

near_landmark = st.sampled_from(LANDMARKS).flatmap(lambda at: st.integers(at - 36 * HOUR, at + 36 * HOUR))
anywhere = st.integers(LOW, HIGH)
on_the_minute = st.integers(LOW // MINUTE, HIGH // MINUTE).map(lambda minute: minute * MINUTE)
epoch_us = st.one_of(near_landmark, anywhere, on_the_minute)
instants = st.builds(
    lambda us, zone: (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)).astimezone(zone),
    epoch_us,
    st.sampled_from([UTC, LONDON]),
)
durations = st.one_of(
    st.just(0),
    st.integers(1, 1_000),
    st.integers(0, 60).map(lambda minutes: minutes * 15 * MINUTE),
    st.integers(0, 120 * HOUR),
).map(lambda us: timedelta(microseconds=us))
calendars = st.sampled_from(CALENDARS)


def utc(moment: datetime) -> datetime:
    """Python compares and subtracts two datetimes of one zone by wall clock, ignoring the fold;
    in UTC every comparison and difference is between instants."""
    return moment.astimezone(UTC)


def after(moment: datetime, us: int) -> datetime:
    return utc(moment) + timedelta(microseconds=us)


@PROPERTY
@given(calendars, instants, durations)
def test_add_then_between_gives_the_duration_back(calendar, start, duration):
    due = add_business_time(calendar, start, duration)

    assert utc(due) >= utc(start)
    assert business_time_between(calendar, start, due) == duration


@PROPERTY
@given(calendars, instants, durations.filter(bool))
def test_add_gives_the_earliest_instant(calendar, start, duration):
    due = add_business_time(calendar, start, duration)

    assert business_time_between(calendar, start, after(due, -1)) < duration


@PROPERTY
@given(calendars, instants, instants)
def test_adding_the_time_between_reaches_the_last_open_instant(calendar, first, second):
    start, end = sorted((first, second), key=utc)

    reached = add_business_time(calendar, start, business_time_between(calendar, start, end))

    assert utc(start) <= utc(reached) <= utc(end)
    assert business_time_between(calendar, reached, end) == timedelta(0)
    if calendar.is_open(end):
        assert utc(reached) == utc(end)


@PROPERTY
@given(calendars, instants, durations, durations)
def test_adding_in_two_legs_is_adding_the_sum(calendar, start, first, second):
    in_two_legs = add_business_time(calendar, add_business_time(calendar, start, first), second)

    assert utc(in_two_legs) == utc(add_business_time(calendar, start, first + second))


@PROPERTY
@given(calendars, instants, durations, durations)
def test_add_grows_with_the_duration(calendar, start, first, second):
    shorter, longer = sorted((first, second))

    sooner, later = utc(add_business_time(calendar, start, shorter)), utc(add_business_time(calendar, start, longer))

    assert sooner < later if shorter < longer else sooner == later


@PROPERTY
@given(calendars, instants, instants, durations)
def test_add_grows_with_the_start(calendar, first, second, duration):
    earlier, later = sorted((first, second), key=utc)

    assert utc(add_business_time(calendar, earlier, duration)) <= utc(add_business_time(calendar, later, duration))


@PROPERTY
@given(calendars, instants, instants, instants)
def test_between_is_additive(calendar, a, b, c):
    assert business_time_between(calendar, a, b) + business_time_between(calendar, b, c) == business_time_between(
        calendar, a, c
    )


@PROPERTY
@given(calendars, instants, instants)
def test_between_is_at_most_the_elapsed_time(calendar, first, second):
    start, end = sorted((first, second), key=utc)

    open_time = business_time_between(calendar, start, end)

    assert timedelta(0) <= open_time <= utc(end) - utc(start)
    assert business_time_between(calendar, end, start) == -open_time


@PROPERTY
@given(instants, instants, durations)
def test_always_open_counts_elapsed_time(first, second, duration):
    assert business_time_between(ALWAYS_OPEN, first, second) == utc(second) - utc(first)
    assert utc(add_business_time(ALWAYS_OPEN, first, duration)) == utc(first) + duration


@PROPERTY
@given(calendars, st.lists(epoch_us, max_size=20), epoch_us)
def test_bulk_between_is_the_single_call(calendar, starts, end):
    bulk = business_time_between_many(calendar, starts, end)

    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    assert bulk == [
        business_time_between(calendar, after(epoch, start), after(epoch, end)) // timedelta(microseconds=1)
        for start in starts
    ]


# -- an independent oracle: the definition, walked minute by minute ----------------------------------

quarter_hours = st.lists(st.integers(0, 96), unique=True, max_size=6).map(sorted)
# Starts near the 2026 clock changes, Easter and Christmas, on the minute (all our boundaries are).
oracle_starts = st.sampled_from(LANDMARKS[2:4] + LANDMARKS[6:8]).flatmap(
    lambda at: st.integers(-36 * 60, 36 * 60).map(lambda minutes: at + minutes * MINUTE)
)


def _clock(quarter: int) -> str:
    return f"{quarter // 4:02}:{quarter % 4 * 15:02}"


@st.composite
def calendar_specs(draw):
    week = {}
    for weekday in range(7):
        marks = draw(quarter_hours)
        week[weekday] = [(marks[index], marks[index + 1]) for index in range(0, len(marks) - 1, 2)]
    nation = draw(st.sampled_from(["england", "scotland", "northern_ireland", None]))
    closed_days = draw(st.lists(st.sampled_from([date(2026, 3, 29), date(2026, 4, 3), date(2026, 12, 24)]), max_size=2))
    closure_starts = draw(st.lists(oracle_starts, max_size=2))
    closures = [
        (start, start + draw(st.integers(1, 12 * 60)) * MINUTE) for start in closure_starts
    ]  # UTC epoch µs, [start, end)
    return week, nation, set(closed_days), closures


def _oracle_open(spec, moment_us: int) -> bool:
    week, nation, closed_days, closures = spec
    local = (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=moment_us)).astimezone(LONDON)
    day = local.date()
    if day in closed_days or (nation is not None and day in bank_holidays(nation, day.year)):
        return False
    if any(start <= moment_us < end for start, end in closures):
        return False
    quarter_minute = local.hour * 60 + local.minute
    return any(start * 15 <= quarter_minute < end * 15 for start, end in week[day.weekday()])


@ORACLE
@given(calendar_specs(), oracle_starts, st.integers(0, 2 * 24 * 60))
def test_between_matches_the_definition_minute_by_minute(spec, start_us, minutes):
    # given a calendar with random quarter-hour opening hours, closures and a nation
    week, nation, closed_days, closures = spec
    calendar = BusinessCalendar(
        hours={weekday: [(_clock(start), _clock(end)) for start, end in spans] for weekday, spans in week.items()},
        holidays=nation,
        closures=[
            *closed_days,
            *((datetime.fromtimestamp(s // US, UTC), datetime.fromtimestamp(e // US, UTC)) for s, e in closures),
        ],
    )
    end_us = start_us + minutes * MINUTE
    epoch = datetime(1970, 1, 1, tzinfo=UTC)

    # when the business time over the range is computed
    open_time = business_time_between(calendar, after(epoch, start_us), after(epoch, end_us))

    # then it is the number of open minutes (every boundary is on a minute), read off the wall clock
    open_minutes = sum(_oracle_open(spec, start_us + minute * MINUTE) for minute in range(minutes))
    assert open_time == timedelta(minutes=open_minutes)
    assert calendar.is_open(after(epoch, start_us)) is _oracle_open(spec, start_us)
