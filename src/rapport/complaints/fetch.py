"""Everything a complaint's view-model needs, loaded once (the shape of Saleor's
``checkout/fetch.py``): the complaint with its handler, root cause and overrider, its awards with
their approvals and requesters, its follow-ups and the complaint settings. ``calculations`` then
works on this without touching the database, so the case page and the API show the same stages,
deadline, refusals and awards. A fixed number of queries whatever the complaint holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapport.cases.models import Case
from rapport.complaints.models import Award, Complaint, ComplaintSettings, FollowUp


@dataclass(frozen=True)
class ComplaintInfo:
    """A complaint as loaded for one page or one API answer. ``complaint`` is unsaved (no id) when
    the case has no complaint record yet: it is created by the first HEAT write."""

    case: Case
    complaint: Complaint
    awards: tuple[Award, ...]
    follow_ups: tuple[FollowUp, ...]
    config: ComplaintSettings

    @property
    def recorded(self) -> bool:
        return self.complaint.pk is not None


def fetch_complaint_info(case: Case) -> ComplaintInfo:
    """Load ``case``'s complaint and what hangs off it: three queries (the complaint, its awards,
    its follow-ups; none for the last two before the record exists), the settings from their
    per-process copy."""
    complaint = Complaint.objects.filter(case=case).select_related(
        "handler", "root_cause", "override_by"
    ).first() or Complaint(case=case, received_at=case.created_at)
    complaint.case = case
    recorded = complaint.pk is not None
    awards = tuple(complaint.awards.select_related("approval", "requested_by")) if recorded else ()
    follow_ups = tuple(complaint.follow_ups.all()) if recorded else ()
    return ComplaintInfo(case, complaint, awards, follow_ups, ComplaintSettings.current())
