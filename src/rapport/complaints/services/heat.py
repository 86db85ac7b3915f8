"""HEAT (hear, empathise, apologise, take ownership), then the outcome, a manager's override and
escalation up the ladder: each a write on the complaint with its event on the case."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from rapport import access as policy
from rapport.accounts.models import User
from rapport.cases import journal
from rapport.cases.models import Case
from rapport.complaints import access as complaint_policy
from rapport.complaints.models import Complaint, ComplaintSettings, FollowUp, RootCause
from rapport.complaints.services.records import (
    REASON_REQUIRED,
    TEXT_REQUIRED,
    checked_text,
    complaint_access,
    entry,
    record,
)
from rapport.domain import complaint_rules as rules
from rapport.platform.errors import FieldError, NotFound

ACCOUNT_REQUIRED = "Record the customer's account in their own words."
SUMMARY_REQUIRED = "Write your summary of the complaint."
PLAN_REQUIRED = "Write the action plan."
HANDLER_REQUIRED = "Name the member of staff who owns this complaint."
PROMISE_REQUIRED = "Give the date you promised the customer."
PROMISE_IN_PAST = "The promised date cannot be in the past."
FOLLOW_UP_RANGE = "Follow-ups fall between today and the promised date."


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
            values[field] = checked_text(raw, field, message)
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
        record(complaint, [entry(complaint, actor, now, "heat_hear", after=after)], now)
    return complaint


def complaint_empathise(*, actor: User, reference: str, said: str, now: datetime | None = None) -> Complaint:
    now = now or timezone.now()
    said = checked_text(said, "said", TEXT_REQUIRED)
    with transaction.atomic():
        complaint = complaint_access(actor, reference, for_update=True)
        complaint.empathy = said
        complaint.empathised_at = now
        complaint.save()
        record(complaint, [entry(complaint, actor, now, "heat_empathise", after=said)], now)
    return complaint


def complaint_apologise(
    *, actor: User, reference: str, said: str, liability_admitted: bool = False, now: datetime | None = None
) -> Complaint:
    """Apologise. An admission of liability is a separate fact with its own event."""
    now = now or timezone.now()
    said = checked_text(said, "said", TEXT_REQUIRED)
    with transaction.atomic():
        complaint = complaint_access(actor, reference, for_update=True)
        events = [entry(complaint, actor, now, "heat_apologise", after=said)]
        if liability_admitted and not complaint.liability_admitted:
            events.append(entry(complaint, actor, now, "liability_admitted", after="liability admitted"))
        complaint.apology = said
        complaint.apologised_at = now
        complaint.liability_admitted = complaint.liability_admitted or bool(liability_admitted)
        complaint.save()
        record(complaint, events, now)
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
        plan = checked_text(action_plan, "action_plan", PLAN_REQUIRED)
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
        record(complaint, [entry(complaint, actor, now, "heat_take_ownership", after=after)], now)
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
            record(complaint, [entry(complaint, actor, now, "follow_up_done", after=follow_up.due.isoformat())], now)
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
        text = checked_text(outcome_text, "outcome_text", "Describe the outcome offered to the customer.")
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
            events.append(entry(complaint, actor, now, "complaint_outcome", complaint.outcome, outcome_value))
        if response is not None and complaint.customer_response != response:
            events.append(entry(complaint, actor, now, "customer_response", complaint.customer_response, response))
            complaint.customer_response = response
            complaint.responded_at = now
        if cause is not None and complaint.root_cause_id != cause.pk:
            before = complaint.root_cause.name if complaint.root_cause_id and complaint.root_cause else ""
            events.append(entry(complaint, actor, now, "root_cause", before, cause.name))
            complaint.root_cause = cause
        complaint.outcome = outcome_value
        complaint.outcome_text = text
        complaint.save()
        record(complaint, events, now)
    return complaint


def complaint_override(*, actor: User, reference: str, reason: str, now: datetime | None = None) -> Complaint:
    """A manager lets the complaint close without the usual checks, with the reason in writing."""
    now = now or timezone.now()
    complaint_policy.require_override(actor)
    reason = checked_text(reason, "reason", REASON_REQUIRED)
    with transaction.atomic():
        complaint = complaint_access(actor, reference, for_update=True)
        complaint.override_reason = reason
        complaint.override_by = actor
        complaint.override_at = now
        complaint.save()
        record(complaint, [entry(complaint, actor, now, "complaint_override", after=reason)], now)
    return complaint


def complaint_escalate(*, actor: User, reference: str, reason: str, now: datetime | None = None) -> Complaint:
    """One rung up the ladder (agent -> team leader -> manager -> complaints lead), with the reason."""
    now = now or timezone.now()
    reason = checked_text(reason, "reason", REASON_REQUIRED)
    with transaction.atomic():
        complaint = complaint_access(actor, reference, for_update=True)
        current = rules.Level(complaint.level)
        target = rules.next_level(current)
        if target is None:
            raise FieldError(reason=rules.TOP_OF_LADDER)
        complaint.level = target
        complaint.save(update_fields=["level"])
        record(
            complaint,
            [entry(complaint, actor, now, "complaint_escalated", current.label, f"{target.label}: {reason}", "level")],
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
