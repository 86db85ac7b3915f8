"""Every privacy and adjustment write: data requests, consent, the access log, holds, adjustments.

Erasure is in ``rapport.privacy.erasure`` and retention in ``rapport.privacy.retention``; both are
writes too and follow the same shape (keyword-only, ``now`` injected, the policy asked first).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from rapport import access as policy
from rapport.accounts.models import User
from rapport.cases import journal
from rapport.cases.models import Case
from rapport.cases.services import case_create
from rapport.customers.models import Customer
from rapport.domain import data_requests as rules
from rapport.domain.adjustments import MAX_EXTRA_MINUTES, charge_refusal
from rapport.domain.bank_holidays import NATIONS
from rapport.domain.case_rules import CaseType, Channel
from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.privacy import access as privacy_policy
from rapport.privacy.models import (
    AccessLog,
    Adjustment,
    AdjustmentKind,
    Consent,
    DataRequest,
    LawfulBasis,
    LegalHold,
    Purpose,
    RequestKind,
    Restriction,
)

KIND_REQUIRED = "Choose which right you want to use."
EXTENSION_LATE = (
    "An extension must be told to the person within the first month ({deadline}); it is too late to extend now."
)
NOT_A_DATA_REQUEST = "This case is not a data request."
UNKNOWN_STEP = "That is not a step of this request's checklist."
WORDING_REQUIRED = "Record the exact wording the customer was shown or told."
METHOD_REQUIRED = "Say how the answer was given (for example: portal form, phone call)."
REASON_REQUIRED = "Give the reason for the legal hold."
CONTACT_REQUIRED = "Give the name of the contact, carer or advocate."
CHANNEL_REQUIRED = "Choose the preferred channel."
MINUTES_REQUIRED = "Give the extra time in minutes (1 to 43,200)."
NO_ADJUSTMENT = "No adjustment with that id."
NO_HOLD = "No legal hold with that id."

CHECKLISTS: dict[str, tuple[tuple[str, str], ...]] = {
    "common": (
        ("identity", "Check the requester's identity (ask only when in reasonable doubt)"),
        ("scope", "Confirm what is asked for; ask for clarification if unclear (the clock pauses)"),
        ("locate", "Search every system: customer record, cases, messages, attachments, surveys"),
    ),
    RequestKind.ACCESS: (
        ("export", "Produce the access bundle (JSON + files, readable summary)"),
        ("third_parties", "Review the items flagged as other people's data; redact or get consent"),
        ("send", "Send the bundle securely and record the date"),
    ),
    RequestKind.PORTABILITY: (
        ("export", "Produce the machine-readable bundle (JSON + files)"),
        ("send", "Send it, or transmit it to the controller named"),
    ),
    RequestKind.ERASURE: (
        ("holds", "Check for legal reasons to keep the data (open complaints, legal holds)"),
        ("erase", "Erase, or schedule erasure for when the hold ends, and tell the person"),
    ),
    RequestKind.RECTIFICATION: (
        ("correct", "Correct the record (below), or add a supplementary statement (Art 16)"),
        ("tell", "Tell the person what was corrected, or why not (Art 12(3))"),
        ("notify", "Tell anyone the data was disclosed to (Art 19)"),
    ),
    RequestKind.RESTRICTION: (
        ("restrict", "Restrict processing (below): the data is only stored (Art 18(2))"),
        ("notify", "Tell the person before lifting the restriction (Art 18(3))"),
    ),
    RequestKind.OBJECTION: (
        ("stop", "Stop the processing objected to, or record compelling legitimate grounds"),
        ("consent", "Update consents (marketing objections are absolute, Art 21(3))"),
    ),
}


def checklist(kind: str) -> tuple[tuple[str, str], ...]:
    return CHECKLISTS["common"] + CHECKLISTS.get(kind, ())


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


# --- data subject requests ----------------------------------------------------------------------


def data_request_create(
    *, actor: User, customer: Customer, kind: str, details: str = "", now: datetime | None = None
) -> DataRequest:
    """Open a data subject request as a ``data_request`` case; the clock starts the day it arrives."""
    now = now or timezone.now()
    if kind not in RequestKind.values:
        raise FieldError(kind=KIND_REQUIRED)
    label = RequestKind(kind).label.split(" (")[0]
    body = details.strip() or f"I would like to use my right of {label.lower()}."
    with transaction.atomic():
        case = case_create(
            actor=actor,
            customer=customer,
            subject=f"Data request: {label.lower()}",
            body=body,
            type=CaseType.DATA_REQUEST,
            channel=Channel.PORTAL if not policy.is_staff(actor) else Channel.EMAIL,
            now=now,
        )
        return DataRequest.objects.create(case=case, kind=kind, received_on=_local_day(now))


def data_request_for(case: Case) -> DataRequest:
    try:
        return DataRequest.objects.get(case=case)
    except DataRequest.DoesNotExist:
        raise NotFound(NOT_A_DATA_REQUEST) from None


def paused(request: DataRequest) -> int:
    if request.clarification_asked_on and request.clarification_received_on:
        return rules.pause_days(request.clarification_asked_on, request.clarification_received_on)
    return 0


def request_deadline(request: DataRequest) -> rules.DeadlineExplanation:
    """The statutory response date with its steps (rapport.domain.data_requests)."""
    start = rules.clock_start(request.received_on, identity_received=request.identity_received_on)
    return rules.deadline_explained(
        start, extended=request.extension_told_on is not None, paused_days=paused(request), nation=request.nation
    )


def request_timing(request: DataRequest, today: date) -> rules.Timing:
    """Whether the request is overdue, due soon or on time on ``today``."""
    return rules.timing(request_deadline(request).due, today, completed_on=request.completed_on)


def data_request_update(
    *, actor: User, reference: str, changes: dict[str, Any], now: datetime | None = None
) -> DataRequest:
    """Record dated facts (identity received, clarification asked/received, extension told, done)
    and checklist steps; each change is a case event."""
    now = now or timezone.now()
    with transaction.atomic():
        case = policy.access_case(actor, reference, for_update=True)
        policy.require_work(actor, case)
        request = data_request_for(case)
        errors: dict[str, list[str]] = {}
        events: list[tuple[str, object, object]] = []
        for field in (
            "identity_received_on",
            "clarification_asked_on",
            "clarification_received_on",
            "extension_told_on",
            "completed_on",
        ):
            if field not in changes:
                continue
            value = changes[field]
            if isinstance(value, str):
                try:
                    value = date.fromisoformat(value) if value else None
                except ValueError:
                    errors.setdefault(field, []).append("Give a date as YYYY-MM-DD.")
                    continue
            if value is not None and value < request.received_on:
                errors.setdefault(field, []).append("This cannot be before the request was received.")
                continue
            before = getattr(request, field)
            if before != value:
                setattr(request, field, value)
                events.append((field, before, value))
        if "nation" in changes:
            if changes["nation"] not in NATIONS:
                errors.setdefault("nation", []).append("Choose one of: " + ", ".join(NATIONS) + ".")
            elif changes["nation"] != request.nation:
                events.append(("nation", request.nation, changes["nation"]))
                request.nation = changes["nation"]
        if "steps_done" in changes:
            keys = {k for k, _ in checklist(request.kind)}
            steps = [s for s in changes["steps_done"] if s]
            if not set(steps) <= keys:
                errors.setdefault("steps_done", []).append(UNKNOWN_STEP)
            elif sorted(steps) != sorted(request.steps_done):
                events.append(("checklist", ", ".join(request.steps_done), ", ".join(sorted(steps))))
                request.steps_done = sorted(steps)
        a, r = request.clarification_asked_on, request.clarification_received_on
        if r and (not a or r < a):
            errors.setdefault("clarification_received_on", []).append(
                "Clarification cannot arrive before it was asked for."
            )
        if request.extension_told_on and "extension_told_on" in changes:
            start = rules.clock_start(request.received_on, identity_received=request.identity_received_on)
            if not rules.extension_allowed(start, request.extension_told_on, paused_days=paused(request) if r else 0):
                first = rules.add_calendar_months(start, rules.MONTHS)
                errors.setdefault("extension_told_on", []).append(
                    EXTENSION_LATE.format(deadline=rules.format_day(first))
                )
        if errors:
            raise FieldError(errors)
        request.save()
        journal.record_many(
            [journal.Entry(case, "data_request", now, actor, field, before, after) for field, before, after in events]
        )
    return request


# --- access log ---------------------------------------------------------------------------------


def access_record(
    *, actor: User | None, customer: Customer, what: str, why: str = "", now: datetime | None = None
) -> None:
    """Append who looked at or exported ``customer``'s data (staff only: a person reading their own
    data through the portal is not an access by someone else)."""
    if actor is not None and not policy.is_staff(actor):
        return
    AccessLog.objects.create(actor=actor, customer=customer, at=now or timezone.now(), what=what[:200], why=why[:200])


# --- consent ------------------------------------------------------------------------------------


def consent_record(
    *,
    actor: User,
    customer: Customer,
    purpose: str,
    channel: str,
    granted: bool,
    basis: str = LawfulBasis.CONSENT,
    method: str,
    wording: str,
    now: datetime | None = None,
) -> Consent:
    """Append a consent answer (or a withdrawal). The customer may record their own; staff for anyone."""
    now = now or timezone.now()
    if not policy.is_staff(actor) and customer.user_id != actor.pk:
        raise NotFound(policy.NO_CUSTOMER)
    errors: dict[str, list[str]] = {}
    if purpose not in Purpose.values:
        errors["purpose"] = ["Choose one of: " + ", ".join(Purpose.values) + "."]
    if channel not in {c.value for c in Channel}:
        errors["channel"] = ["Choose one of: " + ", ".join(c.value for c in Channel) + "."]
    if basis not in LawfulBasis.values:
        errors["basis"] = ["Choose one of: " + ", ".join(LawfulBasis.values) + "."]
    if not (wording or "").strip():
        errors["wording"] = [WORDING_REQUIRED]
    if not (method or "").strip():
        errors["method"] = [METHOD_REQUIRED]
    if errors:
        raise FieldError(errors)
    return Consent.objects.create(
        customer=customer,
        purpose=purpose,
        channel=channel,
        basis=basis,
        granted=bool(granted),
        method=method.strip()[:100],
        wording=wording.strip(),
        recorded_by=actor,
        at=now,
    )


def current_consent(customer: Customer, purpose: str, channel: str) -> Consent | None:
    return Consent.objects.filter(customer=customer, purpose=purpose, channel=channel).first()


def contact_permitted(customer: Customer, purpose: str, channel: str) -> bool | None:
    """Marketing needs a current consent (PECR reg 22 for electronic mail); surveys go unless the
    person said no; service messages are never blocked here (contract, Art 6(1)(b)). While
    processing is restricted neither surveys nor marketing go (Art 18(2): stored, not used)."""
    if customer.erased_at is not None:
        return False
    if purpose == Purpose.SERVICE:
        return None
    if Restriction.objects.filter(customer=customer, lifted_at__isnull=True).exists():
        return False
    found = current_consent(customer, purpose, channel)
    if purpose == Purpose.MARKETING:
        return bool(found and found.granted)
    if found is not None and not found.granted:
        return False
    return None


def contact_refusals(customers: QuerySet[Customer], purpose: str, channel: str) -> dict[str, QuerySet[Any]]:
    """``contact_permitted`` for many customers at once, as subqueries of refused ids by reason:
    for surveys, those whose latest consent record says no ("opted_out"); for marketing, also those
    with no current consent ("no_consent"); for both, those whose processing is restricted
    ("restricted", UK GDPR Art 18(2): stored, not used). Erasure is the caller's to check."""
    if purpose == Purpose.SERVICE:
        return {}
    latest = (
        Consent.objects.filter(customer=OuterRef("pk"), purpose=purpose, channel=channel)
        .order_by("-at", "-id")
        .values("granted")[:1]
    )
    with_latest = customers.annotate(consented=Subquery(latest))
    found: dict[str, QuerySet[Any]] = {"opted_out": with_latest.filter(consented=False).values("pk")}
    if purpose == Purpose.MARKETING:
        found["no_consent"] = with_latest.filter(consented__isnull=True).values("pk")
    found["restricted"] = Restriction.objects.filter(
        customer__in=customers.values("pk"), lifted_at__isnull=True
    ).values("customer_id")
    return found


