"""What every write to a complaint shares: finding the complaint the actor may work on, checking a
text, and recording the write's events on the complaint's case."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rapport import access as policy
from rapport.accounts.models import User
from rapport.cases import journal
from rapport.cases.models import Case
from rapport.complaints import access as complaint_policy
from rapport.complaints.models import Complaint
from rapport.domain.case_rules import CaseType
from rapport.platform.errors import FieldError, NotFound

NOT_A_COMPLAINT = "No complaint on that case."
TEXT_REQUIRED = "Write what was said."
REASON_REQUIRED = "Give the reason in writing."
MAX_TEXT = 20_000


def checked_text(value: str, field: str, message: str, *, required: bool = True) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if required and not value:
        raise FieldError({field: [message]})
    if len(value) > MAX_TEXT:
        raise FieldError({field: ["Keep this to 20,000 characters or fewer."]})
    return value


def entry(
    complaint: Complaint,
    actor: User,
    now: datetime,
    kind: str,
    before: object = "",
    after: object = "",
    field: str = "",
) -> journal.Entry:
    return journal.Entry(complaint.case_id, kind, now, actor, field, str(before), str(after))


def record(complaint: Complaint, events: Sequence[journal.Entry], now: datetime) -> None:
    """Write ``events`` and mark the case updated (never back in time)."""
    journal.record_many(events)
    Case.objects.filter(pk=complaint.case_id, updated_at__lt=now).update(updated_at=now)


def complaint_access(actor: User, reference: str, *, for_update: bool = False) -> Complaint:
    """The complaint on case ``reference`` if ``actor`` may see the case, created on first use.

    The same ``NotFound`` answers a missing case, a forbidden one, and a case that is no complaint.
    """
    case = policy.access_case(actor, reference, for_update=for_update)
    if case.type != CaseType.COMPLAINT or not complaint_policy.can_work_complaints(actor):
        raise NotFound(NOT_A_COMPLAINT)
    complaint, _ = Complaint.objects.get_or_create(case=case, defaults={"received_at": case.created_at})
    complaint.case = case
    return complaint
