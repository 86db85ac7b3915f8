"""The subject access bundle (UK GDPR Art 15, and Art 20 portability): everything held about a
person, as ``data.json`` plus their files in a zip, with a readable ``summary.html`` and
``summary.pdf``.

Internal notes are personal data about the person too, so they are in the bundle, marked
internal; the bundle is for the team to review before release (ICO "Right of access": check for
exemptions and other people's data first). Items that may be other people's data are listed in
``review`` with the reason and who was matched (``rapport.domain.anonymise.third_party_flags``;
other customers of the desk are found by full name, email or phone in one batched query).

Other apps add their own sections (survey answers, complaints) by appending a callable to
``rapport.extensions.subject_access_sections``: given the customer, it returns a section title and
a list of JSON-ready records.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import User
from rapport.cases.models import Attachment, Case, Message, MessageKind
from rapport.customers.language import in_language_of
from rapport.customers.models import Customer
from rapport.domain.anonymise import Identity, mentions, third_party_flags
from rapport.domain.attachments import archive_filename
from rapport.domain.references import format_reference
from rapport.platform.pdf import Block, Bullets, Heading, Paragraph, Table, render_pdf
from rapport.platform.storage import open_stream
from rapport.privacy import access as privacy_policy
from rapport.privacy.models import AccessLog, Adjustment, AdjustmentKind, Consent, DataRequest, Restriction
from rapport.privacy.selectors import known_customers


@dataclass(frozen=True)
class Bundle:
    filename: str
    content: bytes
    data: dict[str, Any]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def customer_export(*, actor: User, customer_id: int | str, why: str, now: datetime | None = None) -> Bundle:
    """The access bundle for one person; the export itself is written to their access log first,
    so the bundle shows it."""
    privacy_policy.require_export(actor)
    now = now or timezone.now()
    customer = policy.access_customer(
        actor, customer_id, what="subject access export", why=why or "subject access request"
    )
    data, files = collect(customer, now=now)
    large_print = Adjustment.objects.filter(
        customer=customer, kind=AdjustmentKind.LARGE_PRINT, ended_at__isnull=True
    ).exists()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        with in_language_of(customer):  # the summaries in the language the person is served in
            bundle.writestr("summary.html", render_to_string("privacy/export_summary.html", {"data": data}))
            bundle.writestr("summary.pdf", summary_pdf(data, large_print=large_print))
        for path, attachment in files:
            _add_stored_file(bundle, path, str(attachment.file.name))
    return Bundle(f"subject-access-{customer.pk}-{now:%Y%m%d}.zip", buffer.getvalue(), data)


MISSING_FILE = "This file was missing from storage when the bundle was made: ask the desk's operator."


def _add_stored_file(bundle: zipfile.ZipFile, path: str, name: str) -> None:
    """A stored file into the archive a chunk at a time (never whole in memory); a file that is
    missing from storage is named in a note beside where it would be, not a failed export."""
    try:
        stream = open_stream(default_storage, name)
    except FileNotFoundError:
        bundle.writestr(f"{path}.missing.txt", MISSING_FILE)
        return
    with stream, bundle.open(path, "w") as entry:
        for chunk in stream:
            entry.write(chunk)


def _messages_by_case(customer: Customer) -> tuple[list[Case], dict[int, list[Message]]]:
    cases = list(Case.objects.filter(customer=customer).order_by("created_at", "id"))
    messages = (
        Message.objects.filter(case__customer=customer)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    by_case: dict[int, list[Message]] = {}
    for message in messages:
        by_case.setdefault(message.case_id, []).append(message)
    return cases, by_case


EXCERPT = 60  # characters either side of a match, so the reviewer sees where it is


def _excerpt(text: str, value: str) -> str:
    at = text.lower().find(value.lower())
    if at < 0:
        return ""
    start, end = max(0, at - EXCERPT), min(len(text), at + len(value) + EXCERPT)
    return ("…" if start else "") + " ".join(text[start:end].split()) + ("…" if end < len(text) else "")


def review_items(customer: Customer, cases: list[Case], by_case: dict[int, list[Message]]) -> list[dict[str, Any]]:
    """What to check before release (UK GDPR Art 15(4)): internal notes, and messages naming other
    people: staff, other customers of the desk (by full name, email or phone, with who was matched),
    titled names, unknown emails and phone numbers. Other customers are looked up in one indexed
    query per export (``selectors.known_customers``), whatever the number of messages."""
    subject = Identity(customer.name, customer.email, customer.phone)
    staff_names = list(User.objects.exclude(role="customer").values_list("name", flat=True))
    found = [mentions(m.body) for messages in by_case.values() for m in messages]
    known = known_customers(found, subject=customer) if found else None
    review: list[dict[str, Any]] = []
    for case in cases:
        for message in by_case.get(case.pk, []):
            others = [n for n in staff_names if message.author is None or n != message.author.name]
            flags = third_party_flags(message.body, subject, others, known)
            if not flags and message.kind != MessageKind.NOTE:
                continue
            review.append(
                {
                    "case": case.reference,
                    "message": message.pk,
                    "at": _iso(message.created_at),
                    "reasons": (["internal note: check exemptions"] if message.kind == MessageKind.NOTE else [])
                    + [f"{f.kind}: {f.value}" for f in flags],
                    "people": [
                        {
                            "kind": f.kind,
                            "value": f.value,
                            "customer_id": f.customer_id,
                            "customer": known.who.get(f.customer_id, "") if known and f.customer_id else "",
                            "matched_on": f.matched_on,
                            "excerpt": _excerpt(message.body, f.value),
                        }
                        for f in flags
                    ],
                }
            )
    return review


def customer_review(*, actor: User, customer_id: int | str) -> tuple[Customer, list[dict[str, Any]]]:
    """The review list alone, for the screen a team leader reads before releasing a bundle; it
    shows other people's data, so it is an export-level read and goes in the access log."""
    privacy_policy.require_export(actor)
    customer = policy.access_customer(actor, customer_id, what="subject access review", why="review before release")
    cases, by_case = _messages_by_case(customer)
    return customer, review_items(customer, cases, by_case)


