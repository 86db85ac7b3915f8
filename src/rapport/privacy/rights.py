"""Carrying out what a data request asks: restriction (UK GDPR Art 18), objection to direct
marketing (Art 21(3)) and rectification (Art 16). Each is done from the request's case, by staff
who may work it, and each step is a case event on that case.

Restriction is a state of the customer: while a ``Restriction`` is current the data is stored but
not otherwise used (Art 18(2)): no surveys or marketing (``contact_permitted``), no retention or
erasure (``hold_reasons``, shown with the reason), and no edits to the record (``record_guards``).
Replying on the person's own cases stays possible: telling them about their request, or anything
else, is not processing that Art 18 stops (and Art 18(3) requires it before lifting).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from rapport import access as policy
from rapport.accounts.models import User
from rapport.cases import journal
from rapport.cases.models import Case, CaseEvent
from rapport.customers.models import Customer
from rapport.customers.services import customer_update
from rapport.domain.case_rules import Channel
from rapport.platform.errors import FieldError, NotFound, Refused
from rapport.privacy import access as privacy_policy
from rapport.privacy.models import (
    Consent,
    DataRequest,
    LawfulBasis,
    Purpose,
    RequestKind,
    Restriction,
    RestrictionGround,
)
from rapport.privacy.services import data_request_for

NOT_FOR_RESTRICTION = "Only a restriction or objection request can restrict processing."
NOT_AN_OBJECTION = "Only an objection request can be upheld."
NOT_A_RECTIFICATION = "Only a rectification request can correct the record."
ALREADY_RESTRICTED = "Processing of this person's data is already restricted."
NOT_RESTRICTED = "Processing of this person's data is not restricted."
ALREADY_UPHELD = "This objection has already been upheld: marketing is withdrawn on every channel."
ERASED = "This person's data has been erased."
GROUND_REQUIRED = "Choose which case of Art 18(1) applies."
REASON_REQUIRED = "Give the reason."
TOLD_REQUIRED = "Give the date the person was told the restriction will be lifted (Art 18(3))."
TOLD_LATE = "The person must be told before the restriction is lifted (Art 18(3)): that date is in the future."
TOLD_EARLY = "That date is before the restriction was placed."
HOW_REQUIRED = "Say how the person was told (for example: email, letter, phone call)."
NOTHING_TO_CORRECT = "Nothing differs from the record: give the corrected value."
RESTRICTED_EDIT = (
    "Processing of this person's data is restricted (UK GDPR Art 18) since {since}: {reason}. "
    "The record cannot be changed until the restriction is lifted."
)
RESTRICTED_HOLD = "Processing restricted (Art 18(1)({letter})): {reason}"
OBJECTION_WORDING = (
    "Objection to direct marketing upheld (UK GDPR Art 21(3)): personal data is no longer used for "
    "marketing on any channel."
)
# What a rectification may correct: the contact details and name the person can tell us are wrong.
RECTIFIABLE = ("name", "organisation", "email", "phone", "address")
_LETTER = {
    RestrictionGround.ACCURACY: "a",
    RestrictionGround.UNLAWFUL: "b",
    RestrictionGround.CLAIMS: "c",
    RestrictionGround.OBJECTION: "d",
}


def current_restriction(customer_id: int) -> Restriction | None:
    return Restriction.objects.filter(customer_id=customer_id, lifted_at__isnull=True).first()


def restrictions(customer: Customer) -> list[Restriction]:
    """Every restriction of the person, current first then newest (the history)."""
    return list(
        Restriction.objects.filter(customer=customer)
        .select_related("request__case", "placed_by", "lifted_by")
        .order_by("-placed_at", "-id")
    )


def _request_case(actor: User, reference: str) -> tuple[Case, DataRequest]:
    case = policy.access_case(actor, reference, for_update=True)
    privacy_policy.require_act_on_request(actor, case)
    return case, data_request_for(case)


def _tick(request: DataRequest, *steps: str) -> None:
    request.steps_done = sorted(set(request.steps_done) | set(steps))
    request.save(update_fields=["steps_done"])


def _event(case: Case, actor: User, now: datetime, kind: str, field: str, before: str, after: str) -> CaseEvent:
    return journal.record(
        case=case, actor=actor, at=now, kind=kind, field=field, before=before[:2000], after=after[:2000]
    )


# --- restriction (Art 18) -----------------------------------------------------------------------


def restriction_grant(
    *, actor: User, reference: str, ground: str, reason: str, now: datetime | None = None
) -> Restriction:
    """Grant a restriction (or restrict while an objection is checked, Art 18(1)(d)): the customer
    is restricted from now until it is lifted."""
    now = now or timezone.now()
    reason = " ".join((reason or "").split())
    with transaction.atomic():
        case, request = _request_case(actor, reference)
        if request.kind not in {RequestKind.RESTRICTION, RequestKind.OBJECTION}:
            raise Refused(NOT_FOR_RESTRICTION)
        errors: dict[str, list[str]] = {}
        if ground not in RestrictionGround.values:
            errors["ground"] = [GROUND_REQUIRED]
        if not reason:
            errors["reason"] = [REASON_REQUIRED]
        if errors:
            raise FieldError(errors)
        customer = Customer.objects.select_for_update().get(pk=case.customer_id)
        if customer.erased_at is not None:
            raise Refused(ERASED)
        if current_restriction(customer.pk) is not None:
            raise Refused(ALREADY_RESTRICTED)
        restriction = Restriction.objects.create(
            customer=customer, request=request, ground=ground, reason=reason[:300], placed_by=actor, placed_at=now
        )
        if request.kind == RequestKind.RESTRICTION:
            _tick(request, "restrict")
        _event(
            case,
            actor,
            now,
            "restriction",
            "restriction",
            "",
            f"restricted: {RestrictionGround(ground).label}: {reason}",
        )
    return restriction


def _told_on(value: Any, restriction: Restriction, today: date) -> tuple[date | None, str]:
    if isinstance(value, str):
        if not value.strip():
            return None, TOLD_REQUIRED
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return None, "Give a date as YYYY-MM-DD."
    if not isinstance(value, date):
        return None, TOLD_REQUIRED
    if value > today:
        return None, TOLD_LATE
    if value < timezone.localtime(restriction.placed_at).date():
        return None, TOLD_EARLY
    return value, ""


def restriction_lift(
    *,
    actor: User,
    customer_id: int | str,
    told_on: date | str | None,
    told_how: str,
    reason: str,
    now: datetime | None = None,
) -> Restriction:
    """Lift the current restriction. The person must have been told first (Art 18(3)): the date and
    how are recorded with the reason, on the restriction and as an event on the request's case."""
    now = now or timezone.now()
    customer = policy.access_customer(actor, customer_id)
    with transaction.atomic():
        restriction = (
            Restriction.objects.select_for_update()
            .filter(customer=customer, lifted_at__isnull=True)
            .select_related("request")
            .first()
        )
        if restriction is None:
            raise NotFound(NOT_RESTRICTED)
        case, request = _request_case(actor, restriction.request.case.reference)
        errors: dict[str, list[str]] = {}
        day, problem = _told_on(told_on, restriction, timezone.localtime(now).date())
        if problem:
            errors["told_on"] = [problem]
        told_how = " ".join((told_how or "").split())
        if not told_how:
            errors["told_how"] = [HOW_REQUIRED]
        reason = " ".join((reason or "").split())
        if not reason:
            errors["reason"] = [REASON_REQUIRED]
        if errors:
            raise FieldError(errors)
        restriction.told_on = day
        restriction.told_how = told_how[:100]
        restriction.lift_reason = reason[:300]
        restriction.lifted_by = actor
        restriction.lifted_at = now
        restriction.save()
        if request.kind == RequestKind.RESTRICTION:
            _tick(request, "notify")
        _event(
            case,
            actor,
            now,
            "restriction",
            "restriction",
            "restricted",
            f"lifted: {reason} (person told on {day:%d %B %Y} by {told_how})",
        )
    return restriction


