from __future__ import annotations

from huey import crontab

from rapport.platform.periodic import MINUTE, periodic_job


@periodic_job(crontab(minute="*/5"), every=5 * MINUTE)
def automation_time_scan() -> int:
    """Run the time rules over the cases that match now (every five minutes)."""
    from django.utils import timezone

    from rapport.automation import services

    return services.time_scan(now=timezone.now())
