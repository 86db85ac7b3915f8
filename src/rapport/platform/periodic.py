"""Periodic jobs that do their work once per period, however many schedulers enqueue them (ADR 0011).

Huey's scheduler enqueues a periodic task each time its crontab matches. Exactly one scheduler
should run (``rapport worker --no-scheduler`` on every other host), but a second one started by
mistake, or a delivery repeated after a restart, must not do the work twice: the daily complaint
deadline warning once wrote 60 events for 30 complaints because two workers ran it.

So every periodic job is declared with :func:`periodic_job`, which claims the period first: it
inserts a ``PeriodicRun(job, period_start)`` row, and the unique constraint lets exactly one
insert win. The loser does nothing. The claim is committed before the work starts, so the work
keeps its own transactions (sending email, batching a sweep) and a long job holds no lock on the
claim. Work that raises gives the claim back, so a retry (or a later run in the same period) can
do it; a worker that dies mid-job keeps its claim, and the next period's run catches up, because
every periodic job is a sweep of what is due.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from huey.contrib.djhuey import db_periodic_task

from rapport.platform.models import PeriodicRun

log = logging.getLogger(__name__)

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
KEEP = timedelta(days=30)  # claims older than this are pruned as new ones are made

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
R = TypeVar("R")

# Every job declared with periodic_job, by Huey task name: a test checks that Huey has no other
# periodic task.
jobs: dict[str, timedelta] = {}


def period_start(at: datetime, every: timedelta) -> datetime:
    """The start of the period of length ``every`` that ``at`` falls in, counted in UTC from the
    epoch (Huey's crontabs are evaluated in UTC, so a daily job's period is the UTC day)."""
    step = int(every.total_seconds())
    if step <= 0:
        raise ValueError("a period is at least one second long")
    seconds = int((at - _EPOCH).total_seconds())
    return _EPOCH + timedelta(seconds=seconds - seconds % step)


def period_claim(*, job: str, start: datetime, now: datetime) -> int | None:
    """Claim one period of a job: the new ``PeriodicRun`` id, or None when it was already claimed.

    The insert commits on its own (a savepoint when called inside a transaction). On PostgreSQL a
    second insert waits for the first to commit, then fails on the unique constraint; on SQLite
    the second writer waits for the write lock, then fails the same way."""
    try:
        with transaction.atomic():
            run = PeriodicRun.objects.create(job=job, period_start=start, started_at=now)
    except IntegrityError:
        return None
    PeriodicRun.objects.filter(job=job, period_start__lt=start - KEEP).delete()
    return run.pk


def period_finish(*, run_id: int, now: datetime, outcome: str) -> None:
    PeriodicRun.objects.filter(pk=run_id).update(finished_at=now, outcome=outcome[:200])


def period_release(*, run_id: int) -> None:
    """Give a period back after its work failed, so a retry can do it."""
    PeriodicRun.objects.filter(pk=run_id).delete()


def run_once_per_period(job: str, every: timedelta, work: Callable[[], R]) -> R | None:
    """Run ``work`` unless this period of ``job`` was already claimed; None when it was."""
    now = timezone.now()
    start = period_start(now, every)
    run_id = period_claim(job=job, start=start, now=now)
    if run_id is None:
        log.info("%s: the period from %s was already run", job, start.isoformat())
        return None
    try:
        result = work()
    except BaseException:
        period_release(run_id=run_id)
        raise
    period_finish(run_id=run_id, now=timezone.now(), outcome=repr(result))
    return result


def periodic_job(schedule: Callable[[datetime], bool], *, every: timedelta, **huey: Any) -> Callable[..., Any]:
    """A Huey periodic task (``db_periodic_task``) whose work runs once per period of ``every``.

    ``every`` is the job's period: how often the schedule fires (a job scheduled each minute has a
    one-minute period; a daily job, a day). The task keeps the name Huey would give the function."""

    def decorate(function: Callable[[], R]) -> Any:
        job = f"{function.__module__}.{function.__name__}"

        @functools.wraps(function)
        def once() -> R | None:
            return run_once_per_period(job, every, function)

        jobs[job] = every
        return db_periodic_task(schedule, **huey)(once)

    return decorate
