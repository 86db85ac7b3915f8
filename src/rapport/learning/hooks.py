"""What staff learning adds to the desk: a navigation link, a case-page panel that offers the
case as portfolio evidence, and its demo units."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.http import urlencode

from rapport import extensions
from rapport.access import is_staff

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rapport.accounts.models import User
    from rapport.cases.models import Case


def register() -> None:
    item = extensions.NavItem(
        label="Learning", url_name="learning:index", section="learning", visible=is_staff, order=90
    )
    if item not in extensions.nav_items:
        extensions.nav_items.append(item)
    if case_panel not in extensions.case_panels:
        extensions.case_panels.append(case_panel)
    if seed_demo not in extensions.demo_seeders:
        extensions.demo_seeders.append(seed_demo)
    if portfolio_link not in extensions.portfolio_links:
        extensions.portfolio_links.append(portfolio_link)


def portfolio_link(learner: User, case: Case) -> str:
    """The learner's evidence form with the case filled in (a reviewed case offered as evidence)."""
    portfolio = reverse("learning:portfolio", args=[learner.pk])
    return f"{portfolio}?{urlencode({'case': case.reference})}#add-evidence"


def seed_demo(now: datetime) -> None:
    from rapport.learning.demo import seed

    seed(now=now)


def case_panel(request: HttpRequest, case: Case) -> extensions.Panel | None:
    """A link that starts a piece of portfolio evidence from this case (linked, never copied)."""
    if not is_staff(request.user):
        return None
    portfolio = reverse("learning:portfolio", args=[request.user.pk])
    return extensions.Panel(
        template="learning/_case_panel.html",
        place="side",
        order=90,
        context={"url": f"{portfolio}?{urlencode({'case': case.reference})}#add-evidence"},
    )
