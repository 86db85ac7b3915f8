"""/api/v1/complaints: a complaint's HEAT record, statutory assessment and awards; the HEAT stages,
outcome, escalation, awards and the final response as writes; approval decisions; reports.

Staff only (customers get the same 404 as for a missing complaint). Every rule is the services'."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from rapport.accounts.api import ERRORS, ErrorOut, actor
from rapport.accounts.models import User
from rapport.complaints import access as complaint_policy
from rapport.complaints import selectors, services
from rapport.complaints.models import Complaint, ComplaintSettings
from rapport.domain import complaint_rules as rules
from rapport.platform.errors import NotFound

router = Router(tags=["complaints"])

ReportName = Literal["root_cause", "product", "channel", "time_to_resolve", "upheld", "remedies", "repeat", "trend"]


class StageOut(Schema):
    stage: str
    done: bool
    at: datetime | None


class RemedyOut(Schema):
    code: str
    section: str
    until: date | None


class AssessmentOut(Schema):
    remedies: list[RemedyOut]
    short_term_reject_until: date | None
    limitation_until: date
    explanation: str


class ApprovalOut(Schema):
    id: int
    approver_role: str
    approved: bool | None
    reason: str
    decided_at: datetime | None


class AwardOut(Schema):
    id: int
    kind: str
    basis: str
    remedy: str
    amount: Decimal
    status: str
    approval: ApprovalOut | None


class ComplaintOut(Schema):
    reference: str
    received_at: datetime
    product: str
    account: str
    summary: str
    summary_confirmed: bool
    liability_admitted: bool
    handler_id: int | None
    action_plan: str
    promised_date: date | None
    stages: list[StageOut]
    outcome: str
    customer_response: str
    root_cause: str | None
    level: str
    closing_refusals: list[str]
    final_response_due: datetime
    deadline: str
    final_response_at: datetime | None
    assessment: AssessmentOut | None
    awards: list[AwardOut]


def _out(complaint: Complaint) -> dict[str, Any]:
    config = ComplaintSettings.current()
    now = timezone.now()
    at = {
        rules.Stage.HEAR: complaint.heard_at,
        rules.Stage.EMPATHISE: complaint.empathised_at,
        rules.Stage.APOLOGISE: complaint.apologised_at,
        rules.Stage.TAKE_OWNERSHIP: complaint.owned_at,
    }
    assessment = services.assessment_for(complaint, timezone.localdate(now))
    awards = []
    for award in complaint.awards.select_related("approval"):
        approval = getattr(award, "approval", None)
        awards.append(
            {
                "id": award.pk,
                "kind": award.kind,
                "basis": award.basis,
                "remedy": award.remedy,
                "amount": award.amount,
                "status": award.status,
                "approval": None
                if approval is None
                else {
                    "id": approval.pk,
                    "approver_role": approval.approver_role,
                    "approved": approval.approved,
                    "reason": approval.reason,
                    "decided_at": approval.decided_at,
                },
            }
        )
    return {
        "reference": complaint.case.reference,
        "received_at": complaint.received_at,
        "product": complaint.product,
        "account": complaint.account,
        "summary": complaint.summary,
        "summary_confirmed": complaint.summary_confirmed,
        "liability_admitted": complaint.liability_admitted,
        "handler_id": complaint.handler_id,
        "action_plan": complaint.action_plan,
        "promised_date": complaint.promised_date,
        "stages": [{"stage": s.value, "done": at[s] is not None, "at": at[s]} for s in rules.STAGES],
        "outcome": complaint.outcome,
        "customer_response": complaint.customer_response,
        "root_cause": complaint.root_cause.code if complaint.root_cause else None,
        "level": complaint.level,
        "closing_refusals": list(rules.closing_refusals(selectors.closing_facts(complaint))),
        "final_response_due": selectors.final_response_due(complaint, config),
        "deadline": selectors.deadline_state(complaint, config, now).value,
        "final_response_at": complaint.final_response_at,
        "assessment": None
        if assessment is None
        else {
            "remedies": [{"code": r.code.value, "section": r.section, "until": r.until} for r in assessment.remedies],
            "short_term_reject_until": assessment.short_term_reject_until,
            "limitation_until": assessment.limitation_until,
            "explanation": assessment.explanation,
        },
        "awards": awards,
    }


def _current(request: HttpRequest, reference: str) -> dict[str, Any]:
    return _out(services.complaint_access(actor(request), reference))


@router.get(
    "/{reference}",
    response={200: ComplaintOut, **ERRORS},
    summary="A complaint's HEAT record and remedies",
)
def get_complaint(request: HttpRequest, reference: str) -> Any:
    """The complaint on a case: its HEAT stages, outcome, deadline, statutory assessment and awards."""
    return _current(request, reference)


class HearIn(Schema):
    account: str = Field(max_length=20_000)
    summary: str = Field(max_length=20_000)
    confirmed: bool = False
    product: str = Field("", max_length=100)


class SaidIn(Schema):
    said: str = Field(max_length=20_000)
    liability_admitted: bool = False


class OwnershipIn(Schema):
    handler_id: int
    action_plan: str = Field(max_length=20_000)
    promised_date: date
    follow_ups: list[date] = Field(default_factory=list, max_length=20)


class OutcomeIn(Schema):
    outcome: Literal["upheld", "partly_upheld", "not_upheld"]
    outcome_text: str = Field(max_length=20_000)
    customer_response: Literal["", "accepted", "rejected", "no_reply"] = ""
    root_cause: str = Field("", max_length=50)


class ReasonIn(Schema):
    reason: str = Field(max_length=20_000)


class AwardIn(Schema):
    kind: Literal["refund", "goodwill", "compensation"]
    basis: Literal["legal", "goodwill"]
    amount: str = Field(max_length=20)
    remedy: str = Field("", max_length=30)
    note: str = Field("", max_length=2000)


class FinalResponseIn(Schema):
    deadlock: bool = False
    body: str | None = Field(
        None,
        max_length=20_000,
        description="The letter's opening and outcome as the handler confirmed them; leave out for the template's.",
    )


class DecisionIn(Schema):
    approve: bool
    reason: str = Field(max_length=20_000)
    ground: Literal["", "budget", "not_entitled", "other"] = ""


@router.post(
    "/{reference}/hear",
    response={200: ComplaintOut, **ERRORS},
    summary="Hear: the customer's account",
)
def hear(request: HttpRequest, reference: str, payload: HearIn) -> Any:
    """Record the customer's account and the agreed summary (HEAT: hear)."""
    services.complaint_hear(actor=actor(request), reference=reference, **payload.model_dump())
    return _current(request, reference)


