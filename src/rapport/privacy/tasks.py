"""Daily privacy work: retention schedules and erasures waiting for a legal hold to end."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from rapport.privacy.erasure import scheduled_erasures_run
from rapport.privacy.retention import retention_run


@db_periodic_task(crontab(hour="2", minute="30"))
def daily_privacy() -> None:
    now = timezone.now()
    retention_run(now=now, dry_run=False)
    scheduled_erasures_run(now=now)
