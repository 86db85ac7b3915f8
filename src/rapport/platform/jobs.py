"""Background jobs asked for by name, so a service can queue work without importing the module
that defines the job (``tasks.py`` imports the services it runs: importing it back is a cycle).

Each app's ``hooks.register()`` names the queued tasks its services ask for; a service calls
``enqueue("mail.outbox_send", email_id)``. Asking for a job nobody registered is a programming
error and raises at once rather than dropping the work.
"""

from __future__ import annotations

import time
from collections.abc import Callable

Job = Callable[..., object]

_jobs: dict[str, Job] = {}
_due: dict[tuple[object, ...], float] = {}  # (name, *args) -> when this process's queued run starts

UNKNOWN_JOB = "No job is registered as {name!r}: register it in the app's hooks."
REGISTERED_TWICE = "A job is already registered as {name!r}."


def register(name: str, job: Job) -> None:
    """Make ``job`` (a queued task) the one that runs ``name``; a second, different job is refused."""
    if _jobs.get(name, job) is not job:
        raise ValueError(REGISTERED_TWICE.format(name=name))
    _jobs[name] = job


def enqueue(name: str, *args: object) -> None:
    """Queue job ``name`` with ``args`` (at once when jobs run in-process, as in tests)."""
    _task(name)(*args)


def enqueue_coalesced(
    name: str, *args: object, within: float = 1.0, clock: Callable[[], float] = time.monotonic
) -> None:
    """Queue job ``name`` to start ``within`` seconds from now, unless this process has already queued
    it to start later than now: that run will serve this caller too.

    Only for jobs that do all the work pending when they start, whatever asked for it (the
    journal's deliveries): a write committed before the queued start is seen by that run. Under
    load this turns a job a write into a job a second per process; alone, work waits a second.
    When jobs run in-process (tests), the job runs at once."""
    job = _task(name)
    schedule = getattr(job, "schedule", None)
    if schedule is None or _immediate():
        job(*args)
        return
    now, key = clock(), (name, *args)
    # Half the wait is kept as a margin, for a worker on another host whose clock runs ahead.
    if _due.get(key, 0.0) - within / 2 > now:
        return
    schedule(args=args, delay=within)
    _due[key] = now + within


def _task(name: str) -> Job:
    try:
        return _jobs[name]
    except KeyError:
        raise LookupError(UNKNOWN_JOB.format(name=name)) from None


def _immediate() -> bool:
    from huey.contrib.djhuey import HUEY  # type: ignore[import-untyped]

    return bool(HUEY.immediate)