@router.post("/{reference}/empathise", response={200: ComplaintOut, **ERRORS}, summary="Empathise")
def empathise(request: HttpRequest, reference: str, payload: SaidIn) -> Any:
    """Record what was said to acknowledge how the customer feels (HEAT: empathise)."""
    services.complaint_empathise(actor=actor(request), reference=reference, said=payload.said)
    return _current(request, reference)


@router.post("/{reference}/apologise", response={200: ComplaintOut, **ERRORS}, summary="Apologise")
def apologise(request: HttpRequest, reference: str, payload: SaidIn) -> Any:
    """Record the apology, and whether it admits liability (HEAT: apologise)."""
    services.complaint_apologise(
        actor=actor(request), reference=reference, said=payload.said, liability_admitted=payload.liability_admitted
    )
    return _current(request, reference)


@router.post(
    "/{reference}/ownership",
    response={200: ComplaintOut, **ERRORS},
    summary="Take ownership",
)
def ownership(request: HttpRequest, reference: str, payload: OwnershipIn) -> Any:
    """Name the handler, the action plan, the date promised and the follow-ups (HEAT: take ownership)."""
    handler = User.objects.filter(pk=payload.handler_id).first()
    services.complaint_take_ownership(
        actor=actor(request),
        reference=reference,
        handler=handler,
        action_plan=payload.action_plan,
        promised_date=payload.promised_date,
        follow_ups=payload.follow_ups,
    )
    return _current(request, reference)