def collect(customer: Customer, *, now: datetime) -> tuple[dict[str, Any], list[tuple[str, Attachment]]]:
    """Everything held about ``customer`` as JSON-ready data, and the files to put beside it."""
    cases, by_case = _messages_by_case(customer)
    files: list[tuple[str, Attachment]] = []
    review = review_items(customer, cases, by_case)
    out_cases = []
    for case in cases:
        out_messages = []
        for message in by_case.get(case.pk, []):
            attachments = []
            for attachment in message.attachments.all():
                if not attachment.file.name:
                    continue
                path = f"files/{attachment.pk}-{archive_filename(attachment.filename)}"
                files.append((path, attachment))
                attachments.append(
                    {
                        "file": path,
                        "filename": attachment.filename,
                        "size": attachment.size,
                        "type": attachment.content_type,
                    }
                )
            out_messages.append(
                {
                    "id": message.pk,
                    "kind": message.kind,
                    "internal": message.kind == MessageKind.NOTE,
                    "channel": message.channel,
                    "from": "you" if message.kind == MessageKind.INBOUND else "staff",
                    "at": _iso(message.created_at),
                    "body": message.body,
                    "attachments": attachments,
                }
            )
        out_cases.append(
            {
                "reference": case.reference,
                "type": case.type,
                "status": case.status,
                "subject": case.subject,
                "channel": case.channel,
                "opened": _iso(case.created_at),
                "resolved": _iso(case.resolved_at),
                "closed": _iso(case.closed_at),
                "messages": out_messages,
            }
        )
    data: dict[str, Any] = {
        "generated_at": now.isoformat(),
        "customer": {
            "id": customer.pk,
            "kind": customer.kind,
            "name": customer.name,
            "organisation": customer.organisation,
            "email": customer.email,
            "phone": customer.phone,
            "address": customer.address,
            "preferred_channel": customer.preferred_channel,
            "tier": customer.tier,
            "notes": customer.notes,
            "created": _iso(customer.created_at),
            "portal_sign_in": customer.user.email if customer.user else None,
        },
        "cases": out_cases,
        "data_requests": [
            {"case": format_reference(r.case_id), "kind": r.kind, "received_on": r.received_on.isoformat()}
            for r in DataRequest.objects.filter(case__customer=customer)
        ],
        "adjustments": [
            {
                "kind": a.kind,
                "label": a.get_kind_display(),
                "detail": a.detail,
                "channel": a.channel,
                "contact_name": a.contact_name,
                "extra_minutes": a.extra_minutes,
                "recorded": _iso(a.recorded_at),
                "ended": _iso(a.ended_at),
            }
            for a in Adjustment.objects.filter(customer=customer)
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "channel": c.channel,
                "basis": c.basis,
                "granted": c.granted,
                "method": c.method,
                "wording": c.wording,
                "at": _iso(c.at),
            }
            for c in Consent.objects.filter(customer=customer)
        ],
        "restrictions": [
            {
                "ground": r.get_ground_display(),
                "reason": r.reason,
                "placed": _iso(r.placed_at),
                "told_before_lifting": r.told_on.isoformat() if r.told_on else None,
                "lifted": _iso(r.lifted_at),
            }
            for r in Restriction.objects.filter(customer=customer).order_by("placed_at", "id")
        ],
        "access_log": [
            {"at": _iso(e.at), "by": e.actor.name if e.actor else "", "what": e.what, "why": e.why}
            for e in AccessLog.objects.filter(customer=customer).select_related("actor")
        ],
        "review": review,
    }
    for section in extensions.subject_access_sections:
        title, records = section(customer)
        data.setdefault("other", {})[title] = records
    return data, files


