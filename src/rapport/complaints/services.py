"""Every write to a complaint: the HEAT stages, outcome, escalation, awards and approvals, the
final response. Each change that matters is a ``CaseEvent`` on the complaint's case, written in the
same transaction; arguments are keyword-only and time is injected (``now``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from rapport import access as policy
from rapport.accounts.models import User
from rapport.cases import journal
from rapport.cases.models import Case, CaseEvent
from rapport.cases.services import Upload, message_add
from rapport.complaints import access as complaint_policy
from rapport.complaints import letters, selectors
from rapport.complaints.models import (
    STAFF_LADDER,
    ApprovalRequest,
    AuthorityLimit,
    Award,
    AwardStatus,
    Complaint,
    ComplaintSettings,
    FollowUp,
    RootCause,
    pence,
)
from rapport.domain import complaint_rules as rules
from rapport.domain import consumer_law
from rapport.domain.case_rules import CaseType
from rapport.platform.errors import Conflict, FieldError, NotFound
from rapport.platform.notify import email_send

NOT_A_COMPLAINT = "No complaint on that case."
NO_APPROVAL = "No approval request with that id."
TEXT_REQUIRED = "Write what was said."
ACCOUNT_REQUIRED = "Record the customer's account in their own words."
SUMMARY_REQUIRED = "Write your summary of the complaint."
PLAN_REQUIRED = "Write the action plan."
HANDLER_REQUIRED = "Name the member of staff who owns this complaint."
PROMISE_REQUIRED = "Give the date you promised the customer."
PROMISE_IN_PAST = "The promised date cannot be in the past."
FOLLOW_UP_RANGE = "Follow-ups fall between today and the promised date."
REASON_REQUIRED = "Give the reason in writing."
AMOUNT_INVALID = "Give an amount in pounds, such as 25.00."
REMEDY_FOR_LEGAL = "Name the statutory remedy this award meets."
ALREADY_DECIDED = "This request has already been decided."
RESPONSE_SENT = "The final response has already been sent."
OUTCOME_REQUIRED = "Record the outcome before sending the final response."
MAX_TEXT = 20_000


def _text(value: str, field: str, message: str, *, required: bool = True) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if required and not value:
        raise FieldError({field: [message]})
    if len(value) > MAX_TEXT:
        raise FieldError({field: ["Keep this to 20,000 characters or fewer."]})
    return value


def _event(
    complaint: Complaint,
    actor: User,
    now: datetime,
    kind: str,
    before: object = "",
    after: object = "",
    field: str = "",
) -> journal.Entry:
    return journal.Entry(complaint.case_id, kind, now, actor, field, str(before), str(after))


def _record(complaint: Complaint, events: Sequence[journal.Entry], now: datetime) -> None:
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


def complaint_hear(
    *,
    actor: User,
    reference: str,
    account: str,
    summary: str,
    confirmed: bool,
    product: str = "",
    now: datetime | None = None,
) -> Complaint:
    """Hear: the customer's account verbatim, and the agent's summary, confirmed with them or not."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    values = {}
    for field, raw, message in (("account", account, ACCOUNT_REQUIRED), ("summary", summary, SUMMARY_REQUIRED)):
        try:
            values[field] = _text(raw, field, message)
        except FieldError as exc:
            errors.update(exc.errors)
    if errors:
        raise FieldError(errors)
    with transaction.atomic():
        complaint = complaint_access(actor, reference, for_update=True)
        complaint.account = values["account"]
        complaint.summary = values["summary"]
        complaint.summary_confirmed = bool(confirmed)
        complaint.product = (product or "").strip()[:100] or complaint.product
        complaint.heard_at = now
        complaint.save()
        # The event keeps the words too, so hearing again never loses what was first said.
        checked = "confirmed with the customer" if confirmed else "not yet confirmed with the customer"
        after = f"Summary ({checked}): {values['summary']}\nIn their words: {values['account']}"
        _record(complaint, [_event(complaint, actor, now, "heat_hear", after=after)], now)
    return complaint


def complaint_empathise(*, actor: User, reference: str, said: str, now: datetime | None = None) -> Complaint:
    now = now or timezone.now()
    said = _text(said, "said", TEXT_REQUIRED)
    with transaction.atomic():
        complaint = complaint_access(actor, reference, for_update=True)
        complaint.empathy = said
        complaint.empathised_at = now
        complaint.save()
        _record(complaint, [_event(complaint, actor, now, "heat_empathise", after=said)], now)
    return complaint


def complaint_apologise(
    *, actor: User, reference: str, said: str, liability_admitted: bool = False, now: datetime | None = None
) -> Complaint:
    """Apologise. An admission of liability is a separate fact with its own event."""
    now = now or timezone.now()
    said = _text(said, "said", TEXT_REQUIRED)
    with transaction.atomic():
        complaint = complaint_access(actor, reference, for_update=True)
        events = [_event(complaint, actor, now, "heat_apologise", after=said)]
        if liability_admitted and not complaint.liability_admitted:
            events.append(_event(complaint, actor, now, "liability_admitted", after="liability admitted"))
        complaint.apology = said
        complaint.apologised_at = now
        complaint.liability_admitted = complaint.liability_admitted or bool(liability_admitted)
        complaint.save()
        _record(complaint, events, now)
    return complaint


