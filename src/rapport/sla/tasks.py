"""The escalation job: every minute, record warnings and breaches and apply escalation rules."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab

from rapport.platform.periodic import MINUTE, periodic_job
from rapport.sla.promises import promises_check
from rapport.sla.services import sla_check


@periodic_job(crontab(minute="*"), every=MINUTE)
def sla_check_periodic() -> None:
    sla_check(now=timezone.now())


@periodic_job(crontab(minute="*/5"), every=5 * MINUTE)
def promises_check_periodic() -> None:
    """Every five minutes: decide promises whose time passed, warn owners of those about to be
    missed, and tell customers at the last call (``rapport.sla.promises``)."""
    promises_check(now=timezone.now())
