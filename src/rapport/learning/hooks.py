"""What staff learning adds to the desk: a navigation link and its demo units."""

from __future__ import annotations

from datetime import datetime

from rapport import extensions
from rapport.web.policy import is_staff


def register() -> None:
    item = extensions.NavItem(
        label="Learning", url_name="learning:index", section="learning", visible=is_staff, order=90
    )
    if item not in extensions.nav_items:
        extensions.nav_items.append(item)
    if seed_demo not in extensions.demo_seeders:
        extensions.demo_seeders.append(seed_demo)


def seed_demo(now: datetime) -> None:
    from rapport.learning.demo import seed

    seed(now=now)
