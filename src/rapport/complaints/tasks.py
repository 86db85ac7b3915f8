"""Background work for complaints: the daily final-response deadline warnings."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from rapport.complaints import services


@db_periodic_task(crontab(minute="0", hour="7"))
def warn_final_response_deadlines() -> int:
    """Each morning, warn about complaints whose final response is due soon or overdue."""
    return services.final_response_warnings()
