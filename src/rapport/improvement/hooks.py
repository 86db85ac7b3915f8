"""How continuous improvement plugs into the core: its KPIs in the catalogue, the nav link, the
demo data."""

from __future__ import annotations

from datetime import datetime

from rapport import extensions
from rapport.improvement import access as policy

_registered = False


def _demo(now: datetime) -> None:
    from rapport.improvement.demo import seed_improvement_demo

    seed_improvement_demo(now)


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from rapport.improvement import catalogue, selectors, tasks  # noqa: F401  (tasks: the daily Check)

    for name, source in catalogue.OWN_KPIS.items():
        extensions.kpi_sources.register(name, source)
    extensions.demo_seeders.append(_demo)
    extensions.tone_checks.append(selectors.tone_findings)
    extensions.nav_items.append(
        extensions.NavItem(
            label="Improvement", url_name="improvement:index", section="improvement", visible=policy.can_view, order=65
        )
    )
