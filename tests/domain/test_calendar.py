"""The business calendar: worked examples over real 2025-2027 UK bank holidays and clock changes.

Seed 000 / domain.md §3: SLA time is counted in business hours with the bank holidays of the right
nation. Unless a test says otherwise the office is open Monday to Friday, 09:00-17:30 London time,
so a working day holds 8 h 30 min of business time.
"""

from __future__ import annotations

import pickle
import random
import re
from dataclasses import FrozenInstanceError
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from rapport.domain import calendar as calendar_module
from rapport.domain.calendar import (
    BusinessCalendar,
    add_business_time,
    add_business_time_many,
    business_time_between,
    business_time_between_many,
    from_epoch_us,
    to_epoch_us,
)

LONDON = ZoneInfo("Europe/London")
OFFICE_HOURS = {day: [("09:00", "17:30")] for day in range(5)}
EIGHT_HOURS = timedelta(hours=8)


def office(nation="england", **extra):
    return BusinessCalendar(hours=OFFICE_HOURS, tz="Europe/London", holidays=nation, **extra)


def london(*parts):
    return datetime(*parts, tzinfo=LONDON)


# -- bank holidays by nation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nation", "raised", "due"),
    [
        # Thursday before Easter 2026: Good Friday (3 April) and Easter Monday (6 April) are skipped.
        ("england", london(2026, 4, 2, 16), london(2026, 4, 7, 15, 30)),
        ("wales", london(2026, 4, 2, 16), london(2026, 4, 7, 15, 30)),
        ("northern_ireland", london(2026, 4, 2, 16), london(2026, 4, 7, 15, 30)),
        # Easter Monday is not a bank holiday in Scotland.
        ("scotland", london(2026, 4, 2, 16), london(2026, 4, 6, 15, 30)),
        # 2 January is a bank holiday in Scotland only (Friday 2 January 2026).
        ("england", london(2025, 12, 31, 16), london(2026, 1, 2, 15, 30)),
        ("scotland", london(2025, 12, 31, 16), london(2026, 1, 5, 15, 30)),
        # St Patrick's Day (Tuesday 17 March 2026) in Northern Ireland only.
        ("northern_ireland", london(2026, 3, 16, 16), london(2026, 3, 18, 15, 30)),
        ("england", london(2026, 3, 16, 16), london(2026, 3, 17, 15, 30)),
        # Battle of the Boyne, Monday 12 July 2027, in Northern Ireland only.
        ("northern_ireland", london(2027, 7, 9, 16), london(2027, 7, 13, 15, 30)),
        ("scotland", london(2027, 7, 9, 16), london(2027, 7, 12, 15, 30)),
        # Christmas 2027 falls on a weekend: Monday 27 and Tuesday 28 December are substitute days.
        ("england", london(2027, 12, 24, 16), london(2027, 12, 29, 15, 30)),
        ("scotland", london(2027, 12, 24, 16), london(2027, 12, 29, 15, 30)),
        ("northern_ireland", london(2027, 12, 24, 16), london(2027, 12, 29, 15, 30)),
        # Boxing Day 2026 is a Saturday: substitute Monday 28 December.
        ("england", london(2026, 12, 24, 16), london(2026, 12, 29, 15, 30)),
        # No bank holidays at all: Good Friday is a working day.
        (None, london(2026, 4, 2, 16), london(2026, 4, 3, 15, 30)),
    ],
)
def test_eight_business_hours_skip_the_nations_bank_holidays(nation, raised, due):
    # given a case raised at 16:00, 1 h 30 min before closing
    calendar = office(nation)

    # when 8 business hours are added
    result = add_business_time(calendar, raised, EIGHT_HOURS)

    # then 6 h 30 min are left for the next working day of that nation: due at 15:30
    assert result == due
    assert business_time_between(calendar, raised, result) == EIGHT_HOURS


@pytest.mark.parametrize(
    ("nation", "open_time"),
    [
        ("england", timedelta(hours=8, minutes=30)),  # Thursday only
        ("scotland", timedelta(hours=17)),  # Thursday and Easter Monday
    ],
)
def test_business_time_across_easter_2025(nation, open_time):
    start, end = london(2025, 4, 17, 9), london(2025, 4, 22, 9)

    assert business_time_between(office(nation), start, end) == open_time


