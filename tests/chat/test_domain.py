"""The pure chat rules: opening hours, the expected wait (Erlang C), the first-answer target, the
identity signature, allowed origins, the rate limit and what a reconnecting client resends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain import chat as rules
from rapport.domain.staffing import staffing

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday


def test_opening_hours_by_weekday_and_closed_dates():
    windows = rules.parse_hours([[0, "09:00", "17:00"], [5, "10:00", "12:00"]])
    assert rules.is_open(datetime(2026, 3, 2, 9, 0), windows)
    assert not rules.is_open(datetime(2026, 3, 2, 17, 0), windows)  # the end is exclusive
    assert not rules.is_open(datetime(2026, 3, 3, 10, 0), windows)  # Tuesday: no window
    assert not rules.is_open(datetime(2026, 3, 2, 10, 0), windows, closed_dates=[datetime(2026, 3, 2).date()])


@pytest.mark.parametrize("bad", [[7, "09:00", "17:00"], [0, "17:00", "09:00"], [0, "nine", "17:00"], ["x"]])
def test_bad_opening_hours_are_named(bad):
    with pytest.raises(ValueError, match="Opening hours"):
        rules.parse_hours([bad])


def test_expected_wait_is_erlang_c_asa_for_the_first_in_line():
    # given 20 chats an hour, 5 minutes each, 4 slots: Erlang C's ASA, as rapport.domain.staffing says
    expected = staffing(calls=20, interval_minutes=60, aht_seconds=300, agents=4)
    estimate = rules.expected_wait(position=1, chats_last_hour=20, aht_seconds=300, slots=4)
    assert estimate.seconds == pytest.approx(expected.asa_seconds, abs=1)
    assert estimate.prob_wait == pytest.approx(expected.prob_wait)


def test_each_place_in_the_queue_adds_a_share_of_handling_time():
    first = rules.expected_wait(position=1, chats_last_hour=20, aht_seconds=300, slots=4)
    third = rules.expected_wait(position=3, chats_last_hour=20, aht_seconds=300, slots=4)
    assert third.seconds - first.seconds == pytest.approx(2 * 300 / 4, abs=1)


@pytest.mark.parametrize(("slots", "per_hour"), [(0, 0), (2, 30)])  # nobody, or more work than slots
def test_no_honest_figure_when_the_queue_never_settles(slots, per_hour):
    assert rules.expected_wait(position=1, chats_last_hour=per_hour, aht_seconds=300, slots=slots).seconds is None


@given(st.integers(1, 50), st.integers(0, 100), st.integers(1, 40))
def test_a_later_place_never_waits_less(position, per_hour, slots):
    a = rules.expected_wait(position=position, chats_last_hour=per_hour, aht_seconds=240, slots=slots)
    b = rules.expected_wait(position=position + 1, chats_last_hour=per_hour, aht_seconds=240, slots=slots)
    assert (a.seconds is None) == (b.seconds is None)
    if a.seconds is not None:
        assert b.seconds >= a.seconds


def test_first_answer_in_seconds_and_breach():
    met = rules.first_answer(started=T0, target_seconds=60, answered=T0 + timedelta(seconds=45), now=T0)
    assert (met.seconds, met.breached) == (45, False)
    late = rules.first_answer(started=T0, target_seconds=60, answered=T0 + timedelta(seconds=61), now=T0)
    assert late.breached
    waiting = rules.first_answer(started=T0, target_seconds=60, answered=None, now=T0 + timedelta(seconds=60))
    assert not waiting.breached  # due, not yet past
    assert rules.first_answer(started=T0, target_seconds=60, answered=None, now=T0 + timedelta(seconds=61)).breached


def test_identity_signature_joins_id_and_email_in_lower_case():
    secret = b"k" * 32
    signature = rules.identity_signature(secret, "cust-42", "Alice@Example.com")
    assert rules.identity_valid(secret, "cust-42", "alice@example.com", signature)
    assert not rules.identity_valid(secret, "cust-43", "alice@example.com", signature)
    assert not rules.identity_valid(secret, "cust-42", "mallory@example.com", signature)
    assert not rules.identity_valid(b"other" * 8, "cust-42", "alice@example.com", signature)
    assert not rules.identity_valid(secret, "cust-42", "alice@example.com", "")


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://www.example.co.uk", True),
        ("https://www.example.co.uk:443", True),
        ("HTTPS://WWW.EXAMPLE.CO.UK", True),
        ("http://www.example.co.uk", False),  # another scheme
        ("https://www.example.co.uk:8443", False),  # another port
        ("https://evil-www.example.co.uk", False),
        ("https://www.example.co.uk.evil.com", False),
        ("null", False),
        ("", False),
    ],
)
def test_origins_match_exactly(origin, allowed):
    assert rules.origin_allowed(origin, ["https://www.example.co.uk"]) is allowed


def test_the_bucket_allows_a_burst_then_the_rate():
    bucket = None
    results = []
    for _ in range(4):
        ok, bucket = rules.take(bucket, now=T0, per_minute=60, burst=3)
        results.append(ok)
    assert results == [True, True, True, False]
    ok, bucket = rules.take(bucket, now=T0 + timedelta(seconds=1), per_minute=60, burst=3)
    assert ok


@given(st.lists(st.text(min_size=1, max_size=5), unique=True), st.data())
def test_resend_keeps_order_and_only_what_was_not_acknowledged(sent, data):
    acked = data.draw(st.sets(st.sampled_from(sent))) if sent else set()
    again = rules.to_resend(sent, acked)
    assert again == [s for s in sent if s not in acked]


def test_an_idle_chat_is_only_prompted():
    assert rules.idle_prompt_due(last_customer_activity=T0, now=T0 + timedelta(minutes=10), idle_minutes=10)
    assert not rules.idle_prompt_due(last_customer_activity=T0, now=T0 + timedelta(minutes=9), idle_minutes=10)
