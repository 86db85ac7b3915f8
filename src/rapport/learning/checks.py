"""What the desk's own records say about a piece of case evidence: facts for the assessor, never a
gate (the assessor decides).

- A complaint: whether it went through every HEAT stage (Hear, Empathise, Apologise, Take
  ownership; seeds 002 and 004), from the complaint record.
- A data request: whether it was answered by its statutory date (UK GDPR Art 12(3); DPA 2018
  s.54), from the data request record.
- A reasonable adjustment (Equality Act 2010 s.20): which adjustments were in force for the customer
  while the case was open, and whether the replies on this case followed them (plain text, easy
  read and preferred channel are checked reply by reply, as the privacy adjustments report does;
  extra time is added to SLA targets by rule; the others are shown on every case).

A fixed number of queries for any number of pieces of evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rapport.cases.models import Case, Message, MessageKind
from rapport.complaints.models import Complaint
from rapport.complaints.selectors import stages_done
from rapport.domain import complaint_rules
from rapport.domain.case_rules import CaseType
from rapport.learning.models import Evidence, EvidenceKind
from rapport.privacy.models import Adjustment, AdjustmentKind, DataRequest
from rapport.privacy.services import request_deadline


@dataclass(frozen=True)
class Check:
    """One fact about the evidence; ``met`` is None when it is neither (not decided yet)."""

    text: str
    met: bool | None

    @property
    def label(self) -> str:
        return {True: "Yes", False: "No", None: "Not yet"}[self.met]


def evidence_checks(evidence: Sequence[Evidence]) -> dict[int, list[Check]]:
    """The checks for each piece of case evidence, by evidence id (pieces without a case: none)."""
    with_case = [e for e in evidence if e.case is not None]
    complaints = [e.case_id for e in with_case if e.case.type == CaseType.COMPLAINT]
    requests = [e.case_id for e in with_case if e.case.type == CaseType.DATA_REQUEST]
    adjusted = [e.case for e in with_case if e.kind == EvidenceKind.ADJUSTMENT]
    heat = _heat(complaints) if complaints else {}
    timely = _in_time(requests) if requests else {}
    honoured = _honoured(adjusted) if adjusted else {}
    found: dict[int, list[Check]] = {}
    for item in with_case:
        checks = [*heat.get(item.case_id, []), *timely.get(item.case_id, [])]
        if item.kind == EvidenceKind.ADJUSTMENT:
            checks += honoured.get(item.case_id, [])
        if checks:
            found[item.pk] = checks
    return found


def _heat(case_ids: list[int]) -> dict[int, list[Check]]:
    found: dict[int, list[Check]] = {
        case_id: [Check("No complaint record on this case.", False)] for case_id in case_ids
    }
    for complaint in Complaint.objects.filter(case_id__in=case_ids):
        missing = [s.label for s in complaint_rules.STAGES if s not in stages_done(complaint)]
        found[complaint.case_id] = [
            Check("Went through every HEAT stage (hear, empathise, apologise, take ownership).", True)
            if not missing
            else Check(f"HEAT stages not recorded: {', '.join(missing)}.", False)
        ]
    return found


def _in_time(case_ids: list[int]) -> dict[int, list[Check]]:
    found: dict[int, list[Check]] = {
        case_id: [Check("No data request record on this case.", False)] for case_id in case_ids
    }
    for request in DataRequest.objects.filter(case_id__in=case_ids):
        due = request_deadline(request).due
        if request.completed_on is None:
            check = Check(f"Not answered yet; the statutory date is {due:%d %B %Y}.", None)
        elif request.completed_on <= due:
            check = Check(f"Answered in time: {request.completed_on:%d %B %Y}, due {due:%d %B %Y}.", True)
        else:
            check = Check(f"Answered late: {request.completed_on:%d %B %Y}, due {due:%d %B %Y}.", False)
        found[request.case_id] = [check]
    return found


Reply = tuple[datetime, bool, str]  # when, sent as HTML, channel
REPLY_CHECKED = {AdjustmentKind.PLAIN_TEXT, AdjustmentKind.EASY_READ, AdjustmentKind.PREFERRED_CHANNEL}


def _honoured(cases: list[Case]) -> dict[int, list[Check]]:
    by_customer: dict[int, list[Adjustment]] = {}
    for adjustment in Adjustment.objects.filter(customer_id__in={c.customer_id for c in cases}):
        by_customer.setdefault(adjustment.customer_id, []).append(adjustment)
    replies: dict[int, list[Reply]] = {}
    outbound = Message.objects.filter(case_id__in=[c.pk for c in cases], kind=MessageKind.OUTBOUND)
    for case_id, at, html, channel in outbound.values_list("case_id", "created_at", "body_html", "channel"):
        replies.setdefault(case_id, []).append((at, bool(html), channel))
    found: dict[int, list[Check]] = {}
    for case in cases:
        ended = case.closed_at or case.resolved_at
        in_force = [
            a
            for a in by_customer.get(case.customer_id, [])
            if (ended is None or a.recorded_at <= ended) and (a.ended_at is None or a.ended_at >= case.created_at)
        ]
        if not in_force:
            found[case.pk] = [Check("No reasonable adjustment was in force for the customer during this case.", False)]
            continue
        found[case.pk] = [_adjustment_check(a, replies.get(case.pk, [])) for a in in_force]
    return found


def _adjustment_check(adjustment: Adjustment, replies: list[Reply]) -> Check:
    label = adjustment.get_kind_display()
    if adjustment.kind == AdjustmentKind.EXTRA_TIME:
        return Check(f"{label}: added to every SLA target on the case by rule.", True)
    if adjustment.kind not in REPLY_CHECKED:
        return Check(f"{label}: shown at the top of the case and in the queue.", True)
    since = [
        (html, channel)
        for at, html, channel in replies
        if at >= adjustment.recorded_at and (adjustment.ended_at is None or at <= adjustment.ended_at)
    ]
    if not since:
        return Check(f"{label}: no replies on this case while it was in force.", None)
    if adjustment.kind == AdjustmentKind.PREFERRED_CHANNEL:
        broken = sum(1 for _html, channel in since if channel != adjustment.channel)
    else:
        broken = sum(1 for html, _channel in since if html)
    if broken:
        return Check(f"{label}: {broken} of {len(since)} replies on this case did not follow it.", False)
    every = "the one reply" if len(since) == 1 else f"all {len(since)} replies"
    return Check(f"{label}: {every} on this case followed it.", True)