def complaint_take_ownership(
    *,
    actor: User,
    reference: str,
    handler: User | None,
    action_plan: str,
    promised_date: date | None,
    follow_ups: Sequence[date] = (),
    now: datetime | None = None,
) -> Complaint:
    """Take ownership: a named owner, an action plan, a promised date and follow-ups scheduled."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    try:
        plan = _text(action_plan, "action_plan", PLAN_REQUIRED)
    except FieldError as exc:
        errors.update(exc.errors)
    if handler is None or not policy.is_staff(handler):
        errors["handler"] = [HANDLER_REQUIRED]
    if promised_date is None:
        errors["promised_date"] = [PROMISE_REQUIRED]
    elif promised_date < today:
        errors["promised_date"] = [PROMISE_IN_PAST]
    elif any(day < today or day > promised_date for day in follow_ups):
        errors["follow_ups"] = [FOLLOW_UP_RANGE]
    if errors:
        raise FieldError(errors)
    assert promised_date is not None
    with transaction.atomic():
        complaint = complaint_access(actor, reference, for_update=True)
        complaint.handler = handler
        complaint.action_plan = plan
        complaint.promised_date = promised_date
        complaint.owned_at = now
        complaint.save()
        FollowUp.objects.bulk_create(
            [
                FollowUp(complaint=complaint, due=day, note="Follow up with the customer")
                for day in sorted(set(follow_ups))
            ]
        )
        after = f"owner {handler}, promised {promised_date.isoformat()}, {len(set(follow_ups))} follow-up(s)"
        _record(complaint, [_event(complaint, actor, now, "heat_take_ownership", after=after)], now)
    return complaint


NO_FOLLOW_UP = "No follow-up with that id."


def follow_up_done(*, actor: User, follow_up_id: int | str, now: datetime | None = None) -> FollowUp:
    """Mark a scheduled follow-up as made (once: a second call changes nothing)."""
    now = now or timezone.now()
    try:
        pk = int(follow_up_id)
    except (TypeError, ValueError):
        raise NotFound(NO_FOLLOW_UP) from None
    with transaction.atomic():
        follow_up = (
            FollowUp.objects.select_for_update(of=("self",))
            .select_related("complaint")
            .filter(pk=pk, complaint__case__in=policy.visible_cases(actor))
            .first()
        )
        if follow_up is None or not complaint_policy.can_work_complaints(actor):
            raise NotFound(NO_FOLLOW_UP)
        if follow_up.done_at is None:
            follow_up.done_at = now
            follow_up.save(update_fields=["done_at"])
            complaint = follow_up.complaint
            _record(complaint, [_event(complaint, actor, now, "follow_up_done", after=follow_up.due.isoformat())], now)
    return follow_up


def complaint_record_outcome(
    *,
    actor: User,
    reference: str,
    outcome: str,
    outcome_text: str,
    customer_response: str = "",
    root_cause: str = "",
    now: datetime | None = None,
) -> Complaint:
    """The outcome offered, the customer's response to it (blank while awaited) and the root cause."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    try:
        outcome_value = rules.Outcome(outcome)
    except ValueError:
        errors["outcome"] = ["Choose upheld, partly upheld or not upheld."]
    try:
        text = _text(outcome_text, "outcome_text", "Describe the outcome offered to the customer.")
    except FieldError as exc:
        errors.update(exc.errors)
    response = None
    if customer_response:
        try:
            response = rules.CustomerResponse(customer_response)
        except ValueError:
            errors["customer_response"] = ["Choose accepted, rejected or no reply."]
    cause = None
    if root_cause:
        cause = RootCause.objects.filter(code=root_cause, active=True).first()
        if cause is None:
            errors["root_cause"] = ["Choose a root cause from the list."]
    if errors:
        raise FieldError(errors)
    with transaction.atomic():
        complaint = complaint_access(actor, reference, for_update=True)
        events = []
        if complaint.outcome != outcome_value or complaint.outcome_text != text:
            events.append(_event(complaint, actor, now, "complaint_outcome", complaint.outcome, outcome_value))
        if response is not None and complaint.customer_response != response:
            events.append(_event(complaint, actor, now, "customer_response", complaint.customer_response, response))
            complaint.customer_response = response
            complaint.responded_at = now
        if cause is not None and complaint.root_cause_id != cause.pk:
            before = complaint.root_cause.name if complaint.root_cause_id and complaint.root_cause else ""
            events.append(_event(complaint, actor, now, "root_cause", before, cause.name))
            complaint.root_cause = cause
        complaint.outcome = outcome_value
        complaint.outcome_text = text
        complaint.save()
        _record(complaint, events, now)
    return complaint


