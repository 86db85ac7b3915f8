"""Service-gap evidence from data requests, for the improvement gap analysis
(``extensions.gap_evidence``): requests answered late or still unanswered past the statutory date
(UK GDPR Art 12(3))."""

from __future__ import annotations

from datetime import timedelta

from rapport import extensions
from rapport.privacy import services
from rapport.privacy.models import DataRequest

LOOK_BACK = timedelta(days=120)
"""Requests received this long before a period can fall due in it (a month, extended by two more,
plus any pause)."""


def overdue_requests(scope: extensions.GapScope) -> list[extensions.GapEvidence]:
    """Requests whose statutory date fell in the period: those answered after it, or not answered
    by the end of the period. One query (requests are few; each date is worked out by the
    statutory rules)."""
    start, today = scope.start.date(), scope.end.date()
    received = DataRequest.objects.filter(
        scope.cases("case__"), received_on__gte=start - LOOK_BACK, received_on__lt=today
    ).order_by("received_on", "id")
    due_in_period = []
    for request in received:
        due = services.request_deadline(request).due
        if start <= due < today:
            due_in_period.append((request, due))
    late = [
        request
        for request, due in due_in_period
        if (request.completed_on is None and services.request_timing(request, today).overdue)
        or (request.completed_on is not None and request.completed_on > due)
    ]
    if not late:
        return []
    return [
        extensions.GapEvidence(
            key="data_requests_overdue",
            title="Data requests answered late or overdue",
            size=len(late) / len(due_in_period),
            reach=len(due_in_period),
            why=f"{len(late)} of {len(due_in_period)} data requests due in the period missed the statutory "
            "date (UK GDPR Art 12(3)).",
            touchpoint="resolution",
            case_ids=tuple(r.case_id for r in late[:50]),
            link="/privacy/",
        )
    ]
