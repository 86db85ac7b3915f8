"""Background jobs for quality reviews (thin: they call services)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from huey import crontab

from rapport.platform.periodic import DAY, periodic_job


@periodic_job(crontab(day_of_week="1", hour="6", minute="10"), every=DAY * 7)
def weekly_sample() -> int:
    """Every Monday morning: last week's sample per agent into reviewers' queues."""
    from rapport.quality import services

    last_week = timezone.localdate() - timedelta(days=7)
    return len(services.sample_week(week=last_week, now=timezone.now()))
