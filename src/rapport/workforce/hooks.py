"""How service planning plugs into the desk: a navigation link and its demo data."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rapport import extensions
from rapport.workforce import access as policy

if TYPE_CHECKING:
    from rapport.accounts.models import User


def register() -> None:
    item = extensions.NavItem(
        label="Planning", url_name="workforce:forecast", section="workforce", visible=policy.can_view_plans, order=85
    )
    if item not in extensions.nav_items:
        extensions.nav_items.append(item)
    if status_control not in extensions.header_controls:
        extensions.header_controls.append(status_control)
    if seed_demo not in extensions.demo_seeders:
        extensions.demo_seeders.append(seed_demo)
    from rapport.workforce.evidence import ADHERENCE

    extensions.kpi_sources.register(extensions.ROTA_ADHERENCE, ADHERENCE)


def status_control(user: User) -> extensions.Panel | None:
    """The agent's status in the header, to change in one step (read from a short-lived copy)."""
    from rapport.workforce import selectors
    from rapport.workforce.models import Availability

    if not policy.can_view_plans(user):
        return None
    return extensions.Panel(
        template="workforce/_status_control.html",
        place="header",
        context={"current": selectors.status_shown(user.pk), "choices": Availability.choices},
    )


def seed_demo(now: datetime) -> None:
    from rapport.workforce.demo import seed

    seed(now=now)
