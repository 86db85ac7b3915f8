"""The escalation job: every minute, record warnings and breaches and apply escalation rules."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from rapport.sla.services import sla_check


@db_periodic_task(crontab(minute="*"))
def sla_check_periodic() -> None:
    sla_check(now=timezone.now())