def test_a_year_of_office_hours_in_england():
    # 2026 has 261 weekdays, 8 of them English bank holidays (Boxing Day is a Saturday).
    open_time = business_time_between(office(), london(2026, 1, 1), london(2027, 1, 1))

    assert open_time == (261 - 8) * timedelta(hours=8, minutes=30)


# -- where add lands ------------------------------------------------------------------------------


def test_a_target_met_at_closing_time_is_due_at_closing_time():
    # not at the next opening: the earliest instant by which 8 h 30 min have passed
    assert add_business_time(office(), london(2026, 3, 5, 9), timedelta(hours=8, minutes=30)) == london(
        2026, 3, 5, 17, 30
    )


def test_a_target_starting_out_of_hours_counts_from_the_next_opening():
    # Saturday evening: the clock starts on Monday at 09:00
    assert add_business_time(office(), london(2026, 3, 7, 20), timedelta(hours=1)) == london(2026, 3, 9, 10)


def test_a_zero_target_is_due_at_once_even_out_of_hours():
    saturday = datetime(2026, 3, 7, 20, tzinfo=UTC)

    due = add_business_time(office(), saturday, timedelta(0))

    assert due == saturday
    assert due.tzinfo is LONDON


def test_answers_are_in_the_calendars_time_zone():
    due = add_business_time(office(), datetime(2026, 7, 1, 8, tzinfo=UTC), timedelta(hours=1))

    assert due.tzinfo is LONDON
    assert (due.hour, due.utcoffset()) == (10, timedelta(hours=1))  # 09:00 BST is 08:00 UTC


def test_between_backwards_is_negative():
    start, end = london(2026, 4, 2, 16), london(2026, 4, 7, 15, 30)

    assert business_time_between(office(), end, start) == -EIGHT_HOURS
    assert business_time_between(office(), start, start) == timedelta(0)


def test_exact_to_the_microsecond():
    start = london(2026, 3, 5, 9, 0, 0, 1)
    duration = timedelta(hours=3, microseconds=999_999)

    due = add_business_time(office(), start, duration)

    assert due == london(2026, 3, 5, 12, 0, 1)
    assert business_time_between(office(), start, due) == duration


def test_a_target_years_away_extends_the_layout():
    # 10,000 business hours is about 4 years and 8 months of office days
    start = london(2026, 3, 5, 9)

    due = add_business_time(office(), start, timedelta(hours=10_000))

    assert due.year == 2030
    assert business_time_between(office(), start, due) == timedelta(hours=10_000)


# -- several intervals a day ----------------------------------------------------------------------

LUNCH = {day: [("13:30", "17:30"), ("09:00", "12:30")] for day in range(5)}  # any order


def test_lunch_break_is_not_business_time():
    calendar = BusinessCalendar(hours=LUNCH, holidays="england")

    assert business_time_between(calendar, london(2026, 3, 9), london(2026, 3, 10)) == timedelta(hours=7, minutes=30)
    assert add_business_time(calendar, london(2026, 3, 9, 12), timedelta(hours=1)) == london(2026, 3, 9, 14)
    assert add_business_time(calendar, london(2026, 3, 9, 12, 45), timedelta(minutes=1)) == london(2026, 3, 9, 13, 31)
    assert not calendar.is_open(london(2026, 3, 9, 12, 45))
    assert calendar.is_open(london(2026, 3, 9, 13, 30))


def test_a_day_can_run_to_midnight():
    late = BusinessCalendar(hours={4: [("18:00", "24:00")], 5: [("00:00", "02:00")]}, holidays=None)

    # Friday evening into Saturday morning is one unbroken span
    assert add_business_time(late, london(2026, 3, 6, 23), timedelta(hours=2)) == london(2026, 3, 7, 1)
    assert business_time_between(late, london(2026, 3, 6), london(2026, 3, 8)) == timedelta(hours=8)


# -- clock changes --------------------------------------------------------------------------------

SPRING_FORWARD = date(2026, 3, 29)  # 01:00 GMT becomes 02:00 BST
FALL_BACK = date(2026, 10, 25)  # 02:00 BST becomes 01:00 GMT


