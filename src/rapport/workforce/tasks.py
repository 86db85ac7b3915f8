"""Background jobs for planning (thin: they call services)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab

from rapport.platform.periodic import MINUTE, periodic_job


@periodic_job(crontab(minute="*"), every=MINUTE)
def rota_statuses() -> int:
    """Agents' statuses follow their rota at its boundaries (start, breaks, training, end)."""
    from rapport.workforce import services

    return services.rota_statuses_apply(now=timezone.now())
