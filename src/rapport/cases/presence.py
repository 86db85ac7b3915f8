"""Collision: who else is on a case now, and what changed since a page was drawn (issue 16).

Presence lives only in the shared cache (Redis in production, ``CACHES``), never in the database:
the case page polls ``cases:presence`` every ``POLL_SECONDS`` and the poll reads and writes the
cache alone. Three kinds of entry, all short-lived:

- ``presence:<case id>``: who is on the case (``rapport.domain.presence``), each entry living
  ``PRESENCE_TTL`` seconds after its last poll. Two polls writing at the same instant may drop one
  entry until its next poll (ten seconds): a race that costs a moment's accuracy, never a query.
- ``presence-grant:<user id>:<case id>``: the page view's access check vouches for that person's
  polls of that case for ``GRANT_TTL`` seconds; after that a poll checks access again (so losing a
  case stops the polling within minutes, and the poll costs no query in between).
- ``case-latest:<case id>``: the id of the case's newest journal event, written by the journal
  when a write commits (``stamp``); a poll compares it with the event the page was drawn at. A
  missing entry (evicted, or written by a bulk import that reads no ids back) costs one indexed
  query to rebuild.

Before a reply, note or edit is saved, ``since`` lists what others did after the page was drawn,
from the database (the authority): the page then warns, with what it was, instead of saving.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from django.core.cache import cache
from django.db.models import Max, Q

from rapport.accounts.models import User
from rapport.cases.models import CaseEvent
from rapport.domain import presence as rules

POLL_SECONDS = 10
PRESENCE_TTL = 30
GRANT_TTL = 600
STAMP_TTL = 24 * 3600
SINCE_LIMIT = 20


def _where(case_id: int) -> str:
    return f"presence:{case_id}"


def _grant(user_id: int, case_id: int) -> str:
    return f"presence-grant:{user_id}:{case_id}"


def _latest(case_id: int) -> str:
    return f"case-latest:{case_id}"


def grant(user: User, case_id: int) -> None:
    """Remember that ``user`` passed the access gate for ``case_id`` just now."""
    cache.set(_grant(user.pk, case_id), 1, GRANT_TTL)


def granted(user: User, case_id: int) -> bool:
    return bool(cache.get(_grant(user.pk, case_id)))


def arrive(case_id: int, user: User, *, state: str | None, now: float) -> list[rules.Presence]:
    """Record that ``user`` is on the case (``state`` None: a poll, which keeps what they were
    doing) and return everyone else there now."""
    held: Mapping[int, rules.Presence] = cache.get(_where(case_id)) or {}
    kept = rules.arrive(held, user_id=user.pk, name=user.name or user.email, state=state, now=now, ttl=PRESENCE_TTL)
    cache.set(_where(case_id), kept, PRESENCE_TTL)
    return rules.others(kept, user_id=user.pk, now=now)


def stamp(latest: Mapping[int, int], unknown: Sequence[int] = ()) -> None:
    """Called by the journal when a write commits: the newest event id of each case it wrote to;
    ``unknown``, cases written without reading ids back (their entry is dropped, to be rebuilt)."""
    held = cache.get_many([_latest(c) for c in latest])
    cache.set_many(
        {_latest(c): max(i, held.get(_latest(c)) or 0) for c, i in latest.items()},
        STAMP_TTL,
    )
    if unknown:
        cache.delete_many([_latest(c) for c in unknown])


def latest_event(case_id: int) -> int:
    """The id of the case's newest event: from the cache, else one indexed query."""
    found = cache.get(_latest(case_id))
    if found is None:
        found = CaseEvent.objects.filter(case_id=case_id).aggregate(m=Max("id"))["m"] or 0
        cache.add(_latest(case_id), found, STAMP_TTL)
    return int(found)


def since(case_id: int, seen: int, actor: User, *, quiet: Sequence[str] = ()) -> list[CaseEvent]:
    """What other people (and the system) recorded on the case after event ``seen``, oldest first,
    leaving out ``quiet`` kinds (``journal.quiet_kinds``: they say nothing about the case)."""
    events = (
        CaseEvent.objects.filter(case_id=case_id, id__gt=seen)
        .filter(Q(actor__isnull=True) | ~Q(actor=actor))
        .exclude(kind__in=quiet)
        .select_related("actor")
        .order_by("id")[:SINCE_LIMIT]
    )
    return list(events)


def digest(people: Sequence[rules.Presence], changed: bool) -> str:
    """A short fingerprint of what the presence line says, so an unchanged line is not sent (or
    announced to screen readers) again."""
    text = "|".join(f"{p.user_id}:{p.state}" for p in people) + f"|{int(changed)}"
    return hashlib.blake2s(text.encode(), digest_size=8).hexdigest()