def summary_pdf(data: dict[str, Any], *, large_print: bool = False) -> bytes:
    person = data["customer"]
    blocks: list[Block] = [
        Paragraph(gettext("Prepared on {day} for {name}.").format(day=data["generated_at"][:10], name=person["name"])),
        Heading(gettext("Your details")),
        Bullets([f"{k.replace('_', ' ').capitalize()}: {v}" for k, v in person.items() if v and k != "id"]),
        Heading(gettext("Your cases")),
    ]
    if data["cases"]:
        blocks.append(
            Table(
                [gettext("Reference"), gettext("Subject"), gettext("Status"), gettext("Opened"), gettext("Messages")],
                [
                    [c["reference"], c["subject"], c["status"], c["opened"][:10], str(len(c["messages"]))]
                    for c in data["cases"]
                ],
            )
        )
    else:
        blocks.append(Paragraph(gettext("None.")))
    for title, key in (
        (gettext_noop("Adjustments"), "adjustments"),
        (gettext_noop("Consents"), "consents"),
        (gettext_noop("Restrictions of processing"), "restrictions"),
        (gettext_noop("Who has looked at your data"), "access_log"),
    ):
        blocks.append(Heading(gettext(title)))
        rows = data[key]
        blocks.append(
            Bullets([", ".join(f"{k}: {v}" for k, v in row.items() if v not in ("", None)) for row in rows])
            if rows
            else Paragraph(gettext("None."))
        )
    for title, records in data.get("other", {}).items():
        blocks.append(Heading(title))
        blocks.append(
            Bullets([", ".join(f"{k}: {v}" for k, v in row.items() if v not in ("", None)) for row in records])
            if records
            else Paragraph(gettext("None."))
        )
    blocks.append(Paragraph(gettext("Every message and file is in data.json and the files folder of this bundle.")))
    return render_pdf(gettext("Your personal data"), blocks, large_print=large_print, author="Rapport")
