"""How time tracking plugs into the core: the case panel (total and timer), the nav link, a KPI
source and a case fact for handling time, and the demo data."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone

from rapport import extensions
from rapport.accounts.models import User
from rapport.cases.models import Case
from rapport.timetracking import access as policy

_registered = False


def case_panel(request: HttpRequest, case: Case) -> extensions.Panel | None:
    """The case's total time, the person's timer and a quick entry: one query, whatever the number
    of entries (the reasons offered are a short-lived copy)."""
    from rapport.timetracking import selectors

    actor = request.user
    if not policy.can_track(actor):
        return None
    assert isinstance(actor, User)
    return extensions.Panel(
        "timetracking/_case_panel.html",
        place="side",
        order=30,
        context={
            "case": case,
            "facts": selectors.panel_facts(case, actor),
            "categories": selectors.shown_categories(),
            "today": timezone.localdate(),
        },
    )


def _demo(now: datetime) -> None:
    from rapport.timetracking.demo import seed_time_demo

    seed_time_demo(now)


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from rapport.timetracking import selectors

    extensions.case_panels.append(case_panel)
    extensions.demo_seeders.append(_demo)
    extensions.nav_items.append(
        extensions.NavItem(
            label="Time", url_name="timetracking:report", section="time", visible=policy.can_track, order=70
        )
    )
    extensions.case_facts.register(extensions.HANDLING_TIME, selectors.handling_minutes)
    extensions.kpi_sources.register(
        extensions.AVERAGE_HANDLING_TIME,
        extensions.KpiSource(
            "Average handling time (minutes recorded per case)",
            selectors.average_handling_time,
            sample=selectors.handling_sample,
            kind="mean",
            higher_is_better=False,
            unit=" min",
            definition="Mean minutes of staff time recorded per case, over cases with time recorded in the period.",
            formula="sum of minutes recorded / number of cases with time recorded",
            source="Time tracking: time entries on cases, by the day the work was done",
        ),
    )
