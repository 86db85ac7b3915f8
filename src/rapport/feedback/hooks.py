"""How feedback plugs into the core: surveys after resolution, the value panel, the nav link."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from rapport import extensions
from rapport.accounts.models import User
from rapport.cases.models import Case, CaseEvent
from rapport.cases.signals import case_changed
from rapport.customers.models import Customer
from rapport.feedback import access as policy

_registered = False


def on_case_changed(
    sender: Any, *, case: Case, events: list[CaseEvent], actor: User, now: datetime, **kwargs: Any
) -> None:
    """A case just resolved gets its CSAT and CES invitations, sent after the configured delay."""
    from rapport.feedback import services, tasks

    if not services.resolved_now(events):
        return
    invitations = services.invitations_after_resolution(case=case, now=now)
    for invitation in invitations:
        delay = max((invitation.send_after - now).total_seconds(), 0)
        transaction.on_commit(lambda pk=invitation.pk, d=delay: tasks.invitation_send_later(pk, d))


def value_panel(request: HttpRequest, customer: Customer) -> extensions.Panel | None:
    from rapport.feedback import selectors

    if not policy.can_view_dashboards(request.user):
        return None
    return extensions.Panel(
        "feedback/_value_panel.html", place="side", order=40, context=selectors.customer_value(customer)
    )


def _demo(now: datetime) -> None:
    from rapport.feedback.demo import seed_feedback_demo

    seed_feedback_demo(now)


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    case_changed.connect(on_case_changed, dispatch_uid="feedback.surveys_after_resolution")
    extensions.customer_panels.append(value_panel)
    extensions.demo_seeders.append(_demo)
    from rapport.feedback import personal_data, tasks
    from rapport.feedback.services import DISPATCH_NOW_JOB
    from rapport.platform import jobs

    jobs.register(DISPATCH_NOW_JOB, tasks.surveys_dispatch_now)

    extensions.subject_access_sections.extend([personal_data.surveys_section, personal_data.orders_section])
    extensions.erasure_handlers.append(personal_data.erase)
    extensions.nav_items.append(
        extensions.NavItem(
            label="Insight", url_name="feedback:index", section="feedback", visible=policy.can_view_dashboards, order=60
        )
    )
