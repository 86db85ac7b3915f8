"""The SLA promise in words, and the next business day (``rapport.domain.promises``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain.calendar import BusinessCalendar
from rapport.domain.promises import clock_words, next_business_day, promise

LONDON = ZoneInfo("Europe/London")
OFFICE = BusinessCalendar(hours=dict.fromkeys(range(5), (("09:00", "17:30"),)), tz=LONDON, holidays="england")
WEDNESDAY = datetime(2026, 12, 2, 10, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("due", "words"),
    [
        (datetime(2026, 12, 2, 15, 0, tzinfo=LONDON), "by 3pm today"),
        (datetime(2026, 12, 3, 9, 30, tzinfo=LONDON), "by 9:30am tomorrow"),
        (datetime(2026, 12, 4, 13, 0, tzinfo=LONDON), "by 1pm on Friday"),
        (datetime(2026, 12, 7, 12, 0, tzinfo=LONDON), "by midday on Monday"),
        (datetime(2026, 12, 14, 17, 30, tzinfo=LONDON), "by 5:30pm on Monday 14 December"),
        # midnight belongs to the day that ends, not the one that starts
        (datetime(2026, 12, 5, 0, 0, tzinfo=LONDON), "by midnight on Friday"),
        (datetime(2026, 12, 2, 9, 0, tzinfo=LONDON), "as soon as we can"),
    ],
)
def test_a_due_instant_reads_as_a_customer_reads_a_clock(due, words):
    assert promise(due, WEDNESDAY, LONDON).english() == words


def test_the_promise_is_read_in_local_time_across_the_clock_change():
    # 30 March 2026 is British Summer Time: 12:00 UTC is 1pm on the customer's wall
    now = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    assert promise(datetime(2026, 3, 30, 12, 0, tzinfo=UTC), now, LONDON).english() == "by 1pm today"


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 12, 2, 16, 0, tzinfo=LONDON), date(2026, 12, 3)),  # Wednesday → Thursday
        (datetime(2026, 12, 4, 16, 0, tzinfo=LONDON), date(2026, 12, 7)),  # Friday → Monday
        (datetime(2026, 12, 24, 16, 0, tzinfo=LONDON), date(2026, 12, 29)),  # Christmas and Boxing Day (moved)
        (datetime(2026, 4, 2, 16, 0, tzinfo=LONDON), date(2026, 4, 7)),  # Good Friday, Easter Monday
    ],
)
def test_the_next_business_day_skips_weekends_and_bank_holidays(now, expected):
    assert next_business_day(OFFICE, now) == expected


@given(st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59))
def test_clock_words_always_name_the_hour_and_say_am_or_pm(hour, minute):
    words = clock_words(datetime(2026, 1, 1, hour, minute))
    assert words in {"midday", "midnight"} or words.endswith(("am", "pm"))
    assert ("am" in words) == (hour < 12 and words != "midnight") or words in {"midday", "midnight"}


@given(st.integers(min_value=1, max_value=60 * 24 * 40))
def test_a_promise_is_never_for_a_day_before_the_due_day(minutes):
    due = WEDNESDAY + timedelta(minutes=minutes)
    found = promise(due, WEDNESDAY, LONDON)
    assert found.day is not None
    assert found.day <= due.astimezone(LONDON).date()
    assert found.day >= WEDNESDAY.date()


# --- the new time proposed for a promise about to be missed, and whether one was kept -------------


def _office():
    from rapport.domain.calendar import BusinessCalendar

    return BusinessCalendar(hours={d: [("09:00", "17:30")] for d in range(5)}, tz="Europe/London", holidays="england")


def test_the_proposal_counts_the_target_again_in_business_time_over_a_bank_holiday():
    from datetime import UTC, datetime, timedelta

    from rapport.domain.promises import proposed_due

    # Thursday 2 April 2026 at 16:00 BST, 4 business hours: 1.5 h on Thursday, then Good Friday and
    # Easter Monday are closed, so 2.5 h on Tuesday 7 April: 11:30 BST.
    found = proposed_due(_office(), datetime(2026, 4, 2, 15, tzinfo=UTC), timedelta(hours=4))
    assert found == datetime(2026, 4, 7, 10, 30, tzinfo=UTC)


def test_a_promise_is_kept_when_answered_by_its_instant():
    from datetime import UTC, datetime, timedelta

    from rapport.domain.promises import promise_outcome

    due = datetime(2026, 3, 2, 14, tzinfo=UTC)
    assert promise_outcome(due, due) is True
    assert promise_outcome(due, due + timedelta(seconds=1)) is False
    assert promise_outcome(due, None) is None


def test_midnight_is_promised_on_the_day_before():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from rapport.domain.promises import promise_day

    assert promise_day(datetime(2026, 12, 12, 0, 0, tzinfo=ZoneInfo("Europe/London"))).day == 11