# --- legal holds --------------------------------------------------------------------------------


def legal_hold_place(*, actor: User, customer: Customer, reason: str, now: datetime | None = None) -> LegalHold:
    privacy_policy.require_erase(actor)
    reason = " ".join((reason or "").split())
    if not reason:
        raise FieldError(reason=REASON_REQUIRED)
    return LegalHold.objects.create(
        customer=customer, reason=reason[:200], placed_by=actor, placed_at=now or timezone.now()
    )


def legal_hold_release(*, actor: User, hold_id: int, now: datetime | None = None) -> LegalHold:
    privacy_policy.require_erase(actor)
    hold = LegalHold.objects.filter(pk=hold_id, released_at__isnull=True).first()
    if hold is None:
        raise NotFound(NO_HOLD)
    hold.released_at = now or timezone.now()
    hold.save(update_fields=["released_at"])
    return hold


def active_hold_reasons(customer: Customer) -> list[str]:
    return [
        f"Legal hold: {r}"
        for r in LegalHold.objects.filter(customer=customer, released_at__isnull=True).values_list("reason", flat=True)
    ]


# --- reasonable adjustments ---------------------------------------------------------------------


def adjustment_record(
    *,
    actor: User,
    customer: Customer,
    kind: str,
    detail: str = "",
    channel: str = "",
    contact_name: str = "",
    extra_minutes: int = 0,
    charge_pence: int = 0,
    now: datetime | None = None,
) -> Adjustment:
    """Record a reasonable adjustment. Any charge for it is refused (Equality Act 2010 s.20(7))."""
    now = now or timezone.now()
    if not privacy_policy.can_record(actor):
        raise Forbidden("Only staff may record adjustments.")
    refusal = charge_refusal(int(charge_pence or 0), linked_to_adjustment=True)
    if refusal:
        raise FieldError(charge=refusal)
    errors: dict[str, list[str]] = {}
    if kind not in AdjustmentKind.values:
        errors["kind"] = ["Choose one of: " + ", ".join(AdjustmentKind.values) + "."]
    contact_name = " ".join((contact_name or "").split())
    if kind in {AdjustmentKind.NAMED_CONTACT, AdjustmentKind.ADVOCATE} and not contact_name:
        errors["contact_name"] = [CONTACT_REQUIRED]
    if kind == AdjustmentKind.PREFERRED_CHANNEL and channel not in {c.value for c in Channel}:
        errors["channel"] = [CHANNEL_REQUIRED]
    try:
        minutes = int(extra_minutes or 0)
    except (TypeError, ValueError):
        minutes = -1
    if kind == AdjustmentKind.EXTRA_TIME and not 0 < minutes <= MAX_EXTRA_MINUTES:
        errors["extra_minutes"] = [MINUTES_REQUIRED]
    if errors:
        raise FieldError(errors)
    return Adjustment.objects.create(
        customer=customer,
        kind=kind,
        detail=(detail or "").strip()[:300],
        channel=channel if kind == AdjustmentKind.PREFERRED_CHANNEL else "",
        contact_name=contact_name[:200],
        extra_minutes=minutes if kind == AdjustmentKind.EXTRA_TIME else 0,
        recorded_by=actor,
        recorded_at=now,
    )


def adjustment_end(*, actor: User, adjustment_id: int, now: datetime | None = None) -> Adjustment:
    if not privacy_policy.can_record(actor):
        raise Forbidden("Only staff may change adjustments.")
    found = Adjustment.objects.filter(pk=adjustment_id, ended_at__isnull=True).first()
    if found is None:
        raise NotFound(NO_ADJUSTMENT)
    found.ended_at = now or timezone.now()
    found.save(update_fields=["ended_at"])
    return found


def charge_check(*, charge_pence: int, adjustment: Adjustment | None) -> None:
    """For any app that raises a charge or fee: refuse it when it is linked to an adjustment."""
    refusal = charge_refusal(charge_pence, linked_to_adjustment=adjustment is not None)
    if refusal:
        raise FieldError(charge=refusal)
