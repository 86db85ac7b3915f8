"""Background jobs of the event journal (thin: they call ``cases.journal``)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_task

from rapport.platform.periodic import MINUTE, periodic_job


@db_task()
def journal_deliver(subscriber: str) -> int:
    """Deliver the events ``subscriber`` is owed (queued when they are recorded)."""
    from rapport.cases import journal

    total = 0
    while done := journal.deliver(subscriber):
        total += done
    return total


@periodic_job(crontab(minute="*"), every=MINUTE)
def journal_redeliver() -> int:
    """Deliver what a lost or failed job left owed (at-least-once delivery, ADR 0009)."""
    from rapport.cases import journal

    return journal.deliver_all()


@db_task()
def queue_count_refresh(actor_id: int, params: dict[str, list[str]], key: str) -> None:
    """Count the cases of one queue or saved view for the shared cache (``cases.counts``)."""
    from rapport.cases import counts

    counts.refresh(actor_id, params, key)
