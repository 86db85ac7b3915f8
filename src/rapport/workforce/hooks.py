"""How service planning plugs into the desk: a navigation link and its demo data."""

from __future__ import annotations

from datetime import datetime

from rapport import extensions
from rapport.workforce import access as policy


def register() -> None:
    item = extensions.NavItem(
        label="Planning", url_name="workforce:forecast", section="workforce", visible=policy.can_view_plans, order=85
    )
    if item not in extensions.nav_items:
        extensions.nav_items.append(item)
    if seed_demo not in extensions.demo_seeders:
        extensions.demo_seeders.append(seed_demo)


def seed_demo(now: datetime) -> None:
    from rapport.workforce.demo import seed

    seed(now=now)
