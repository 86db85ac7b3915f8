"""The signature and back-off rules, and the example receiver's check agreeing with them."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rapport.domain import webhooks as rules

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SECRET = "whsec_test"
BODY = b'{"event":{"kind":"created"}}'


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    import hashlib
    import hmac

    ts = int(NOW.timestamp())
    expected = hmac.new(SECRET.encode(), f"{ts}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert rules.sign(SECRET, ts, BODY) == f"v1={expected}"


def test_verify_accepts_ours_and_refuses_a_changed_body_a_wrong_secret_and_junk():
    ts = int(NOW.timestamp())
    signature = rules.sign(SECRET, ts, BODY)
    assert rules.verify(SECRET, str(ts), BODY, signature, now=NOW)
    assert not rules.verify(SECRET, str(ts), BODY + b" ", signature, now=NOW)
    assert not rules.verify("whsec_other", str(ts), BODY, signature, now=NOW)
    assert not rules.verify(SECRET, "yesterday", BODY, signature, now=NOW)
    assert not rules.verify(SECRET, str(ts + 1), BODY, signature, now=NOW)  # the timestamp is signed too


@pytest.mark.parametrize(
    ("age", "ok"), [(timedelta(minutes=4, seconds=59), True), (timedelta(minutes=5, seconds=1), False)]
)
def test_a_replayed_request_older_than_the_tolerance_is_refused(age, ok):
    ts = int((NOW - age).timestamp())
    assert rules.verify(SECRET, str(ts), BODY, rules.sign(SECRET, ts, BODY), now=NOW) is ok


def test_backoff_doubles_from_30_seconds_and_is_capped():
    assert [rules.backoff(n).total_seconds() for n in range(1, 9)] == [30, 60, 120, 240, 480, 960, 1920, 3840]
    assert rules.backoff(20) == rules.CAP
    with pytest.raises(ValueError, match="attempt counts from 1"):
        rules.backoff(0)


def test_the_example_receiver_verifies_as_we_sign():
    path = Path(__file__).resolve().parents[2] / "examples" / "webhook_receiver.py"
    spec = importlib.util.spec_from_file_location("webhook_receiver", path)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ts = int(NOW.timestamp())
    headers = {rules.TIMESTAMP_HEADER: str(ts), rules.SIGNATURE_HEADER: rules.sign(SECRET, ts, BODY)}
    assert module.verify(SECRET, headers, BODY, now=NOW.timestamp())
    assert not module.verify(SECRET, headers, BODY, now=NOW.timestamp() + 301)
    assert not module.verify("whsec_other", headers, BODY, now=NOW.timestamp())
