"""/api/v1/privacy: data requests, adjustments, consents, the access log, export and erasure.

Every call goes through the same services and policy as the pages; errors take the API's one
shape (``rapport.api``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime

from rapport import access as policy
from rapport.accounts.api import ERRORS, ErrorOut, actor
from rapport.platform.errors import FieldError
from rapport.privacy import exports, rights, selectors, services
from rapport.privacy.erasure import customer_erase, erasure_schedule

router = Router(tags=["privacy"])


class DataRequestIn(Schema):
    kind: str
    details: str = ""
    customer_id: int | None = None  # staff logging a request for a customer


class DataRequestOut(Schema):
    case: str
    kind: str
    received_on: date
    due: date
    overdue: bool = Field(description="The response date has passed and the request is not completed.")
    days_overdue: int
    completed_on: date | None
    steps: list[str]


class AdjustmentIn(Schema):
    kind: str
    detail: str = ""
    channel: str = ""
    contact_name: str = ""
    extra_minutes: int = 0
    charge_pence: int = 0


class AdjustmentOut(Schema):
    id: int
    kind: str
    detail: str
    channel: str
    contact_name: str
    extra_minutes: int
    recorded_at: datetime
    ended_at: datetime | None


class ConsentIn(Schema):
    purpose: str
    channel: str
    granted: bool
    basis: str = "consent"
    method: str
    wording: str


class ConsentOut(Schema):
    id: int
    purpose: str
    channel: str
    basis: str
    granted: bool
    method: str
    wording: str
    at: datetime


class AccessOut(Schema):
    at: datetime
    actor_id: int | None
    customer_id: int
    what: str
    why: str


class AccessPage(Schema):
    items: list[AccessOut]
    next_cursor: str | None


class AccessQuery(Schema):
    since: AwareDatetime | None = Field(
        None, description="Only reads at or after this moment (ISO 8601 with a time zone)."
    )
    cursor: str | None = Field(None, max_length=500, description="next_cursor from the previous page.")
    limit: int = Field(50, ge=1, le=200)


class ExportIn(Schema):
    reason: str


class RestrictIn(Schema):
    ground: str  # accuracy | unlawful | claims | objection (Art 18(1)(a)-(d))
    reason: str


class LiftIn(Schema):
    told_on: str  # YYYY-MM-DD: when the person was told, before lifting (Art 18(3))
    told_how: str
    reason: str


class RestrictionOut(Schema):
    id: int
    customer_id: int
    request: str
    ground: str
    reason: str
    placed_at: datetime
    placed_by_id: int | None
    told_on: date | None
    told_how: str
    lift_reason: str
    lifted_at: datetime | None
    lifted_by_id: int | None

    @staticmethod
    def resolve_request(obj: Any) -> str:
        return str(obj.request.case.reference)


class RectificationIn(Schema):
    name: str | None = None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None


class CustomerRecordOut(Schema):
    id: int
    name: str
    organisation: str
    email: str
    phone: str
    address: str


class ErasureOut(Schema):
    status: str
    requested_at: datetime
    done_at: datetime | None
    summary: dict[str, int]


def _request_out(found: Any) -> dict[str, Any]:
    deadline = services.request_deadline(found)
    timing = services.request_timing(found, timezone.localdate())
    return {
        "case": found.case.reference,
        "kind": found.kind,
        "received_on": found.received_on,
        "due": deadline.due,
        "overdue": timing.overdue,
        "days_overdue": timing.days_overdue,
        "completed_on": found.completed_on,
        "steps": list(deadline.steps),
    }


@router.post("/requests", response={201: DataRequestOut, **ERRORS}, summary="Make a data subject request")
def create_request(request: HttpRequest, payload: DataRequestIn) -> Any:
    """A customer asks for themselves; staff name the customer (``customer_id``)."""
    user = actor(request)
    if policy.is_staff(user):
        if payload.customer_id is None:
            raise FieldError(customer_id="Name the customer making the request.")
        customer = policy.access_customer(user, payload.customer_id)
    else:
        customer = policy.access_customer(user, policy.actor_customer_id(user) or 0)
    found = services.data_request_create(actor=user, customer=customer, kind=payload.kind, details=payload.details)
    return Status(201, _request_out(found))


@router.get(
    "/requests/{reference}", response={200: DataRequestOut, **ERRORS}, summary="A data request and its deadline"
)
def get_request(request: HttpRequest, reference: str) -> Any:
    """The data request on a case: its kind, when it was received, when it is due and the steps left."""
    case = policy.access_case(actor(request), reference)
    return _request_out(services.data_request_for(case))


@router.get(
    "/customers/{customer_id}/adjustments",
    response={200: list[AdjustmentOut], **ERRORS},
    summary="A customer's adjustments",
)
def list_adjustments(request: HttpRequest, customer_id: int) -> Any:
    """Reasonable adjustments recorded for the customer (Equality Act 2010); the read is logged."""
    customer = policy.access_customer(actor(request), customer_id, what="adjustments", why=policy.VIA_API)
    return selectors.adjustments(customer)


@router.post(
    "/customers/{customer_id}/adjustments",
    response={201: AdjustmentOut, **ERRORS},
    summary="Record an adjustment (staff)",
)
def add_adjustment(request: HttpRequest, customer_id: int, payload: AdjustmentIn) -> Any:
    """Record a reasonable adjustment for the customer: how to contact them, extra time, a named contact."""
    user = actor(request)
    customer = policy.access_customer(user, customer_id)
    return Status(201, services.adjustment_record(actor=user, customer=customer, **payload.model_dump()))


@router.get(
    "/customers/{customer_id}/consents",
    response={200: list[ConsentOut], **ERRORS},
    summary="Consent history, newest first",
)
def list_consents(request: HttpRequest, customer_id: int) -> Any:
    """Every consent answer the customer has given, newest first; the read is logged."""
    customer = policy.access_customer(actor(request), customer_id, what="consents", why=policy.VIA_API)
    return selectors.consent_history(customer)


@router.post(
    "/customers/{customer_id}/consents", response={201: ConsentOut, **ERRORS}, summary="Record a consent answer"
)
def add_consent(request: HttpRequest, customer_id: int, payload: ConsentIn) -> Any:
    """Record a consent answer with its purpose, channel, lawful basis, method and the wording shown."""
    user = actor(request)
    customer = policy.access_customer(user, customer_id)
    return Status(201, services.consent_record(actor=user, customer=customer, **payload.model_dump()))


@router.get(
    "/customers/{customer_id}/access-log",
    response={200: AccessPage, **ERRORS},
    summary="Who viewed or exported this person's data",
)
def customer_access_log(request: HttpRequest, customer_id: int, query: Query[AccessQuery]) -> Any:
    """Who viewed or exported the customer's data, when and why, newest first, a page at a time
    (staff who audit)."""
    user = policy.require_staff(actor(request))
    page = selectors.access_log_page(
        user, policy.access_customer(user, customer_id), since=query.since, cursor=query.cursor, size=query.limit
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.post(
    "/customers/{customer_id}/export",
    response=ERRORS,
    summary="Subject access bundle (zip)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The bundle, as an attachment.",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def export(request: HttpRequest, customer_id: int, payload: ExportIn) -> HttpResponse:
    """The subject access bundle as a zip: data.json, a readable summary (HTML and PDF) and the files.
    The export is written to the customer's access log first, with the reason."""
    user = policy.require_staff(actor(request))
    bundle = exports.customer_export(actor=user, customer_id=customer_id, why=payload.reason)
    response = HttpResponse(bundle.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{bundle.filename}"'
    return response


@router.post(
    "/customers/{customer_id}/erasure",
    response={200: ErasureOut, 202: ErasureOut, **ERRORS, 409: Any},
    summary="Erase a person (managers)",
)
def erase(request: HttpRequest, customer_id: int, schedule: bool = False) -> Any:
    """Erase now; refused with 409 and the legal reasons while any applies. ``schedule=true``
    asks for erasure as soon as the reasons end (202)."""
    user = policy.require_staff(actor(request))
    if schedule:
        return Status(202, erasure_schedule(actor=user, customer_id=customer_id))
    return customer_erase(actor=user, customer_id=customer_id)


@router.post(
    "/requests/{reference}/restriction",
    response={201: RestrictionOut, **ERRORS, 409: ErrorOut},
    summary="Grant a restriction of processing (Art 18)",
)
def restrict(request: HttpRequest, reference: str, payload: RestrictIn) -> Any:
    """On a restriction (or objection) request: the customer's data is then stored but not used."""
    user = policy.require_staff(actor(request))
    return Status(
        201, rights.restriction_grant(actor=user, reference=reference, ground=payload.ground, reason=payload.reason)
    )


@router.post(
    "/customers/{customer_id}/restriction/lift",
    response={200: RestrictionOut, **ERRORS},
    summary="Lift the restriction, recording when the person was told (Art 18(3))",
)
def lift(request: HttpRequest, customer_id: int, payload: LiftIn) -> Any:
    """End the restriction of processing once the person has been told (Art 18(3))."""
    user = policy.require_staff(actor(request))
    return rights.restriction_lift(actor=user, customer_id=customer_id, **payload.model_dump())


@router.get(
    "/customers/{customer_id}/restrictions",
    response={200: list[RestrictionOut], **ERRORS},
    summary="Restrictions of processing, newest first (the history)",
)
def list_restrictions(request: HttpRequest, customer_id: int) -> Any:
    """Every restriction placed on the customer's data and when each was lifted, newest first."""
    user = policy.require_staff(actor(request))
    return rights.restrictions(policy.access_customer(user, customer_id))


@router.post(
    "/requests/{reference}/objection",
    response={200: list[ConsentOut], **ERRORS, 409: ErrorOut},
    summary="Uphold an objection to direct marketing: withdraw marketing on every channel (Art 21(3))",
)
def uphold_objection(request: HttpRequest, reference: str) -> Any:
    """Withdraw direct-marketing consent on every channel for the person who objected (Art 21(3))."""
    user = policy.require_staff(actor(request))
    return rights.objection_uphold(actor=user, reference=reference)


@router.post(
    "/requests/{reference}/rectification",
    response={200: CustomerRecordOut, **ERRORS, 409: ErrorOut},
    summary="Apply a rectification to the customer's record (Art 16)",
)
def rectify(request: HttpRequest, reference: str, payload: RectificationIn) -> Any:
    """Correct the customer's record as the rectification request asks; fields left out stay as they are."""
    user = policy.require_staff(actor(request))
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    return rights.rectification_apply(actor=user, reference=reference, changes=changes)
