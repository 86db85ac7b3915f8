"""Background jobs for surveys and KPIs (thin: they call services)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_task

from rapport.platform.periodic import DAY, HOUR, MINUTE, periodic_job


@db_task()
def invitation_send(invitation_id: int) -> str:
    from rapport.feedback import services

    return services.invitation_send(invitation_id=invitation_id, now=timezone.now())


def invitation_send_later(invitation_id: int, delay_seconds: float) -> None:
    """Queue one invitation for when it is due (the periodic sweep also catches any missed)."""
    if delay_seconds <= 0:
        invitation_send(invitation_id)
    else:
        invitation_send.schedule(args=(invitation_id,), delay=delay_seconds)


@periodic_job(crontab(minute="*/5"), every=5 * MINUTE)
def surveys_dispatch() -> dict[str, int]:
    from rapport.feedback import services

    return services.invitations_dispatch(now=timezone.now())


@db_task()
def surveys_dispatch_now() -> dict[str, int]:
    """The sweep, run at once (after a RATER send) rather than at the next five minutes."""
    from rapport.feedback import services

    return services.invitations_dispatch(now=timezone.now())


@periodic_job(crontab(hour="6", minute="15"), every=DAY)
def nps_invite() -> int:
    from rapport.feedback import services

    return services.nps_invitations_create(now=timezone.now())


@periodic_job(crontab(minute="7"), every=HOUR)
def rollup_refresh_recent() -> int:
    """Hourly: recount the days whose cases can still change (the last 35 days)."""
    from rapport.feedback import rollup

    return rollup.rollup_rebuild(now=timezone.now(), days=35)


@periodic_job(crontab(hour="2", minute="30"), every=DAY)
def rollup_refresh_all() -> int:
    """Nightly: rebuild every rollup row from the cases, so the figures stay exact."""
    from rapport.feedback import rollup, services

    services.tiers_apply(now=timezone.now())
    return rollup.rollup_rebuild(now=timezone.now(), days=None)
