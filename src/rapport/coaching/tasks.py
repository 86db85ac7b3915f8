"""The daily coaching reminders (agreed actions, follow-ups, the pulse closing)."""

from __future__ import annotations

from django.conf import settings
from huey import crontab

from rapport.coaching import services
from rapport.platform.periodic import DAY, periodic_job


@periodic_job(crontab(minute="30", hour="7"), every=DAY)
def coaching_reminders() -> int:
    return services.reminders_send(base_url=settings.RAPPORT_BASE_URL.rstrip("/"))
