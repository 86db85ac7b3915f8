from __future__ import annotations

from huey import crontab

from rapport.platform.periodic import DAY, periodic_job


@periodic_job(crontab(hour="6", minute="40"), every=DAY)
def initiatives_check() -> int:
    """The automatic Check: every initiative whose check date has come is checked once."""
    from django.utils import timezone

    from rapport.improvement import services

    return services.checks_due(now=timezone.now())
