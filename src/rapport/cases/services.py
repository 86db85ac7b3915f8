"""Every write to a case: transaction, permission check, validation, events, search index.

Names follow ``<entity>_<verb>``; arguments are keyword-only. Time is injected (``now``) so the
rules can be tested at any date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import Team, User
from rapport.cases import journal, previews, search, signals
from rapport.cases.models import Attachment, Case, CaseEvent, Message, MessageKind, Tag
from rapport.customers.models import Customer
from rapport.domain import case_lifecycle as lifecycle
from rapport.domain.attachments import AttachmentRefused, check_attachment, clean_filename
from rapport.domain.case_rules import (
    CaseType,
    Channel,
    Priority,
    Status,
    can_move,
    tag_problem,
    tidy_tag,
)
from rapport.domain.previews import PreviewState, initial_state
from rapport.domain.redaction import mask_sensitive
from rapport.domain.references import format_reference
from rapport.platform import markdown
from rapport.platform.errors import Conflict, FieldError, Forbidden, TooLarge
from rapport.platform.html import sanitise_html

SUBJECT_REQUIRED = gettext_noop("Give the case a subject.")
SUBJECT_TOO_LONG = gettext_noop("Keep the subject to 200 characters or fewer.")
BODY_REQUIRED = gettext_noop("Write a message.")
REPLY_REQUIRED = "Write a reply."
NOTE_REQUIRED = "Write a note."
# The same mistake gets the same words on the pages and through the API.
BODY_REQUIRED_FOR: dict[str, str] = {MessageKind.OUTBOUND: REPLY_REQUIRED, MessageKind.NOTE: NOTE_REQUIRED}
BODY_TOO_LONG = gettext_noop("Messages are limited to 100,000 characters.")
VERSION_CONFLICT = "Someone else changed this case since you opened it. Review the current state and try again."
CUSTOMER_ONLY_OWN = "Customers can raise cases only for themselves."
MERGED_CASE = "This case was merged into {into}: work on that case instead."
MAX_BODY = 100_000
STAFF_CHANNELS = frozenset(Channel)
CUSTOMER_CHANNELS = frozenset({Channel.PORTAL})


@dataclass(frozen=True)
class Upload:
    """A file as received, before checks: name, bytes."""

    filename: str
    content: bytes


E = TypeVar("E", bound=Enum)


def _choice(field: str, value: Any, allowed: type[E]) -> E:
    """``value`` as a member of ``allowed``; a priority may also be named by its label ("high")."""
    try:
        return allowed(value)
    except (ValueError, KeyError):
        if allowed is Priority and isinstance(value, str):
            try:
                return cast(E, Priority.from_label(value))  # allowed is Priority, so E is too
            except KeyError:
                pass
        names = [m.label if isinstance(m, Priority) else str(m.value) for m in allowed]
        raise FieldError(**{field: f"Choose one of: {', '.join(names)}."}) from None


def _clean_subject(subject: str) -> str:
    subject = " ".join((subject or "").split())
    if not subject:
        raise FieldError(subject=gettext(SUBJECT_REQUIRED))
    if len(subject) > 200:
        raise FieldError(subject=gettext(SUBJECT_TOO_LONG))
    return subject


clean_subject = _clean_subject  # for the other writers of a case's subject (``splitting``)


def _clean_body(body: str, field: str = "body", *, kind: str = "") -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise FieldError(**{field: gettext(BODY_REQUIRED_FOR.get(kind, BODY_REQUIRED))})
    if len(body) > MAX_BODY:
        raise FieldError(**{field: gettext(BODY_TOO_LONG)})
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
    to_preview = []
    for upload, content_type in checked:
        digest = hashlib.sha256(upload.content).hexdigest()
        attachment = Attachment(
            message=message,
            filename=upload.filename,
            content_type=content_type,
            size=len(upload.content),
            sha256=digest,
            created_at=now,
            preview_state=initial_state(content_type),
        )
        # Content-addressed: the same file twice is stored once.
        attachment.file.save(digest, ContentFile(upload.content), save=False)
        attachment.save()
        if attachment.preview_state == PreviewState.PENDING:
            to_preview.append(attachment.pk)
    previews.previews_queue(to_preview)  # drawn by the worker once the message is committed


def case_state(case: Case) -> lifecycle.CaseState[datetime]:
    """What the lifecycle knows of ``case``."""
    return lifecycle.CaseState(
        status=Status(case.status),
        owned=case.owner_id is not None,
        first_response_at=case.first_response_at,
        resolved_at=case.resolved_at,
        closed_at=case.closed_at,
        version=case.version,
    )


def _adopt(case: Case, state: lifecycle.CaseState[datetime]) -> None:
    case.status = state.status.value
    case.first_response_at = state.first_response_at
    case.resolved_at = state.resolved_at
    case.closed_at = state.closed_at
    case.version = state.version


def _entries(
    case: Case, actor: User | None, at: datetime, specs: Sequence[lifecycle.EventSpec[Any]]
) -> list[journal.Entry]:
    return [journal.Entry(case, s.kind, at, actor, s.field, s.before, s.after) for s in specs]


def _tags(names: Sequence[str]) -> list[Tag]:
    """The tags named, created as needed; a name that would be stored as something else is refused
    (``case_rules.tag_problem``), never changed silently."""
    names = [n for n in names if n.strip()]
    problems = [p for n in names if (p := tag_problem(n))]
    if problems:
        raise FieldError({"tags": problems})
    slugs = sorted({tidy_tag(n) for n in names})
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
            status=lifecycle.opened(owned=owner is not None).status,
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
        _record_opening(case, message, actor)
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
        refuse_merged(case)
        if case.version != expected_version:
            raise Conflict(VERSION_CONFLICT, current=case)
        new = _validated_changes(case, changes)
        _check_close_guards(case, actor, new)
        events = _apply(case, actor, new, now)
        if events:
            case.updated_at = now
            case.save()
            recorded = journal.record_many(events)
            if "subject" in new:
                search.index([search.case_document(case)])
            signals.case_changed.send(Case, case=case, events=recorded, actor=actor, now=now)
    return case


def refuse_merged(case: Case) -> None:
    """A merged case is a pointer: what is written goes to the case it was merged into."""
    if case.merged_into_id is not None:
        raise Conflict(MERGED_CASE.format(into=format_reference(case.merged_into_id)), current=case)


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


def _apply(case: Case, actor: User, new: dict[str, Any], now: datetime) -> list[journal.Entry]:
    """Apply validated changes as one edit of the lifecycle; the events to record, in order."""
    leading: list[lifecycle.EventSpec[object]] = []
    trailing: list[lifecycle.EventSpec[object]] = []
    for field in ("subject", "type", "priority"):
        if field in new and getattr(case, field) != new[field]:
            before = getattr(case, field)
            label = (lambda v: Priority(v).label) if field == "priority" else str
            leading.append(lifecycle.EventSpec(lifecycle.CHANGED, field, label(before), label(new[field])))
            setattr(case, field, new[field].value if hasattr(new[field], "value") else new[field])
    status = new["status"] if "status" in new and case.status != new["status"] else None
    owner = None
    if "owner" in new and case.owner_id != (new["owner"].pk if new["owner"] else None):
        owner = (journal.person(case.owner), journal.person(new["owner"]))
        case.owner = new["owner"]
    if "team" in new and case.team_id != (new["team"].pk if new["team"] else None):
        trailing.append(lifecycle.EventSpec(lifecycle.CHANGED, "team", str(case.team or ""), str(new["team"] or "")))
        case.team = new["team"]
    if "tags" in new:
        before_tags = sorted(case.tags.values_list("name", flat=True))
        tags = _tags(new["tags"])
        after_tags = sorted(t.name for t in tags)
        if before_tags != after_tags:
            case.tags.set(tags)
            trailing.append(
                lifecycle.EventSpec(lifecycle.CHANGED, "tags", ", ".join(before_tags), ", ".join(after_tags))
            )
    edit = lifecycle.Edit(status=status, owner=owner, leading=tuple(leading), trailing=tuple(trailing))
    state, specs = lifecycle.step(case_state(case), edit, now)
    _adopt(case, state)
    return _entries(case, actor, now, specs)


def case_receive_step(case: Case, *, at: datetime) -> list[journal.Entry]:
    """A customer's message reaches ``case`` (not yet saved): its status and clocks move as the
    lifecycle says (a re-open). The events to record; the caller saves the case."""
    state, specs = lifecycle.step(case_state(case), lifecycle.CustomerWrote(), at)
    _adopt(case, state)
    return _entries(case, None, at, specs)


def _record_opening(case: Case, message: Message, actor: User | None) -> None:
    journal.record_many(
        [
            journal.Entry(case, journal.CREATED.name, case.created_at, actor, after=case.reference),
            journal.Entry(case, journal.MESSAGE.name, message.created_at, actor, after=f"inbound #{message.pk}"),
        ]
    )


def _message_entry(case: Case, message: Message, actor: User | None) -> journal.Entry:
    kind = journal.NOTE if message.kind == MessageKind.NOTE else journal.MESSAGE
    return journal.Entry(case, kind.name, message.created_at, actor, after=f"{message.kind} #{message.pk}")


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
    body_format: str = markdown.TEXT,
    copy_cc: bool = True,
    now: datetime | None = None,
) -> Message:
    """Add a reply, a note, or a customer's message to a case.

    Staff write ``outbound`` replies and ``note``s, or record an ``inbound`` message on the
    customer's behalf (a call); a customer can only add ``inbound`` messages to their own case.
    Staff may write replies and notes in Markdown (``body_format``): the source is kept and its
    sanitised HTML stored beside it. A reply is signed with the author's signature
    (``extensions.signature_for``) unless it already ends with it, and goes as plain text to a
    customer whose reasonable adjustments ask for it (the same words in portal and email).
    A reply is copied to the case's CC list unless ``copy_cc`` is False; a note never is.
    """
    now = now or timezone.now()
    kind = _choice("kind", kind, MessageKind)
    if body_format not in markdown.FORMATS:
        raise FieldError(format=f"Choose one of: {', '.join(markdown.FORMATS)}.")
    errors: dict[str, list[str]] = {}
    try:
        # What customers send is masked before it is stored (card numbers, bank details, NI numbers).
        body = _clean_body(mask_sensitive(body).text if kind == MessageKind.INBOUND else body, kind=kind)
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
        refuse_merged(case)
        staff = policy.is_staff(actor)
        if not staff:
            if kind != MessageKind.INBOUND or not policy.can_reply_as_customer(actor, case):
                raise Forbidden("Customers can only reply to their own cases.")
            channel = Channel.PORTAL
        channel = _choice("channel", channel or case.channel, Channel)
        if not staff or kind == MessageKind.INBOUND:
            body_format = markdown.TEXT
        if kind == MessageKind.OUTBOUND:
            body, body_format = _signed(body, body_format, actor, case)
        message = Message.objects.create(
            case=case,
            kind=kind,
            channel=channel,
            author=actor,
            body=body,
            body_html=markdown.message_html(body, body_format) or (sanitise_html(body_html) if body_html else ""),
            body_format=body_format,
            cc=case.cc if staff and copy_cc and kind == MessageKind.OUTBOUND else "",
            created_at=now,
        )
        _store_attachments(message, checked, now)
        chosen = Status(status_after) if staff and status_after and kind != MessageKind.INBOUND else None
        action: lifecycle.Action = (
            lifecycle.CustomerWrote()
            if kind == MessageKind.INBOUND
            else lifecycle.StaffWrote(reply=kind == MessageKind.OUTBOUND, status_after=chosen)
        )
        try:
            state, specs = lifecycle.step(case_state(case), action, now)
        except lifecycle.MoveRefused as refused:
            raise FieldError(status_after=str(refused)) from None
        if chosen in {Status.RESOLVED, Status.CLOSED} and chosen != case.status:
            refusals = extensions.close_refusals(case, actor, chosen)
            if refusals:
                raise FieldError({"status_after": list(refusals)})
        _adopt(case, state)
        case.updated_at = now
        case.save()
        events = journal.record_many([_message_entry(case, message, actor), *_entries(case, actor, now, specs)])
        search.index_new([search.message_document(message, case.subject)])
        signals.message_added.send(Case, case=case, message=message, actor=actor, now=now)
        status_events = [e for e in events if e.kind == "changed"]
        if status_events:
            signals.case_changed.send(Case, case=case, events=status_events, actor=actor, now=now)
    return message


def _signed(body: str, body_format: str, actor: User, case: Case) -> tuple[str, str]:
    """A reply as it is stored: signed (once), and as plain text for a customer who asked for it."""
    signature = extensions.signature_for(actor).strip()
    if signature and not body.rstrip().endswith(signature):
        body = f"{body.rstrip()}\n\n{signature}"
    if body_format == markdown.MARKDOWN and extensions.preferences_for(case.customer).plain_text_only:
        return markdown.markdown_text(body), markdown.TEXT
    return body, body_format


@dataclass(frozen=True)
class ReplyPreview:
    """A reply as the customer will read it: ``html`` (sanitised; empty when it goes as plain
    text) and ``text``, the plain-text part, and whether their adjustments ask for plain text."""

    html: str
    text: str
    plain_text_only: bool


def reply_preview(*, actor: User, case: Case, body: str) -> ReplyPreview:
    """What ``message_add`` would store for a Markdown reply of ``body`` by ``actor`` on ``case``
    (signed, shaped by the customer's adjustments), without storing anything."""
    policy.require_work(actor, case)
    signed, body_format = _signed(body.replace("\r\n", "\n").strip(), markdown.MARKDOWN, actor, case)
    return ReplyPreview(
        html=markdown.message_html(signed, body_format),
        text=markdown.message_text(signed, body_format),
        plain_text_only=body_format == markdown.TEXT,
    )


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
    checks: tuple[tuple[str, Callable[[], object]], ...] = (
        ("subject", lambda: _clean_subject(subject)),
        ("body", lambda: _clean_body(mask_sensitive(body).text)),
        ("type", lambda: _choice("type", type, CaseType)),
        ("channel", lambda: _choice("channel", channel, Channel)),
    )
    for field, fn in checks:
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
            status=lifecycle.opened(owned=False).status,
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
        _record_opening(case, message, None)
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
        while case.merged_into_id is not None:  # a merged case's messages go to its target
            case = Case.objects.select_for_update().get(pk=case.merged_into_id)
        message = Message.objects.create(
            case=case,
            kind=kind,
            channel=channel,
            body=body,
            body_html=sanitise_html(body_html) if body_html and kind == MessageKind.INBOUND else "",
            created_at=now,
        )
        _store_attachments(message, checked, now)
        entries = [_message_entry(case, message, None)]
        if kind == MessageKind.INBOUND:
            state, specs = lifecycle.step(case_state(case), lifecycle.CustomerWrote(), now)
            _adopt(case, state)
            entries.extend(_entries(case, None, now, specs))
            case.updated_at = max(case.updated_at, now)
            case.save()
        events = journal.record_many(entries)
        search.index_new([search.message_document(message, case.subject)])
        signals.message_added.send(Case, case=case, message=message, actor=None, now=now, historic=historic)
        status_events = [e for e in events if e.kind == "changed"]
        if status_events:
            signals.case_changed.send(Case, case=case, events=status_events, actor=None, now=now, historic=historic)
    return message


@dataclass(frozen=True)
class Arrival:
    """A message that arrived by itself, for ``cases_receive_many``: from ``customer``, written at
    ``now``, answering the case ``case_id`` or the case an earlier arrival of the batch went to
    (``joins``, its index), or opening a case when it answers none."""

    customer: Customer
    subject: str
    body: str
    now: datetime
    body_html: str = ""
    attachments: Sequence[Upload] = ()
    historic: bool = False
    case_id: int | None = None
    joins: int | None = None
    content_types: tuple[str, ...] | None = None  # set by ``arrival_check``: checked already


def _checked(arrival: Arrival) -> tuple[Arrival, list[tuple[Upload, str]]]:
    if arrival.content_types is None:
        arrival = arrival_check(arrival)
    return arrival, list(zip(arrival.attachments, arrival.content_types or (), strict=True))


@dataclass
class Receipt:
    """What an arrival became: its case (``opened`` when the arrival opened it) and message."""

    case: Case
    message: Message
    opened: bool
    events: list[CaseEvent]


def arrival_check(arrival: Arrival) -> Arrival:
    """The arrival as ``cases_receive_many`` files it (masked, checked), or ``FieldError``: a caller
    that files many can set a refused one aside before the batch is written."""
    if arrival.content_types is not None:
        return arrival
    checked = _checked_uploads(arrival.attachments)
    return replace(
        arrival,
        subject=_clean_subject(arrival.subject),
        body=_clean_body(mask_sensitive(arrival.body).text),
        attachments=tuple(upload for upload, _ in checked),
        content_types=tuple(content_type for _, content_type in checked),
    )


def cases_receive_many(
    *, arrivals: Sequence[Arrival], reopens: Callable[[datetime | None, datetime], bool] | None = None
) -> list[Receipt]:
    """File many arrivals at once, in order, exactly as ``case_receive`` and ``message_receive``
    would one by one: the same cases, messages, events, clocks, search entries and signals, with
    the queries made once for the batch and the rows written in bulk.

    The cases answered are locked for the batch (as ``message_receive`` locks its case), so a
    change made meanwhile is never overwritten. A resolved or closed case re-opens only if
    ``reopens(resolved_or_closed_at, written)`` says so; otherwise the arrival opens a new case."""
    checked = [_checked(arrival) for arrival in arrivals]
    arrivals = [arrival for arrival, _ in checked]
    if not arrivals:
        return []
    with transaction.atomic():
        ids = sorted({a.case_id for a in arrivals if a.case_id is not None})
        locked = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        read = {pk: case.version for pk, case in locked.items()}
        routed: list[tuple[Case, bool, list[journal.Entry]]] = []
        opened: list[Case] = []
        for arrival in arrivals:
            case = locked.get(arrival.case_id) if arrival.case_id is not None else None
            if arrival.joins is not None:
                case = routed[arrival.joins][0]
            ended = case is not None and case.status in {Status.RESOLVED, Status.CLOSED}
            if ended and reopens is not None and not reopens(case.resolved_at or case.closed_at, arrival.now):  # type: ignore[union-attr]
                case = None
            if case is None:
                case = Case(
                    type=CaseType.ENQUIRY,
                    status=lifecycle.opened(owned=False).status,
                    channel=Channel.EMAIL,
                    subject=arrival.subject,
                    customer=arrival.customer,
                    created_at=arrival.now,
                    updated_at=arrival.now,
                )
                opened.append(case)
                routed.append((case, True, []))
            else:
                routed.append((case, False, case_receive_step(case, at=arrival.now)))
                case.updated_at = max(case.updated_at, arrival.now)
        Case.objects.bulk_create(opened)
        messages = [
            Message(
                case=case,
                kind=MessageKind.INBOUND,
                channel=Channel.EMAIL,
                body=arrival.body,
                body_html=sanitise_html(arrival.body_html) if arrival.body_html else "",
                created_at=arrival.now,
            )
            for arrival, (case, _, _) in zip(arrivals, routed, strict=True)
        ]
        Message.objects.bulk_create(messages)
        entries: list[journal.Entry] = []
        documents = []
        for (arrival, uploads), (case, new, moved), message in zip(checked, routed, messages, strict=True):
            _store_attachments(message, uploads, arrival.now)
            if new:
                entries.append(journal.Entry(case, journal.CREATED.name, arrival.now, after=case.reference))
                documents.append(search.case_document(case))
            entries.append(_message_entry(case, message, None))
            entries.extend(moved)
            documents.append(search.message_document(message, case.subject))
        touched = {case.pk: case for case, new, _ in routed if not new and case.pk in locked}
        changed = [case for case in touched.values() if case.version != read[case.pk]]
        quiet = [case for case in touched.values() if case.version == read[case.pk]]
        Case.objects.bulk_update(changed, ["status", "resolved_at", "closed_at", "version", "updated_at"])
        Case.objects.bulk_update(quiet, ["updated_at"], batch_size=500)
        recorded = iter(journal.record_many(entries, ids=False))
        receipts = []
        for (case, new, moved), message in zip(routed, messages, strict=True):
            if new:
                next(recorded)
            next(recorded)
            receipts.append(Receipt(case, message, new, [next(recorded) for _ in moved]))
        search.index_new(documents)
        # What other apps do about new cases and messages (SLA clocks, complaint records), told for
        # the whole batch at once: each receiver's batch form makes its queries once for the lot.
        created: list[dict[str, Any]] = []
        added: list[dict[str, Any]] = []
        moves: list[dict[str, Any]] = []
        for arrival, receipt in zip(arrivals, receipts, strict=True):
            told = {
                "case": receipt.case,
                "message": receipt.message,
                "actor": None,
                "now": arrival.now,
                "historic": arrival.historic,
            }
            (created if receipt.opened else added).append(told)
            if receipt.events:
                moves.append({**{k: v for k, v in told.items() if k != "message"}, "events": receipt.events})
        signals.case_created.send_many(Case, created)
        signals.message_added.send_many(Case, added)
        signals.case_changed.send_many(Case, moves)
    return receipts


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
        state, _ = lifecycle.step(case_state(case), lifecycle.AnsweredInPerson(), now)
        Case.objects.filter(pk=case.pk).update(first_response_at=state.first_response_at)
        case.first_response_at = state.first_response_at
        if resolved:
            case = case_update(
                actor=actor,
                reference=case.reference,
                expected_version=case.version,
                changes={"status": Status.RESOLVED},
                now=now,
            )
    return case
