"""Signing webhook deliveries, and how long to wait before trying one again.

Signature: ``HMAC-SHA256(secret, timestamp + "." + body)``, hex, sent as
``Rapport-Signature: v1=<hex>`` with the timestamp (Unix seconds) in ``Rapport-Timestamp``
(HMAC: RFC 2104; SHA-256: FIPS 180-4). Signing the timestamp with the body lets a receiver refuse
an old request replayed by someone who captured it: it rejects timestamps further than
``TOLERANCE`` from its own clock. Comparison is constant-time (``hmac.compare_digest``) so the
signature cannot be guessed a byte at a time from response times.

Back-off: exponential, ``BASE x 2^(attempt-1)`` capped at ``CAP`` (attempt 1 failed: wait 30 s;
2: 1 min; 3: 2 min … 8: 64 min), for at most ``MAX_ATTEMPTS`` attempts: about two hours in all,
long enough to ride out a receiver's deployment or short outage, short enough that events are not
delivered long after they stop mattering.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

SIGNATURE_HEADER = "Rapport-Signature"
TIMESTAMP_HEADER = "Rapport-Timestamp"
EVENT_HEADER = "Rapport-Event"
DELIVERY_HEADER = "Rapport-Delivery"
SCHEME = "v1"

TOLERANCE = timedelta(minutes=5)
"""How far a receiver accepts a timestamp from its own clock, either way."""

BASE = timedelta(seconds=30)
CAP = timedelta(hours=2)
MAX_ATTEMPTS = 8

DISABLE_AFTER = 10
"""Consecutive failed attempts after which a subscription is switched off and admins are told."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp`` (Unix seconds)."""
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, now: datetime) -> bool:
    """Whether ``signature`` is ours for ``body`` at ``timestamp`` and the timestamp is within
    ``TOLERANCE`` of ``now`` (what a receiver checks; the example receiver does the same)."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs(now.timestamp() - sent) > TOLERANCE.total_seconds():
        return False
    return hmac.compare_digest(sign(secret, sent, body), signature)


def backoff(attempt: int) -> timedelta:
    """How long to wait after failed attempt number ``attempt`` (1-based) before the next."""
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    wait: timedelta = BASE * (2 ** (attempt - 1))
    return min(wait, CAP)


def succeeded(status_code: int | None) -> bool:
    """A 2xx answer is a delivery; anything else (3xx too: redirects are not followed) is a failure."""
    return status_code is not None and 200 <= status_code < 300