@pytest.mark.parametrize(
    ("day", "hours"),
    [(SPRING_FORWARD, 23), (FALL_BACK, 25), (date(2026, 3, 22), 24), (date(2026, 11, 1), 24)],
)
def test_a_24_7_local_day_lasts_as_long_as_the_clocks_say(day, hours):
    start = datetime.combine(day, time(), LONDON)
    end = datetime.combine(day + timedelta(days=1), time(), LONDON)

    assert business_time_between(BusinessCalendar.always_open(), start, end) == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("interval", "day", "open_time"),
    [
        # 00:30-03:00 on an ordinary Sunday, then on the two change days
        (("00:30", "03:00"), date(2026, 3, 22), timedelta(hours=2, minutes=30)),
        (("00:30", "03:00"), SPRING_FORWARD, timedelta(hours=1, minutes=30)),
        (("00:30", "03:00"), FALL_BACK, timedelta(hours=3, minutes=30)),
        # the hour that is skipped, then repeated
        (("01:00", "02:00"), SPRING_FORWARD, timedelta(0)),
        (("01:00", "02:00"), FALL_BACK, timedelta(hours=2)),
        (("01:00", "01:30"), FALL_BACK, timedelta(hours=1)),  # 01:00-01:30 BST and again GMT
        (("01:30", "02:30"), SPRING_FORWARD, timedelta(minutes=30)),  # only 02:00-02:30 BST exists
        (("00:00", "01:30"), FALL_BACK, timedelta(hours=2)),  # 1 h 30 in BST, then 01:00-01:30 GMT
        (("09:00", "17:30"), SPRING_FORWARD, timedelta(hours=8, minutes=30)),  # daytime is untouched
    ],
)
def test_opening_hours_are_wall_clock_times_on_the_change_days(interval, day, open_time):
    # given a calendar open on Sundays only (both change days are Sundays)
    sundays = BusinessCalendar(hours={6: [interval]}, holidays=None)
    start = datetime.combine(day, time(), LONDON)
    end = datetime.combine(day + timedelta(days=1), time(), LONDON)

    # then the open time is however long the wall clock shows those times
    assert business_time_between(sundays, start, end) == open_time


def test_add_walks_through_the_repeated_hour():
    sundays = BusinessCalendar(hours={6: [("00:30", "03:00")]}, holidays=None)
    opening = london(2026, 10, 25, 0, 30)  # 23:30 UTC on Saturday

    first_time = add_business_time(sundays, opening, timedelta(hours=1))
    second_time = add_business_time(sundays, opening, timedelta(hours=2))

    # 01:30 comes twice: first in BST (fold 0), then in GMT (fold 1)
    assert (first_time.hour, first_time.minute, first_time.fold) == (1, 30, 0)
    assert first_time.utcoffset() == timedelta(hours=1)
    assert (second_time.hour, second_time.minute, second_time.fold) == (1, 30, 1)
    assert second_time.utcoffset() == timedelta(0)
    # (Python subtracts two times in one zone by wall clock, so compare them in UTC)
    assert second_time.astimezone(UTC) - first_time.astimezone(UTC) == timedelta(hours=1)


def test_business_hours_across_spring_forward_count_real_time():
    # 24/7 from Saturday noon GMT: 24 real hours later is 13:00 BST on Sunday
    due = add_business_time(BusinessCalendar.always_open(), london(2026, 3, 28, 12), timedelta(hours=24))

    assert due == london(2026, 3, 29, 13)


@pytest.mark.parametrize(
    ("closure", "open_time"),
    [
        # 01:30 does not exist on 29 March: read with GMT it is 02:30 BST, so 02:30-03:00 is closed
        ((datetime(2026, 3, 29, 1, 30), datetime(2026, 3, 29, 3)), timedelta(hours=22, minutes=30)),
        # 01:00-01:30 happens twice on 25 October: a naive time means the first (BST) one
        ((datetime(2026, 10, 25, 1), datetime(2026, 10, 25, 1, 30)), timedelta(hours=24, minutes=30)),
    ],
)
def test_naive_closures_on_the_change_days(closure, open_time):
    day = closure[0].date()
    calendar = BusinessCalendar(hours={6: [("00:00", "24:00")]}, holidays=None, closures=[closure])
    start = datetime.combine(day, time(), LONDON)

    assert business_time_between(calendar, start, start + timedelta(days=1)) == open_time


def test_another_time_zone_uses_its_own_clock_changes():
    # New York springs forward on 8 March 2026, three weeks before London
    new_york = BusinessCalendar.always_open(tz="America/New_York")
    start = datetime(2026, 3, 8, tzinfo=ZoneInfo("America/New_York"))

    assert business_time_between(new_york, start, start + timedelta(days=1)) == timedelta(hours=23)