def complaint_override(*, actor: User, reference: str, reason: str, now: datetime | None = None) -> Complaint:
    """A manager lets the complaint close without the usual checks, with the reason in writing."""
    now = now or timezone.now()
    complaint_policy.require_override(actor)
    reason = _text(reason, "reason", REASON_REQUIRED)
    with transaction.atomic():
        complaint = complaint_access(actor, reference, for_update=True)
        complaint.override_reason = reason
        complaint.override_by = actor
        complaint.override_at = now
        complaint.save()
        _record(complaint, [_event(complaint, actor, now, "complaint_override", after=reason)], now)
    return complaint


def complaint_escalate(*, actor: User, reference: str, reason: str, now: datetime | None = None) -> Complaint:
    """One rung up the ladder (agent -> team leader -> manager -> complaints lead), with the reason."""
    now = now or timezone.now()
    reason = _text(reason, "reason", REASON_REQUIRED)
    with transaction.atomic():
        complaint = complaint_access(actor, reference, for_update=True)
        current = rules.Level(complaint.level)
        target = rules.next_level(current)
        if target is None:
            raise FieldError(reason=rules.TOP_OF_LADDER)
        complaint.level = target
        complaint.save(update_fields=["level"])
        _record(
            complaint,
            [_event(complaint, actor, now, "complaint_escalated", current.label, f"{target.label}: {reason}", "level")],
            now,
        )
        if target is rules.Level.COMPLAINTS_LEAD:
            lead = ComplaintSettings.current().complaints_lead
            if lead is not None and complaint.case.owner_id != lead.pk:
                Case.objects.filter(pk=complaint.case_id).update(owner=lead, version=F("version") + 1, updated_at=now)
                journal.record(
                    case=complaint.case_id,
                    actor=actor,
                    at=now,
                    kind="changed",
                    field="owner",
                    before=journal.person(complaint.case.owner),
                    after=journal.person(lead),
                )
    return complaint


# --- statutory remedies ----------------------------------------------------------------------------

DATE_FIELDS = (
    "contract_date",
    "reported",
    "delivered",
    "installation_notified",
    "repair_requested",
    "repair_returned",
    "cancellation_info_received",
)


def purchase_facts(data: dict[str, Any]) -> consumer_law.PurchaseFacts:
    """Stored facts (JSON: ISO dates, price as text) as ``PurchaseFacts``; ``ValueError`` if unusable."""
    values: dict[str, Any] = {}
    for name, value in data.items():
        if value in (None, ""):
            continue
        if name in DATE_FIELDS:
            values[name] = value if isinstance(value, date) else date.fromisoformat(str(value))
        elif name == "price":
            values[name] = Decimal(str(value))
        else:
            values[name] = value
    return consumer_law.PurchaseFacts(**values)


def _facts_json(facts: consumer_law.PurchaseFacts) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in consumer_law.PurchaseFacts.__dataclass_fields__:
        value = getattr(facts, name)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        out[name] = value
    return out


def complaint_assess(
    *, actor: User, reference: str, facts: dict[str, Any], now: datetime | None = None
) -> consumer_law.Assessment:
    """Record the purchase facts and assess the statutory remedies on today's date."""
    now = now or timezone.now()
    try:
        parsed = purchase_facts(facts)
        assessment = consumer_law.assess(parsed, timezone.localdate(now))
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise FieldError(facts=str(exc)) from None
    with transaction.atomic():
        complaint = complaint_access(actor, reference, for_update=True)
        complaint.facts = _facts_json(parsed)
        complaint.save(update_fields=["facts"])
        codes = ", ".join(r.code for r in assessment.remedies) or "none"
        _record(complaint, [_event(complaint, actor, now, "remedies_assessed", after=codes)], now)
    return assessment


def assessment_for(complaint: Complaint, on: date) -> consumer_law.Assessment | None:
    """The statutory assessment from the stored facts on ``on``; None when none are recorded."""
    if not complaint.facts:
        return None
    try:
        return consumer_law.assess(purchase_facts(complaint.facts), on)
    except (ValueError, TypeError):
        return None


# --- awards, authority and approval ----------------------------------------------------------------


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
            events = [_event(complaint, actor, now, "award_granted", after=described)]
        else:
            ApprovalRequest.objects.create(award=award, approver_role=check.approver_role or STAFF_LADDER[-1])
            total = f" (£{check.total:,.2f} on this complaint)" if check.total != value else ""
            events = [
                _event(
                    complaint,
                    actor,
                    now,
                    "approval_requested",
                    after=f"{described}{total} above the {actor.get_role_display().lower()} limit; "
                    f"sent to {check.approver_role}",
                )
            ]
        _record(complaint, events, now)
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
        _record(
            award.complaint,
            [_event(award.complaint, actor, now, "approval_decided", after=f"{award}: {verdict}. {approval.reason}")],
            now,
        )
    return approval


# --- deadline warnings -----------------------------------------------------------------------------

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
                lambda a=address, r=reference, s=said: email_send(
                    to=[a],
                    subject=f"Final response {s}: {r}",
                    text=f"The final response to complaint {r} {s}. Open the case to send it.",
                )
            )
    return len(events)


# --- final response --------------------------------------------------------------------------------


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
        _record(
            complaint,
            [_event(complaint, actor, now, kind, after=f"refer to {letter.adr.body} by {letter.refer_by.isoformat()}")],
            now,
        )
    return complaint
