"""How automation rules plug into the core: the journal kind a firing writes, a job subscriber per
event kind a rule may be triggered by, the nav link and the demo rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rapport import extensions
from rapport.automation import access as policy
from rapport.automation import events
from rapport.cases import journal
from rapport.cases.models import CaseEvent
from rapport.domain import automation as rules

_registered = False


def received(events_: Sequence[CaseEvent]) -> None:
    from rapport.automation.services import events_received

    events_received(events_)


def _demo(now: datetime) -> None:
    from rapport.automation.demo import seed_automation_demo

    seed_automation_demo(now)


def subscribable() -> list[str]:
    known = journal.kinds()
    return [k for k in rules.EVENT_KINDS if k in known]


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from rapport.automation import services, tasks  # noqa: F401  (tasks: the periodic time scan)

    events.register()
    for kind in subscribable():
        journal.subscribe(
            kind, received, delivery=journal.Delivery.JOB, name=f"automation.{kind}", wanted=services.kind_wanted
        )
    extensions.nav_items.append(
        extensions.NavItem(
            label="Automation rules",
            url_name="automation:index",
            section="automation",
            visible=policy.can_read_rules,
            order=90,
        )
    )
    extensions.demo_seeders.append(_demo)
