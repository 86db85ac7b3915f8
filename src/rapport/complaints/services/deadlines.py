"""Warnings that a complaint's final response falls due soon or is overdue."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from rapport.cases import journal
from rapport.cases.models import CaseEvent
from rapport.complaints import selectors
from rapport.complaints.models import Complaint, ComplaintSettings
from rapport.domain import complaint_rules as rules
from rapport.domain.case_rules import CaseType
from rapport.platform.notify import email_send

WARNING_EVENT = "final_response_warning"


def final_response_warnings(*, now: datetime | None = None) -> int:
    """Warn once per state when an open complaint's final response falls due soon or is overdue:
    an event on the case and an email to whoever handles it. Returns how many warnings went out.

    Two queries whatever the number of complaints (open complaints, warnings already given)."""
    now = now or timezone.now()
    config = ComplaintSettings.current()
    open_ = list(
        Complaint.objects.filter(final_response_at__isnull=True, case__type=CaseType.COMPLAINT)
        .select_related("case__owner", "handler")
        .order_by("received_at", "id")
    )
    given = set(
        CaseEvent.objects.filter(kind=WARNING_EVENT, case_id__in=[c.case_id for c in open_]).values_list(
            "case_id", "after"
        )
    )
    events, mails = [], []
    for complaint in open_:
        state = selectors.deadline_state(complaint, config, now)
        if state not in {rules.DeadlineState.DUE_SOON, rules.DeadlineState.OVERDUE}:
            continue
        if (complaint.case_id, state.value) in given:
            continue
        events.append(journal.Entry(complaint.case_id, WARNING_EVENT, now, after=state.value))
        person = complaint.handler or complaint.case.owner
        if person is not None and person.email:
            due = timezone.localdate(selectors.final_response_due(complaint, config))
            said = "is overdue" if state is rules.DeadlineState.OVERDUE else f"is due by {due:%d %B %Y}"
            mails.append((person.email, complaint.case.reference, said))
    with transaction.atomic():
        journal.record_many(events)
        for address, reference, said in mails:
            transaction.on_commit(
                partial(
                    email_send,
                    to=[address],
                    subject=f"Final response {said}: {reference}",
                    text=f"The final response to complaint {reference} {said}. Open the case to send it.",
                )
            )
    return len(events)