# -- closures -------------------------------------------------------------------------------------

CHRISTMAS_EVE_AFTERNOON = (datetime(2026, 12, 24, 12), datetime(2026, 12, 25))


@pytest.mark.parametrize(
    ("closures", "due"),
    [
        ([], london(2026, 12, 24, 15, 30)),
        # 24 December 2026 (Thursday) from 12:00: 1 h 30 on Wednesday, 3 h on Thursday morning
        ([CHRISTMAS_EVE_AFTERNOON], london(2026, 12, 29, 12, 30)),
        ([(datetime(2026, 12, 24, 12, tzinfo=UTC), datetime(2026, 12, 25, tzinfo=UTC))], london(2026, 12, 29, 12, 30)),
        # the whole day
        ([date(2026, 12, 24)], london(2026, 12, 29, 15, 30)),
        ([date(2026, 12, 24), date(2026, 12, 29)], london(2026, 12, 30, 15, 30)),
        # overlapping closures are merged
        (
            [CHRISTMAS_EVE_AFTERNOON, (datetime(2026, 12, 24, 11), datetime(2026, 12, 24, 13))],
            london(2026, 12, 29, 13, 30),
        ),
    ],
)
def test_closures_stop_the_clock(closures, due):
    calendar = office(closures=closures)
    raised = london(2026, 12, 23, 16)

    assert add_business_time(calendar, raised, EIGHT_HOURS) == due
    assert business_time_between(calendar, raised, due) == EIGHT_HOURS


def test_closures_in_aware_and_naive_form_make_the_same_calendar():
    naive = office(closures=[CHRISTMAS_EVE_AFTERNOON])
    aware = office(closures=[tuple(moment.replace(tzinfo=LONDON) for moment in CHRISTMAS_EVE_AFTERNOON)])

    assert naive == aware
    assert hash(naive) == hash(aware)


def test_is_open():
    calendar = office(closures=[CHRISTMAS_EVE_AFTERNOON])

    assert calendar.is_open(london(2026, 12, 24, 9))
    assert not calendar.is_open(london(2026, 12, 24, 12))  # closure starts: [start, end)
    assert not calendar.is_open(london(2026, 12, 24, 8, 59, 59, 999_999))
    assert not calendar.is_open(london(2026, 12, 25, 10))  # Christmas Day
    assert calendar.is_open(london(2026, 12, 23, 17, 29, 59, 999_999))
    assert not calendar.is_open(london(2026, 12, 23, 17, 30))


# -- 24/7 -----------------------------------------------------------------------------------------


def test_always_open_counts_every_microsecond():
    calendar = BusinessCalendar.always_open()
    start = london(2025, 12, 24, 17, 30)
    end = london(2027, 1, 1, 3, 0, 0, 7)

    elapsed = end.astimezone(UTC) - start.astimezone(UTC)
    assert business_time_between(calendar, start, end) == elapsed
    assert add_business_time(calendar, start, elapsed) == end
    assert calendar.is_open(london(2026, 12, 25, 3))


# -- the value object -----------------------------------------------------------------------------


def test_equal_calendars_are_interchangeable_as_cache_keys():
    first = office()
    add_business_time(first, london(2026, 3, 5, 9), EIGHT_HOURS)  # lays out 2026 in its memo
    second = BusinessCalendar(hours={day: [("09:00", "17:30")] for day in range(5)}, holidays="england")

    assert first == second
    assert {first: "cached"}[second] == "cached"
    assert office("scotland") != first
    assert office(closures=[date(2026, 12, 24)]) != first
    assert BusinessCalendar(hours=OFFICE_HOURS, tz="Europe/Dublin") != first


def test_a_calendar_is_frozen():
    calendar = office()

    with pytest.raises(FrozenInstanceError):
        calendar.tz = "UTC"


def test_touching_intervals_merge_into_one():
    split = BusinessCalendar(hours={0: [("09:00", "12:00"), ("12:00", "17:30")]})

    assert split == BusinessCalendar(hours={0: [("09:00", "17:30")]})
    assert split.opening_hours() == {0: [("09:00", "17:30")]}


def test_plain_values_round_trip():
    calendar = BusinessCalendar(hours={**LUNCH, 5: [(time(10), "16:00:30")], 6: [("00:00", "24:00")]})

    assert calendar.opening_hours()[0] == [("09:00", "12:30"), ("13:30", "17:30")]
    assert calendar.opening_hours()[5] == [("10:00", "16:00:30")]
    assert BusinessCalendar(hours=calendar.opening_hours()) == calendar
    assert "holidays='england'" in repr(calendar)


