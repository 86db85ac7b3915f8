"""How proactive service plugs into the desk: navigation, the customer's page, the figures
(proactive contacts counted apart from the demand, ADR 0021), the service plans' contingency
response, its job and its demo data."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rapport import extensions
from rapport.outreach import access as policy

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rapport.accounts.models import User
    from rapport.customers.models import Customer

_registered = False


def customer_panel(request: HttpRequest, customer: Customer) -> extensions.Panel | None:
    """The customer's proactive contacts, beside their cases (one query)."""
    from rapport.outreach import selectors

    if not policy.can_view(request.user):
        return None
    found = selectors.customer_contacts(customer.pk)
    if not found:
        return None
    return extensions.Panel(template="outreach/_customer_panel.html", place="side", order=60, context={"rows": found})


def _proactive(scope: extensions.KpiScope) -> float | None:
    from rapport.outreach import selectors

    return float(selectors.proactive_count(start=scope.start, end=scope.end))


PROACTIVE = extensions.KpiSource(
    label="Proactive contacts",
    measure=_proactive,
    kind="mean",
    unit="contacts",
    definition=(
        "Proactive messages sent in the period (emailed, or listed to call or post), whatever the "
        "cases: outbound work, counted apart from contacts received (ADR 0021)."
    ),
    formula="count of recipients written to or listed, in the period",
    source="Outreach sends (outreach app); never cases, so the demand forecast leaves them out",
)


def _demo(now: datetime) -> None:
    from rapport.outreach.demo import seed

    seed(now=now)


def _contingency(actor: User, request: extensions.ContingencyRequest, now: datetime) -> extensions.ContingencyStarted:
    from rapport.outreach import services

    return services.contingency_notify(actor, request, now)


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from rapport.outreach import events, tasks
    from rapport.outreach.services import DELIVER_JOB
    from rapport.platform import jobs

    events.register()
    extensions.nav_items.append(
        extensions.NavItem(
            label="Proactive", url_name="outreach:list", section="outreach", visible=policy.can_view, order=86
        )
    )
    extensions.customer_panels.append(customer_panel)
    extensions.kpi_sources.register(extensions.PROACTIVE_CONTACTS, PROACTIVE)
    extensions.contingency_responses.register(extensions.NOTIFY_CUSTOMERS, _contingency)
    extensions.demo_seeders.append(_demo)
    jobs.register(DELIVER_JOB, tasks.outreach_deliver)
