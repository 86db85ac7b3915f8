"""Background jobs for service plans (thin: they call services)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_task

from rapport.platform.periodic import MINUTE, periodic_job

EVERY = 15 * MINUTE


@periodic_job(crontab(minute="*/15"), every=EVERY)
def contingencies_check() -> str:
    """Every quarter hour: evaluate the triggers of every active plan's contingencies."""
    from rapport.plans import services

    return repr(services.contingencies_check(now=timezone.now()))


@db_task()
def outage_check(declared_at: str) -> str:
    """Right after a system is declared down or restored: the contingencies that watch for it."""
    from rapport.domain.contingencies import TriggerKind
    from rapport.plans import services

    when = datetime.fromisoformat(declared_at)
    return repr(services.contingencies_check(now=when, kinds=(TriggerKind.SYSTEM_DOWN,)))
