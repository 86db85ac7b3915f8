from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_task  # type: ignore[import-untyped]

from rapport.platform.periodic import MINUTE, periodic_job


@db_task()
def send_task(delivery_id: int) -> str:
    from rapport.webhooks import services

    return services.send(delivery_id)


@periodic_job(crontab(minute="*"), every=MINUTE)
def webhooks_flush() -> int:
    """Send what is due: retries after their back-off, and anything whose job was lost."""
    from django.utils import timezone

    from rapport.webhooks import services

    return services.flush(now=timezone.now())
