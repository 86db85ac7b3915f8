"""Data subject request deadlines: ICO counting rules, extensions and the clarification pause.

Examples marked "ICO" are the worked examples of the ICO's "Time limits for responding to data
protection rights requests"; the rest walk the edges of the same rules.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.domain.bank_holidays import NATIONS, is_working_day
from rapport.domain.data_requests import (
    ANSWERED_BEFORE_ASKED,
    NATION_UNKNOWN,
    PAUSE_NEGATIVE,
    TOLD_BEFORE_RECEIPT,
    add_calendar_months,
    clock_start,
    deadline_explained,
    extension_allowed,
    format_day,
    pause_days,
    response_due,
    timing,
)

D = date

# --- one calendar month ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # ICO: the clock starts on the day of receipt, so 3 September → 3 October (not 4 October).
        (D(2025, 9, 3), D(2025, 10, 3)),
        # ICO: no 31 April, so the last day of April.
        (D(2025, 3, 31), D(2025, 4, 30)),
        # ICO: 30 January → 28 February, or 29 February in a leap year.
        (D(2025, 1, 30), D(2025, 2, 28)),
        (D(2024, 1, 30), D(2024, 2, 29)),
        # ICO: 25 November → 25 December, both Christmas and Boxing Day → 27 December, a Friday in 2024.
        (D(2024, 11, 25), D(2024, 12, 27)),
        # ... and in 2025 the 27th is a Saturday, so Monday 29 December.
        (D(2025, 11, 25), D(2025, 12, 29)),
        # 31 January in a common year, a leap year, and a year when 28 February is a weekday.
        (D(2025, 1, 31), D(2025, 2, 28)),
        (D(2024, 1, 31), D(2024, 2, 29)),
        (D(2023, 1, 31), D(2023, 2, 28)),
        (D(2024, 1, 29), D(2024, 2, 29)),
        (D(2025, 1, 29), D(2025, 2, 28)),
        (D(2025, 2, 28), D(2025, 3, 28)),
        # Received on 29 February: 29 March 2024 is Good Friday, then the weekend and Easter Monday.
        (D(2024, 2, 29), D(2024, 4, 2)),
        # Other short months.
        (D(2025, 5, 31), D(2025, 6, 30)),
        (D(2025, 8, 31), D(2025, 9, 30)),
        # Across the year end: 31 January 2026 is a Saturday.
        (D(2025, 12, 31), D(2026, 2, 2)),
        # Received on a Saturday or on a bank holiday: the clock still starts that day.
        (D(2025, 3, 1), D(2025, 4, 1)),
        (D(2025, 12, 25), D(2026, 1, 26)),
        # Christmas Day 2027 on a Saturday, Boxing Day on a Sunday: substitute days 27 and 28 December.
        (D(2027, 11, 25), D(2027, 12, 29)),
        # Boxing Day 2026 on a Saturday: substitute Monday 28 December.
        (D(2026, 11, 26), D(2026, 12, 29)),
        (D(2026, 11, 28), D(2026, 12, 29)),
        # Good Friday and Easter Monday 2026.
        (D(2026, 3, 3), D(2026, 4, 7)),
        (D(2026, 3, 6), D(2026, 4, 7)),
        # New Year's Day 2026 on a Thursday.
        (D(2025, 12, 1), D(2026, 1, 2)),
    ],
)
def test_one_month_in_england(received, due):
    assert response_due(received) == due


@pytest.mark.parametrize(
    ("received", "england", "scotland", "northern_ireland"),
    [
        # Easter Monday is not a Scottish bank holiday; Good Friday is everywhere.
        (D(2026, 3, 6), D(2026, 4, 7), D(2026, 4, 6), D(2026, 4, 7)),
        (D(2026, 3, 3), D(2026, 4, 7), D(2026, 4, 6), D(2026, 4, 7)),
        (D(2024, 2, 29), D(2024, 4, 2), D(2024, 4, 1), D(2024, 4, 2)),
        # 2 January is a Scottish bank holiday; in 2027 it is a Saturday, with Monday 4 January in lieu.
        (D(2025, 12, 1), D(2026, 1, 2), D(2026, 1, 5), D(2026, 1, 2)),
        (D(2026, 12, 2), D(2027, 1, 4), D(2027, 1, 5), D(2027, 1, 4)),
        # St Andrew's Day 2025 on a Sunday: Scotland takes Monday 1 December as well.
        (D(2025, 10, 31), D(2025, 12, 1), D(2025, 12, 2), D(2025, 12, 1)),
        # Summer bank holiday: first Monday of August in Scotland, last Monday elsewhere.
        (D(2025, 7, 4), D(2025, 8, 4), D(2025, 8, 5), D(2025, 8, 4)),
        (D(2025, 7, 25), D(2025, 8, 26), D(2025, 8, 25), D(2025, 8, 26)),
        # St Patrick's Day, and in 2024 on a Sunday with Monday 18 March in lieu.
        (D(2026, 2, 17), D(2026, 3, 17), D(2026, 3, 17), D(2026, 3, 18)),
        (D(2024, 2, 17), D(2024, 3, 18), D(2024, 3, 18), D(2024, 3, 19)),
        # 12 July 2026 on a Sunday: Northern Ireland's substitute Monday.
        (D(2026, 6, 12), D(2026, 7, 13), D(2026, 7, 13), D(2026, 7, 14)),
        # Christmas with substitute days is the same in every nation.
        (D(2027, 11, 25), D(2027, 12, 29), D(2027, 12, 29), D(2027, 12, 29)),
    ],
)
def test_bank_holidays_of_the_nation(received, england, scotland, northern_ireland):
    assert response_due(received, nation="england") == england
    assert response_due(received, nation="wales") == england
    assert response_due(received, nation="scotland") == scotland
    assert response_due(received, nation="northern_ireland") == northern_ireland


# --- the extension: three months from the same start ---------------------------------------------


@pytest.mark.parametrize(
    ("received", "nation", "due"),
    [
        (D(2025, 9, 3), "england", D(2025, 12, 3)),
        # Three months from 31 January, not two months added to 28 February (which gives 28 April).
        (D(2025, 1, 31), "england", D(2025, 4, 30)),
        (D(2024, 12, 31), "england", D(2025, 3, 31)),
        # Into a leap February, and into a common one that ends on a Saturday.
        (D(2023, 11, 30), "england", D(2024, 2, 29)),
        (D(2025, 11, 30), "england", D(2026, 3, 2)),
        (D(2025, 9, 25), "england", D(2025, 12, 29)),
        # 29 March 2024 is Good Friday; Scotland works on Easter Monday.
        (D(2023, 12, 29), "england", D(2024, 4, 2)),
        (D(2023, 12, 29), "scotland", D(2024, 4, 1)),
    ],
)
def test_extended(received, nation, due):
    assert response_due(received, extended=True, nation=nation) == due


@pytest.mark.parametrize(
    ("received", "told_on", "paused", "allowed"),
    [
        (D(2025, 9, 3), D(2025, 9, 3), 0, True),
        (D(2025, 9, 3), D(2025, 10, 3), 0, True),  # on the last day of the first month
        (D(2025, 9, 3), D(2025, 10, 4), 0, False),
        (D(2025, 1, 31), D(2025, 2, 28), 0, True),
        (D(2025, 1, 31), D(2025, 3, 1), 0, False),
        (D(2024, 1, 31), D(2024, 2, 29), 0, True),
        # The first month ends on Saturday 4 October; the response may wait until Monday, the notice may not.
        (D(2025, 9, 4), D(2025, 10, 6), 0, False),
        # A clarification pause does not count towards the first month either (DPA 2018 s.54(3C)(b)(ii)).
        (D(2025, 9, 3), D(2025, 10, 8), 5, True),
        (D(2025, 9, 3), D(2025, 10, 9), 5, False),
    ],
)
def test_extension_allowed_only_within_the_first_month(received, told_on, paused, allowed):
    assert extension_allowed(received, told_on, paused_days=paused) is allowed


def test_extension_cannot_be_told_before_the_request_arrived():
    with pytest.raises(ValueError, match=TOLD_BEFORE_RECEIPT):
        extension_allowed(D(2025, 9, 3), D(2025, 9, 2))


# --- the clarification pause ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "extended", "paused", "due"),
    [
        (D(2025, 9, 3), False, 5, D(2025, 10, 8)),
        # The month ends on Saturday 4 October. The pause moves that end first and only then is the
        # weekend skipped, so a one- or two-day pause ending on the weekend costs nothing.
        (D(2025, 9, 4), False, 0, D(2025, 10, 6)),
        (D(2025, 9, 4), False, 1, D(2025, 10, 6)),
        (D(2025, 9, 4), False, 2, D(2025, 10, 6)),
        (D(2025, 9, 4), False, 3, D(2025, 10, 7)),
        # The pause is added to the clamped month end: 28 February + 1 = Saturday 1 March.
        (D(2025, 1, 31), False, 1, D(2025, 3, 3)),
        # With the extension: 30 April + 10 days = Saturday 10 May.
        (D(2025, 1, 31), True, 10, D(2025, 5, 12)),
        # Into Christmas: Saturday 20 December + 5 days = Christmas Day.
        (D(2025, 11, 20), False, 5, D(2025, 12, 29)),
    ],
)
def test_clarification_pause(received, extended, paused, due):
    assert response_due(received, extended=extended, paused_days=paused) == due


@pytest.mark.parametrize(
    ("asked", "answered", "days"),
    [
        (D(2025, 9, 10), D(2025, 9, 10), 1),  # asked and answered the same day: that day does not count
        (D(2025, 9, 10), D(2025, 9, 14), 5),
        (D(2024, 2, 28), D(2024, 3, 1), 3),  # across 29 February
        (D(2025, 12, 31), D(2026, 1, 1), 2),
    ],
)
def test_pause_counts_both_ends(asked, answered, days):
    assert pause_days(asked, answered) == days


def test_pause_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match=ANSWERED_BEFORE_ASKED):
        pause_days(D(2025, 9, 10), D(2025, 9, 9))


def test_pause_from_dates_feeds_the_deadline():
    # Given a request on 3 September, clarification asked on the 10th and received on the 14th
    paused = pause_days(D(2025, 9, 10), D(2025, 9, 14))
    # When the deadline is worked out
    due = response_due(D(2025, 9, 3), paused_days=paused)
    # Then the five days from asking to receiving, both included, are added
    assert due == D(2025, 10, 8)


# --- when the clock starts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identity", "fee", "start"),
    [
        (None, None, D(2025, 9, 1)),
        (D(2025, 9, 5), None, D(2025, 9, 5)),  # ICO: the limit begins once the ID asked for arrives
        (D(2025, 9, 5), D(2025, 9, 7), D(2025, 9, 7)),
        (None, D(2025, 9, 3), D(2025, 9, 3)),
        (D(2025, 9, 1), None, D(2025, 9, 1)),  # ID sent with the request
    ],
)
def test_clock_starts_at_the_latest_of_request_identity_and_fee(identity, fee, start):
    assert clock_start(D(2025, 9, 1), identity_received=identity, fee_received=fee) == start


# --- input checks --------------------------------------------------------------------------------


def test_negative_pause_is_refused():
    with pytest.raises(ValueError, match=PAUSE_NEGATIVE):
        response_due(D(2025, 9, 3), paused_days=-1)
    with pytest.raises(ValueError, match=PAUSE_NEGATIVE):
        extension_allowed(D(2025, 9, 3), D(2025, 9, 4), paused_days=-1)


@pytest.mark.parametrize("nation", ["france", "England", "", "uk"])
def test_unknown_nation_is_refused(nation):
    with pytest.raises(ValueError, match=NATION_UNKNOWN) as refused:
        response_due(D(2025, 9, 3), nation=nation)
    assert repr(nation) in str(refused.value)


# --- the explanation shown beside the deadline ---------------------------------------------------


def test_explanation_of_a_deadline_moved_past_christmas():
    explained = deadline_explained(D(2027, 11, 25))

    assert explained.corresponding == D(2027, 12, 25)
    assert not explained.month_too_short
    assert [skip.day for skip in explained.skipped] == [D(2027, 12, 25) + timedelta(days=n) for n in range(4)]
    assert explained.skipped[2].holiday == "Christmas Day (observed)"
    assert explained.steps == (
        "The clock starts on Thursday 25 November 2027.",
        "After one calendar month it ends on Saturday 25 December 2027.",
        "That is not a working day, so it moves past Saturday 25 December 2027, Christmas Day; "
        "Sunday 26 December 2027, Boxing Day; Monday 27 December 2027, Christmas Day (observed); "
        "Tuesday 28 December 2027, Boxing Day (observed).",
        "The response is due by Wednesday 29 December 2027.",
    )


def test_explanation_of_a_short_month_a_pause_and_a_weekend():
    explained = deadline_explained(D(2025, 1, 31), extended=True, paused_days=10)

    assert explained.months == 3
    assert explained.month_too_short
    assert explained.after_pause == D(2025, 5, 10)
    assert [(skip.day, skip.holiday) for skip in explained.skipped] == [(D(2025, 5, 10), None), (D(2025, 5, 11), None)]
    assert explained.steps == (
        "The clock starts on Friday 31 January 2025.",
        "After three calendar months it ends on Wednesday 30 April 2025 "
        "(there is no 31st in that month, so its last day).",
        "The 10 days spent waiting for clarification do not count, which moves it to Saturday 10 May 2025.",
        "That is not a working day, so it moves past Saturday 10 May 2025; Sunday 11 May 2025.",
        "The response is due by Monday 12 May 2025.",
    )


def test_explanation_of_a_one_day_pause_is_singular():
    explained = deadline_explained(D(2025, 9, 3), paused_days=1)

    assert "The day spent waiting for clarification does not count" in explained.steps[2]
    assert explained.due == D(2025, 10, 6)  # 4 October is a Saturday


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2025, 10, 31), 14, D(2026, 12, 31)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
    ],
)
def test_add_calendar_months(start, months, expected):
    assert add_calendar_months(start, months) == expected


def test_format_day_is_english():
    assert format_day(D(2025, 10, 3)) == "Friday 3 October 2025"


# --- properties ----------------------------------------------------------------------------------

PROPERTIES = settings(derandomize=True, max_examples=300, deadline=None)
received_dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31))
nations = st.sampled_from(sorted(NATIONS))
pauses = st.integers(min_value=0, max_value=120)


@PROPERTIES
@given(received=received_dates, extended=st.booleans(), paused=pauses, nation=nations)
def test_due_is_the_first_working_day_after_the_paused_end(received, extended, paused, nation):
    explained = deadline_explained(received, extended=extended, paused_days=paused, nation=nation)

    assert is_working_day(explained.due, nation)
    assert explained.after_pause == explained.corresponding + timedelta(days=paused)
    days_skipped = (explained.due - explained.after_pause).days
    assert [s.day for s in explained.skipped] == [
        explained.after_pause + timedelta(days=n) for n in range(days_skipped)
    ]
    assert not any(is_working_day(s.day, nation) for s in explained.skipped)


@PROPERTIES
@given(received=received_dates, nation=nations)
def test_never_less_than_28_days_or_89_extended(received, nation):
    assert response_due(received, nation=nation) >= received + timedelta(days=28)
    assert response_due(received, extended=True, nation=nation) >= received + timedelta(days=89)


@PROPERTIES
@given(first=received_dates, second=received_dates, extended=st.booleans(), paused=pauses, nation=nations)
def test_monotone_in_the_received_date(first, second, extended, paused, nation):
    earlier, later = sorted((first, second))

    due_earlier = response_due(earlier, extended=extended, paused_days=paused, nation=nation)
    due_later = response_due(later, extended=extended, paused_days=paused, nation=nation)

    assert due_earlier <= due_later


@PROPERTIES
@given(received=received_dates, extended=st.booleans(), paused=pauses, more=pauses, nation=nations)
def test_a_pause_moves_the_deadline_by_at_least_its_days(received, extended, paused, more, nation):
    due = response_due(received, extended=extended, paused_days=paused, nation=nation)
    longer = response_due(received, extended=extended, paused_days=paused + more, nation=nation)
    end = add_calendar_months(received, 3 if extended else 1)

    assert due >= end + timedelta(days=paused)
    assert longer >= due
    assert longer >= end + timedelta(days=paused + more)


@PROPERTIES
@given(received=received_dates, paused=pauses, nation=nations)
def test_extension_never_shortens_and_is_allowed_exactly_through_the_first_month(received, paused, nation):
    assert response_due(received, extended=True, paused_days=paused, nation=nation) > response_due(
        received, paused_days=paused, nation=nation
    )
    last_day = add_calendar_months(received, 1) + timedelta(days=paused)
    assert extension_allowed(received, last_day, paused_days=paused)
    assert not extension_allowed(received, last_day + timedelta(days=1), paused_days=paused)


# --- overdue requests --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "today", "overdue", "days", "soon", "label"),
    [
        (date(2026, 11, 25), date(2026, 12, 4), True, 9, False, "Overdue by 9 days"),
        (date(2026, 12, 3), date(2026, 12, 4), True, 1, False, "Overdue by 1 day"),
        (date(2026, 12, 4), date(2026, 12, 4), False, 0, True, "Due soon"),  # the last day is still in time
        (date(2026, 12, 10), date(2026, 12, 4), False, 0, True, "Due soon"),
        (date(2026, 12, 11), date(2026, 12, 4), False, 0, False, "On time"),
    ],
)
def test_a_request_is_overdue_from_the_day_after_its_due_date(due, today, overdue, days, soon, label):
    found = timing(due, today)
    assert (found.overdue, found.days_overdue, found.due_soon, found.label) == (overdue, days, soon, label)


def test_a_completed_request_is_never_overdue():
    assert not timing(date(2026, 11, 25), date(2026, 12, 4), completed_on=date(2026, 12, 1)).overdue
