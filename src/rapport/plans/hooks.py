"""How service plans plug into the desk: a navigation link, the header alert that tells a plan's
owner a contingency has fired, the outage job and the demo data."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rapport import extensions
from rapport.plans import access as policy
from rapport.platform import jobs

if TYPE_CHECKING:
    from rapport.accounts.models import User

NAV = extensions.NavItem(
    label="Service plans", url_name="plans:index", section="plans", visible=policy.can_view_plans, order=86
)


def fired_alert(user: User) -> extensions.Alert | None:
    """Tell a plan's owner, on every desk page, while a contingency of theirs has fired (from a
    per-process copy: no query on most pages)."""
    from rapport.plans.selectors import fired_by_owner

    if not policy.can_view_plans(user):
        return None
    count = fired_by_owner().get(user.pk, 0)
    if not count:
        return None
    words = "A contingency has" if count == 1 else f"{count} contingencies have"
    return extensions.Alert(
        text=f"{words} fired on your service plans: the planned response is due.",
        url_name="plans:index",
        link_text="See the plans",
    )


def seed_demo(now: datetime) -> None:
    from rapport.plans.demo import seed

    seed(now=now)


def register() -> None:
    from rapport.plans import tasks
    from rapport.plans.services import OUTAGE_JOB

    jobs.register(OUTAGE_JOB, tasks.outage_check)
    if NAV not in extensions.nav_items:
        extensions.nav_items.append(NAV)
    if fired_alert not in extensions.header_alerts:
        extensions.header_alerts.append(fired_alert)
    if seed_demo not in extensions.demo_seeders:
        extensions.demo_seeders.append(seed_demo)
