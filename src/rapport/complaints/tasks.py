"""Background work for complaints: the daily final-response deadline warnings."""

from __future__ import annotations

from huey import crontab

from rapport.complaints import services
from rapport.platform.periodic import DAY, periodic_job


@periodic_job(crontab(minute="0", hour="7"), every=DAY)
def warn_final_response_deadlines() -> int:
    """Each morning, warn about complaints whose final response is due soon or overdue."""
    return services.final_response_warnings()
