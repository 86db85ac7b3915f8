"""How webhooks plug into the core: a journal job subscriber per event kind a webhook may want, the
send job, the desk's header warning admins of switched-off webhooks, the nav link, the demo."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rapport import extensions
from rapport.accounts.models import User
from rapport.cases import journal
from rapport.cases.models import CaseEvent
from rapport.webhooks import access as policy

_registered = False


def received(events: Sequence[CaseEvent]) -> None:
    from rapport.webhooks.services import events_received

    events_received(events)


def header_alert(user: User) -> extensions.Alert | None:
    """Admins are warned while a webhook is switched off after failures (a cached count)."""
    if not policy.can_manage_webhooks(user):
        return None
    from rapport.webhooks.services import disabled_count

    count = disabled_count()
    if not count:
        return None
    what = "A webhook was" if count == 1 else f"{count} webhooks were"
    return extensions.Alert(f"{what} switched off after repeated failures.", "webhooks:index", "Review webhooks")


def _demo(now: datetime) -> None:
    from rapport.webhooks.demo import seed_webhooks_demo

    seed_webhooks_demo(now)


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from rapport.platform import jobs
    from rapport.webhooks import services, tasks

    jobs.register(services.SEND_JOB, tasks.send_task)
    for kind in services.subscribable():
        journal.subscribe(
            kind, received, delivery=journal.Delivery.JOB, name=f"webhooks.{kind}", wanted=services.kind_wanted
        )
    extensions.automation_actions.register(extensions.CALL_WEBHOOK, services.automation_call)
    extensions.header_alerts.append(header_alert)
    extensions.nav_items.append(
        extensions.NavItem(
            label="Webhooks",
            url_name="webhooks:index",
            section="webhooks",
            visible=policy.can_manage_webhooks,
            order=95,
        )
    )
    extensions.demo_seeders.append(_demo)
