"""Every write to a case: transaction, permission check, validation, events, search index.

Names follow ``<entity>_<verb>``; arguments are keyword-only. Time is injected (``now``) so the
rules can be tested at any date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import Team, User
from rapport.cases import search, signals
from rapport.cases.models import Attachment, Case, CaseEvent, Message, MessageKind, Tag
from rapport.customers.models import Customer
from rapport.domain.attachments import AttachmentRefused, check_attachment, clean_filename
from rapport.domain.case_rules import (
    CaseType,
    Channel,
    Priority,
    Status,
    can_move,
    status_after_customer_message,
)
from rapport.domain.redaction import mask_sensitive
from rapport.platform.errors import Conflict, FieldError, Forbidden, TooLarge
from rapport.platform.html import sanitise_html

SUBJECT_REQUIRED = "Give the case a subject."
SUBJECT_TOO_LONG = "Keep the subject to 200 characters or fewer."
BODY_REQUIRED = "Write a message."
BODY_TOO_LONG = "Messages are limited to 100,000 characters."
VERSION_CONFLICT = "Someone else changed this case since you opened it. Review the current state and try again."
CUSTOMER_ONLY_OWN = "Customers can raise cases only for themselves."
MAX_BODY = 100_000
STAFF_CHANNELS = frozenset(Channel)
CUSTOMER_CHANNELS = frozenset({Channel.PORTAL})


@dataclass(frozen=True)
class Upload:
    """A file as received, before checks: name, bytes."""

    filename: str
    content: bytes


def _choice(field: str, value: Any, allowed: type) -> Any:
    try:
        return allowed(value)
    except (ValueError, KeyError):
        if allowed is Priority and isinstance(value, str):
            try:
                return Priority.from_label(value)
            except KeyError:
                pass
        names = [m.label if allowed is Priority else m.value for m in allowed]  # type: ignore[attr-defined]
        raise FieldError(**{field: f"Choose one of: {', '.join(names)}."}) from None


def _clean_subject(subject: str) -> str:
    subject = " ".join((subject or "").split())
    if not subject:
        raise FieldError(subject=SUBJECT_REQUIRED)
    if len(subject) > 200:
        raise FieldError(subject=SUBJECT_TOO_LONG)
    return subject


def _clean_body(body: str, field: str = "body") -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise FieldError(**{field: BODY_REQUIRED})
    if len(body) > MAX_BODY:
        raise FieldError(**{field: BODY_TOO_LONG})
    return body


def _checked_uploads(uploads: Sequence[Upload]) -> list[tuple[Upload, str]]:
    """Check every file before anything is written, so a refused file leaves nothing half-saved."""
    if len(uploads) > settings.RAPPORT_MAX_ATTACHMENTS:
        raise FieldError(attachments=f"Attach at most {settings.RAPPORT_MAX_ATTACHMENTS} files.")
    checked = []
    for upload in uploads:
        name = clean_filename(upload.filename)
        try:
            content_type = check_attachment(
                name, upload.content[:4096], len(upload.content), max_bytes=settings.RAPPORT_MAX_ATTACHMENT_BYTES
            )
        except AttachmentRefused as refused:
            error = TooLarge if refused.too_large else FieldError
            raise error(attachments=str(refused)) from None
        checked.append((Upload(name, upload.content), content_type))
    return checked


def _store_attachments(message: Message, checked: list[tuple[Upload, str]], now: datetime) -> None:
    for upload, content_type in checked:
        digest = hashlib.sha256(upload.content).hexdigest()
        attachment = Attachment(
            message=message,
            filename=upload.filename,
            content_type=content_type,
            size=len(upload.content),
            sha256=digest,
            created_at=now,
        )
        # Content-addressed: the same file twice is stored once.
        attachment.file.save(digest, ContentFile(upload.content), save=False)
        attachment.save()


def _event(
    case: Case, actor: User | None, now: datetime, kind: str, field: str = "", before: object = "", after: object = ""
) -> CaseEvent:
    return CaseEvent(
        case=case,
        actor=actor,
        at=now,
        kind=kind,
        field=field,
        before="" if before is None else str(before),
        after="" if after is None else str(after),
    )


def _tags(names: Sequence[str]) -> list[Tag]:
    slugs = sorted({slugify(n)[:50] for n in names if slugify(n)})
    existing = {t.name: t for t in Tag.objects.filter(name__in=slugs)}
    missing = [Tag(name=s) for s in slugs if s not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=slugs)}
    return [existing[s] for s in slugs]


def case_create(
    *,
    actor: User,
    customer: Customer,
    subject: str,
    body: str,
    type: str = CaseType.ENQUIRY,
    channel: str | None = None,
    priority: int | str = Priority.NORMAL,
    team: Team | None = None,
    owner: User | None = None,
    tags: Sequence[str] = (),
    attachments: Sequence[Upload] = (),
    now: datetime | None = None,
) -> Case:
    """Open a case with the customer's first message (their words, as received or as logged)."""
    now = now or timezone.now()
    staff = policy.is_staff(actor)
    if not staff:
        if customer.user_id != actor.pk:
            raise Forbidden(CUSTOMER_ONLY_OWN)
        channel = Channel.PORTAL
        team = owner = None
        priority = Priority.NORMAL
        tags = ()
        if type not in {CaseType.ENQUIRY, CaseType.REQUEST, CaseType.COMPLAINT, CaseType.DATA_REQUEST}:
            raise FieldError(type="Choose enquiry, request, complaint or data request.")
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for field, fn in (
        ("subject", lambda: _clean_subject(subject)),
        ("body", lambda: _clean_body(mask_sensitive(body).text)),
        ("type", lambda: _choice("type", type, CaseType)),
        ("channel", lambda: _choice("channel", channel or Channel.PORTAL, Channel)),
        ("priority", lambda: _choice("priority", priority, Priority)),
    ):
        try:
            values[field] = fn()
        except FieldError as exc:
            for k, v in exc.errors.items():
                errors.setdefault(k, []).extend(v)
    if owner is not None and not policy.is_staff(owner):
        errors.setdefault("owner", []).append("Cases can only be owned by staff.")
    if errors:
        raise FieldError(errors)
    checked = _checked_uploads(attachments)

    with transaction.atomic():
        case = Case.objects.create(
            type=values["type"],
            status=Status.OPEN if owner else Status.NEW,
            priority=values["priority"],
            channel=values["channel"],
            subject=values["subject"],
            customer=customer,
            owner=owner,
            team=team,
            created_at=now,
            updated_at=now,
        )
        if tags:
            case.tags.set(_tags(tags))
        message = Message.objects.create(
            case=case,
            kind=MessageKind.INBOUND,
            channel=values["channel"],
            author=actor,
            body=values["body"],
            created_at=now,
        )
        _store_attachments(message, checked, now)
        CaseEvent.objects.bulk_create(
            [
                _event(case, actor, now, "created", after=case.reference),
                _event(case, actor, now, "message", after=f"inbound #{message.pk}"),
            ]
        )
        search.index_new([search.case_document(case), search.message_document(message, case.subject)])
        signals.case_created.send(Case, case=case, message=message, actor=actor, now=now)
    return case


