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
    from collections.abc import Mapping, Sequence

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
    extensions.work_links.register(extensions.LEARNING_UNIT_LINK, unit_links)
    extensions.staff_evidence.register(extensions.LEARNING_PORTFOLIO, portfolio_evidence)
    if portfolio_link not in extensions.portfolio_links:
        extensions.portfolio_links.append(portfolio_link)


def unit_links(actor: User, ids: Sequence[int]) -> Mapping[int, extensions.WorkLink]:
    """Study units by id, for coaching sessions about them (every member of staff may read them)."""
    from rapport.learning.models import Unit

    if not is_staff(actor):
        return {}
    return {
        pk: extensions.WorkLink(title, reverse("learning:unit", args=[pk]))
        for pk, title in Unit.objects.filter(pk__in=ids).values_list("pk", "title")
    }


def portfolio_evidence(learner: User, start: datetime, end: datetime) -> extensions.StaffEvidence | None:
    """The learner's portfolio evidence added in the period, and how much of it an assessor
    accepted (the latest decision stands): two queries."""
    from django.db.models import OuterRef, Subquery

    from rapport.learning.models import Evidence, SignOff, SignOffDecision

    rows = list(
        Evidence.objects.filter(learner=learner, added_at__gte=start, added_at__lt=end)
        .annotate(
            decision=Subquery(
                SignOff.objects.filter(evidence=OuterRef("pk")).order_by("-at", "-id").values("decision")[:1]
            )
        )
        .order_by("-added_at", "-id")
        .values_list("kind", "summary", "decision")
    )
    if not rows:
        return None
    accepted = sum(1 for _, _, decision in rows if decision == SignOffDecision.ACCEPTED)
    return extensions.StaffEvidence(
        title="Learning portfolio",
        summary=f"{len(rows)} piece{'s' if len(rows) != 1 else ''} of evidence added, "
        f"{accepted} accepted by an assessor.",
        items=tuple(summary[:200] for _, summary, _ in rows[:10]),
    )


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
