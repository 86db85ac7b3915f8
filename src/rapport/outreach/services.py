"""Writes for proactive service: draft a send, change it while it is a draft, send it (a job
that works through the group in batches, so a send to a hundred thousand shows its progress and
survives a restart), and the contingency response that drafts one for a service plan."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.html import escape, linebreaks

from rapport import extensions
from rapport.accounts.models import User
from rapport.cases import journal
from rapport.customers.models import Customer
from rapport.domain.outreach import Format, Purpose, Skip, lawful_basis, wording
from rapport.outreach import access as policy
from rapport.outreach.audiences import SEND, open_cases_of, segment_check, segment_customers, with_reason
from rapport.outreach.events import PROACTIVE_MESSAGE
from rapport.outreach.models import Origin, Outreach, OutreachEvent, OutreachState, Recipient, RecipientState
from rapport.outreach.selectors import delivery_for
from rapport.platform import jobs
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound
from rapport.platform.notify import EmailAttachment, email_send
from rapport.platform.pdf import Heading, Paragraph, render_pdf

NOT_A_SENDER = "Only team leaders and managers send proactive messages."
NOT_A_MARKETER = "Only managers send marketing."
TITLE_NEEDED = "Give the send a title, such as 'Outage on 4 December'."
SUBJECT_NEEDED = "Give the email a subject."
BODY_NEEDED = "Write the message."
BAD_PURPOSE = "Choose a service message or marketing."
NO_OUTREACH = "No proactive send with that id."
NOT_A_DRAFT = "This send has already started; it cannot be changed or sent again."
DELIVER_JOB = "outreach.deliver"  # registered by outreach.hooks: tasks.outreach_deliver
BATCH = 500


def _sender(actor: User, purpose: str) -> None:
    if not policy.can_send(actor):
        raise Forbidden(NOT_A_SENDER)
    if not policy.can_send(actor, purpose):
        raise Forbidden(NOT_A_MARKETER)


def _checked(actor: User, *, title: str, subject: str, body: str, purpose: str, segment: Mapping[str, Any]) -> str:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [TITLE_NEEDED]
    if not subject.strip():
        errors["subject"] = [SUBJECT_NEEDED]
    if not body.strip():
        errors["body"] = [BODY_NEEDED]
    if purpose not in set(Purpose):
        errors["purpose"] = [BAD_PURPOSE]
    label = ""
    try:
        label = segment_check(actor, segment)
    except FieldError as error:
        errors.update(error.errors)
    if errors:
        raise FieldError(errors)
    _sender(actor, purpose)
    return label


def _event(outreach: Outreach, action: str, actor: User | None, now: datetime, detail: str = "") -> None:
    OutreachEvent.objects.create(outreach=outreach, action=action, detail=detail[:400], actor=actor, at=now)


def outreach_draft(
    *,
    actor: User,
    title: str,
    subject: str,
    body: str,
    segment: Mapping[str, Any],
    now: datetime,
    purpose: str = Purpose.SERVICE,
    easy_read_body: str = "",
    origin: str = Origin.PLANNED,
    reason: str = "",
) -> Outreach:
    """Draft a send; nothing goes out until someone previews and sends it."""
    if not policy.can_send(actor):
        raise Forbidden(NOT_A_SENDER)
    label = _checked(actor, title=title, subject=subject, body=body, purpose=purpose, segment=segment)
    with transaction.atomic():
        outreach = Outreach.objects.create(
            title=title.strip()[:200],
            purpose=purpose,
            subject=subject.strip()[:200],
            body=body.strip(),
            easy_read_body=easy_read_body.strip(),
            segment=dict(segment),
            segment_label=label,
            basis=lawful_basis(purpose),
            origin=origin,
            reason=reason[:300],
            created_by=actor,
            created_at=now,
        )
        _event(outreach, "drafted", actor, now, reason or label)
    return outreach


def outreach_update(*, actor: User, outreach: Outreach, now: datetime, **changes: Any) -> Outreach:
    """Change a draft (its wording, purpose or segment)."""
    if outreach.state != OutreachState.DRAFT:
        raise Conflict(NOT_A_DRAFT)
    fields = {
        name: changes.get(name, getattr(outreach, name))
        for name in ("title", "subject", "body", "easy_read_body", "purpose", "segment")
    }
    label = _checked(
        actor,
        title=fields["title"],
        subject=fields["subject"],
        body=fields["body"],
        purpose=fields["purpose"],
        segment=fields["segment"],
    )
    for name, value in fields.items():
        setattr(outreach, name, value.strip() if isinstance(value, str) else dict(value))
    outreach.segment_label, outreach.basis = label, lawful_basis(outreach.purpose)
    with transaction.atomic():
        outreach.save()
        _event(outreach, "edited", actor, now, label)
    return outreach


def outreach_send(*, actor: User, outreach_id: int, now: datetime) -> Outreach:
    """Start the send: the group is counted now and a job works through it in batches."""
    with transaction.atomic():
        outreach = (
            Outreach.objects.select_for_update().filter(pk=outreach_id).first() if 1 <= outreach_id < 2**63 else None
        )
        if outreach is None:
            raise NotFound(NO_OUTREACH)
        _sender(actor, outreach.purpose)
        if outreach.state != OutreachState.DRAFT:
            raise Conflict(NOT_A_DRAFT)
        segment_check(actor, outreach.segment)
        outreach.state = OutreachState.SENDING
        outreach.sent_by, outreach.started_at = actor, now
        outreach.total = segment_customers(actor, outreach.segment).count()
        outreach.save(update_fields=["state", "sent_by", "started_at", "total"])
        _event(outreach, "sent", actor, now, f"{outreach.total} customers in the group")
        transaction.on_commit(lambda: jobs.enqueue(DELIVER_JOB, outreach.pk))
    return outreach


def outreach_deliver(*, outreach_id: int, now: datetime, batches: int | None = None) -> int:
    """Work through a send: each batch of customers not yet dealt with is written as recipients
    (reached, by how, or skipped, and why) and their emails queued in the outbox, in one
    transaction, so the send can stop and resume without writing anyone twice. ``batches`` stops
    after that many (None: to the end). Returns the customers dealt with."""
    outreach = Outreach.objects.select_related("sent_by").filter(pk=outreach_id).first()
    if outreach is None or outreach.state != OutreachState.SENDING or outreach.sent_by is None:
        return 0
    actor = outreach.sent_by
    pending = (
        with_reason(segment_customers(actor, outreach.segment), purpose=outreach.purpose)
        .exclude(pk__in=Recipient.objects.filter(outreach=outreach).values("customer_id"))
        .order_by("pk")
    )
    handled = done = 0
    while batches is None or done < batches:
        # One batch per transaction, under the send's row lock: two workers on one send (the job and
        # the resume sweep) take turns, and the second finds the first's customers already written.
        with transaction.atomic():
            locked = Outreach.objects.select_for_update().filter(pk=outreach.pk, state=OutreachState.SENDING)
            if not locked.exists():
                break
            batch = list(pending[:BATCH])
            if not batch:
                locked.update(state=OutreachState.SENT, finished_at=now)
                _event(outreach, "finished", None, now)
                break
            _deliver_batch(outreach, batch, now)
        handled += len(batch)
        done += 1
    return handled


def _deliver_batch(outreach: Outreach, batch: list[Customer], now: datetime) -> None:
    preferences = extensions.preferences_for_many([c.pk for c in batch if c.reason == SEND])  # type: ignore[attr-defined]
    rows, sent, by_hand = [], 0, 0
    skipped: dict[str, int] = {}
    emails: list[tuple[Customer, tuple[Format, ...], str]] = []
    for customer in batch:
        reason = customer.reason  # type: ignore[attr-defined]
        found = delivery_for(customer, preferences.get(customer.pk)) if reason == SEND else None
        if found is None:
            reason = Skip.NO_ADDRESS.value if reason == SEND else reason
            skipped[reason] = skipped.get(reason, 0) + 1
            rows.append(
                Recipient(
                    outreach=outreach, customer=customer, state=RecipientState.SKIPPED, skip_reason=reason, at=now
                )
            )
            continue
        state = RecipientState.BY_HAND if found.by_hand else RecipientState.QUEUED
        sent += not found.by_hand
        by_hand += found.by_hand
        rows.append(
            Recipient(
                outreach=outreach,
                customer=customer,
                state=state,
                channel=found.channel,
                formats=",".join(found.formats),
                at=now,
            )
        )
        if not found.by_hand:
            prefs = preferences.get(customer.pk) or extensions.OutboundPreferences()
            emails.append((customer, found.formats, prefs.contact_name))
    reached = {r.customer_id: r.get_state_display() for r in rows if r.state != RecipientState.SKIPPED}
    actor = outreach.sent_by
    on_cases = open_cases_of(actor, outreach.segment, sorted(reached)) if actor is not None else []
    with transaction.atomic():
        Recipient.objects.bulk_create(rows)
        for customer, formats, contact in emails:
            _email(outreach, customer, formats, contact)
        # On the timeline of the open cases the message is about (staff only).
        journal.record_many(
            journal.Entry(case_id, PROACTIVE_MESSAGE, now, actor, before=reached[customer_id], after=outreach.title)
            for case_id, customer_id in on_cases
        )
        current = Outreach.objects.get(pk=outreach.pk)
        merged = dict(current.skipped or {})
        for reason, n in skipped.items():
            merged[reason] = merged.get(reason, 0) + n
        Outreach.objects.filter(pk=outreach.pk).update(
            done=F("done") + len(batch), sent=F("sent") + sent, by_hand=F("by_hand") + by_hand, skipped=merged
        )


def _email(outreach: Outreach, customer: Customer, formats: tuple[Format, ...], contact_name: str) -> None:
    """One customer's copy through the outbox, shaped by their adjustments."""
    text = wording(body=outreach.body, easy_read_body=outreach.easy_read_body, formats=formats)
    greeting = f"Dear {contact_name} (for {customer.name})," if contact_name else f"Dear {customer.name},"
    footer = (
        "To stop marketing emails, reply with the word STOP."
        if outreach.purpose == Purpose.MARKETING
        else "We are writing because this affects the service you have from us."
    )
    full = f"{greeting}\n\n{text}\n\n{footer}\n"
    html = "" if Format.PLAIN_TEXT in formats else linebreaks(escape(full))
    attachments = []
    if Format.LARGE_PRINT in formats:
        blocks: list[Heading | Paragraph] = [Heading(outreach.subject)]
        blocks += [Paragraph(p) for p in full.split("\n\n") if p.strip()]
        pdf = render_pdf(outreach.subject, blocks, large_print=True)
        attachments.append(EmailAttachment("large-print.pdf", pdf, "application/pdf"))
    email_send(
        to=[customer.email],
        subject=outreach.subject,
        text=full,
        html=html,
        attachments=attachments,
        headers={"X-Rapport-Outreach": str(outreach.pk), "Auto-Submitted": "auto-generated"},
    )


def contingency_notify(
    actor: User, request: extensions.ContingencyRequest, now: datetime
) -> extensions.ContingencyStarted:
    """A service plan's contingency fired: draft the proactive message it planned (a person
    previews and sends it: who is skipped and why is theirs to see first)."""
    outreach = outreach_draft(
        actor=actor,
        title=request.title,
        subject=request.subject,
        body=request.body,
        segment=request.segment,
        now=now,
        origin=Origin.CONTINGENCY,
        reason=request.reason,
    )
    return extensions.ContingencyStarted(
        text=f"Proactive message drafted for {outreach.segment_label}: preview it and send.",
        link=f"/outreach/{outreach.pk}/",
    )


def outreach_resume(*, now: datetime) -> int:
    """Carry on every send still under way (a worker that died mid-send left it so); writes
    nobody twice. Returns the customers dealt with."""
    return sum(
        outreach_deliver(outreach_id=pk, now=now)
        for pk in Outreach.objects.filter(state=OutreachState.SENDING).values_list("pk", flat=True)
    )
