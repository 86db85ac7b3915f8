"""The SLA clock: worked cases over real 2025-2027 bank holidays and both clock changes, policy
choice, and properties that hold for any clock (hypothesis)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.domain.calendar import BusinessCalendar, to_epoch_us
from rapport.domain.sla import (
    BREACHED,
    OK,
    WARNING,
    Clock,
    choose_policy,
    clock_due,
    clock_pause,
    clock_resume,
    clock_retarget,
    clock_state,
    clock_states_many,
    clock_warn_at,
    target_text,
)

LONDON = ZoneInfo("Europe/London")
OFFICE = {day: [("09:00", "17:30")] for day in range(5)}
ENGLAND = BusinessCalendar(hours=OFFICE, tz="Europe/London", holidays="england")
SCOTLAND = BusinessCalendar(hours=OFFICE, tz="Europe/London", holidays="scotland")
ALWAYS = BusinessCalendar.always_open()
H = timedelta(hours=1)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def due(calendar: BusinessCalendar, start: datetime, target: timedelta) -> datetime:
    found = clock_due(calendar, Clock(target=target, running_since=start))
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("calendar", "start", "target", "expected"),
    [
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April are not business days.
        (ENGLAND, local(2026, 4, 2, 16), 8 * H, local(2026, 4, 7, 15, 30)),
        # Christmas 2025: Thursday 25 and Friday 26 December, then the weekend.
        (ENGLAND, local(2025, 12, 24, 16, 30), 4 * H, local(2025, 12, 29, 12)),
        # 2 January 2026 is a bank holiday in Scotland only.
        (ENGLAND, local(2025, 12, 31, 17), H, local(2026, 1, 2, 9, 30)),
        (SCOTLAND, local(2025, 12, 31, 17), H, local(2026, 1, 5, 9, 30)),
        # Summer 2027: Scotland's holiday is Monday 2 August, England's Monday 30 August.
        (ENGLAND, local(2027, 8, 27, 17), H, local(2027, 8, 31, 9, 30)),
        (SCOTLAND, local(2027, 8, 27, 17), H, local(2027, 8, 30, 9, 30)),
        (SCOTLAND, local(2027, 7, 30, 17), H, local(2027, 8, 3, 9, 30)),
        # Spring forward (29 March 2026): office hours are wall-clock hours, before and after.
        (ENGLAND, local(2026, 3, 27, 17), H, local(2026, 3, 30, 9, 30)),
        # 24/7 counts real time: 24 hours across the change end at 13:00 BST, not 12:00.
        (ALWAYS, local(2026, 3, 28, 12), 24 * H, local(2026, 3, 29, 13)),
        # Fall back (25 October 2026): the repeated hour counts twice on a 24/7 calendar.
        (ENGLAND, local(2026, 10, 23, 17), H, local(2026, 10, 26, 9, 30)),
        (ALWAYS, local(2026, 10, 24, 12), 24 * H, local(2026, 10, 25, 11)),
    ],
)
def test_worked_due_dates(calendar, start, target, expected):
    assert due(calendar, start, target).astimezone(UTC) == expected.astimezone(UTC)


def test_a_pause_stops_the_clock_and_resuming_carries_on_where_it_left():
    # Given an 8-hour first-response target started on Monday 2 March 2026 at 09:00 (GMT)
    clock = Clock(target=8 * H, running_since=local(2026, 3, 2, 9))

    # When the case waits on the customer from 11:00 until Wednesday 14:00
    paused = clock_pause(ENGLAND, clock, local(2026, 3, 2, 11))
    resumed = clock_resume(paused, local(2026, 3, 4, 14))

    # Then two hours were used, nothing runs while paused, and six remain from Wednesday 14:00
    assert paused.used == 2 * H
    assert clock_due(ENGLAND, paused) is None
    assert clock_state(ENGLAND, paused, local(2026, 3, 4, 13)).used == 2 * H
    assert clock_due(ENGLAND, resumed) == local(2026, 3, 5, 11, 30)
    # and the 75% warning (6 hours used) comes on Thursday at 09:30
    assert clock_warn_at(ENGLAND, resumed) == local(2026, 3, 5, 9, 30)


def test_state_before_at_and_after_the_due_instant():
    clock = Clock(target=8 * H, running_since=local(2026, 3, 2, 9), warn_percent=75)

    early = clock_state(ENGLAND, clock, local(2026, 3, 2, 10))
    warned = clock_state(ENGLAND, clock, local(2026, 3, 2, 15))
    at_due = clock_state(ENGLAND, clock, local(2026, 3, 2, 17))
    overnight = clock_state(ENGLAND, clock, local(2026, 3, 3, 9, 30))

    assert (early.used, early.remaining, early.warning, early.breached) == (H, 7 * H, False, False)
    assert (warned.warning, warned.breached) == (True, False)
    assert (at_due.remaining, at_due.breached) == (timedelta(), True)
    # Overdue time is business time too: 17:00-17:30 and 09:00-09:30.
    assert overnight.remaining == -H


def test_pausing_or_resuming_twice_changes_nothing():
    clock = Clock(target=H, running_since=local(2026, 3, 2, 9))
    paused = clock_pause(ENGLAND, clock, local(2026, 3, 2, 9, 30))
    assert clock_pause(ENGLAND, paused, local(2026, 3, 2, 10)) == paused
    assert clock_resume(clock, local(2026, 3, 2, 10)) == clock


@pytest.mark.parametrize(
    ("value", "field", "message"),
    [(timedelta(-1), "target", "cannot be negative"), (0, "warn_percent", "percentage"), (101, "warn_percent", "1 to")],
)
def test_bad_clock_values_are_refused(value, field, message):
    with pytest.raises(ValueError, match=message):
        Clock(**{"target": H, field: value})


# -- choosing a policy ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    name: str
    internal: bool = False
    priority: int | None = None
    tier: str = ""
    channel: str = ""
    case_type: str = ""
    rank: int = 50


RULES = [
    Rule("standard"),
    Rule("urgent", priority=4),
    Rule("urgent gold complaints", priority=4, tier="gold", case_type="complaint"),
    Rule("gold", tier="gold"),
    Rule("chat", channel="chat", rank=10),
    Rule("phone", channel="phone", rank=20),
    Rule("ola", internal=True),
]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ({"priority": 2, "tier": "", "channel": "email", "case_type": "enquiry"}, "standard"),
        ({"priority": 4, "tier": "", "channel": "email", "case_type": "enquiry"}, "urgent"),
        ({"priority": 4, "tier": "gold", "channel": "email", "case_type": "complaint"}, "urgent gold complaints"),
        ({"priority": 2, "tier": "gold", "channel": "email", "case_type": "complaint"}, "gold"),
        # Equally specific: the lower rank wins.
        ({"priority": 2, "tier": "gold", "channel": "chat", "case_type": "enquiry"}, "chat"),
    ],
)
def test_the_most_specific_matching_policy_wins(case, expected):
    found = choose_policy(RULES, internal=False, **case)
    assert found is not None
    assert found.name == expected


def test_internal_customers_get_internal_targets_only():
    found = choose_policy(RULES, internal=True, priority=4, tier="gold", channel="chat", case_type="request")
    assert found is not None
    assert found.name == "ola"
    assert choose_policy(RULES[:-1], internal=True, priority=2, tier="", channel="email", case_type="x") is None


# -- properties -----------------------------------------------------------------------------------

LOW = to_epoch_us(datetime(2025, 1, 1, tzinfo=UTC))
HIGH = to_epoch_us(datetime(2027, 12, 31, tzinfo=UTC))
instants = st.integers(LOW, HIGH).map(lambda us: datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us))
durations = st.integers(0, 200 * 3600).map(lambda s: timedelta(seconds=s))
calendars = st.sampled_from([ENGLAND, SCOTLAND, ALWAYS])


@settings(max_examples=200, deadline=None)
@given(calendars, instants, durations, st.data())
def test_a_pause_and_an_immediate_resume_change_nothing(calendar, start, extra, data):
    # Additivity: splitting a run at any instant leaves the business time used the same.
    later = data.draw(st.builds(lambda d: start + d, durations))
    split = data.draw(st.builds(lambda d: start + d, durations.filter(lambda d: start + d <= later)))
    clock = Clock(target=extra + H, running_since=start)
    again = clock_resume(clock_pause(calendar, clock, split), split)
    assert clock_state(calendar, again, later).used == clock_state(calendar, clock, later).used


@settings(max_examples=200, deadline=None)
@given(calendars, instants, durations, durations)
def test_the_due_instant_is_when_nothing_remains(calendar, start, target, used):
    clock = Clock(target=target + timedelta(seconds=1), used=used, running_since=start)
    found = clock_due(calendar, clock)
    assert found is not None
    assert found >= start
    at_due = clock_state(calendar, clock, found)
    assert at_due.breached
    if clock.target > clock.used and found > start:
        assert not clock_state(calendar, clock, found - timedelta(microseconds=1)).breached


@settings(max_examples=100, deadline=None)
@given(calendars, st.lists(st.tuples(instants, durations, durations), min_size=1, max_size=20), instants)
def test_many_clocks_at_once_agree_with_one_at_a_time(calendar, rows, now):
    clocks = [Clock(target=t + timedelta(seconds=1), used=u, running_since=s) for s, t, u in rows]
    us = timedelta(microseconds=1)
    remaining, codes = clock_states_many(
        calendar,
        running_since=[to_epoch_us(c.running_since) for c in clocks if c.running_since],
        used=[c.used // us for c in clocks],
        target=[c.target // us for c in clocks],
        warn_after=[c.warn_after // us for c in clocks],
        now=to_epoch_us(now),
    )
    for clock, left, code in zip(clocks, remaining, codes, strict=True):
        one = clock_state(calendar, clock, max(now, clock.running_since or now))
        if now >= (clock.running_since or now):
            assert left == one.remaining // us
            assert code == (BREACHED if one.breached else WARNING if one.warning else OK)


# -- a new target for a running clock -------------------------------------------------------------


def test_a_new_target_keeps_the_business_time_used_and_moves_the_due_instant():
    # Given a 16 h resolution clock started Monday 2 March 2026 at 10:00, 2 h used by 12:00
    clock = Clock(target=16 * H, running_since=local(2026, 3, 2, 10))

    # When the case becomes urgent (8 h) at 12:00
    found = clock_retarget(ENGLAND, clock, target=8 * H, warn_percent=75, at=local(2026, 3, 2, 12))

    # Then it carries on from 12:00 with 2 h used: 6 h left, 5.5 h on Monday and 0.5 h on Tuesday
    assert found.clock == Clock(target=8 * H, used=2 * H, running_since=local(2026, 3, 2, 12))
    assert clock_due(ENGLAND, found.clock) == local(2026, 3, 3, 9, 30)
    assert found.passed_at is None


def test_a_target_already_used_up_passed_when_the_business_time_reached_it():
    clock = Clock(target=16 * H, used=H, running_since=local(2026, 3, 2, 9))  # 1 h before this run

    found = clock_retarget(ENGLAND, clock, target=4 * H, warn_percent=75, at=local(2026, 3, 2, 15))

    assert found.passed_at == local(2026, 3, 2, 12)  # 1 h + 3 h of this run
    assert clock_state(ENGLAND, found.clock, local(2026, 3, 2, 15)).breached


def test_a_paused_clock_keeps_its_used_time_and_stays_paused():
    clock = Clock(target=16 * H, used=5 * H)

    found = clock_retarget(ENGLAND, clock, target=4 * H, warn_percent=50, at=local(2026, 3, 2, 15))

    assert found.clock == Clock(target=4 * H, used=5 * H, warn_percent=50)
    assert found.passed_at == local(2026, 3, 2, 15)  # breached, recorded at the change


@pytest.mark.parametrize(
    ("value", "text"),
    [(16 * H, "16 h"), (7 * H + timedelta(minutes=30), "7 h 30 min"), (timedelta(minutes=45), "45 min")],
)
def test_target_text(value, text):
    assert target_text(value) == text


@settings(max_examples=200, deadline=None)
@given(calendars, instants, durations, durations, durations, st.data())
def test_retargeting_keeps_the_business_time_used_at_any_later_instant(calendar, start, used, old, new, data):
    at = data.draw(st.builds(lambda d: start + d, durations))
    later = data.draw(st.builds(lambda d: at + d, durations))
    clock = Clock(target=old, used=used, running_since=start)

    found = clock_retarget(calendar, clock, target=new, warn_percent=75, at=at).clock

    assert found.target == new
    assert clock_state(calendar, found, later).used == clock_state(calendar, clock, later).used


@settings(max_examples=200, deadline=None)
@given(calendars, instants, durations, durations, st.data())
def test_the_same_target_again_keeps_the_due_instant(calendar, start, used, target, data):
    # Additivity: a clock not yet due is due at the same instant whether or not it was re-targeted.
    at = data.draw(st.builds(lambda d: start + d, durations))
    clock = Clock(target=target, used=used, running_since=start)
    found = clock_retarget(calendar, clock, target=target, warn_percent=75, at=at)
    if found.passed_at is None:
        assert clock_due(calendar, found.clock) == clock_due(calendar, clock)


@settings(max_examples=200, deadline=None)
@given(calendars, instants, durations, durations, durations, st.booleans(), st.data())
def test_a_passed_target_is_found_exactly_once(calendar, start, used, old, new, running, data):
    at = data.draw(st.builds(lambda d: start + d, durations))
    clock = Clock(target=old, used=used, running_since=start if running else None)

    found = clock_retarget(calendar, clock, target=new, warn_percent=75, at=at)

    breached_now = clock_state(calendar, found.clock, at).breached
    assert (found.passed_at is not None) == breached_now
    if found.passed_at is not None:
        assert found.passed_at <= at
        if running and used < new:
            # The instant it passed: used up there, not a microsecond before.
            before_change = replace(clock, target=new)
            assert clock_state(calendar, before_change, found.passed_at).breached
            assert not clock_state(calendar, before_change, found.passed_at - timedelta(microseconds=1)).breached


@settings(max_examples=100, deadline=None)
@given(calendars, instants, durations, durations, durations, durations, st.data())
def test_two_retargets_at_once_are_one(calendar, start, used, old, middle, new, data):
    at = data.draw(st.builds(lambda d: start + d, durations))
    clock = Clock(target=old, used=used, running_since=start)
    twice = clock_retarget(
        calendar,
        clock_retarget(calendar, clock, target=middle, warn_percent=60, at=at).clock,
        target=new,
        warn_percent=75,
        at=at,
    )
    once = clock_retarget(calendar, clock, target=new, warn_percent=75, at=at)
    assert twice.clock == once.clock
