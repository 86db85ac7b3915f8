"""Service-gap evidence from data requests, for the improvement gap analysis
(``extensions.gap_evidence``): requests answered late or still unanswered past the statutory date
(UK GDPR Art 12(3))."""

from __future__ import annotations

from rapport import extensions
from rapport.privacy import services
from rapport.privacy.models import DataRequest


def overdue_requests(scope: extensions.GapScope) -> list[extensions.GapEvidence]:
    """Requests received in the period that were, or are by its end, past their response date.
    One query (requests are few; each date is worked out by the statutory rules)."""
    today = scope.end.date()
    requests = list(
        DataRequest.objects.filter(
            scope.cases("case__"), received_on__gte=scope.start.date(), received_on__lt=scope.end.date()
        ).order_by("received_on", "id")
    )
    late = [
        r
        for r in requests
        if (t := services.request_timing(r, today)).overdue or (r.completed_on is not None and r.completed_on > t.due)
    ]
    if not late:
        return []
    return [
        extensions.GapEvidence(
            key="data_requests_overdue",
            title="Data requests answered late or overdue",
            size=len(late) / len(requests),
            reach=len(requests),
            why=f"{len(late)} of {len(requests)} data requests received in the period missed the statutory "
            "date (UK GDPR Art 12(3)).",
            touchpoint="resolution",
            case_ids=tuple(r.case_id for r in late[:50]),
            link="/privacy/",
        )
    ]
