from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_task  # type: ignore[import-untyped]

from rapport.platform.periodic import DAY, periodic_job


@db_task()
def export_run(job_id: int) -> int:
    """Write a large export to storage (``web.exports``)."""
    from rapport.web import exports

    job = exports.export_job_run(job_id)
    return job.rows if job is not None else 0


@periodic_job(crontab(minute="40", hour="3"), every=DAY)
def exports_expire() -> int:
    """Remove exports past their download window, with their files."""
    from django.utils import timezone

    from rapport.web import exports

    return exports.exports_expire(now=timezone.now())
