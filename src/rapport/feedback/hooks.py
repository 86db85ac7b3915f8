"""How feedback plugs into the core: surveys after resolution, the value panel, the nav link."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.http import HttpRequest

from rapport import extensions
from rapport.cases import journal
from rapport.cases.models import Case, CaseEvent
from rapport.customers.models import Customer
from rapport.domain.references import format_reference
from rapport.feedback import access as policy
from rapport.feedback import evidence

_registered = False


def surveys_after_resolution(events: Sequence[CaseEvent]) -> None:
    """A case just resolved gets its CSAT and CES invitations, sent after the configured delay.

    A journal subscriber to ``changed`` events, called inside the change's transaction: the
    invitations are written with the resolution (or not at all), and sent once it commits."""
    from rapport.feedback import services, tasks

    by_case: dict[int, list[CaseEvent]] = {}
    for event in events:
        by_case.setdefault(event.case_id, []).append(event)
    for found in by_case.values():
        if not services.resolved_now(found):
            continue
        invitations = services.invitations_after_resolution(case=found[0].case, now=found[-1].at)
        for invitation in invitations:
            delay = max((invitation.send_after - found[-1].at).total_seconds(), 0)
            transaction.on_commit(lambda pk=invitation.pk, d=delay: tasks.invitation_send_later(pk, d))


def value_panel(request: HttpRequest, customer: Customer) -> extensions.Panel | None:
    from rapport.feedback import selectors

    if not policy.can_view_dashboards(request.user):
        return None
    return extensions.Panel(
        "feedback/_value_panel.html", place="side", order=40, context=selectors.customer_value(customer)
    )


def _scores_panel(request: HttpRequest, customer_id: int, order: int) -> extensions.Panel | None:
    from rapport.feedback import selectors

    if not policy.can_view_dashboards(request.user):
        return None
    answers = selectors.latest_scores(customer_id)
    scores = [
        {
            "answer": a,
            "scale": selectors.SCALES[a.kind],  # type: ignore[index]
            "reference": format_reference(a.case_id) if a.case_id else "",
        }
        for a in answers
    ]
    return extensions.Panel("feedback/_scores_panel.html", place="side", order=order, context={"scores": scores})


def case_scores_panel(request: HttpRequest, case: Case) -> extensions.Panel | None:
    """The customer's latest CSAT and CES beside the case (one query)."""
    return _scores_panel(request, case.customer_id, order=35)


def customer_scores_panel(request: HttpRequest, customer: Customer) -> extensions.Panel | None:
    """The customer's latest CSAT and CES on their page (one query)."""
    return _scores_panel(request, customer.pk, order=35)


def _demo(now: datetime) -> None:
    from rapport.feedback.demo import seed_feedback_demo

    seed_feedback_demo(now)


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    journal.subscribe(
        "changed",
        surveys_after_resolution,
        delivery=journal.Delivery.IN_TRANSACTION,
        name="feedback.surveys_after_resolution",
    )
    extensions.customer_panels.append(value_panel)
    extensions.kpi_sources.register("csat", evidence.CSAT)
    extensions.kpi_sources.register("ces", evidence.CES)
    extensions.kpi_sources.register(extensions.NPS, evidence.NPS)
    extensions.gap_evidence.register("rater", evidence.rater_gaps)
    extensions.gap_evidence.register("low_scores", evidence.low_scores)
    extensions.case_panels.append(case_scores_panel)
    extensions.customer_panels.append(customer_scores_panel)
    extensions.demo_seeders.append(_demo)
    from rapport.feedback import selectors

    extensions.case_facts.register(extensions.CSAT, selectors.csat_by_case)
    extensions.staff_evidence.register(extensions.COMPLIMENTS, selectors.compliments)
    from rapport.feedback import audiences

    extensions.audiences.register(
        extensions.FEEDBACK_AUDIENCE,
        extensions.AudienceSource(
            check=audiences.criteria_check, customers=audiences.criteria_customers, fields=audiences.CRITERIA
        ),
    )
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
