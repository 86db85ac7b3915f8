"""Awards (refunds, goodwill, compensation) within each role's authority, and the approvals of
those above it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from rapport import access as policy
from rapport.accounts.models import User
from rapport.complaints import access as complaint_policy
from rapport.complaints.models import (
    STAFF_LADDER,
    ApprovalRequest,
    AuthorityLimit,
    Award,
    AwardStatus,
    Complaint,
    pence,
)
from rapport.complaints.services.records import complaint_access, entry, record
from rapport.complaints.services.remedies import assessment_for
from rapport.domain import complaint_rules as rules
from rapport.domain import consumer_law
from rapport.platform.errors import Conflict, FieldError, NotFound

NO_APPROVAL = "No approval request with that id."
AMOUNT_INVALID = "Give an amount in pounds, such as 25.00."
REMEDY_FOR_LEGAL = "Name the statutory remedy this award meets."
ALREADY_DECIDED = "This request has already been decided."


def limits_for(kind: str) -> dict[str, Decimal]:
    return {row.role: Decimal(row.limit_pence) / 100 for row in AuthorityLimit.objects.filter(kind=kind)}


OPEN_AWARD_STATUSES = (AwardStatus.GRANTED, AwardStatus.AWAITING_APPROVAL)


def _pounds(pence: int | None) -> Decimal:
    return Decimal(pence or 0) / 100


def _awarded_on(complaint: Complaint, kind: str, basis: str) -> Decimal:
    """What is granted or awaiting approval on this complaint, of one kind and basis (the running total)."""
    total = Award.objects.filter(complaint=complaint, kind=kind, basis=basis, status__in=OPEN_AWARD_STATUSES).aggregate(
        total=Sum("amount_pence")
    )["total"]
    return _pounds(total)


def _period_limit(actor: User, kind: str, basis: str, now: datetime) -> rules.PeriodLimit | None:
    """The actor's per-period cap for this kind with what they have granted in the period, if one is set.

    The actor's row is locked first, so two awards by one person on different complaints are
    totalled one after the other, never both against the same figure."""
    row = AuthorityLimit.objects.filter(role=actor.role, kind=kind).exclude(period="").first()
    if row is None or row.period_limit_pence is None:
        return None
    User.objects.select_for_update().filter(pk=actor.pk).first()
    start = rules.period_start(rules.LimitPeriod(row.period), timezone.localdate(now))
    since = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    granted = Award.objects.filter(
        requested_by=actor, kind=kind, basis=basis, status__in=OPEN_AWARD_STATUSES, requested_at__gte=since
    ).aggregate(total=Sum("amount_pence"))["total"]
    return rules.PeriodLimit(limit=_pounds(row.period_limit_pence), granted=_pounds(granted))


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).strip().lstrip("£").replace(",", ""))
    except (InvalidOperation, ValueError):
        raise FieldError(amount=AMOUNT_INVALID) from None
    if (
        not amount.is_finite()
        or amount <= 0
        or amount != amount.quantize(Decimal("0.01"))
        or amount > Decimal("1000000")
    ):
        raise FieldError(amount=AMOUNT_INVALID)
    return amount


def award_request(
    *,
    actor: User,
    reference: str,
    kind: str,
    basis: str,
    amount: Any,
    remedy: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Award:
    """Grant a refund, goodwill gesture or compensation within the actor's authority, or send it for
    approval to the lowest role whose limit covers it. A legal entitlement follows the same trail.

    Limits bound the running total on the complaint (legal and goodwill apart), and the actor's
    total for the period where a per-person cap is set; a legal entitlement must implement a remedy
    that the statutory assessment on file finds open today (``rules.legal_award_problem``)."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    try:
        kind_value = rules.AwardKind(kind)
    except ValueError:
        errors["kind"] = ["Choose refund, goodwill or compensation."]
    try:
        basis_value = rules.Basis(basis)
    except ValueError:
        errors["basis"] = ["Choose legal entitlement or goodwill."]
    try:
        value = _amount(amount)
    except FieldError as exc:
        errors.update(exc.errors)
    if not errors and basis_value is rules.Basis.LEGAL:
        try:
            consumer_law.RemedyCode(remedy)
        except ValueError:
            errors["remedy"] = [REMEDY_FOR_LEGAL]
    if errors:
        raise FieldError(errors)
    with transaction.atomic():
        complaint = complaint_access(actor, reference, for_update=True)
        if basis_value is rules.Basis.LEGAL:
            today = timezone.localdate(now)
            assessment = assessment_for(complaint, today)
            problem = rules.legal_award_problem(
                assessment.remedy(remedy) if assessment else None, remedy, assessed=assessment is not None, on=today
            )
            if problem:
                raise FieldError(remedy=problem)
        check = rules.check_authority(
            value,
            actor.role,
            limits_for(kind_value),
            STAFF_LADDER,
            already=_awarded_on(complaint, kind_value, basis_value),
            period=_period_limit(actor, kind_value, basis_value, now),
        )
        award = Award.objects.create(
            complaint=complaint,
            kind=kind_value,
            basis=basis_value,
            remedy=remedy if basis_value is rules.Basis.LEGAL else "",
            amount_pence=pence(value),
            note=(note or "").strip()[:2000],
            status=AwardStatus.GRANTED if check.within_authority else AwardStatus.AWAITING_APPROVAL,
            requested_by=actor,
            requested_at=now,
        )
        described = f"{basis_value} {kind_value} £{value:,.2f}"
        if check.within_authority:
            events = [entry(complaint, actor, now, "award_granted", after=described)]
        else:
            ApprovalRequest.objects.create(award=award, approver_role=check.approver_role or STAFF_LADDER[-1])
            total = f" (£{check.total:,.2f} on this complaint)" if check.total != value else ""
            events = [
                entry(
                    complaint,
                    actor,
                    now,
                    "approval_requested",
                    after=f"{described}{total} above the {actor.get_role_display().lower()} limit; "
                    f"sent to {check.approver_role}",
                )
            ]
        record(complaint, events, now)
    return award


