"""Sign-in throttling against real cache back ends: the database cache table, and Redis when it
is running (as in production with ``REDIS_URL``)."""

from __future__ import annotations

import uuid
from datetime import UTC, timedelta
from ipaddress import ip_network

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from rapport.accounts import throttle
from tests.conftest import NOW

REDIS = "redis://127.0.0.1:6379/0"


def _redis_running() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["database", "files", "redis"])
def shared_cache(request, db, settings, tmp_path):
    """The default cache as production has it. Each test's Redis keys carry their own prefix and
    are deleted afterwards (the server is shared: never flushed)."""
    settings.RAPPORT_LOGIN_WINDOW_SECONDS = 900
    settings.RAPPORT_LOGIN_ATTEMPTS = 5
    settings.RAPPORT_LOGIN_ADDRESS_ACCOUNTS = 10
    settings.RAPPORT_LOGIN_ALLOWLIST = ()
    if request.param == "database":
        config = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "rapport_cache_test"}
        with override_settings(CACHES={"default": config}):
            call_command("createcachetable", verbosity=0)
            yield request.param
        return
    if request.param == "files":  # one host on SQLite (settings: diskcache in the data folder)
        config = {"BACKEND": "rapport.platform.filecache.FileCache", "LOCATION": str(tmp_path / "cache"), "SHARDS": 4}
        with override_settings(CACHES={"default": config}):
            try:
                yield request.param
            finally:
                cache.close()
        return
    if not _redis_running():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"test-throttle-{uuid.uuid4().hex}"
    config = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": prefix}
    with override_settings(CACHES={"default": config}):
        try:
            yield request.param
        finally:
            client = cache._cache.get_client(write=True)
            for key in client.scan_iter(f"{prefix}:*"):
                client.delete(key)


# The start of a window, so that "a window later" is exactly the policy's length.
START = NOW.replace(minute=0, second=0)


def test_thirty_accounts_tried_once_from_one_address(shared_cache):
    for n in range(30):
        refused = throttle.login_refusal(email=f"p{n}@example.com", ip="203.0.113.9", now=START)
        if refused is None:
            throttle.login_failed(email=f"p{n}@example.com", ip="203.0.113.9", now=START)
        assert (refused is None) == (n < 10)

    assert throttle.login_refusal(email="owner@example.com", ip="203.0.113.9", now=START) is not None
    assert throttle.login_refusal(email="owner@example.com", ip="198.51.100.7", now=START) is None


def test_one_account_tried_again_and_again_counts_as_one_account_for_the_address(shared_cache):
    for _ in range(4):
        throttle.login_failed(email="owner@example.com", ip="203.0.113.9", now=START)
    for n in range(8):
        throttle.login_failed(email=f"p{n}@example.com", ip="203.0.113.9", now=START)

    # nine accounts so far, the owner's once: a tenth may still be tried, an eleventh may not
    assert throttle.login_refusal(email="new@example.com", ip="203.0.113.9", now=START) is None
    throttle.login_failed(email="new@example.com", ip="203.0.113.9", now=START)
    assert throttle.login_refusal(email="other@example.com", ip="203.0.113.9", now=START) is not None


def test_the_allowlist_exempts_an_address_from_the_address_count_only(shared_cache, settings):
    settings.RAPPORT_LOGIN_ALLOWLIST = (ip_network("203.0.113.0/24"), ip_network("2001:db8::/32"))
    for ip in ("203.0.113.9", "2001:db8::1"):
        for n in range(30):
            throttle.login_failed(email=f"p{n}@example.com", ip=ip, now=START)
        assert throttle.login_refusal(email="owner@example.com", ip=ip, now=START) is None
        assert throttle.login_refusal(email="p1@example.com", ip=ip, now=START) is None
        for _ in range(4):
            throttle.login_failed(email="p1@example.com", ip=ip, now=START)
        assert throttle.login_refusal(email="p1@example.com", ip=ip, now=START) is not None
    assert not throttle.allowlisted("203.0.114.1")
    assert not throttle.allowlisted("unknown")


@pytest.mark.parametrize("failures_by", ["the owner's account", "many accounts"])
def test_the_owner_is_never_locked_out_longer_than_the_window(shared_cache, failures_by):
    # given a guesser at the owner's address who trips a limit at the start of a window …
    ip = "203.0.113.9"
    emails = (
        ["owner@example.com"] * 5 if failures_by == "the owner's account" else [f"p{n}@example.com" for n in range(10)]
    )
    for email in emails:
        throttle.login_failed(email=email, ip=ip, now=START)
    # … and keeps trying every minute of it
    for minute in range(15):
        at = START + timedelta(minutes=minute, seconds=30)
        refusal = throttle.login_refusal(email="owner@example.com", ip=ip, now=at)
        assert refusal is not None
        assert refusal == throttle.too_many_attempts_message(900 - minute * 60 - 30)
        assert f"Wait {15 - minute} minute" in refusal

    # then the owner gets in as soon as the window is over
    assert throttle.login_refusal(email="owner@example.com", ip=ip, now=START + timedelta(seconds=900)) is None


def test_a_limit_reached_late_in_a_window_ends_with_it(shared_cache):
    late = START + timedelta(minutes=14)
    for _ in range(5):
        throttle.login_failed(email="owner@example.com", ip="203.0.113.9", now=late)

    assert "Wait 1 minute " in throttle.login_refusal(email="owner@example.com", ip="203.0.113.9", now=late)
    assert (
        throttle.login_refusal(email="owner@example.com", ip="203.0.113.9", now=START + timedelta(minutes=15)) is None
    )


def test_the_database_cache_keeps_the_window_after_a_count(shared_cache):
    """The database cache increments by writing the row again with its default 300 s timeout:
    the count must still be there later in the window, or the limit is quietly lifted."""
    for _ in range(5):
        throttle.login_failed(email="owner@example.com", ip="203.0.113.9", now=START)

    key = throttle._account_key(throttle._Window.at(START), "owner@example.com", "203.0.113.9")
    assert cache.get(key) == 5
    if shared_cache == "database":
        with connection.cursor() as cursor:
            cursor.execute("SELECT expires FROM rapport_cache_test")
            expiries = [at if at.tzinfo else at.replace(tzinfo=UTC) for (at,) in cursor.fetchall()]
        assert min(expiries) > timezone.now() + timedelta(seconds=600)
