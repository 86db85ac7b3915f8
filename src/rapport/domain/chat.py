"""Live chat rules: opening hours, the expected wait, the first-answer target, identity handoff,
allowed sites, rate limits and which messages a reconnecting client must resend.

No Django, no clock reads: every instant is an argument.

* The expected wait is Erlang C's average speed of answer (``rapport.domain.staffing``) for the
  live numbers: chats started in the last hour as the arrival rate, the mean handling time of
  recent chats, and the agents available for chat times their chat capacity as the servers (an
  agent with capacity 3 answers up to three chats at once: the M/M/N model with N = the chat
  slots). A customer's own expected wait adds, for their place in the queue, the time for the
  chats ahead of them to be taken at the rate slots free up (``position x AHT / slots``).
  Seed 004 (allocate resources to the service promised), Gans, Koole and Mandelbaum 2003, §4.1.
* Time to first answer is counted in seconds from the moment the customer starts the chat to the
  first agent message (seed 000: a service standard that is defined, monitored and evaluated).
* Signed identity: ``hex(HMAC-SHA256(secret, "<customer id>:<email in lower case>"))`` (RFC 2104),
  compared in constant time, so a website whose customers are signed in vouches for who they are.
* Allowed sites: an ``Origin`` header (RFC 6454) is allowed when its scheme, host and port equal
  one of the site's allowed origins exactly (no wildcard, no suffix match: ``evil-example.co.uk``
  must never pass for ``example.co.uk``).
* Rate limits: a token bucket (``burst`` tokens, refilled at ``per_minute`` a minute).
* WCAG 2.2 SC 2.2.1 (Timing Adjustable): nothing here ends a chat on a timer while the customer is
  typing; an idle chat is only offered a reminder (``idle_prompt_due``), never closed by it.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from rapport.domain.staffing import erlang_c

BAD_HOURS = "Opening hours are 'HH:MM-HH:MM' on a weekday 0 (Monday) to 6 (Sunday), not {value!r}"


@dataclass(frozen=True)
class Window:
    """Opening hours on one weekday (0 Monday … 6 Sunday), local time, ``start`` ≤ t < ``end``."""

    weekday: int
    start: time
    end: time


def parse_hours(spec: Iterable[Sequence[object]]) -> tuple[Window, ...]:
    """``[[0, "09:00", "17:00"], …]`` as windows; ``ValueError`` naming what is wrong."""
    windows = []
    for item in spec:
        try:
            weekday, start, end = item
            if not isinstance(weekday, int) or not 0 <= weekday <= 6:
                raise ValueError
            opens, closes = time.fromisoformat(str(start)), time.fromisoformat(str(end))
        except (TypeError, ValueError):
            raise ValueError(BAD_HOURS.format(value=item)) from None
        if closes <= opens:
            raise ValueError(BAD_HOURS.format(value=item))
        windows.append(Window(weekday, opens, closes))
    return tuple(windows)


def is_open(local: datetime, windows: Sequence[Window], closed_dates: Iterable[object] = ()) -> bool:
    """Whether chat is staffed at ``local`` (a time in the organisation's zone): inside a window of
    its weekday and not on a closed date (a bank holiday of the desk's nation)."""
    if local.date() in set(closed_dates):
        return False
    moment = local.time()
    return any(w.weekday == local.weekday() and w.start <= moment < w.end for w in windows)


@dataclass(frozen=True)
class WaitEstimate:
    """What a waiting customer is told: their place (1 = next) and the expected wait in seconds
    (None when nobody is available: the queue never settles, so no figure is honest)."""

    position: int
    seconds: int | None
    prob_wait: float


def expected_wait(*, position: int, chats_last_hour: int, aht_seconds: float, slots: int) -> WaitEstimate:
    """Erlang C's average speed of answer for the live numbers (module docstring), plus the time
    for the ``position - 1`` chats ahead to be taken as slots free up."""
    if position < 1:
        raise ValueError(f"position starts at 1, not {position!r}")
    if aht_seconds <= 0 or slots < 0:
        raise ValueError("aht_seconds must be more than 0 and slots not negative")
    if slots == 0:
        return WaitEstimate(position, None, 1.0)
    traffic = chats_last_hour * aht_seconds / 3600
    if slots <= traffic:
        return WaitEstimate(position, None, 1.0)
    prob_wait = erlang_c(traffic=traffic, agents=slots)
    asa = prob_wait * aht_seconds / (slots - traffic)
    ahead = (position - 1) * aht_seconds / slots
    return WaitEstimate(position, math.ceil(asa + ahead), prob_wait)


@dataclass(frozen=True)
class FirstAnswer:
    """The first-answer target of one chat: when it falls due, and whether and when it was met."""

    due: datetime
    answered_at: datetime | None
    breached: bool
    seconds: int | None


def first_answer(*, started: datetime, target_seconds: int, answered: datetime | None, now: datetime) -> FirstAnswer:
    """Time to first answer in seconds (module docstring): breached when the first answer came
    after the target, or has not come and the target has passed."""
    due = started + timedelta(seconds=target_seconds)
    if answered is not None:
        taken = max(0, math.ceil((answered - started).total_seconds()))
        return FirstAnswer(due, answered, answered > due, taken)
    return FirstAnswer(due, None, now > due, None)


def identity_payload(customer_id: str, email: str) -> bytes:
    return f"{customer_id.strip()}:{email.strip().lower()}".encode()


def identity_signature(secret: bytes, customer_id: str, email: str) -> str:
    """The signature a website computes for its signed-in customer (module docstring)."""
    return hmac.new(secret, identity_payload(customer_id, email), hashlib.sha256).hexdigest()


def identity_valid(secret: bytes, customer_id: str, email: str, signature: str) -> bool:
    """Whether ``signature`` vouches for this customer id and email, in constant time."""
    if not secret or not signature or not (customer_id or email):
        return False
    expected = identity_signature(secret, customer_id, email)
    return hmac.compare_digest(expected, signature.strip().lower())


def normalise_origin(origin: str) -> str | None:
    """``scheme://host[:port]`` in lower case with the default port dropped; None if not one."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path not in {"", "/"}:
        return None
    if parts.query or parts.fragment or parts.username or parts.password:
        return None
    default = {"http": 80, "https": 443}[parts.scheme]
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    suffix = f":{port}" if port and port != default else ""
    return f"{parts.scheme}://{host}{suffix}"


def origin_allowed(origin: str, allowed: Iterable[str]) -> bool:
    """An exact match of scheme, host and port against the allowed origins (module docstring)."""
    given = normalise_origin(origin) if origin else None
    return given is not None and any(given == normalise_origin(a) for a in allowed)


@dataclass(frozen=True)
class Bucket:
    tokens: float
    at: datetime


def take(bucket: Bucket | None, *, now: datetime, per_minute: float, burst: int) -> tuple[bool, Bucket]:
    """One token from the bucket if there is one: (allowed, the bucket after)."""
    if bucket is None:
        tokens = float(burst)
    else:
        elapsed = max(0.0, (now - bucket.at).total_seconds())
        tokens = min(float(burst), bucket.tokens + elapsed * per_minute / 60)
    if tokens >= 1:
        return True, Bucket(tokens - 1, now)
    return False, Bucket(tokens, now)


def to_resend(sent: Sequence[str], acknowledged: Iterable[str]) -> list[str]:
    """The client ids a reconnecting client must send again: those not acknowledged, in the order
    they were written. The server files each client id once, so resending is always safe."""
    done = set(acknowledged)
    return [cid for cid in sent if cid not in done]


def idle_prompt_due(*, last_customer_activity: datetime, now: datetime, idle_minutes: int) -> bool:
    """Whether to ask an idle customer if they are still there (never to end the chat: WCAG 2.2
    SC 2.2.1). Typing counts as activity."""
    return now - last_customer_activity >= timedelta(minutes=idle_minutes)
