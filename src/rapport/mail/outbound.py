"""Email that leaves: agent replies on email cases, acknowledgements, agent notifications.

Every email is first an ``OutboxEmail`` row written in the same transaction as what caused it;
a queued job sends it after commit. The row moves queued → sending → sent under a row lock, so a
retry after SMTP trouble never sends twice, and a crash before commit sends nothing.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from html import escape

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template import Context, Template
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from rapport import extensions
from rapport.cases.models import Case, Message, MessageKind
from rapport.customers.language import in_language_of
from rapport.domain import mail_rules
from rapport.domain.case_merge import cc_split
from rapport.domain.case_rules import Channel
from rapport.mail.models import (
    Disposition,
    MailMessage,
    MailTemplate,
    OutboxAttachment,
    OutboxEmail,
    OutboxState,
    TemplateKey,
)
from rapport.platform import jobs, markdown
from rapport.platform.html import sanitise_html
from rapport.platform.pdf import Heading, Paragraph, render_pdf

log = logging.getLogger(__name__)
STALE_SENDING = timedelta(minutes=15)

# The customer's wording is translatable; the agent's notification is staff mail.
ACKNOWLEDGEMENT_SUBJECT = gettext_noop("We have your message: {{ case.subject }}")
ACKNOWLEDGEMENT_BODY = gettext_noop(
    "Dear {{ customer.name }},\n\n"
    "Thank you for writing to us. Your reference is {{ reference }}; please keep it in the subject "
    "if you write again.\n\n{{ promise }}\n"
)
DEFAULT_TEMPLATES = {
    TemplateKey.ACKNOWLEDGEMENT: (ACKNOWLEDGEMENT_SUBJECT, ACKNOWLEDGEMENT_BODY),
    TemplateKey.AGENT_NOTIFICATION: (
        "Customer replied on {{ reference }}: {{ case.subject }}",
        "{{ customer.name }} replied on case {{ reference }} ({{ case.subject }}):\n\n{{ message.body }}\n",
    ),
}
# Wording as shipped (stored by the mail app's migrations until an organisation edits it) is sent
# in the customer's language from the catalogue; wording an organisation wrote is sent as written.
SHIPPED_WORDING = frozenset({ACKNOWLEDGEMENT_SUBJECT, ACKNOWLEDGEMENT_BODY})


def message_id_new() -> str:
    domain = mail_rules.domain_of(settings.DEFAULT_FROM_EMAIL) or "rapport.invalid"
    return f"rapport.{uuid.uuid4().hex}@{domain}"


def _html_of(text: str) -> str:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def _case_chain(case: Case) -> list[str]:
    ids = MailMessage.objects.filter(case=case).exclude(message_id_header="").order_by("created_at", "id")
    return list(ids.values_list("message_id_header", flat=True)[:200])


def _permitted(customer: object) -> bool:
    return extensions.contact_permitted(customer, "service", "email")  # type: ignore[arg-type]


def case_message_queue(*, message: Message, now: datetime) -> OutboxEmail | None:
    """Queue an agent's reply to the customer by email, threaded on the case's conversation."""
    case = message.case
    customer = case.customer
    if message.kind != MessageKind.OUTBOUND or not customer.email:
        return None
    chain = _case_chain(case)
    inbound = list(
        MailMessage.objects.filter(case=case, outbound=False)
        .exclude(message_id_header="")
        .order_by("-created_at", "-id")
        .values_list("message_id_header", flat=True)[:1]
    )
    headers = {"Reply-To": settings.DEFAULT_FROM_EMAIL}
    if inbound or chain:
        headers["In-Reply-To"] = f"<{(inbound or chain)[-1]}>"
        headers["References"] = mail_rules.references_header(chain)
    return _queue(
        to=[customer.email],
        cc=cc_split(message.cc),
        subject=mail_rules.reply_subject(case.subject, case.pk),
        # The plain-text part is first-class: Markdown read as text, not the source or stripped tags.
        text=markdown.message_text(message.body, message.body_format),
        html=sanitise_html(message.body_html) if message.body_html else _html_of(message.body),
        headers=headers,
        now=now,
        message=message,
        customer=customer,
        case=case,
    )


def _render(key: str, context: dict[str, object]) -> tuple[str, str]:
    found = MailTemplate.objects.filter(key=key).first()
    subject_src, body_src = (found.subject, found.body) if found else DEFAULT_TEMPLATES[TemplateKey(key)]
    subject_src, body_src = (gettext(src) if src in SHIPPED_WORDING else src for src in (subject_src, body_src))
    ctx = Context(context, autoescape=False)
    return " ".join(Template(subject_src).render(ctx).split())[:200], Template(body_src).render(ctx)


def acknowledgement_queue(*, case: Case, message: Message, now: datetime) -> OutboxEmail | None:
    """Tell the customer their email opened a case, with its reference (RFC 3834: marked as an
    automatic reply so that their own responders do not answer it)."""
    customer = case.customer
    # An acknowledgement is a courtesy: only for customers who prefer email (an agent's reply to
    # their email is still sent by email).
    if not customer.email or customer.preferred_channel != Channel.EMAIL:
        return None
    # When they will hear back, from the SLA promise in business time ("We will reply by 1pm on
    # Friday 11 December."); nothing rather than a vague "as soon as we can" when no SLA applies.
    # Written in the customer's preferred language: the default wording is in the catalogue; a
    # template the organisation edited in admin is its own text, sent as written.
    with in_language_of(customer):
        found = extensions.promises_for([case], now).get(case.pk)
        subject, text = _render(
            TemplateKey.ACKNOWLEDGEMENT,
            {
                "case": case,
                "reference": case.reference,
                "customer": customer,
                "message": message,
                "promise": found.text if found else "",
            },
        )
    inbound = MailMessage.objects.filter(message=message).values_list("message_id_header", flat=True).first()
    headers = {"Auto-Submitted": "auto-replied", "Reply-To": settings.DEFAULT_FROM_EMAIL}
    if inbound:
        headers["In-Reply-To"] = f"<{inbound}>"
        headers["References"] = f"<{inbound}>"
    return _queue(
        to=[customer.email],
        subject=f"{subject} [{case.reference}]",
        text=text,
        html=_html_of(text),
        headers=headers,
        now=now,
        customer=customer,
        case=case,
    )


def agent_notification_queue(*, case: Case, message: Message, now: datetime) -> OutboxEmail | None:
    """Tell the case owner that the customer replied (staff mail: not threaded on the case)."""
    owner = case.owner
    if owner is None or not owner.email or not owner.is_active:
        return None
    subject, text = _render(
        TemplateKey.AGENT_NOTIFICATION,
        {"case": case, "reference": case.reference, "customer": case.customer, "message": message, "agent": owner},
    )
    return _queue(
        to=[owner.email], subject=subject, text=text, html="", headers={"Auto-Submitted": "auto-generated"}, now=now
    )


def outbox_queue(
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str = "",
    headers: dict[str, str] | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    now: datetime,
) -> OutboxEmail:
    """Queue an email that is not a message on a case (notifications)."""
    email = _queue(to=list(to), subject=subject, text=text, html=html, headers=dict(headers or {}), now=now)
    assert email is not None
    OutboxAttachment.objects.bulk_create(
        [OutboxAttachment(email=email, filename=n, content=c, content_type=t) for n, c, t in attachments]
    )
    return email


def notification_queue(
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str,
    attachments: Sequence[tuple[str, bytes, str]],
    headers: dict[str, str],
    from_email: str | None,
) -> None:
    """``rapport.platform.notify.email_send`` through the outbox: staff notifications, reminders and survey
    invitations are retried while the mail server is down, like replies, and sent once."""
    if from_email and from_email != settings.DEFAULT_FROM_EMAIL:
        headers = {**headers, "From": from_email}
    outbox_queue(
        to=to, subject=subject, text=text, html=html, headers=headers, attachments=attachments, now=timezone.now()
    )


def _queue(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str,
    headers: dict[str, str],
    now: datetime,
    message: Message | None = None,
    customer: object = None,
    case: Case | None = None,
    cc: Sequence[str] = (),
) -> OutboxEmail | None:
    state = OutboxState.QUEUED
    error = ""
    if customer is not None:
        preferences = extensions.preferences_for(customer)  # type: ignore[arg-type]
        if preferences.plain_text_only:
            html = ""
        if not _permitted(customer):
            state, error = OutboxState.SUPPRESSED, "The customer may not be contacted by email for service."
    else:
        preferences = None
    message_id = message_id_new()
    with transaction.atomic():
        email = OutboxEmail.objects.create(
            message=message,
            to=", ".join(to),
            cc=", ".join(cc)[:6000],
            subject=subject[:998],
            text=text,
            html=html,
            headers=headers,
            message_id_header=message_id,
            state=state,
            last_error=error,
            next_attempt_at=now,
            created_at=now,
        )
        if preferences is not None and preferences.large_print:
            pdf = render_pdf(
                subject, [Heading(subject), *[Paragraph(p) for p in text.split("\n\n") if p.strip()]], large_print=True
            )
            OutboxAttachment.objects.create(
                email=email, filename="large-print.pdf", content=pdf, content_type="application/pdf"
            )
        if case is not None:
            # Our own email is a thread member too: replies to it find the case by this identifier.
            MailMessage.objects.create(
                key=message_id,
                message_id_header=message_id,
                in_reply_to=headers.get("In-Reply-To", "")[:998],
                references=headers.get("References", ""),
                outbound=True,
                disposition=Disposition.OUTBOUND,
                sender=settings.DEFAULT_FROM_EMAIL,
                subject=subject[:200],
                case=case,
                message=message,
                created_at=now,
            )
        if state == OutboxState.QUEUED:
            transaction.on_commit(lambda: _enqueue(email.pk))
    return email


OUTBOX_SEND_JOB = "mail.outbox_send"  # registered by mail.hooks: tasks.outbox_send_task


def _enqueue(email_id: int) -> None:
    try:
        jobs.enqueue(OUTBOX_SEND_JOB, email_id)
    except Exception:
        log.exception("could not queue outbox email %s; the periodic flush will send it", email_id)


def _build(email: OutboxEmail, connection: object) -> EmailMultiAlternatives:
    headers = {"Message-ID": f"<{email.message_id_header}>", **email.headers}
    built = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[a.strip() for a in email.to.split(",") if a.strip()],
        cc=[a.strip() for a in email.cc.split(",") if a.strip()],
        headers=headers,
        connection=connection,
    )
    if email.html:
        built.attach_alternative(email.html, "text/html")
    if email.message is not None:
        for attachment in email.message.attachments.all():
            with attachment.file.open("rb") as handle:
                built.attach(attachment.filename, handle.read(), attachment.content_type)
    for extra in email.attachments.all():
        built.attach(extra.filename, bytes(extra.content), extra.content_type)
    return built


def outbox_send(*, email_id: int, now: datetime, connection: object = None) -> str:
    """Send one queued email if it is due. Returns the state it ends in.

    The claim (queued → sending) commits before the SMTP conversation, so two workers never both
    send; success is recorded straight after. A failure puts it back in the queue with back-off;
    after ``RAPPORT_MAIL_MAX_ATTEMPTS`` it is marked failed for an admin to look at.
    """
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            return "missing"
        if email.state != OutboxState.QUEUED or email.next_attempt_at > now:
            return str(email.state)
        email.state, email.attempts, email.claimed_at = OutboxState.SENDING, email.attempts + 1, now
        email.save(update_fields=["state", "attempts", "claimed_at"])
    try:
        built = _build(email, connection or get_connection(fail_silently=False))
        built.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        failed = email.attempts >= settings.RAPPORT_MAIL_MAX_ATTEMPTS
        OutboxEmail.objects.filter(pk=email.pk).update(
            state=OutboxState.FAILED if failed else OutboxState.QUEUED,
            next_attempt_at=now + mail_rules.retry_delay(email.attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        log.warning("outbox email %s not sent (attempt %s): %s", email.pk, email.attempts, exc)
        return OutboxState.FAILED if failed else OutboxState.QUEUED
    OutboxEmail.objects.filter(pk=email.pk).update(state=OutboxState.SENT, sent_at=now, last_error="")
    return OutboxState.SENT


def outbox_due(*, now: datetime, limit: int = 500) -> list[int]:
    return list(
        OutboxEmail.objects.filter(state=OutboxState.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def outbox_recover(*, now: datetime) -> int:
    """Emails left "sending" by a worker that died mid-conversation may or may not have gone: they
    are marked uncertain for an admin to check and send again, never re-sent blindly."""
    return OutboxEmail.objects.filter(state=OutboxState.SENDING, claimed_at__lt=now - STALE_SENDING).update(
        state=OutboxState.UNCERTAIN, last_error="The worker stopped while sending; check before sending again."
    )


def outbox_bounced(*, message_id_header: str, reason: str) -> int:
    """The receiving server sent our email back (a delivery status notification): its outbox row
    says so, so the reply on the case shows it was not delivered. Returns the rows marked."""
    return (
        OutboxEmail.objects.filter(message_id_header=message_id_header)
        .exclude(state=OutboxState.SUPPRESSED)
        .update(state=OutboxState.BOUNCED, last_error=reason[:2000])
    )


def outbox_requeue(*, email: OutboxEmail, now: datetime) -> bool:
    """An admin's "send again" for a failed or uncertain email."""
    updated = OutboxEmail.objects.filter(pk=email.pk, state__in=[OutboxState.FAILED, OutboxState.UNCERTAIN]).update(
        state=OutboxState.QUEUED, next_attempt_at=now, attempts=0
    )
    if updated:
        transaction.on_commit(lambda: _enqueue(email.pk))
    return bool(updated)
