"""The escalation job: every minute, record warnings and breaches and apply escalation rules."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab

from rapport.platform.periodic import MINUTE, periodic_job
from rapport.sla.services import sla_check


@periodic_job(crontab(minute="*"), every=MINUTE)
def sla_check_periodic() -> None:
    sla_check(now=timezone.now())