def approval_decide(
    *, actor: User, approval_id: int | str, approve: bool, reason: str, ground: str = "", now: datetime | None = None
) -> ApprovalRequest:
    """Approve or refuse an award above its requester's authority, with the reason recorded.

    A legal entitlement is never refused for want of goodwill budget (``refusal_problem``)."""
    now = now or timezone.now()
    try:
        pk = int(approval_id)
    except (TypeError, ValueError):
        raise NotFound(NO_APPROVAL) from None
    with transaction.atomic():
        approval = (
            ApprovalRequest.objects.select_for_update(of=("self",))
            .select_related("award__complaint__case")
            .filter(award__complaint__case__in=policy.visible_cases(actor))
            .filter(pk=pk)
            .first()
        )
        if approval is None:
            raise NotFound(NO_APPROVAL)
        complaint_policy.require_decide(actor, approval)
        if approval.decided_at is not None:
            raise Conflict(ALREADY_DECIDED, current=approval)
        award = approval.award
        ground_value = None
        if not approve:
            try:
                ground_value = rules.RefusalGround(ground or rules.RefusalGround.OTHER)
            except ValueError:
                raise FieldError(ground="Choose budget, not entitled or other.") from None
            problem = rules.refusal_problem(rules.Basis(award.basis), ground_value, reason or "")
        else:
            problem = None if (reason or "").strip() else rules.REASON_REQUIRED
        if problem:
            raise FieldError(reason=problem)
        approval.approved = bool(approve)
        approval.ground = ground_value or ""
        approval.reason = reason.strip()
        approval.decided_by = actor
        approval.decided_at = now
        approval.save()
        award.status = AwardStatus.GRANTED if approve else AwardStatus.REFUSED
        award.save(update_fields=["status"])
        verdict = "approved" if approve else "refused"
        record(
            award.complaint,
            [entry(award.complaint, actor, now, "approval_decided", after=f"{award}: {verdict}. {approval.reason}")],
            now,
        )
    return approval
