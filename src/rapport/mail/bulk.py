"""Filing a batch of imported emails at once: the same rules as ``inbound.mail_receive``, with the
lookups made once per group of emails and the rows written with ``bulk_create``.

An email that needs more than a case and a message (a bounce, automated mail, a loop, something
kept aside, anything that fails a check) is filed by ``mail_receive`` itself, in order, after the
emails before it have been written: so every email sees the ones before it, as one by one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models.functions import Lower

from rapport.cases import search, signals
from rapport.cases import services as case_services
from rapport.cases.models import Case, CaseEvent, Message, MessageKind
from rapport.customers.models import Customer, CustomerKind
from rapport.domain import mail_rules
from rapport.domain.case_rules import CaseType, Channel, Status, status_after_customer_message
from rapport.domain.redaction import mask_sensitive
from rapport.mail import outbound, parsing
from rapport.mail.inbound import NO_SUBJECT, Received, _content, _subject, dated, mail_receive, quarantine_hold
from rapport.mail.models import Disposition, MailMessage
from rapport.platform.errors import RapportError
from rapport.platform.html import sanitise_html

log = logging.getLogger(__name__)
THREAD_KEYS = 50  # as many of a reply's references as the one-by-one path looks up


@dataclass
class _Email:
    """One email on the bulk path: what was parsed, and what it became."""

    parsed: parsing.ParsedMail
    body: str
    html: str
    checked: list[tuple[case_services.Upload, str]]
    keys: list[str]
    number: int | None
    written: datetime
    historic: bool
    case: Case | None = None
    new_case: bool = False
    message: Message | None = None
    events: list[CaseEvent] = field(default_factory=list)


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
    try:
        text, uploads, withheld = _content(parsed)
        if withheld:
            return None  # the raw email is kept beside the message
        body = case_services._clean_body(mask_sensitive(text).text)
        checked = case_services._checked_uploads(uploads)
        case_services._clean_subject(_subject((parsed.subject or NO_SUBJECT)[:200]))
    except (RapportError, ValueError, UnicodeError, LookupError):
        return None
    number = mail_rules.subject_reference(parsed.subject) or mail_rules.address_reference(parsed.to)
    keys = mail_rules.thread_keys(parsed.in_reply_to, parsed.references)[:THREAD_KEYS]
    return _Email(parsed, body, parsed.html, checked, keys, number, *dated(parsed, now))


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
    emails = [email for _, _, email in group]
    customers = _customers(emails, now)
    threads = _threads(emails)
    cases = {c.pk: c for c in Case.objects.filter(pk__in={*threads.values(), *(e.number for e in emails if e.number)})}
    for case in cases.values():
        case._rapport_read_version = case.version  # type: ignore[attr-defined]
    window = timedelta(days=settings.RAPPORT_MAIL_REOPEN_DAYS)
    pending: list[Case] = []  # new cases not yet written (they get their numbers when written)
    by_message_id: dict[str, Case] = {}
    for email in emails:
        parsed = email.parsed
        customer = customers[parsed.sender.lower()]
        thread_case = None
        for key in email.keys:
            if key in by_message_id:
                thread_case = by_message_id[key]
                break
            if key in threads:
                thread_case = cases.get(threads[key])
                break
        case = thread_case if thread_case is not None and thread_case.customer_id == customer.pk else None
        if case is None and email.number is not None:
            if email.number not in cases and pending:
                _write_cases(pending, cases)
            found = cases.get(email.number)
            case = found if found is not None and found.customer_id == customer.pk else None
        resolved = case is not None and case.status in {Status.RESOLVED, Status.CLOSED}
        if resolved and not mail_rules.reopens(case.resolved_at or case.closed_at, email.written, window):  # type: ignore[union-attr]
            case = None
        if case is None:
            case = Case(
                type=CaseType.ENQUIRY,
                status=Status.NEW,
                channel=Channel.EMAIL,
                subject=case_services._clean_subject(_subject((parsed.subject or NO_SUBJECT)[:200])),
                customer=customer,
                created_at=email.written,
                updated_at=email.written,
            )
            pending.append(case)
            email.new_case = True
        else:
            target = status_after_customer_message(Status(case.status))
            if target != case.status:
                email.events.append(
                    case_services._event(case, None, email.written, "changed", "status", case.status, target)
                )
                case_services._set_status(case, target, email.written)
                case.version += 1
            case.updated_at = max(case.updated_at, email.written)
        email.case = case
        if parsed.message_id:
            by_message_id[parsed.message_id[:255]] = case
    _write_cases(pending, cases)
    return _write_rows(group, now=now, acknowledge=acknowledge)


def _write_cases(pending: list[Case], cases: dict[int, Case]) -> None:
    Case.objects.bulk_create(pending)
    for case in pending:
        case._rapport_read_version = case.version  # type: ignore[attr-defined]
    cases.update((c.pk, c) for c in pending)
    pending.clear()


def _write_rows(group: list[tuple[str, bytes, _Email]], *, now: datetime, acknowledge: bool) -> list[Received]:
    emails = [email for _, _, email in group]
    for email in emails:
        email.message = Message(
            case=email.case,
            kind=MessageKind.INBOUND,
            channel=Channel.EMAIL,
            body=email.body,
            body_html=sanitise_html(email.html) if email.html else "",
            created_at=email.written,
        )
    Message.objects.bulk_create([e.message for e in emails if e.message is not None])
    rows, events, documents = [], [], []
    touched: dict[int, Case] = {}
    for email in emails:
        (case, message), parsed, written = _filed(email), email.parsed, email.written
        if email.checked:
            case_services._store_attachments(message, email.checked, written)
        if email.new_case:
            events.append(case_services._event(case, None, written, "created", after=case.reference))
            documents.append(search.case_document(case))
        else:
            touched[case.pk] = case
        events.append(case_services._event(case, None, written, "message", after=f"inbound #{message.pk}"))
        events.extend(email.events)
        documents.append(search.message_document(message, case.subject))
        rows.append(
            MailMessage(
                key=parsed.key,
                message_id_header=parsed.message_id[:255],
                in_reply_to=parsed.in_reply_to[:998],
                references=parsed.references,
                sender=parsed.sender[:254],
                subject=(parsed.subject or NO_SUBJECT)[:200],
                created_at=now,
                case=case,
                message=message,
                disposition=Disposition.ADDED if not email.new_case else Disposition.CASE_CREATED,
            )
        )
    _update_cases(touched.values())
    _insert(rows)
    _insert(events)
    _insert(documents)  # the search index's own triggers (FTS5 on SQLite) see these rows as any insert
    # What other apps do about new cases and messages (SLA clocks, complaint records), told for
    # the whole group at once: each receiver's batch form makes its queries once for the lot.
    created, added, changed = [], [], []
    for email in emails:
        case, message = _filed(email)
        told = {"case": case, "message": message, "actor": None, "now": email.written, "historic": email.historic}
        (created if email.new_case else added).append(told)
        if email.events:
            changed.append({**told, "events": email.events})
    signals.case_created.send_many(Case, created)
    signals.message_added.send_many(Case, added)
    signals.case_changed.send_many(Case, [{k: v for k, v in c.items() if k != "message"} for c in changed])
    for email in emails:
        case, message = _filed(email)
        if email.new_case and acknowledge:
            outbound.acknowledgement_queue(case=case, message=message, now=now)
        elif not email.new_case and case.owner_id is not None:
            outbound.agent_notification_queue(case=case, message=message, now=now)
    return [Received(row.disposition, _filed(email)[0].pk) for email, row in zip(emails, rows, strict=True)]


def _insert(objs: list[Any]) -> None:
    """Insert rows whose ids nobody needs back with one ``executemany``: the values prepared by
    each field as ``bulk_create`` would, without compiling a statement per batch of rows (as
    ``rapport.seeding.bulk`` does)."""
    if not objs:
        return
    meta = type(objs[0])._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from _meta
    rows = [tuple(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields) for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _update_cases(cases: Iterable[Case]) -> None:
    """Replies touch their cases: re-opened ones are saved one by one (few), the rest in one update."""
    quiet = []
    for case in cases:
        if case.version != case._rapport_read_version:  # type: ignore[attr-defined]
            Case.objects.filter(pk=case.pk).update(
                status=case.status,
                resolved_at=case.resolved_at,
                closed_at=case.closed_at,
                version=case.version,
                updated_at=case.updated_at,
            )
        else:
            quiet.append(case)
    if quiet:
        Case.objects.bulk_update(quiet, ["updated_at"], batch_size=500)


def _filed(email: _Email) -> tuple[Case, Message]:
    if email.case is None or email.message is None:
        raise ValueError("an email reached writing without its case and message")
    return email.case, email.message


def _customers(emails: list[_Email], now: datetime) -> dict[str, Customer]:
    """Every sender's customer record (the oldest one for an address), created for new senders."""
    addresses = {e.parsed.sender.lower() for e in emails}
    found: dict[str, Customer] = {}
    for customer in Customer.objects.annotate(email_ci=Lower("email")).filter(email_ci__in=addresses).order_by():
        held = found.get(customer.email_ci)  # type: ignore[attr-defined]
        if held is None or customer.pk < held.pk:
            found[customer.email_ci] = customer  # type: ignore[attr-defined]
    internal = {d.lower() for d in settings.RAPPORT_MAIL_DOMAINS}
    new: dict[str, Customer] = {}
    for email in emails:
        address = email.parsed.sender.lower()
        if address in found or address in new:
            continue
        new[address] = Customer(
            kind=CustomerKind.COLLEAGUE if mail_rules.domain_of(address) in internal else CustomerKind.PERSON,
            name=" ".join(email.parsed.sender_name.split())[:200] or address,
            email=address[:254],
            preferred_channel=Channel.EMAIL,
            created_at=now,
            updated_at=now,
        )
    if new:
        Customer.objects.bulk_create(list(new.values()))
        search.index_new([search.customer_document(c) for c in new.values()])
        found.update(new)
    return found


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
