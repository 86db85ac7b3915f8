"""Filing a batch of imported emails at once: the same rules as ``inbound.mail_receive``. Each
email is threaded here (Message-ID references, then a case reference for the same customer), and
the group is filed by ``cases.services.cases_receive_many``, which makes its queries once for the
lot, locks the cases answered and writes the rows in bulk; senders' customer records come from
``customers.services.customers_for_senders``.

An email that needs more than a case and a message (a bounce, automated mail, a loop, something
kept aside, anything that fails a check) is filed by ``mail_receive`` itself, in order, after the
emails before it have been written: so every email sees the ones before it, as one by one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from rapport.cases import services as case_services
from rapport.cases.models import Case
from rapport.customers import services as customer_services
from rapport.domain import mail_rules
from rapport.mail import outbound, parsing
from rapport.mail.inbound import NO_SUBJECT, Received, _content, _subject, dated, mail_receive, quarantine_hold
from rapport.mail.models import Disposition, MailMessage
from rapport.platform.errors import RapportError

log = logging.getLogger(__name__)
THREAD_KEYS = 50  # as many of a reply's references as the one-by-one path looks up


@dataclass
class _Email:
    """One email on the bulk path: what was parsed, and the arrival it is filed as."""

    parsed: parsing.ParsedMail
    arrival: case_services.Arrival
    keys: list[str]
    number: int | None


def file_batch(
    items: Iterable[tuple[str, bytes]], *, now: datetime, acknowledge: bool, ours: set[str]
) -> list[Received]:
    """File a batch of ``(source, raw)`` emails in order (the caller holds the transaction)."""
    prepared: list[tuple[str, bytes, parsing.ParsedMail | None]] = []
    for source, raw in items:
        try:
            prepared.append((source, raw, parsing.parse(raw)))
        except parsing.Unparseable:
            prepared.append((source, raw, None))
    keys = [p.key for _, _, p in prepared if p is not None]
    known = set(MailMessage.objects.filter(key__in=keys).values_list("key", flat=True))
    results: list[Received] = []
    group: list[tuple[str, bytes, _Email]] = []
    for source, raw, parsed in prepared:
        if parsed is not None and parsed.key in known:
            results.append(Received("duplicate", reason="already received"))
            continue
        email = _prepare(parsed, ours, now) if parsed is not None else None
        if email is None:
            results.extend(_file_group(group, now=now, acknowledge=acknowledge, ours=ours))
            group = []
            # Parsed again by mail_receive: the rare email that needs the full treatment.
            results.append(mail_receive(raw=raw, now=now, source=source, acknowledge=acknowledge, ours=ours))
        else:
            group.append((source, raw, email))
        if parsed is not None:
            known.add(parsed.key)
    results.extend(_file_group(group, now=now, acknowledge=acknowledge, ours=ours))
    return results


def _prepare(parsed: parsing.ParsedMail, ours: set[str], now: datetime) -> _Email | None:
    """The email as a customer's case message, or None when it needs ``mail_receive``."""
    if mail_rules.is_bounce(parsed.content_type, parsed.report_type, parsed.sender):
        return None
    if mail_rules.automated_reason(parsed.headers, parsed.sender) or parsed.sender in ours:
        return None
    written, historic = dated(parsed, now)
    try:
        text, uploads, withheld = _content(parsed)
        if withheld:
            return None  # the raw email is kept beside the message
        arrival = case_services.arrival_check(
            case_services.Arrival(
                customer=None,  # type: ignore[arg-type]  # known once the group's senders are looked up
                subject=_subject((parsed.subject or NO_SUBJECT)[:200]),
                body=text,
                body_html=parsed.html,
                attachments=uploads,
                now=written,
                historic=historic,
            )
        )
    except (RapportError, ValueError, UnicodeError, LookupError):
        return None
    number = mail_rules.subject_reference(parsed.subject) or mail_rules.address_reference(parsed.to)
    keys = mail_rules.thread_keys(parsed.in_reply_to, parsed.references)[:THREAD_KEYS]
    return _Email(parsed, arrival, keys, number)


def _file_group(
    group: list[tuple[str, bytes, _Email]], *, now: datetime, acknowledge: bool, ours: set[str]
) -> list[Received]:
    """Write a group in one savepoint; if anything in it fails, file its emails one by one
    (which quarantines the one at fault and keeps the others)."""
    if not group:
        return []
    try:
        with transaction.atomic():
            return _write(group, now=now, acknowledge=acknowledge)
    except Exception:
        log.warning("bulk filing failed; filing the group one by one", exc_info=True)
        results = []
        for source, raw, _ in group:
            try:
                results.append(mail_receive(raw=raw, now=now, source=source, acknowledge=acknowledge, ours=ours))
            except Exception as exc:  # the database refused even that: keep the bytes
                results.append(quarantine_hold(raw=raw, reason=f"Could not be filed: {exc}"[:2000], now=now))
        return results


