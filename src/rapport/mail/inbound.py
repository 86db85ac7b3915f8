"""Every email that arrives goes through ``mail_receive``: identified, threaded onto its case or
opening one, or set aside (automated mail, bounces), or quarantined. Never dropped, never twice."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from rapport.cases import selectors as case_selectors
from rapport.cases import services as case_services
from rapport.cases.cc import cc_received
from rapport.cases.models import Case, MessageKind
from rapport.customers import services as customer_services
from rapport.customers.models import Customer
from rapport.domain import mail_rules
from rapport.domain.attachments import AttachmentRefused, check_attachment, clean_filename
from rapport.domain.case_rules import Channel, Status
from rapport.mail import outbound, parsing
from rapport.mail.models import (
    Disposition,
    FlaggedAddress,
    Mailbox,
    MailMessage,
    OutboxEmail,
    QuarantinedMail,
    QuarantineState,
)
from rapport.platform.errors import RapportError

log = logging.getLogger(__name__)
NO_SUBJECT = "(no subject)"
NO_TEXT = "(The email had no text.)"


@dataclass(frozen=True)
class Received:
    """What became of one email: ``disposition`` as stored, or ``duplicate`` / ``quarantined``."""

    disposition: str
    case_id: int | None = None
    mail_id: int | None = None
    quarantine_id: int | None = None
    reason: str = ""


def own_addresses() -> set[str]:
    addresses = {settings.DEFAULT_FROM_EMAIL.lower()}
    addresses.update(a.lower() for a in Mailbox.objects.values_list("address", flat=True))
    return addresses


def mail_receive(
    *,
    raw: bytes,
    now: datetime,
    mailbox: Mailbox | None = None,
    source: str = "",
    acknowledge: bool = True,
    ours: set[str] | None = None,
    arrived: datetime | None = None,
) -> Received:
    """File one email in a transaction of its own (a savepoint when the caller batches several):
    either all of it is stored, or it is quarantined, or, if even that fails, nothing is.

    ``now`` is when the desk receives it; what it adds to a case is dated when the customer wrote
    it (``written_at``: its Date header, else ``arrived``, the IMAP server's INTERNALDATE)."""
    try:
        parsed = parsing.parse(raw)
    except parsing.Unparseable as exc:
        return quarantine_hold(raw=raw, reason=str(exc), now=now, mailbox=mailbox, source=source)
    if MailMessage.objects.filter(key=parsed.key).exists():
        return Received("duplicate", reason="already received")
    try:
        with transaction.atomic():
            return _file(parsed, raw, now=now, mailbox=mailbox, acknowledge=acknowledge, ours=ours, arrived=arrived)
    except IntegrityError:
        # Fetched twice at once (two workers): the other one filed it.
        if MailMessage.objects.filter(key=parsed.key).exists():
            return Received("duplicate", reason="already received")
        raise
    except (RapportError, ValueError, UnicodeError, LookupError) as exc:
        log.warning("mail quarantined: %s", exc)
        return quarantine_hold(raw=raw, reason=f"Could not be filed: {exc}", now=now, mailbox=mailbox, source=source)
    except Exception as exc:
        # Anything unforeseen in one email must not hold up the ones behind it: keep it aside.
        # (If the database itself is failing, keeping it fails too, and the email stays unread.)
        log.exception("unexpected error filing an email; quarantined")
        reason = f"Unexpected error while filing: {type(exc).__name__}: {exc}"
        return quarantine_hold(raw=raw, reason=reason[:2000], now=now, mailbox=mailbox, source=source)


def _file(
    parsed: parsing.ParsedMail,
    raw: bytes,
    *,
    now: datetime,
    mailbox: Mailbox | None,
    acknowledge: bool,
    ours: set[str] | None,
    arrived: datetime | None = None,
) -> Received:
    ours = own_addresses() if ours is None else ours
    written, historic = dated(parsed, now, arrived)
    subject = (parsed.subject or NO_SUBJECT)[:200]
    row = MailMessage(
        key=parsed.key,
        message_id_header=parsed.message_id[:255],
        in_reply_to=parsed.in_reply_to[:998],
        references=parsed.references,
        sender=parsed.sender[:254],
        subject=subject,
        mailbox=mailbox,
        created_at=now,
    )
    thread_case = _threaded_case(parsed)
    if mail_rules.is_bounce(parsed.content_type, parsed.report_type, parsed.sender):
        return _bounce(parsed, row, now=now, written=written, historic=historic)
    reason = mail_rules.automated_reason(parsed.headers, parsed.sender)
    if not reason and parsed.sender in ours:
        reason = "sent from our own address (a mail loop)"
    if reason:
        row.disposition, row.reason = Disposition.AUTOMATED, reason[:200]
        if thread_case is not None:
            note = f"Automated email from {parsed.sender} ({reason}):\n\n{_text(parsed)}"
            message = case_services.message_receive(
                case=thread_case, body=note, kind=MessageKind.NOTE, now=written, historic=historic
            )
            row.case, row.message = thread_case, message
        row.save()
        return Received(Disposition.AUTOMATED, row.case_id, row.pk, reason=reason)

    customer = _customer(parsed, now)
    case = thread_case if thread_case is not None and thread_case.customer_id == customer.pk else None
    if case is None:
        number = mail_rules.subject_reference(parsed.subject) or mail_rules.address_reference(parsed.to)
        if number is not None:
            case = Case.objects.filter(pk=number, customer=customer).first()
    if case is not None:
        # A reply to a merged case belongs with the case it was merged into.
        case = case_selectors.case_followed(case)
    window = timedelta(days=settings.RAPPORT_MAIL_REOPEN_DAYS)
    resolved = case is not None and case.status in {Status.RESOLVED, Status.CLOSED}
    if resolved and not mail_rules.reopens(case.resolved_at or case.closed_at, written, window):  # type: ignore[union-attr]
        case = None
    body, uploads, withheld = _content(parsed)
    if withheld:
        row.raw.save(f"{hashlib.sha256(raw).hexdigest()}.eml", ContentFile(raw), save=False)
    if case is None:
        case, message = case_services.case_receive(
            customer=customer,
            subject=_subject(subject),
            body=body,
            body_html=parsed.html,
            channel=Channel.EMAIL,
            attachments=uploads,
            now=written,
            historic=historic,
        )
        row.disposition = Disposition.CASE_CREATED
    else:
        message = case_services.message_receive(
            case=case,
            body=body,
            body_html=parsed.html,
            channel=Channel.EMAIL,
            attachments=uploads,
            now=written,
            historic=historic,
        )
        row.disposition = Disposition.ADDED
    if parsed.cc:
        cc_received(case=case, message=message, addresses=parsed.cc, ours=ours, now=written)
    row.case, row.message = case, message
    row.save()
    if row.disposition == Disposition.CASE_CREATED and acknowledge:
        outbound.acknowledgement_queue(case=case, message=message, now=now)
    elif row.disposition == Disposition.ADDED:
        outbound.agent_notification_queue(case=case, message=message, now=now)
    return Received(row.disposition, case.pk, row.pk)


def dated(parsed: parsing.ParsedMail, now: datetime, arrived: datetime | None = None) -> tuple[datetime, bool]:
    """When the customer wrote the email, and whether that makes it history (docs/mail.md)."""
    written = mail_rules.written_at(parsed.date, arrived, now)
    return written, mail_rules.is_historic(written, now, timedelta(days=settings.RAPPORT_MAIL_HISTORIC_DAYS))


def _subject(subject: str) -> str:
    cleaned = " ".join(subject.split())
    return cleaned[:200] or NO_SUBJECT


def _text(parsed: parsing.ParsedMail) -> str:
    return parsed.text.strip() or (parsing.html_to_text(parsed.html) if parsed.html else "") or NO_TEXT


def _content(parsed: parsing.ParsedMail) -> tuple[str, list[case_services.Upload], list[str]]:
    """The body and the files to store; what cannot be stored is named in the body (and the caller
    keeps the whole raw email beside the message)."""
    body = _text(parsed)
    uploads: list[case_services.Upload] = []
    withheld: list[str] = []
    for part in parsed.parts:
        name = clean_filename(part.filename)
        if len(uploads) >= settings.RAPPORT_MAX_ATTACHMENTS:
            withheld.append(f"{name}: more than {settings.RAPPORT_MAX_ATTACHMENTS} files")
            continue
        try:
            check_attachment(
                name, part.content[:4096], len(part.content), max_bytes=settings.RAPPORT_MAX_ATTACHMENT_BYTES
            )
        except AttachmentRefused as refused:
            withheld.append(str(refused))
            continue
        uploads.append(case_services.Upload(name, part.content))
    if len(body) > case_services.MAX_BODY - 2000:
        body = body[: case_services.MAX_BODY - 2000].rstrip()
        withheld.append("the text was longer than a message holds and was cut")
    if withheld:
        lines = "\n".join(f"- {w}" for w in withheld)
        body += f"\n\n[Kept with the original email, not attached here:\n{lines}]"
    return body, uploads, withheld


def _threaded_case(parsed: parsing.ParsedMail) -> Case | None:
    keys = mail_rules.thread_keys(parsed.in_reply_to, parsed.references)
    if not keys:
        return None
    found = dict(
        MailMessage.objects.filter(message_id_header__in=keys[:50], case__isnull=False).values_list(
            "message_id_header", "case_id"
        )
    )
    for key in keys:
        if key in found:
            return Case.objects.select_related("customer").get(pk=found[key])
    return None


def _customer(parsed: parsing.ParsedMail, now: datetime) -> Customer:
    address = parsed.sender.lower()
    return customer_services.customers_for_senders(
        senders={address: parsed.sender_name}, internal_domains=settings.RAPPORT_MAIL_DOMAINS, now=now
    )[address]


def _bounce(
    parsed: parsing.ParsedMail, row: MailMessage, *, now: datetime, written: datetime, historic: bool
) -> Received:
    """A delivery failure: noted on the case whose email bounced, and the address flagged."""
    keys = parsed.bounce_message_ids + mail_rules.thread_keys(parsed.in_reply_to, parsed.references)
    origin = (
        MailMessage.objects.filter(message_id_header__in=keys, outbound=True).select_related("case").first()
        if keys
        else None
    )
    recipients = parsed.bounce_recipients
    if not recipients and origin is not None and origin.message_id_header:
        recipients = list(
            {a.strip().lower() for a in _outbox_recipients(origin.message_id_header).split(",") if a.strip()}
        )
    reason = f"Delivery failed ({parsed.subject or 'no subject'})"[:200]
    for address in recipients:
        flagged, created = FlaggedAddress.objects.get_or_create(
            address=address[:254], defaults={"reason": reason, "flagged_at": now}
        )
        if not created:
            FlaggedAddress.objects.filter(pk=flagged.pk).update(
                bounces=flagged.bounces + 1, reason=reason, flagged_at=now
            )
    row.disposition, row.reason = Disposition.BOUNCE, reason
    if origin is not None:
        outbound.outbox_bounced(message_id_header=origin.message_id_header, reason=reason)
    if origin is not None and origin.case is not None:
        who = ", ".join(recipients) or "the customer"
        note = f"An email to {who} could not be delivered.\n\n{_text(parsed)}"
        row.case = origin.case
        row.message = case_services.message_receive(
            case=origin.case, body=note, kind=MessageKind.NOTE, now=written, historic=historic
        )
    row.save()
    return Received(Disposition.BOUNCE, row.case_id, row.pk, reason=reason)


def _outbox_recipients(message_id: str) -> str:
    return OutboxEmail.objects.filter(message_id_header=message_id).values_list("to", flat=True).first() or ""


def quarantine_hold(
    *, raw: bytes, reason: str, now: datetime, mailbox: Mailbox | None = None, source: str = ""
) -> Received:
    """Keep an email that could not be filed, with why: admins see it and may retry it."""
    digest = hashlib.sha256(raw).hexdigest()
    with transaction.atomic():
        held, created = QuarantinedMail.objects.get_or_create(
            sha256=digest,
            defaults={"raw": raw, "reason": reason, "received_at": now, "mailbox": mailbox, "source": source[:255]},
        )
        if not created and held.state == QuarantineState.HELD:
            QuarantinedMail.objects.filter(pk=held.pk).update(reason=reason, attempts=held.attempts + 1)
    return Received("quarantined", quarantine_id=held.pk, reason=reason)


def quarantine_retry(*, held: QuarantinedMail, now: datetime) -> Received:
    """Try a quarantined email again (after a fix or a configuration change). A second failure
    updates this same row (same bytes): the new reason, one more attempt."""
    result = mail_receive(raw=bytes(held.raw), now=now, mailbox=held.mailbox, source=held.source)
    if result.disposition != "quarantined":
        QuarantinedMail.objects.filter(pk=held.pk).update(state=QuarantineState.RELEASED, released_at=now)
    return result
