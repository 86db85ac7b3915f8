"""The core side of the access log: who read which person's data, when, what and why.

The gates call ``accessed``, and so do the few reads that name many people at once (reports, the
API's list of whole customer records). The app that keeps the log registers a sink in ``sinks``
from its ``AppConfig.ready()`` (the privacy app's ``AccessLog``), so the core never imports it.

- Only staff reads are logged: a customer reading their own data is not access by someone else.
- One row per person and thing read per request: the desk and the API run every request in a
  ``request_scope`` (``rapport.web.middleware``), so a page that reaches one case through three
  gates writes one row, while an export in the same request as a look at the record writes its own.
  Outside a request (a job, the command line) every call is written.
- Written before the data is returned, in one insert per call however many people it names: if
  the log cannot be written, the read fails rather than going unrecorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from rapport.access.policy import is_staff

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rapport.accounts.models import User

WHAT_LENGTH = WHY_LENGTH = 200


@dataclass(frozen=True)
class Access:
    """One read of one person's data by a member of staff."""

    actor_id: int
    customer_id: int
    at: datetime
    what: str
    why: str


AccessSink = Callable[[Sequence[Access]], None]

sinks: list[AccessSink] = []
"""Where reads are recorded: each sink gets every batch (the privacy app's access log)."""


_logged: ContextVar[set[tuple[int, int, str]] | None] = ContextVar("rapport_access_logged", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """Within it, each (actor, person, what) is logged once however many gates reach it."""
    token = _logged.set(set())
    try:
        yield
    finally:
        _logged.reset(token)


def accessed(
    actor: User | AnonymousUser,
    customer_ids: Iterable[int],
    *,
    what: str,
    why: str = "",
    now: datetime | None = None,
) -> int:
    """Record that staff ``actor`` read the data of ``customer_ids``: the people not yet recorded
    in this request, in one batch. Returns how many were recorded."""
    actor_id = actor.pk
    if not is_staff(actor) or not sinks or actor_id is None:
        return 0
    what, why = what[:WHAT_LENGTH], why[:WHY_LENGTH]
    seen = _logged.get()
    fresh = [pk for pk in dict.fromkeys(customer_ids) if seen is None or (actor_id, pk, what) not in seen]
    if not fresh:
        return 0
    at = now or timezone.now()
    batch = [Access(actor_id, pk, at, what, why) for pk in fresh]
    for sink in sinks:
        sink(batch)
    if seen is not None:
        seen.update((actor_id, pk, what) for pk in fresh)
    return len(batch)