def _write(group: list[tuple[str, bytes, _Email]], *, now: datetime, acknowledge: bool) -> list[Received]:
    """Thread each email as ``mail_receive`` would (Message-ID references, then a case reference
    for the same customer) and file them through ``cases_receive_many``."""
    emails = [email for _, _, email in group]
    senders: dict[str, str] = {}
    for email in emails:
        senders.setdefault(email.parsed.sender.lower(), email.parsed.sender_name)
    customers = customer_services.customers_for_senders(
        senders=senders, internal_domains=settings.RAPPORT_MAIL_DOMAINS, now=now
    )
    threads = _threads(emails)
    found = Case.objects.filter(pk__in={*threads.values(), *(e.number for e in emails if e.number)}).values_list(
        "pk", "customer_id", "merged_into_id"
    )
    owners = {pk: customer_id for pk, customer_id, _ in found}
    # A reply to a merged case is filed on the case it was merged into (same customer, by rule).
    pointers = {pk: into for pk, _, into in found if into is not None}
    window = timedelta(days=settings.RAPPORT_MAIL_REOPEN_DAYS)

    def reopens(ended_at: datetime | None, written: datetime) -> bool:
        return mail_rules.reopens(ended_at, written, window)

    receipts: list[case_services.Receipt] = []
    chunk: list[case_services.Arrival] = []  # arrivals not yet filed (they get case numbers when filed)
    where: dict[str, int] = {}  # Message-ID → the index of the email that carried it

    def flush() -> None:
        receipts.extend(case_services.cases_receive_many(arrivals=chunk, reopens=reopens))
        owners.update((r.case.pk, r.case.customer_id) for r in receipts[-len(chunk) :])
        chunk.clear()

    for index, email in enumerate(emails):
        customer = customers[email.parsed.sender.lower()]
        case_id: int | None = None
        joins: int | None = None
        for key in email.keys:
            if key in where:
                earlier = where[key]
                if customers[emails[earlier].parsed.sender.lower()].pk == customer.pk:
                    if earlier < len(receipts):
                        case_id = receipts[earlier].case.pk
                    else:
                        joins = earlier - len(receipts)
                break
            if key in threads:
                if owners.get(threads[key]) == customer.pk:
                    case_id = pointers.get(threads[key], threads[key])
                break
        if case_id is None and joins is None and email.number is not None:
            if email.number not in owners and chunk:
                flush()
            if owners.get(email.number) == customer.pk:
                case_id = pointers.get(email.number, email.number)
        chunk.append(replace(email.arrival, customer=customer, case_id=case_id, joins=joins))
        if email.parsed.message_id:
            where[email.parsed.message_id[:255]] = index
    if chunk:
        flush()
    return _write_rows(group, receipts, now=now, acknowledge=acknowledge)


def _write_rows(
    group: list[tuple[str, bytes, _Email]], receipts: list[case_services.Receipt], *, now: datetime, acknowledge: bool
) -> list[Received]:
    rows = []
    for (_, _, email), receipt in zip(group, receipts, strict=True):
        parsed = email.parsed
        rows.append(
            MailMessage(
                key=parsed.key,
                message_id_header=parsed.message_id[:255],
                in_reply_to=parsed.in_reply_to[:998],
                references=parsed.references,
                sender=parsed.sender[:254],
                subject=(parsed.subject or NO_SUBJECT)[:200],
                created_at=now,
                case=receipt.case,
                message=receipt.message,
                disposition=Disposition.CASE_CREATED if receipt.opened else Disposition.ADDED,
            )
        )
    MailMessage.objects.bulk_create(rows)
    for receipt in receipts:
        if receipt.opened and acknowledge:
            outbound.acknowledgement_queue(case=receipt.case, message=receipt.message, now=now)
        elif not receipt.opened and receipt.case.owner_id is not None:
            outbound.agent_notification_queue(case=receipt.case, message=receipt.message, now=now)
    return [Received(row.disposition, receipt.case.pk) for row, receipt in zip(rows, receipts, strict=True)]


def _threads(emails: list[_Email]) -> dict[str, int]:
    """Case numbers by Message-ID, for every reference in the group (one query)."""
    keys = {key for e in emails for key in e.keys}
    if not keys:
        return {}
    return dict(
        MailMessage.objects.filter(message_id_header__in=keys, case__isnull=False).values_list(
            "message_id_header", "case_id"
        )
    )
