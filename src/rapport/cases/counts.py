"""How many cases each queue tab and saved view holds, cheap enough for every queue page at 1M cases.

Counting a million rows takes longer than a whole queue page, so a page never counts: it reads
the counts from the shared cache (Redis when ``REDIS_URL`` is set, so every web process sees the
same figures) in one round trip, and asks a background job to count again those that are older
than ``STALE_AFTER`` or missing. Each count is claimed in the cache before its job is queued, so
however many people and processes look at the same queue, it is counted at most once per
``STALE_AFTER``. The page says how old its figures are ("counts updated 12 s ago"); a count not
made yet is shown as not counted, never as 0 (ADR 0012).

Counts are shared between everyone who would get the same number: a manager's "All" is every
manager's, an agent's counts are their own (what an agent sees depends on their teams and what
they own).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from rapport import access as policy
from rapport.accounts.models import User
from rapport.cases.selectors import QueueFilter, queue_count
from rapport.platform import jobs
from rapport.platform.errors import FieldError

REFRESH_JOB = "cases.queue_count_refresh"
STALE_AFTER = 30  # seconds: how old a count may be before it is counted again
KEEP_FOR = 600  # seconds: a count older than this is not shown at all
PREFIX = "queue-count:v1:"
CLAIM = ":claim"

Params = dict[str, list[str]]


@dataclass(frozen=True)
class Count:
    """A count as the cache holds it: ``value`` None when it has not been made yet."""

    value: int | None
    counted_at: datetime | None

    def age(self, now: datetime) -> int | None:
        """Whole seconds since it was counted."""
        return None if self.counted_at is None else max(0, int((now - self.counted_at).total_seconds()))


NOT_COUNTED = Count(None, None)


def count_key(actor: User, flt: QueueFilter) -> str:
    """The cache key of a count: the same for everyone the policy shows the same cases."""
    personal = not policy.sees_all_cases(actor) or flt.queue in {"mine", "team"}
    whose = f"u{actor.pk}" if personal else "all"
    what = (
        flt.queue,
        flt.statuses,
        flt.active_only,
        flt.priority,
        flt.type,
        flt.channel,
        flt.team_id,
        flt.owner_id,
        flt.customer_id,
        flt.tag,
    )
    return PREFIX + whose + ":" + hashlib.sha256(repr(what).encode()).hexdigest()[:24]


def queue_counts(actor: User, wanted: Mapping[str, Params], *, now: datetime) -> dict[str, Count]:
    """The counts of ``wanted`` (name to queue parameters), as the cache holds them: one read for
    all, plus, for each count that is stale or missing and that no one has claimed in the last
    ``STALE_AFTER`` seconds, a claim and a queued job. A parameter set that does not parse (a saved
    view naming a status that no longer exists) is simply not counted."""
    keys: dict[str, tuple[str, Params]] = {}
    for name, params in wanted.items():
        try:
            keys[name] = (count_key(actor, QueueFilter.from_params(dict(params))), params)
        except FieldError:
            continue
    # The claims are read with the counts, so a count already being made costs no write.
    wanted_keys = {key for key, _ in keys.values()}
    held = cache.get_many(wanted_keys | {key + CLAIM for key in wanted_keys}) if keys else {}
    counts: dict[str, Count] = {}
    asked: set[str] = set()
    for name, (key, params) in keys.items():
        entry = held.get(key)
        count = Count(entry[0], datetime.fromisoformat(entry[1])) if entry else NOT_COUNTED
        counts[name] = count
        age = count.age(now)
        stale = age is None or age >= STALE_AFTER
        if stale and key not in asked and key + CLAIM not in held:
            asked.add(key)
            if cache.add(key + CLAIM, 1, timeout=STALE_AFTER):
                jobs.enqueue(REFRESH_JOB, actor.pk, params, key)
    return counts


def refresh(actor_id: int, params: Params, key: str, *, now: datetime | None = None) -> None:
    """Count one queue for the cache (the job ``REFRESH_JOB``)."""
    now = now or timezone.now()
    actor = User.objects.filter(pk=actor_id, is_active=True).first()
    if actor is None or not policy.is_staff(actor):
        return
    value = queue_count(actor, QueueFilter.from_params(dict(params)), now=now)
    cache.set(key, (value, now.isoformat()), timeout=KEEP_FOR)


def oldest(counts: Mapping[str, Count], now: datetime) -> int | None:
    """The age in seconds of the oldest count shown, for the page's "counts updated … ago"."""
    ages = [age for count in counts.values() if (age := count.age(now)) is not None]
    return max(ages) if ages else None