def test_a_calendar_survives_pickling():
    calendar = office(closures=[CHRISTMAS_EVE_AFTERNOON])
    add_business_time(calendar, london(2026, 3, 5, 9), EIGHT_HOURS)

    copy = pickle.loads(pickle.dumps(calendar))  # noqa: S301 - our own bytes, just made

    assert copy == calendar
    assert add_business_time(copy, london(2026, 12, 23, 16), EIGHT_HOURS) == london(2026, 12, 29, 12, 30)


# -- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ({0: [("9am", "17:00")]}, calendar_module.BAD_TIME.format(value="9am")),
        ({0: [("09:00", "25:00")]}, calendar_module.BAD_TIME.format(value="25:00")),
        ({0: [("09:60", "17:00")]}, calendar_module.BAD_TIME.format(value="09:60")),
        ({0: [("24:00", "24:00")]}, calendar_module.BAD_TIME.format(value="24:00")),
        ({0: [("09:00", "24:01")]}, calendar_module.BAD_TIME.format(value="24:01")),
        ({0: [(9, "17:00")]}, calendar_module.BAD_TIME.format(value=9)),
        ({0: [("17:30", "09:00")]}, calendar_module.END_NOT_AFTER_START.format(start="17:30", end="09:00")),
        ({0: [("09:00", "09:00")]}, calendar_module.END_NOT_AFTER_START.format(start="09:00", end="09:00")),
        (
            {2: [("09:00", "13:00"), ("12:00", "17:00")]},
            calendar_module.OVERLAPPING.format(first="09:00-13:00", second="12:00-17:00", weekday=2),
        ),
        ({7: [("09:00", "17:00")]}, calendar_module.BAD_WEEKDAY.format(value=7)),
        ({"monday": [("09:00", "17:00")]}, calendar_module.BAD_WEEKDAY.format(value="monday")),
        ({0: ("09:00", "17:00")}, calendar_module.BAD_INTERVAL.format(value="09:00")),
        ({0: [("09:00",)]}, calendar_module.BAD_INTERVAL.format(value=("09:00",))),
        ({0: "09:00-17:00"}, calendar_module.BAD_INTERVAL.format(value="09:00-17:00")),
        ([("09:00", "17:00")], calendar_module.BAD_HOURS.format(value=[("09:00", "17:00")])),
    ],
)
def test_bad_hours_are_refused_with_a_clear_message(hours, message):
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        BusinessCalendar(hours=hours)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"holidays": "france"},
            calendar_module.UNKNOWN_NATION.format(
                nations="'england', 'wales', 'scotland', 'northern_ireland'", value="france"
            ),
        ),
        ({"tz": "Mars/Olympus_Mons"}, calendar_module.UNKNOWN_TZ.format(value="Mars/Olympus_Mons")),
        ({"tz": "../etc/passwd"}, calendar_module.UNKNOWN_TZ.format(value="../etc/passwd")),
        (
            {"closures": [(datetime(2026, 12, 24, 17), datetime(2026, 12, 24, 12))]},
            calendar_module.CLOSURE_END_NOT_AFTER_START.format(
                start=datetime(2026, 12, 24, 17), end=datetime(2026, 12, 24, 12)
            ),
        ),
        ({"closures": ["2026-12-24"]}, calendar_module.BAD_CLOSURE.format(value="2026-12-24")),
        ({"closures": date(2026, 12, 24)}, calendar_module.BAD_CLOSURE.format(value=date(2026, 12, 24))),
        (
            {"closures": [(date(2026, 12, 24), date(2026, 12, 26))]},
            calendar_module.BAD_CLOSURE.format(value=(date(2026, 12, 24), date(2026, 12, 26))),
        ),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(arguments, message):
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        BusinessCalendar(hours=OFFICE_HOURS, **arguments)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: business_time_between(c, datetime(2026, 3, 5, 9), london(2026, 3, 5, 17)),
        lambda c: business_time_between(c, london(2026, 3, 5, 9), datetime(2026, 3, 5, 17)),
        lambda c: add_business_time(c, datetime(2026, 3, 5, 9), EIGHT_HOURS),
        lambda c: c.is_open(datetime(2026, 3, 5, 9)),
    ],
)
def test_naive_instants_are_refused(call):
    with pytest.raises(ValueError, match="must be an aware datetime"):
        call(office())


