"""How the knowledge base plugs into the desk, the portal and the other capabilities: a navigation
link, the article finder in the case's reply box, suggestions on the portal, a header alert for
owners with reviews due, the gap evidence, a KPI and the demo articles."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rapport import extensions
from rapport.access import is_staff
from rapport.knowledge import events

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rapport.accounts.models import User
    from rapport.cases.models import Case

SELF_SERVICE_RESOLUTION = "self_service_resolution"
_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from rapport.knowledge import personal_data, selectors

    extensions.subject_access_sections.append(personal_data.deflection_section)
    extensions.erasure_handlers.append(personal_data.deflection_erase)

    events.register()
    extensions.nav_items.append(
        extensions.NavItem(label="Knowledge", url_name="kb:index", section="knowledge", visible=is_staff, order=70)
    )
    extensions.case_panels.append(reply_panel)
    extensions.portal_panels.append(portal_panel)
    extensions.header_alerts.append(reviews_due_alert)
    extensions.demo_seeders.append(seed_demo)
    extensions.gap_evidence.register(extensions.KB_SEARCHES, selectors.gap_evidence)
    extensions.kpi_sources.register(
        SELF_SERVICE_RESOLUTION,
        extensions.KpiSource(
            "Self-service resolution",
            selectors.self_service_resolution,
            sample=selectors.self_service_sample,
            definition="Share of customers who opened a suggested help article and did not go on to raise the case.",
            formula="100 x deflected / (deflected + raised), over suggested articles opened in the period",
            source="Knowledge base: suggestions shown on the portal's new-case form and what the customer did next",
        ),
    )


def seed_demo(now: datetime) -> None:
    from rapport.knowledge.demo import seed

    seed(now=now)


def reply_panel(request: HttpRequest, case: Case) -> extensions.Panel | None:
    """The article finder in the reply box (no query: the search runs when the agent asks)."""
    if not is_staff(request.user):
        return None
    return extensions.Panel(template="knowledge/_reply_finder.html", place="reply", context={"case": case})


def portal_panel(request: HttpRequest, page: str) -> extensions.Panel | None:
    if page == "case_new":
        return extensions.Panel(template="knowledge/help_portal_suggestions.html", place="work")
    if page == "home":
        return extensions.Panel(template="knowledge/help_portal_home.html", place="top")
    return None


def reviews_due_alert(user: User) -> extensions.Alert | None:
    """Owners are told when their articles are due for review (a per-process copy: no query on
    most pages)."""
    from rapport.knowledge import selectors

    count = selectors.overdue_by_owner().get(user.pk, 0)
    if not count:
        return None
    text = (
        "1 of your knowledge articles needs review."
        if count == 1
        else f"{count} of your knowledge articles need review."
    )
    return extensions.Alert(text=text, url_name="kb:reviews", link_text="See reviews due")