@router.post(
    "/{reference}/outcome",
    response={200: ComplaintOut, **ERRORS},
    summary="Outcome and root cause",
)
def outcome(request: HttpRequest, reference: str, payload: OutcomeIn) -> Any:
    """Record whether the complaint is upheld, the customer's response and the root cause."""
    services.complaint_record_outcome(actor=actor(request), reference=reference, **payload.model_dump())
    return _current(request, reference)


@router.post(
    "/{reference}/escalate",
    response={200: ComplaintOut, **ERRORS},
    summary="Escalate one level",
)
def escalate(request: HttpRequest, reference: str, payload: ReasonIn) -> Any:
    """Move the complaint up one level, with the reason."""
    services.complaint_escalate(actor=actor(request), reference=reference, reason=payload.reason)
    return _current(request, reference)


@router.post(
    "/{reference}/override",
    response={200: ComplaintOut, **ERRORS},
    summary="Override closing checks",
)
def override(request: HttpRequest, reference: str, payload: ReasonIn) -> Any:
    """Close despite the closing checks that still fail, with the reason (managers)."""
    services.complaint_override(actor=actor(request), reference=reference, reason=payload.reason)
    return _current(request, reference)


@router.post(
    "/{reference}/awards",
    response={200: ComplaintOut, **ERRORS},
    summary="Grant or ask approval",
)
def award(request: HttpRequest, reference: str, payload: AwardIn) -> Any:
    """Grant a refund, goodwill or compensation within the caller's authority, or ask for approval."""
    services.award_request(actor=actor(request), reference=reference, **payload.model_dump())
    return _current(request, reference)


@router.post(
    "/{reference}/final-response",
    response={200: ComplaintOut, 409: ErrorOut, **ERRORS},
    summary="Send the final response",
)
def final_response(request: HttpRequest, reference: str, payload: FinalResponseIn) -> Any:
    """Send the final response (or deadlock letter) to the customer. A 409 when it has already
    been sent."""
    services.final_response_send(
        actor=actor(request), reference=reference, deadlock=payload.deadlock, body=payload.body
    )
    return _current(request, reference)


@router.post(
    "/approvals/{approval_id}/decision",
    response={200: ApprovalOut, 409: ErrorOut, **ERRORS},
    summary="Decide an approval",
)
def decide(request: HttpRequest, approval_id: int, payload: DecisionIn) -> Any:
    """Approve or refuse an award waiting for approval, with the reason. A 409 when it has
    already been decided."""
    return services.approval_decide(actor=actor(request), approval_id=approval_id, **payload.model_dump())


class ComplaintReportOut(Schema):
    """One complaint report as a table: its header and rows, every cell as text."""

    name: str
    title: str
    header: list[str]
    rows: list[list[str]]


@router.get("/reports/{name}", response={200: ComplaintReportOut, **ERRORS}, summary="One complaint report")
def report(request: HttpRequest, name: ReportName, start: date, end: date) -> Any:
    """A complaint report (root causes, products, channels, time to resolve, upheld rates,
    remedies, repeat complainants, the trend) for complaints received from ``start`` to ``end``."""
    if not complaint_policy.can_see_reports(actor(request)):
        raise NotFound()
    built = selectors.report(name, start=start, end=end)
    return {
        "name": built.name,
        "title": built.title,
        "header": list(built.header),
        "rows": [list(r) for r in built.rows],
    }


# --- the statutory remedy assessment: the facts and the result ---------------------------------------


