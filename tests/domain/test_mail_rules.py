"""The email channel's pure rules: threading keys, case references, automated mail, back-off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain import mail_rules


def test_message_ids_are_read_in_order_without_brackets():
    assert mail_rules.message_ids("<a@x> <b@y>\r\n <c@z>") == ["a@x", "b@y", "c@z"]
    assert mail_rules.message_ids("bare@x") == ["bare@x"]
    assert mail_rules.message_ids("") == []


def test_thread_keys_put_the_parent_first_then_the_chain_newest_first():
    keys = mail_rules.thread_keys("<p@x>", "<root@x> <mid@x> <p@x>")
    assert keys == ["p@x", "mid@x", "root@x"]


@pytest.mark.parametrize(
    ("subject", "number"),
    [
        ("Re: Broken kettle [C-000123]", 123),
        ("[c-42] lower case", 42),
        ("RE: [ C-000007 ] spaced", 7),
        ("Order C-000123 without brackets", None),
        ("[C-000000]", None),
        ("", None),
    ],
)
def test_subject_reference(subject, number):
    assert mail_rules.subject_reference(subject) == number


def test_plus_address_reference():
    assert mail_rules.address_reference(["someone@x", "support+C-000321@rapport.example"]) == 321
    assert mail_rules.address_reference(["support@rapport.example"]) is None


@given(st.text(max_size=80), st.integers(min_value=1, max_value=10**9))
def test_a_reply_subject_always_carries_its_reference_once(subject, number):
    reply = mail_rules.reply_subject(subject, number)
    assert mail_rules.subject_reference(reply) == number
    assert reply.count("[C-") == 1
    assert mail_rules.reply_subject(reply, number) == reply  # replying again adds nothing


@pytest.mark.parametrize(
    ("headers", "sender", "automated"),
    [
        ({"auto-submitted": "auto-replied"}, "a@x", True),
        ({"auto-submitted": "auto-generated; owner-email=x"}, "a@x", True),
        ({"auto-submitted": "no"}, "a@x", False),
        ({"precedence": "bulk"}, "a@x", True),
        ({"precedence": "junk"}, "a@x", True),
        ({"x-autoreply": "yes"}, "a@x", True),
        ({"x-auto-response-suppress": "All"}, "a@x", True),
        ({"x-auto-response-suppress": "OOF"}, "a@x", False),
        ({"list-id": "<news.example>"}, "a@x", True),
        ({}, "MAILER-DAEMON@mx.example", True),
        ({}, "postmaster@example.com", True),
        ({}, "priya@example.net", False),
    ],
)
def test_automated_mail_is_recognised(headers, sender, automated):
    assert bool(mail_rules.automated_reason(headers, sender)) is automated


def test_bounces_are_delivery_status_reports_or_come_from_mail_daemons():
    assert mail_rules.is_bounce("multipart/report", "delivery-status", "x@y")
    assert mail_rules.is_bounce("text/plain", "", "mailer-daemon@y")
    assert not mail_rules.is_bounce("multipart/report", "disposition-notification", "x@y")
    assert not mail_rules.is_bounce("text/plain", "", "x@y")


def test_a_reply_reopens_only_within_the_window():
    resolved = datetime(2026, 3, 1, tzinfo=UTC)
    window = timedelta(days=14)
    assert mail_rules.reopens(resolved, resolved + timedelta(days=14), window)
    assert not mail_rules.reopens(resolved, resolved + timedelta(days=14, seconds=1), window)
    assert mail_rules.reopens(None, resolved, window)


def test_retry_delay_doubles_from_a_minute():
    assert [mail_rules.retry_delay(n) for n in range(5)] == [
        timedelta(0),
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
    ]


@given(st.integers(min_value=1, max_value=10_000))
def test_retry_delay_grows_and_never_passes_the_cap(attempts):
    delay = mail_rules.retry_delay(attempts)
    assert timedelta(minutes=1) <= delay <= timedelta(hours=6)
    assert mail_rules.retry_delay(attempts + 1) >= delay


@given(st.lists(st.from_regex(r"[a-z0-9]{1,8}@[a-z]{1,8}\.example", fullmatch=True), max_size=60, unique=True))
def test_references_keep_the_first_and_latest_and_stay_bounded(ids):
    header = mail_rules.references_header(ids)
    kept = mail_rules.message_ids(header)
    assert len(kept) == min(len(ids), mail_rules.MAX_REFERENCES)
    if ids:
        assert kept[0] == ids[0]
        assert kept[-1] == ids[-1]


def test_content_keys_differ_by_content_and_agree_on_the_same():
    assert mail_rules.content_key(b"h", b"b") == mail_rules.content_key(b"h", b"b")
    assert mail_rules.content_key(b"h", b"b") != mail_rules.content_key(b"h", b"c")