EDITABLE = ("subject", "type", "status", "priority", "owner", "team", "tags")


def case_update(
    *,
    actor: User,
    reference: str,
    expected_version: int | None,
    changes: dict[str, Any],
    now: datetime | None = None,
) -> Case:
    """Change fields of a case. ``expected_version`` is the version the actor read: if the case has
    moved on since, nothing is written and ``Conflict`` carries the current case."""
    now = now or timezone.now()
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise FieldError({name: ["This field cannot be changed."] for name in unknown})
    if expected_version is None:
        raise FieldError(version="Send the version of the case you are changing.")
    with transaction.atomic():
        case = policy.access_case(actor, reference, for_update=True)
        policy.require_work(actor, case)
        if case.version != expected_version:
            raise Conflict(VERSION_CONFLICT, current=case)
        new = _validated_changes(case, changes)
        _check_close_guards(case, actor, new)
        events = _apply(case, actor, new, now)
        if events:
            case.version += 1
            case.updated_at = now
            case.save()
            CaseEvent.objects.bulk_create(events)
            if "subject" in new:
                search.index([search.case_document(case)])
            signals.case_changed.send(Case, case=case, events=events, actor=actor, now=now)
    return case


def _validated_changes(case: Case, changes: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    new: dict[str, Any] = {}

    def attempt(field: str, fn: Any) -> None:
        try:
            new[field] = fn()
        except FieldError as exc:
            for k, v in exc.errors.items():
                errors.setdefault(k, []).extend(v)

    if "subject" in changes:
        attempt("subject", lambda: _clean_subject(changes["subject"]))
    if "type" in changes:
        attempt("type", lambda: _choice("type", changes["type"], CaseType))
    if "priority" in changes:
        attempt("priority", lambda: _choice("priority", changes["priority"], Priority))
    if "status" in changes:

        def status() -> Status:
            target = _choice("status", changes["status"], Status)
            if target != case.status and not can_move(Status(case.status), target):
                raise FieldError(
                    status=f"A {case.status.replace('_', ' ')} case cannot move to {target.replace('_', ' ')}."
                )
            return target

        attempt("status", status)
    if "owner" in changes:

        def owner() -> User | None:
            value = changes["owner"]
            if value in (None, ""):
                return None
            user = value if isinstance(value, User) else User.objects.filter(pk=_int(value, "owner")).first()
            if user is None or not policy.is_staff(user):
                raise FieldError(owner="Choose a member of staff.")
            return user

        attempt("owner", owner)
    if "team" in changes:

        def team() -> Team | None:
            value = changes["team"]
            if value in (None, ""):
                return None
            found = value if isinstance(value, Team) else Team.objects.filter(pk=_int(value, "team")).first()
            if found is None:
                raise FieldError(team="Choose a team.")
            return found

        attempt("team", team)
    if "tags" in changes:

        def tags() -> list[str]:
            value = changes["tags"]
            if isinstance(value, str):
                value = value.split(",")
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise FieldError(tags="Give tags as a list of words.")
            return [v for v in value if v.strip()]

        attempt("tags", tags)
    if errors:
        raise FieldError(errors)
    return new


def _int(value: Any, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise FieldError(**{field: "Give a number."}) from None


def _check_close_guards(case: Case, actor: User, new: dict[str, Any]) -> None:
    """Other capabilities may hold a case open (a complaint needs its HEAT stages first)."""
    target = new.get("status")
    if target in {Status.RESOLVED, Status.CLOSED} and target != case.status:
        refusals = extensions.close_refusals(case, actor, target)
        if refusals:
            raise FieldError({"status": list(refusals)})


def _apply(case: Case, actor: User, new: dict[str, Any], now: datetime) -> list[CaseEvent]:
    events = []
    for field in ("subject", "type", "priority"):
        if field in new and getattr(case, field) != new[field]:
            before = getattr(case, field)
            label = (lambda v: Priority(v).label) if field == "priority" else str
            events.append(_event(case, actor, now, "changed", field, label(before), label(new[field])))
            setattr(case, field, new[field].value if hasattr(new[field], "value") else new[field])
    if "status" in new and case.status != new["status"]:
        events.append(_event(case, actor, now, "changed", "status", case.status, new["status"]))
        _set_status(case, new["status"], now)
    if "owner" in new and case.owner_id != (new["owner"].pk if new["owner"] else None):
        events.append(_event(case, actor, now, "changed", "owner", case.owner or "", new["owner"] or ""))
        case.owner = new["owner"]
        if case.owner and case.status == Status.NEW:
            events.append(_event(case, actor, now, "changed", "status", case.status, Status.OPEN))
            case.status = Status.OPEN
    if "team" in new and case.team_id != (new["team"].pk if new["team"] else None):
        events.append(_event(case, actor, now, "changed", "team", case.team or "", new["team"] or ""))
        case.team = new["team"]
    if "tags" in new:
        before_tags = sorted(case.tags.values_list("name", flat=True))
        tags = _tags(new["tags"])
        after_tags = sorted(t.name for t in tags)
        if before_tags != after_tags:
            case.tags.set(tags)
            events.append(_event(case, actor, now, "changed", "tags", ", ".join(before_tags), ", ".join(after_tags)))
    return events


def _set_status(case: Case, status: str, now: datetime) -> None:
    case.status = status
    if status == Status.RESOLVED:
        case.resolved_at = now
    elif status == Status.CLOSED:
        case.closed_at = now
        case.resolved_at = case.resolved_at or now
    else:
        case.resolved_at = None
        case.closed_at = None


def message_add(
    *,
    actor: User,
    reference: str,
    kind: str,
    body: str,
    body_html: str = "",
    channel: str | None = None,
    status_after: str | None = None,
    attachments: Sequence[Upload] = (),
    now: datetime | None = None,
) -> Message:
    """Add a reply, a note, or a customer's message to a case.

    Staff write ``outbound`` replies and ``note``s, or record an ``inbound`` message on the
    customer's behalf (a call); a customer can only add ``inbound`` messages to their own case.
    """
    now = now or timezone.now()
    kind = _choice("kind", kind, MessageKind)
    errors: dict[str, list[str]] = {}
    try:
        # What customers send is masked before it is stored (card numbers, bank details, NI numbers).
        body = _clean_body(mask_sensitive(body).text if kind == MessageKind.INBOUND else body)
    except FieldError as exc:
        errors.update(exc.errors)
    if status_after not in (None, ""):
        try:
            status_after = _choice("status_after", status_after, Status)
        except FieldError as exc:
            errors.update(exc.errors)
    if errors:
        raise FieldError(errors)
    checked = _checked_uploads(attachments)
    with transaction.atomic():
        case = policy.access_case(actor, reference, for_update=True)
        staff = policy.is_staff(actor)
        if not staff:
            if kind != MessageKind.INBOUND or not policy.can_reply_as_customer(actor, case):
                raise Forbidden("Customers can only reply to their own cases.")
            channel = Channel.PORTAL
        channel = _choice("channel", channel or case.channel, Channel)
        message = Message.objects.create(
            case=case,
            kind=kind,
            channel=channel,
            author=actor,
            body=body,
            body_html=sanitise_html(body_html) if body_html else "",
            created_at=now,
        )
        _store_attachments(message, checked, now)
        events = [
            _event(case, actor, now, "note" if kind == MessageKind.NOTE else "message", after=f"{kind} #{message.pk}")
        ]
        target = case.status
        if kind == MessageKind.INBOUND:
            target = status_after_customer_message(Status(case.status))
        elif kind == MessageKind.OUTBOUND:
            if case.first_response_at is None:
                case.first_response_at = now
                events.append(_event(case, actor, now, "first_response", after=now.isoformat()))
            if case.status == Status.NEW:
                target = Status.OPEN
        if staff and status_after and kind != MessageKind.INBOUND:
            if status_after != target and not can_move(Status(target), status_after):
                raise FieldError(
                    status_after=f"A {target.replace('_', ' ')} case cannot move to {status_after.replace('_', ' ')}."
                )
            if status_after in {Status.RESOLVED, Status.CLOSED} and status_after != case.status:
                refusals = extensions.close_refusals(case, actor, status_after)
                if refusals:
                    raise FieldError({"status_after": list(refusals)})
            target = status_after
        if target != case.status:
            events.append(_event(case, actor, now, "changed", "status", case.status, target))
            _set_status(case, target, now)
            case.version += 1
        case.updated_at = now
        case.save()
        CaseEvent.objects.bulk_create(events)
        search.index_new([search.message_document(message, case.subject)])
        signals.message_added.send(Case, case=case, message=message, actor=actor, now=now)
        status_events = [e for e in events if e.kind == "changed"]
        if status_events:
            signals.case_changed.send(Case, case=case, events=status_events, actor=actor, now=now)
    return message


def case_receive(
    *,
    customer: Customer,
    subject: str,
    body: str,
    body_html: str = "",
    channel: str = Channel.EMAIL,
    type: str = CaseType.ENQUIRY,
    attachments: Sequence[Upload] = (),
    now: datetime,
    historic: bool = False,
) -> tuple[Case, Message]:
    """Open a case from a message that arrived by itself (an email): no signed-in actor, the same
    validation, masking, events, search entries and signals as ``case_create``. ``now`` is when the
    customer wrote; ``historic`` marks mail filed long after (see ``signals``)."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for field, fn in (
        ("subject", lambda: _clean_subject(subject)),
        ("body", lambda: _clean_body(mask_sensitive(body).text)),
        ("type", lambda: _choice("type", type, CaseType)),
        ("channel", lambda: _choice("channel", channel, Channel)),
    ):
        try:
            values[field] = fn()
        except FieldError as exc:
            for k, v in exc.errors.items():
                errors.setdefault(k, []).extend(v)
    if errors:
        raise FieldError(errors)
    checked = _checked_uploads(attachments)
    with transaction.atomic():
        case = Case.objects.create(
            type=values["type"],
            status=Status.NEW,
            channel=values["channel"],
            subject=values["subject"],
            customer=customer,
            created_at=now,
            updated_at=now,
        )
        message = Message.objects.create(
            case=case,
            kind=MessageKind.INBOUND,
            channel=values["channel"],
            body=values["body"],
            body_html=sanitise_html(body_html) if body_html else "",
            created_at=now,
        )
        _store_attachments(message, checked, now)
        CaseEvent.objects.bulk_create(
            [
                _event(case, None, now, "created", after=case.reference),
                _event(case, None, now, "message", after=f"inbound #{message.pk}"),
            ]
        )
        search.index_new([search.case_document(case), search.message_document(message, case.subject)])
        signals.case_created.send(Case, case=case, message=message, actor=None, now=now, historic=historic)
    return case, message


def message_receive(
    *,
    case: Case,
    body: str,
    body_html: str = "",
    kind: str = MessageKind.INBOUND,
    channel: str = Channel.EMAIL,
    attachments: Sequence[Upload] = (),
    now: datetime,
    historic: bool = False,
) -> Message:
    """Record a message that arrived by itself on ``case``: the customer's reply (which re-opens a
    case waiting on them, resolved or closed) or a system ``note`` (a delivery failure). ``now`` is
    when it was written, which for imported mail may be before the case's last change."""
    kind = _choice("kind", kind, MessageKind)
    if kind == MessageKind.OUTBOUND:
        raise FieldError(kind="Only inbound messages and notes arrive by themselves.")
    body = _clean_body(mask_sensitive(body).text)
    channel = _choice("channel", channel, Channel)
    checked = _checked_uploads(attachments)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        message = Message.objects.create(
            case=case,
            kind=kind,
            channel=channel,
            body=body,
            body_html=sanitise_html(body_html) if body_html and kind == MessageKind.INBOUND else "",
            created_at=now,
        )
        _store_attachments(message, checked, now)
        events = [
            _event(case, None, now, "note" if kind == MessageKind.NOTE else "message", after=f"{kind} #{message.pk}")
        ]
        if kind == MessageKind.INBOUND:
            target = status_after_customer_message(Status(case.status))
            if target != case.status:
                events.append(_event(case, None, now, "changed", "status", case.status, target))
                _set_status(case, target, now)
                case.version += 1
            case.updated_at = max(case.updated_at, now)
            case.save()
        CaseEvent.objects.bulk_create(events)
        search.index_new([search.message_document(message, case.subject)])
        signals.message_added.send(Case, case=case, message=message, actor=None, now=now, historic=historic)
        status_events = [e for e in events if e.kind == "changed"]
        if status_events:
            signals.case_changed.send(Case, case=case, events=status_events, actor=None, now=now, historic=historic)
    return message


def contact_log(
    *,
    actor: User,
    customer: Customer,
    channel: str,
    subject: str,
    summary: str,
    type: str = CaseType.ENQUIRY,
    priority: int | str = Priority.NORMAL,
    resolved: bool = False,
    now: datetime | None = None,
) -> Case:
    """Record a phone call or a face-to-face conversation as a case (resolved there and then, or not)."""
    policy.require_staff(actor)
    if channel not in {Channel.PHONE, Channel.FACE_TO_FACE}:
        raise FieldError(channel="Log phone or face-to-face contacts here.")
    now = now or timezone.now()
    with transaction.atomic():
        case = case_create(
            actor=actor,
            customer=customer,
            subject=subject,
            body=summary,
            type=type,
            channel=channel,
            priority=priority,
            owner=actor,
            team=actor.teams.first(),
            now=now,
        )
        # A call or a conversation is answered as it happens: the first response is now.
        Case.objects.filter(pk=case.pk).update(first_response_at=now)
        case.first_response_at = now
        if resolved:
            case = case_update(
                actor=actor,
                reference=case.reference,
                expected_version=case.version,
                changes={"status": Status.RESOLVED},
                now=now,
            )
    return case
