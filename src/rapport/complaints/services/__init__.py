"""Every write to a complaint: the HEAT stages, outcome, escalation, awards and approvals, the
final response. Each change that matters is a ``CaseEvent`` on the complaint's case, written in the
same transaction; arguments are keyword-only and time is injected (``now``).

One module per concern; callers use this package (``services.award_request``):
- ``records``: the complaint a write is about, checked texts, the write's events;
- ``heat``: hear, empathise, apologise, take ownership, follow-ups, outcome, override, escalation;
- ``remedies``: the purchase facts and the statutory assessment;
- ``awards``: authority limits, awards and their approvals;
- ``deadlines``: warnings that a final response falls due;
- ``final_response``: the final response letter, previewed and sent.
"""

from rapport.complaints.services.awards import (
    ALREADY_DECIDED,
    AMOUNT_INVALID,
    NO_APPROVAL,
    OPEN_AWARD_STATUSES,
    REMEDY_FOR_LEGAL,
    approval_decide,
    award_request,
    limits_for,
)
from rapport.complaints.services.deadlines import WARNING_EVENT, final_response_warnings
from rapport.complaints.services.final_response import (
    LETTER_EMPTY,
    LETTER_MAX,
    LETTER_TOO_LONG,
    OUTCOME_REQUIRED,
    RESPONSE_SENT,
    final_response_letter,
    final_response_send,
)
from rapport.complaints.services.heat import (
    ACCOUNT_REQUIRED,
    FOLLOW_UP_RANGE,
    HANDLER_REQUIRED,
    NO_FOLLOW_UP,
    PLAN_REQUIRED,
    PROMISE_IN_PAST,
    PROMISE_REQUIRED,
    SUMMARY_REQUIRED,
    complaint_apologise,
    complaint_empathise,
    complaint_escalate,
    complaint_hear,
    complaint_override,
    complaint_record_outcome,
    complaint_take_ownership,
    follow_up_done,
)
from rapport.complaints.services.records import (
    MAX_TEXT,
    NOT_A_COMPLAINT,
    REASON_REQUIRED,
    TEXT_REQUIRED,
    complaint_access,
)
from rapport.complaints.services.remedies import DATE_FIELDS, assessment_for, complaint_assess, purchase_facts

__all__ = [
    "ACCOUNT_REQUIRED",
    "ALREADY_DECIDED",
    "AMOUNT_INVALID",
    "DATE_FIELDS",
    "FOLLOW_UP_RANGE",
    "HANDLER_REQUIRED",
    "LETTER_EMPTY",
    "LETTER_MAX",
    "LETTER_TOO_LONG",
    "MAX_TEXT",
    "NOT_A_COMPLAINT",
    "NO_APPROVAL",
    "NO_FOLLOW_UP",
    "OPEN_AWARD_STATUSES",
    "OUTCOME_REQUIRED",
    "PLAN_REQUIRED",
    "PROMISE_IN_PAST",
    "PROMISE_REQUIRED",
    "REASON_REQUIRED",
    "REMEDY_FOR_LEGAL",
    "RESPONSE_SENT",
    "SUMMARY_REQUIRED",
    "TEXT_REQUIRED",
    "WARNING_EVENT",
    "approval_decide",
    "assessment_for",
    "award_request",
    "complaint_access",
    "complaint_apologise",
    "complaint_assess",
    "complaint_empathise",
    "complaint_escalate",
    "complaint_hear",
    "complaint_override",
    "complaint_record_outcome",
    "complaint_take_ownership",
    "final_response_letter",
    "final_response_send",
    "final_response_warnings",
    "follow_up_done",
    "limits_for",
    "purchase_facts",
]
