"""How quality reviews plug into the desk: the ``qa_score`` KPI (read by coaching and the
improvement catalogue), QA findings for the gap analysis, a navigation link, a case-page panel
(the case's review, or "review this case") and the demo data."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rapport import extensions
from rapport.access import is_staff
from rapport.quality import access as policy

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rapport.cases.models import Case

_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from rapport.quality import selectors, tasks  # noqa: F401  (tasks: the weekly sample)

    extensions.kpi_sources.register(extensions.QA_SCORE, selectors.QA_SOURCE)
    extensions.gap_evidence.register(extensions.QA_FINDINGS, selectors.qa_findings)
    extensions.nav_items.append(
        extensions.NavItem(label="Quality", url_name="quality:index", section="quality", visible=is_staff, order=70)
    )
    extensions.case_panels.append(case_panel)
    extensions.demo_seeders.append(seed_demo)


def case_panel(request: HttpRequest, case: Case) -> extensions.Panel | None:
    """For reviewers: the case's review, or a button to review it (never on their own case)."""
    from rapport.quality.models import Review

    user = request.user
    if not policy.is_reviewer(user) or case.owner_id is None or case.owner_id == user.pk:
        return None
    review = Review.objects.filter(case=case, calibration__isnull=True).only("pk", "status", "score").first()
    return extensions.Panel(
        template="quality/_case_panel.html", place="side", order=80, context={"review": review, "case": case}
    )


def seed_demo(now: datetime) -> None:
    from rapport.quality.demo import seed

    seed(now=now)
