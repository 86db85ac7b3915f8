"""Background jobs asked for by name, so a service can queue work without importing the module
that defines the job (``tasks.py`` imports the services it runs: importing it back is a cycle).

Each app's ``hooks.register()`` names the queued tasks its services ask for; a service calls
``enqueue("mail.outbox_send", email_id)``. Asking for a job nobody registered is a programming
error and raises at once rather than dropping the work.
"""

from __future__ import annotations

from collections.abc import Callable

Job = Callable[..., object]

_jobs: dict[str, Job] = {}

UNKNOWN_JOB = "No job is registered as {name!r}: register it in the app's hooks."
REGISTERED_TWICE = "A job is already registered as {name!r}."


def register(name: str, job: Job) -> None:
    """Make ``job`` (a queued task) the one that runs ``name``; a second, different job is refused."""
    if _jobs.get(name, job) is not job:
        raise ValueError(REGISTERED_TWICE.format(name=name))
    _jobs[name] = job


def enqueue(name: str, *args: object) -> None:
    """Queue job ``name`` with ``args`` (at once when jobs run in-process, as in tests)."""
    try:
        job = _jobs[name]
    except KeyError:
        raise LookupError(UNKNOWN_JOB.format(name=name)) from None
    job(*args)
