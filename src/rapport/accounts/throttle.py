"""Sign-in throttling: how many failed sign-ins are allowed, and how long a refusal lasts.

Two counts over fixed windows of ``RAPPORT_LOGIN_WINDOW_SECONDS``, kept in the default cache: Redis
when ``REDIS_URL`` is set, so every web host shares them, the database cache table otherwise.

- **Per account and address**: after ``RAPPORT_LOGIN_ATTEMPTS`` failures, that account is refused
  from that address for the rest of the window. A guesser elsewhere never locks the owner out.
- **Per address, across accounts**: after failures on ``RAPPORT_LOGIN_ADDRESS_ACCOUNTS`` different
  accounts, the address is refused for every account for the rest of the window (password
  spraying: one guess at each of many accounts, which the first count never sees). Addresses in
  ``RAPPORT_LOGIN_ALLOWLIST`` (CIDR ranges: a contact centre whose agents share one NAT address)
  skip this count; the first still applies to them.

A refused attempt is not counted and moves no window, so a refusal ends at the latest one window
after the failure that caused it, however many attempts are made meanwhile: the rightful owner is
never kept out longer than the policy says, and the message tells them when they can try again.
OWASP Authentication Cheat Sheet, "Protect against automated attacks" (account lockout and its
denial-of-service risk).
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

TOO_MANY_ATTEMPTS = "Too many sign-in attempts. Wait {wait} and try again."


@dataclass(frozen=True)
class _Window:
    number: int
    seconds_left: int

    @classmethod
    def at(cls, now: datetime) -> _Window:
        length = max(int(settings.RAPPORT_LOGIN_WINDOW_SECONDS), 1)
        number, into = divmod(int(now.timestamp()), length)
        return cls(number=number, seconds_left=length - into)


def _hash(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _account_key(window: _Window, email: str, ip: str) -> str:
    return f"signin:account:{window.number}:{_hash(email.lower(), ip)}"


def _seen_key(window: _Window, email: str, ip: str) -> str:
    return f"signin:seen:{window.number}:{_hash(email.lower(), ip)}"


def _address_key(window: _Window, ip: str) -> str:
    return f"signin:address:{window.number}:{_hash(ip)}"


def allowlisted(ip: str) -> bool:
    """Whether the address is in ``RAPPORT_LOGIN_ALLOWLIST`` (exempt from the per-address count)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in network for network in settings.RAPPORT_LOGIN_ALLOWLIST)


def login_refusal(*, email: str, ip: str, now: datetime | None = None) -> str | None:
    """Why a sign-in attempt is refused before its password is checked, or None to go ahead."""
    window = _Window.at(now or timezone.now())
    keys = [_account_key(window, email, ip)]
    if not allowlisted(ip):
        keys.append(_address_key(window, ip))
    counts = cache.get_many(keys)
    refused = int(counts.get(keys[0], 0)) >= settings.RAPPORT_LOGIN_ATTEMPTS or (
        len(keys) > 1 and int(counts.get(keys[1], 0)) >= settings.RAPPORT_LOGIN_ADDRESS_ACCOUNTS
    )
    return too_many_attempts_message(window.seconds_left) if refused else None


def login_failed(*, email: str, ip: str, now: datetime | None = None) -> None:
    window = _Window.at(now or timezone.now())
    _count(_account_key(window, email, ip), window)
    # The first failure on an account from this address in this window is one more account tried.
    if cache.add(_seen_key(window, email, ip), 1, timeout=window.seconds_left + 1):
        _count(_address_key(window, ip), window)


def login_succeeded(*, email: str, ip: str, now: datetime | None = None) -> None:
    """The owner got in: their own count starts again (the address's count does not)."""
    cache.delete(_account_key(_Window.at(now or timezone.now()), email, ip))


def _count(key: str, window: _Window) -> None:
    timeout = window.seconds_left + 1
    if cache.add(key, 1, timeout=timeout):
        return
    try:
        cache.incr(key)
    except ValueError:  # it expired in between
        cache.set(key, 1, timeout=timeout)
        return
    # The database cache increments by reading and writing again, with its default timeout: put
    # the window's end back (Redis keeps it; this is a no-op there).
    cache.touch(key, timeout=timeout)


def too_many_attempts_message(seconds_left: int) -> str:
    minutes = math.ceil(seconds_left / 60)
    return TOO_MANY_ATTEMPTS.format(wait="1 minute" if minutes <= 1 else f"{minutes} minutes")