def restriction_hold_reasons(customer: Customer) -> list[str]:
    """Retention and erasure wait while processing is restricted (Art 18(1)(c), (d): the data is
    kept for the person's claim, or until the check ends)."""
    found = current_restriction(customer.pk)
    if found is None:
        return []
    return [RESTRICTED_HOLD.format(letter=_LETTER[RestrictionGround(found.ground)], reason=found.reason)]


def restriction_edit_refusals(customer: Customer) -> list[str]:
    found = current_restriction(customer.pk)
    if found is None:
        return []
    since = timezone.localtime(found.placed_at)
    return [RESTRICTED_EDIT.format(since=f"{since.day} {since:%B %Y}", reason=found.reason)]


# --- objection (Art 21) -------------------------------------------------------------------------


def objection_uphold(*, actor: User, reference: str, now: datetime | None = None) -> list[Consent]:
    """An objection to direct marketing is absolute (Art 21(3)): marketing consent is withdrawn on
    every channel, each withdrawal in the consent history with this request as its source."""
    now = now or timezone.now()
    with transaction.atomic():
        case, request = _request_case(actor, reference)
        if request.kind != RequestKind.OBJECTION:
            raise Refused(NOT_AN_OBJECTION)
        if Consent.objects.filter(request=request).exists():
            raise Refused(ALREADY_UPHELD)
        withdrawals = Consent.objects.bulk_create(
            [
                Consent(
                    customer_id=case.customer_id,
                    purpose=Purpose.MARKETING,
                    channel=channel.value,
                    basis=LawfulBasis.CONSENT,
                    granted=False,
                    method=f"objection upheld ({case.reference})"[:100],
                    wording=OBJECTION_WORDING,
                    recorded_by=actor,
                    at=now,
                    request=request,
                )
                for channel in Channel
            ]
        )
        _tick(request, "stop", "consent")
        _event(case, actor, now, "objection", "marketing", "", "withdrawn on every channel (Art 21(3))")
    return withdrawals


# --- rectification (Art 16) ---------------------------------------------------------------------


def rectification_apply(
    *, actor: User, reference: str, changes: dict[str, Any], now: datetime | None = None
) -> Customer:
    """Correct the customer's record as the request asks. Each corrected field is an event on the
    request's case with before → after; telling the person is the checklist's "tell" step. Refused
    while processing is restricted (lift it first, telling the person, Art 18(3))."""
    now = now or timezone.now()
    unknown = sorted(set(changes) - set(RECTIFIABLE))
    if unknown:
        raise FieldError({name: ["This field cannot be corrected here."] for name in unknown})
    with transaction.atomic():
        case, request = _request_case(actor, reference)
        if request.kind != RequestKind.RECTIFICATION:
            raise Refused(NOT_A_RECTIFICATION)
        customer = case.customer
        before = {name: getattr(customer, name) for name in RECTIFIABLE}
        wanted = {k: v for k, v in changes.items() if (v or "").strip() != before[k]}
        if not wanted:
            raise FieldError(changes=NOTHING_TO_CORRECT)
        updated = customer_update(actor=actor, customer_id=customer.pk, now=now, **wanted)
        corrected = [name for name in RECTIFIABLE if getattr(updated, name) != before[name]]
        if not corrected:
            raise FieldError(changes=NOTHING_TO_CORRECT)
        for name in corrected:
            _event(case, actor, now, "rectification", name, before[name], getattr(updated, name))
        _tick(request, "correct")
    return updated
