"""Background jobs for proactive service (thin: they call services)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_task

from rapport.platform.periodic import MINUTE, periodic_job


@db_task()
def outreach_deliver(outreach_id: int) -> int:
    from rapport.outreach import services

    return services.outreach_deliver(outreach_id=outreach_id, now=timezone.now())


@periodic_job(crontab(minute="*/5"), every=5 * MINUTE)
def outreach_resume() -> int:
    """Sends a worker stopped in the middle of are picked up where they left off."""
    from rapport.outreach import services

    return services.outreach_resume(now=timezone.now())
