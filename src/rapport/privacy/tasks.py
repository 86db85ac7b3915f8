"""Daily privacy work: retention schedules and erasures waiting for a legal hold to end."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab

from rapport.platform.periodic import DAY, periodic_job
from rapport.privacy.erasure import scheduled_erasures_run
from rapport.privacy.retention import retention_run


@periodic_job(crontab(hour="2", minute="30"), every=DAY)
def daily_privacy() -> None:
    now = timezone.now()
    retention_run(now=now, dry_run=False)
    scheduled_erasures_run(now=now)