class PurchaseFactsIn(Schema):
    """What happened, as dates and flags: one purchase and one problem with it (see the Consumer Rights
    Act 2015 and the Consumer Contracts Regulations 2013 for what each fact decides)."""

    kind: Literal["goods", "digital_content", "service"]
    contract_date: date
    reported: date = Field(description="The day the consumer raised the problem.")
    delivered: date | None = Field(None, description="Delivered, supplied or performed; null if not yet.")
    installation_notified: date | None = None
    price: Decimal = Field(Decimal("0"), ge=0, le=Decimal("10000000"), max_digits=12, decimal_places=2)
    perishable_days: int | None = Field(None, ge=1, le=36_500)
    repairs_tried: int = Field(0, ge=0, le=1000)
    repair_requested: date | None = None
    repair_returned: date | None = None
    repair_impossible: bool = False
    trader_failed_reasonable_time: bool = False
    motor_vehicle: bool = False
    installation_fault: bool = False
    presumption_rebutted: bool = False
    service_breach: Literal["reasonable_care", "reasonable_time", "information"] | None = None
    distance_sale: bool = False
    cancellation_info_given: bool = True
    cancellation_info_received: date | None = None
    nation: Literal["england", "wales", "scotland", "northern_ireland"] = "england"


class PurchaseFactsOut(PurchaseFactsIn):
    pass


class RemedyDetailOut(Schema):
    code: str
    label: str
    section: str
    until: date | None
    reason: str


class AssessmentResultOut(Schema):
    remedies: list[RemedyDetailOut]
    short_term_reject_until: date | None
    presumed_at_delivery: bool
    deduction_for_use_allowed: bool
    cancellation_until: date | None
    limitation_until: date
    explanation: str


class RemedyAssessmentOut(Schema):
    reference: str
    assessed_on: date
    facts: PurchaseFactsOut | None = Field(description="The facts on file; null until they are recorded.")
    result: AssessmentResultOut | None = Field(description="The statutory position on assessed_on; null without facts.")


def _assessment_out(complaint: Complaint) -> dict[str, Any]:
    today = timezone.localdate()
    assessment = services.assessment_for(complaint, today)
    return {
        "reference": complaint.case.reference,
        "assessed_on": today,
        "facts": complaint.facts or None,
        "result": None
        if assessment is None
        else {
            "remedies": [
                {
                    "code": r.code.value,
                    "label": r.code.value.replace("_", " ").capitalize(),
                    "section": r.section,
                    "until": r.until,
                    "reason": r.reason,
                }
                for r in assessment.remedies
            ],
            "short_term_reject_until": assessment.short_term_reject_until,
            "presumed_at_delivery": assessment.presumed_at_delivery,
            "deduction_for_use_allowed": assessment.deduction_for_use_allowed,
            "cancellation_until": assessment.cancellation_until,
            "limitation_until": assessment.limitation_until,
            "explanation": assessment.explanation,
        },
    }


@router.get(
    "/{reference}/assessment",
    response={200: RemedyAssessmentOut, **ERRORS},
    summary="The purchase facts and the statutory remedies",
)
def assessment_get(request: HttpRequest, reference: str) -> Any:
    """The purchase facts on file and what the law gives the customer today: each remedy with its
    section and last day. Legal-entitlement awards must implement one of these remedies."""
    return _assessment_out(services.complaint_access(actor(request), reference))


@router.put(
    "/{reference}/assessment",
    response={200: RemedyAssessmentOut, **ERRORS},
    summary="Record the purchase facts and assess",
)
def assessment_put(request: HttpRequest, reference: str, payload: PurchaseFactsIn) -> Any:
    """Replace the purchase facts and assess the statutory remedies on today's date. Facts that
    contradict each other, or a date after today, are refused with a 422 naming the problem."""
    services.complaint_assess(actor=actor(request), reference=reference, facts=payload.model_dump())
    return _assessment_out(services.complaint_access(actor(request), reference))
