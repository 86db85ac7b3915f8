"""The final response (or deadlock) letter: previewed, then sent once as an outbound message with
its PDF."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from rapport.accounts.models import User
from rapport.cases.services import Upload, message_add
from rapport.complaints import letters
from rapport.complaints.models import AwardStatus, Complaint, ComplaintSettings
from rapport.complaints.services.records import complaint_access, entry, record
from rapport.complaints.services.remedies import assessment_for
from rapport.platform.errors import Conflict, FieldError

RESPONSE_SENT = "The final response has already been sent."
OUTCOME_REQUIRED = "Record the outcome before sending the final response."

LETTER_EMPTY = "Write the letter: it cannot be empty."
LETTER_TOO_LONG = "The letter is too long: keep it under 20,000 characters."
LETTER_MAX = 20_000


def final_response_letter(
    *, actor: User, reference: str, deadlock: bool = False, now: datetime | None = None, body: str | None = None
) -> letters.Letter:
    """The letter ``final_response_send`` would send now, for the handler to read (and edit) first.
    ``body`` is the handler's edit of the opening and outcome; the law, goodwill and ombudsman
    parts are always added and cannot be edited away. Signed by the complaint's handler."""
    now = now or timezone.now()
    complaint = complaint_access(actor, reference)
    if body is not None:
        if not body.strip():
            raise FieldError(body=LETTER_EMPTY)
        if len(body) > LETTER_MAX:
            raise FieldError(body=LETTER_TOO_LONG)
    return letters.final_response(
        complaint,
        ComplaintSettings.current(),
        assessment=assessment_for(complaint, timezone.localdate(now)),
        awards=list(complaint.awards.filter(status=AwardStatus.GRANTED)),
        deadlock=deadlock,
        today=timezone.localdate(now),
        signatory=complaint.handler or actor,
        body=body,
    )


def final_response_send(
    *, actor: User, reference: str, deadlock: bool = False, now: datetime | None = None, body: str | None = None
) -> Complaint:
    """Send the final response (or deadlock) letter as an outbound message with the PDF attached;
    ``body`` is the wording the handler confirmed on the preview (None: the template's).

    The letter always names the ombudsman or ADR body, its details and the time limit to refer."""
    now = now or timezone.now()
    with transaction.atomic():
        complaint = complaint_access(actor, reference, for_update=True)
        if complaint.final_response_at is not None:
            raise Conflict(RESPONSE_SENT, current=complaint)
        if not complaint.outcome_text:
            raise FieldError(outcome=OUTCOME_REQUIRED)
        letter = final_response_letter(actor=actor, reference=reference, deadlock=deadlock, now=now, body=body)
        message_add(
            actor=actor,
            reference=complaint.case.reference,
            kind="outbound",
            body=letter.text,
            attachments=[Upload(letter.filename, letter.pdf())],
            now=now,
        )
        complaint.final_response_at = now
        complaint.deadlock = deadlock
        complaint.save(update_fields=["final_response_at", "deadlock"])
        kind = "deadlock_letter_sent" if deadlock else "final_response_sent"
        record(
            complaint,
            [entry(complaint, actor, now, kind, after=f"refer to {letter.adr.body} by {letter.refer_by.isoformat()}")],
            now,
        )
    return complaint