def test_naive_error_names_the_argument():
    with pytest.raises(ValueError, match=r"^end must be an aware datetime"):
        business_time_between(office(), london(2026, 3, 5, 9), datetime(2026, 3, 5, 17))


def test_a_negative_target_is_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        add_business_time(office(), london(2026, 3, 5, 9), timedelta(microseconds=-1))
    with pytest.raises(ValueError, match="cannot be negative"):
        add_business_time_many(office(), [0], -1)


def test_a_calendar_that_never_opens_cannot_reach_a_target():
    closed = BusinessCalendar(hours={}, holidays=None)

    assert business_time_between(closed, london(2026, 1, 1), london(2027, 1, 1)) == timedelta(0)
    assert add_business_time(closed, london(2026, 1, 1), timedelta(0)) == london(2026, 1, 1)
    with pytest.raises(ValueError, match=calendar_module.NEVER_OPEN):
        add_business_time(closed, london(2026, 1, 1), timedelta(seconds=1))


@pytest.mark.parametrize(
    "call",
    [
        lambda c: business_time_between(c, london(1899, 12, 31), london(2026, 1, 1)),
        lambda c: business_time_between(c, london(2026, 1, 1), datetime(3000, 1, 1, tzinfo=UTC)),
        lambda c: add_business_time(c, datetime(3000, 1, 1, tzinfo=UTC), timedelta(0)),
        lambda c: add_business_time(c, datetime(2999, 12, 31, tzinfo=UTC), timedelta(days=30)),
        lambda c: business_time_between_many(c, [0, to_epoch_us(datetime(3001, 1, 1, tzinfo=UTC))], 0),
    ],
)
def test_instants_outside_the_supported_years_are_refused(call):
    with pytest.raises(ValueError, match="^" + re.escape(calendar_module.OUT_OF_RANGE) + "$"):
        call(office())


# -- the bulk paths agree with the single ones -----------------------------------------------------


def test_bulk_between_agrees_with_single_calls():
    # given seeded starts over 2025-2027, some after "now"
    rng = random.Random(2026)
    calendar = office("scotland", closures=[CHRISTMAS_EVE_AFTERNOON])
    low = to_epoch_us(london(2025, 1, 1))
    high = to_epoch_us(london(2028, 1, 1))
    starts = [rng.randrange(low, high) for _ in range(500)] + [low, high]
    now = to_epoch_us(london(2026, 12, 24, 11, 15))

    # when computed in bulk
    bulk = business_time_between_many(calendar, starts, now)

    # then each answer is the single call's
    single = [business_time_between(calendar, from_epoch_us(start), from_epoch_us(now)) for start in starts]
    assert bulk == [answer // timedelta(microseconds=1) for answer in single]
    assert business_time_between_many(calendar, [], now) == []


def test_bulk_add_agrees_with_single_calls_and_extends_the_layout():
    rng = random.Random(7)
    calendar = office("northern_ireland")
    low = to_epoch_us(london(2026, 1, 1))
    starts = [rng.randrange(low, low + 365 * 86_400_000_000) for _ in range(300)]
    duration = timedelta(hours=2_000)  # pushes late starts into 2027 and 2028

    bulk = add_business_time_many(calendar, starts, duration // timedelta(microseconds=1))

    single = [add_business_time(calendar, from_epoch_us(start), duration) for start in starts]
    assert bulk == [to_epoch_us(due) for due in single]
    assert add_business_time_many(calendar, starts, 0) == starts
    assert add_business_time_many(calendar, [], 1) == []


def test_epoch_microseconds_are_exact_both_ways():
    autumn_second_one_thirty = datetime(2026, 10, 25, 1, 30, 0, 999_999, tzinfo=LONDON, fold=1)

    us = to_epoch_us(autumn_second_one_thirty)

    assert us == to_epoch_us(datetime(2026, 10, 25, 1, 30, 0, 999_999, tzinfo=UTC))
    assert from_epoch_us(us, LONDON).fold == 1
    # (PEP 495: a time in the repeated hour never compares equal across zones, so compare in UTC)
    assert from_epoch_us(us) == autumn_second_one_thirty.astimezone(UTC)
    assert to_epoch_us(datetime(1970, 1, 1, 0, 0, 0, 1, tzinfo=UTC)) == 1
