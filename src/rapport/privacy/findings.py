"""What the privacy records say about how cases were handled, for other apps that read evidence
(``rapport.extensions.case_findings``: learning portfolios now; quality reviews and improvement
gap evidence later). A fixed number of queries for any number of cases.

- A data request: whether it was answered by its statutory date (UK GDPR Art 12(3); DPA 2018
  s.54), from the data request record.
- A reasonable adjustment (Equality Act 2010 s.20): which adjustments were in force for the customer
  while the case was open, and whether the replies on the case followed them (plain text, easy
  read and preferred channel are checked reply by reply, as the adjustments report does; extra
  time is added to SLA targets by rule; the others are shown on every case).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rapport.cases.models import Case, Message, MessageKind
from rapport.extensions import Finding
from rapport.privacy.models import Adjustment, AdjustmentKind, DataRequest
from rapport.privacy.services import request_deadline

NO_REQUEST = "No data request record on this case."
NO_ADJUSTMENT = "No reasonable adjustment was in force for the customer during this case."


def timeliness_findings(cases: Sequence[Case]) -> dict[int, list[Finding]]:
    found: dict[int, list[Finding]] = {case.pk: [Finding(NO_REQUEST, False)] for case in cases}
    for request in DataRequest.objects.filter(case_id__in=list(found)):
        due = request_deadline(request).due
        if request.completed_on is None:
            finding = Finding(f"Not answered yet; the statutory date is {due:%d %B %Y}.", None)
        elif request.completed_on <= due:
            finding = Finding(f"Answered in time: {request.completed_on:%d %B %Y}, due {due:%d %B %Y}.", True)
        else:
            finding = Finding(f"Answered late: {request.completed_on:%d %B %Y}, due {due:%d %B %Y}.", False)
        found[request.case_id] = [finding]
    return found


Reply = tuple[datetime, bool, str]  # when, sent as HTML, channel
REPLY_CHECKED = {AdjustmentKind.PLAIN_TEXT, AdjustmentKind.EASY_READ, AdjustmentKind.PREFERRED_CHANNEL}


def adjustment_findings(cases: Sequence[Case]) -> dict[int, list[Finding]]:
    by_customer: dict[int, list[Adjustment]] = {}
    for adjustment in Adjustment.objects.filter(customer_id__in={c.customer_id for c in cases}):
        by_customer.setdefault(adjustment.customer_id, []).append(adjustment)
    replies: dict[int, list[Reply]] = {}
    outbound = Message.objects.filter(case_id__in=[c.pk for c in cases], kind=MessageKind.OUTBOUND)
    for case_id, at, html, channel in outbound.values_list("case_id", "created_at", "body_html", "channel"):
        replies.setdefault(case_id, []).append((at, bool(html), channel))
    found: dict[int, list[Finding]] = {}
    for case in cases:
        ended = case.closed_at or case.resolved_at
        in_force = [
            a
            for a in by_customer.get(case.customer_id, [])
            if (ended is None or a.recorded_at <= ended) and (a.ended_at is None or a.ended_at >= case.created_at)
        ]
        if not in_force:
            found[case.pk] = [Finding(NO_ADJUSTMENT, False)]
            continue
        found[case.pk] = [_adjustment_finding(a, replies.get(case.pk, [])) for a in in_force]
    return found


def _adjustment_finding(adjustment: Adjustment, replies: list[Reply]) -> Finding:
    label = adjustment.get_kind_display()
    if adjustment.kind == AdjustmentKind.EXTRA_TIME:
        return Finding(f"{label}: added to every SLA target on the case by rule.", True)
    if adjustment.kind not in REPLY_CHECKED:
        return Finding(f"{label}: shown at the top of the case and in the queue.", True)
    since = [
        (html, channel)
        for at, html, channel in replies
        if at >= adjustment.recorded_at and (adjustment.ended_at is None or at <= adjustment.ended_at)
    ]
    if not since:
        return Finding(f"{label}: no replies on this case while it was in force.", None)
    if adjustment.kind == AdjustmentKind.PREFERRED_CHANNEL:
        broken = sum(1 for _html, channel in since if channel != adjustment.channel)
    else:
        broken = sum(1 for html, _channel in since if html)
    if broken:
        return Finding(f"{label}: {broken} of {len(since)} replies on this case did not follow it.", False)
    every = "the one reply" if len(since) == 1 else f"all {len(since)} replies"
    return Finding(f"{label}: {every} on this case followed it.", True)
