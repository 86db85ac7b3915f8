"""Complaints in a merge of cases (``cases.merging``, through ``rapport.extensions``).

A complaint carries a statutory deadline: a final response within eight weeks of receipt (DISP
1.6.2R), after which the customer may go to the ombudsman (DISP 1.6.2R(2)). Merging must never move
that date later, so:

- merging a complaint into a case that is not one moves the complaint record to the target, which
  becomes a complaint (any member of staff may do this);
- merging two complaints needs a manager, who decides that they are one complaint: the target's
  record is kept and counts from the earliest receipt among them (the earliest deadline); the
  other records stay, with their HEAT history, on the cases merged (now pointers to the target).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rapport.accounts.models import User
from rapport.cases import journal
from rapport.cases.models import Case
from rapport.complaints import access as complaint_policy
from rapport.complaints.models import Complaint
from rapport.domain.case_rules import CaseType

TWO_COMPLAINTS = (
    "Merging two complaints needs a manager: each has its own final-response deadline and referral "
    "rights (DISP 1.6.2R), so a manager decides they are one complaint."
)


def _complaint_cases(cases: Sequence[Case]) -> list[Case]:
    return [c for c in cases if c.type == CaseType.COMPLAINT]


def merge_guard(actor: User, target: Case, sources: Sequence[Case]) -> Sequence[str]:
    """Two or more complaints in one merge need a manager."""
    if len(_complaint_cases([target, *sources])) >= 2 and not complaint_policy.can_override(actor):
        return [TWO_COMPLAINTS]
    return ()


def complaints_merge(target: Case, sources: Sequence[Case], actor: User, now: datetime) -> None:
    """Keep a complaint record on the target counting from the earliest receipt."""
    found = {c.case_id: c for c in Complaint.objects.filter(case_id__in=[target.pk, *(s.pk for s in sources)])}
    if not found:
        return
    kept = found.get(target.pk)
    earliest = min(found.values(), key=lambda c: (c.received_at, c.pk))
    entries: list[journal.Entry] = []
    if kept is None:
        moved_from = earliest.case_id
        Complaint.objects.filter(pk=earliest.pk).update(case=target)
        entries.append(
            journal.Entry(
                target, "complaint_merged", now, actor, "complaint", after=f"record moved from case {moved_from}"
            )
        )
        if target.type != CaseType.COMPLAINT:
            entries.append(
                journal.Entry(target, journal.CHANGED.name, now, actor, "type", target.type, CaseType.COMPLAINT)
            )
            target.type = CaseType.COMPLAINT.value
            Case.objects.filter(pk=target.pk).update(type=CaseType.COMPLAINT.value)
    elif earliest.received_at < kept.received_at:
        entries.append(
            journal.Entry(target, "complaint_merged", now, actor, "received_at", kept.received_at, earliest.received_at)
        )
        Complaint.objects.filter(pk=kept.pk).update(received_at=earliest.received_at)
    journal.record_many(entries)
