"""Erasure (UK GDPR Art 17): anonymise a person everywhere while the statistics stay.

What goes: their name, contact details, address and notes; every message they wrote (replaced by
a marker); their identifiers wherever anyone else wrote them (replies, notes, case subjects,
events, search documents, other apps' text); the files on their cases; the portal sign-in's name
and email. What stays: the rows themselves with their counts, times, statuses and scores, so the
team's reports do not change.

Erasure is refused while any legal reason to keep the data applies (``extensions.hold_reasons``:
an open complaint, a legal hold, …); it can then be scheduled and the daily job carries it out
once the reasons are gone.

Other apps remove what they hold about the person (survey comments, complaint accounts, copies of
emails) through ``extensions.erasure_handlers``: given the customer, their case ids and a function
that takes the person's identity out of a text, each updates its own rows and returns counts.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import os
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import ApiToken, User
from rapport.cases import journal, search
from rapport.cases.models import Attachment, Case, CaseEvent, Message, MessageKind, SearchDocument
from rapport.customers.models import Customer
from rapport.domain.anonymise import ERASED, Identity, identity_pattern, scrub
from rapport.domain.previews import PreviewState
from rapport.platform.errors import NotFound, RapportError
from rapport.platform.shown import sentences
from rapport.privacy import access as privacy_policy
from rapport.privacy import purge
from rapport.privacy.models import Adjustment, DataRequest, Erasure, ErasureStatus, RequestKind
from rapport.privacy.services import data_request_create

ALREADY_ERASED = "This person's data has already been erased."
HELD = "Erasure is refused while there is a legal reason to keep the data: {reasons}"
ALREADY_SCHEDULED = "Erasure is already scheduled for when the legal reasons end."
ERASED_MESSAGE = "[Message erased at the customer's request]"
ERASED_FILE = "erased"


class ErasureRefused(RapportError):
    """Not now, for the reason given (already erased, already scheduled, a legal reason to keep)."""

    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ErasureHeld(ErasureRefused):
    """Refused: ``reasons`` says why the data must be kept for now."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(HELD.format(reasons=sentences(reasons)))
        self.reasons = reasons


def customer_erase(*, actor: User, customer_id: int | str, now: datetime | None = None) -> Erasure:
    """Erase the person now, or refuse with the legal reasons to keep their data."""
    privacy_policy.require_erase(actor)
    now = now or timezone.now()
    with transaction.atomic():
        customer = policy.visible_customers(actor).select_for_update().filter(pk=_pk(customer_id)).first()
        if customer is None:
            raise _not_found()
        if customer.erased_at is not None:
            raise ErasureRefused(ALREADY_ERASED)
        reasons = extensions.hold_reasons(customer)
        if reasons:
            raise ErasureHeld(reasons)
        summary = anonymise(customer, now=now, actor=actor)
        scheduled = Erasure.objects.filter(customer=customer, status=ErasureStatus.SCHEDULED).first()
        erasure = scheduled or Erasure(customer=customer, requested_by=actor, requested_at=now)
        erasure.status = ErasureStatus.CLEARING_FILES
        erasure.summary = summary
        erasure.save()
        _complete_after_commit(erasure)
    return erasure


def erasure_schedule(*, actor: User, customer_id: int | str, now: datetime | None = None) -> Erasure:
    """Ask for erasure as soon as the legal reasons end (the daily job tries every scheduled one)."""
    privacy_policy.require_erase(actor)
    now = now or timezone.now()
    customer = policy.access_customer(actor, customer_id)
    if customer.erased_at is not None:
        raise ErasureRefused(ALREADY_ERASED)
    if Erasure.objects.filter(customer=customer, status=ErasureStatus.SCHEDULED).exists():
        raise ErasureRefused(ALREADY_SCHEDULED)
    return Erasure.objects.create(
        customer=customer, status=ErasureStatus.SCHEDULED, requested_by=actor, requested_at=now
    )


def scheduled_erasures_run(*, now: datetime) -> list[int]:
    """Carry out every scheduled erasure whose legal reasons have ended; the customer ids erased."""
    done = []
    for erasure in Erasure.objects.filter(status=ErasureStatus.SCHEDULED).select_related("customer", "requested_by"):
        customer = erasure.customer
        if extensions.hold_reasons(customer):
            continue
        with transaction.atomic():
            erasure.summary = anonymise(customer, now=now, actor=erasure.requested_by)
            erasure.status = ErasureStatus.CLEARING_FILES
            erasure.save()
            _complete_after_commit(erasure)
        done.append(customer.pk)
    return done


def erasure_log() -> list[dict[str, str | int]]:
    """Who has been erased, for keeping them erased after a backup is restored (docs/operations.md):
    each erased customer's id, when they were first recorded (so an id given to someone new after
    a restore never matches) and when they were erased. No personal data."""
    rows = Customer.objects.filter(erased_at__isnull=False).order_by("pk").values_list("pk", "created_at", "erased_at")
    return [
        {"customer": pk, "created_at": created.isoformat(), "erased_at": erased.isoformat()}
        for pk, created, erased in rows
    ]


def erasures_reapply(log: Iterable[dict[str, Any]], *, now: datetime) -> list[int]:
    """Erase again everyone in ``log`` (``erasure_log``'s entries) whom a restored database holds
    un-erased: a person erased after the backup was taken stays erased. Legal holds do not stop
    it (the erasure was decided when it was made). The customer ids erased again."""
    done = []
    for entry in log:
        customer = Customer.objects.filter(pk=int(entry["customer"]), erased_at__isnull=True).first()
        if customer is None or customer.created_at.isoformat() != entry["created_at"]:
            continue
        with transaction.atomic():
            summary = anonymise(customer, now=now, actor=None)
            erasure = Erasure.objects.create(
                customer=customer,
                status=ErasureStatus.CLEARING_FILES,
                requested_at=now,
                summary={**summary, "reapplied_after_restore": entry["erased_at"]},
            )
            _complete_after_commit(erasure)
        done.append(customer.pk)
    return done


def _complete_after_commit(erasure: Erasure) -> None:
    """Once the rows are anonymised for good, clear the files and record the erasure complete
    (a job: merging a large full-text index takes a while; ``rapport.privacy.purge``)."""
    transaction.on_commit(lambda: purge.erasure_complete_job(erasure.pk))


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _not_found() from None


def _not_found() -> NotFound:
    return NotFound(policy.NO_CUSTOMER)


def identities_of(customer: Customer) -> list[Identity]:
    """The person as the customer record and their portal sign-in name them."""
    found = [Identity(customer.name, customer.email, customer.phone)]
    user = customer.user
    if user is not None and (user.email.lower() != customer.email.lower() or user.name != customer.name):
        # A one-word sign-in name ("Alice") would blank everyone else's Alice: only a full name counts.
        name = user.name if len(user.name.split()) > 1 else ""
        found.append(Identity(name, user.email))
    return found


def _scrubber(identities: Iterable[Identity], *, name_parts: bool) -> Any:
    patterns = [p for i in identities if (p := identity_pattern(i, name_parts=name_parts))]

    def apply(text: str) -> str:
        for pattern in patterns:
            text = scrub(text, pattern)
        return text

    return apply


def anonymise(customer: Customer, *, now: datetime, actor: User | None = None) -> dict[str, int]:
    """Remove the person's identity from every table and from storage; counts of what changed."""
    identities = identities_of(customer)
    swept = sweep_identities(customer, identities)
    own = _scrubber(identities, name_parts=True)
    summary: dict[str, int] = {}

    cases = list(Case.objects.filter(customer=customer))
    case_ids = [c.pk for c in cases]
    for case in cases:
        case.subject = own(case.subject)[:200] or "Erased"
    Case.objects.bulk_update(cases, ["subject"])
    summary["cases"] = len(cases)

    messages = list(Message.objects.filter(case_id__in=case_ids))
    for message in messages:
        if message.kind == MessageKind.INBOUND:
            message.body, message.body_html = ERASED_MESSAGE, ""
        else:
            message.body, message.body_html = own(message.body), own(message.body_html)
    Message.objects.bulk_update(messages, ["body", "body_html"], batch_size=500)
    summary["messages"] = len(messages)

    summary["files"] = erase_files(Attachment.objects.filter(message__case_id__in=case_ids))
    summary["local_mail_files"] = erase_local_mail(identities)

    # The journal points at people by id (``journal.PERSON_FIELDS``); its text is scrubbed of the
    # person's identity, never of a namesake's (a member of staff named like the customer keeps
    # every entry that names them, here and on other customers' cases).
    in_events = _scrubber(swept, name_parts=False)
    changed_events = 0
    for event in CaseEvent.objects.filter(case_id__in=case_ids).exclude(before="", after=""):
        if event.field in journal.PERSON_FIELDS:
            continue
        before, after = in_events(event.before), in_events(event.after)
        if (before, after) != (event.before, event.after):
            # Append-only for the desk; erasure is the one lawful rewrite (Art 17), done in SQL.
            CaseEvent.objects.filter(pk=event.pk).update(before=before, after=after)
            changed_events += 1
    summary["events"] = changed_events

    Adjustment.objects.filter(customer=customer).update(detail="", contact_name="")
    # Other capabilities' copies (raw email, outbox copies, their files), while the record still
    # names the person.
    for handler in extensions.erasure_handlers:
        summary.update(handler(customer, case_ids, own))

    user = customer.user
    if user is not None:
        user.email = f"erased-{user.pk}@erased.invalid"
        user.name = ERASED
        user.is_active = False
        user.set_unusable_password()
        user.save()
        ApiToken.objects.filter(user=user).delete()

    customer.name = f"Erased customer {customer.pk}"
    customer.organisation = customer.email = customer.phone = customer.address = customer.notes = ""
    customer.erased_at = now
    customer.updated_at = now
    customer.save()

    refreshed = Message.objects.filter(case_id__in=case_ids).select_related("case")
    search.index(
        [search.customer_document(customer)]
        + [search.case_document(c) for c in Case.objects.filter(pk__in=case_ids)]
        + [search.message_document(m, m.case.subject) for m in refreshed]
    )
    summary["elsewhere"] = _sweep(swept)
    journal.record_many(
        [journal.Entry(pk, "erased", now, actor, after="identity erased (UK GDPR Art 17)") for pk in case_ids]
    )
    return summary


def erase_files(attachments: models.QuerySet[Attachment]) -> int:
    """Blank the names of ``attachments`` and delete their files from storage once the transaction
    commits (a rolled-back erasure keeps them), unless another person's message holds the same
    content-addressed file. Sizes and types stay for statistics. The count of files to delete."""
    rows = list(attachments)
    ids = [a.pk for a in rows]
    names = {a.file.name for a in rows if a.file.name}
    shared = set(Attachment.objects.filter(file__in=names).exclude(pk__in=ids).values_list("file", flat=True))
    doomed = sorted(names - shared)
    # A preview is a picture of the file: it goes with it (and stays while another message holds it).
    pictures = {a.preview.name for a in rows if a.preview.name}
    kept = set(Attachment.objects.filter(preview__in=pictures).exclude(pk__in=ids).values_list("preview", flat=True))
    Attachment.objects.filter(pk__in=ids).update(
        filename=ERASED_FILE,
        file="",
        preview="",
        preview_state=PreviewState.NONE,
        preview_width=None,
        preview_height=None,
    )
    unseen = sorted(pictures - kept)

    def delete() -> None:
        for name in doomed + unseen:
            if default_storage.exists(name):
                default_storage.delete(name)

    transaction.on_commit(delete)
    return len(doomed)


def _mail_text(data: bytes) -> str:
    """What a file of Django's file email backend says, decoded: headers (RFC 2047 words) and every
    text part (quoted-printable or base64), lower-cased, so a name in any encoding is found."""
    found = [data.decode("utf-8", "replace")]
    for chunk in data.split(b"-" * 79):  # the backend writes a line of 79 dashes after each message
        message = email.message_from_bytes(chunk, policy=email.policy.default)
        found.extend(str(value) for value in message.values())
        for part in message.walk():
            if part.get_content_maintype() == "text":
                with contextlib.suppress(LookupError, ValueError):
                    found.append(str(part.get_content()))
    return " ".join(found).lower()


def erase_local_mail(identities: Iterable[Identity]) -> int:
    """Delete, once the transaction commits, the files that Django's file email backend wrote
    (outside production, with no mail server: ``EMAIL_FILE_PATH``) which name the person. They are
    copies of sent mail kept on this machine, so erasure removes them like any other copy."""
    folder = getattr(settings, "EMAIL_FILE_PATH", "")
    if "filebased" not in settings.EMAIL_BACKEND or not folder or not os.path.isdir(folder):
        return 0
    terms = [t.lower() for i in identities for t in i.search_terms()]
    doomed = []
    for entry in os.scandir(folder):
        if entry.is_file():
            with open(entry.path, "rb") as handle:
                if any(term in _mail_text(handle.read()) for term in terms):
                    doomed.append(entry.path)

    def delete() -> None:
        for path in doomed:
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)

    transaction.on_commit(delete)
    return len(doomed)


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.primary_key
        and not isinstance(f, models.GeneratedField)
        and not f.choices
    ]


# Other people's own identity fields: a relative sharing an email address, or a namesake, keeps theirs.
SWEEP_SKIP = frozenset(
    {
        ("customers", "customer", "name"),
        ("customers", "customer", "email"),
        ("customers", "customer", "phone"),
        ("accounts", "user", "name"),
        ("accounts", "user", "email"),
    }
)


def namesakes(customer: Customer, name: str) -> bool:
    """Whether someone else goes by ``name``: another customer, or a user other than the person's own
    sign-in (a member of staff named like the customer)."""
    name = name.strip()
    if not name:
        return False
    others = Customer.objects.filter(name__iexact=name, erased_at__isnull=True).exclude(pk=customer.pk)
    return others.exists() or User.objects.filter(name__iexact=name).exclude(pk=customer.user_id).exists()


def sweep_identities(customer: Customer, identities: list[Identity]) -> list[Identity]:
    """The identities to sweep other people's text for, by identity: a name someone else also goes
    by (another customer, a member of staff) is left out, since a mention of it may be theirs and is
    theirs to keep; the email and phone, which are the person's alone, stay in."""
    return [
        Identity("", identity.email, identity.phone) if namesakes(customer, identity.name) else identity
        for identity in identities
    ]


def _sweep(identities: list[Identity]) -> int:
    """Replace the person's full name, email and phone in every text column of every model, so
    what other people wrote about them (another customer's case, a survey comment) goes too."""
    full = _scrubber(identities, name_parts=False)
    terms = [t for i in identities for t in i.search_terms()]
    changed = 0
    for model in apps.get_models():
        if model is SearchDocument:
            continue  # re-indexed from its source rows below
        label = (model._meta.app_label, model._meta.model_name)
        fields = [f for f in _text_fields(model) if (*label, f) not in SWEEP_SKIP]
        if not fields or not terms:
            continue
        match = Q()
        for field in fields:
            for term in terms:
                match |= Q(**{f"{field}__icontains": term})
        for row in model._base_manager.filter(match).values("pk", *fields):
            updates = {f: full(row[f]) for f in fields if row[f] and full(row[f]) != row[f]}
            if updates:
                model._base_manager.filter(pk=row["pk"]).update(**updates)
                changed += 1
    # Search documents follow their source rows.
    for doc in SearchDocument.objects.filter(_any(terms, ("title", "body"))).exclude(kind="customer"):
        SearchDocument.objects.filter(pk=doc.pk).update(title=full(doc.title)[:200], body=full(doc.body))
        changed += 1
    return changed


def _any(terms: list[str], fields: tuple[str, ...]) -> Q:
    match = Q(pk__in=[])
    for field in fields:
        for term in terms:
            match |= Q(**{f"{field}__icontains": term})
    return match


def traces(customer: Customer, identities: list[Identity]) -> list[tuple[str, str]]:
    """Where the person can still be found, by identity: every (table, column) whose text holds
    their email or phone, or their name where nobody else goes by it. A namesake's rightful
    mentions (a member of staff called the same) are not traces of this person. The check behind
    "no trace remains" (the tests use it)."""
    terms = [t.lower() for i in sweep_identities(customer, identities) for t in i.search_terms()]
    found: list[tuple[str, str]] = []
    for model in apps.get_models():
        fields = _text_fields(model) + [
            f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField) and f.choices
        ]
        if fields and model._base_manager.filter(_any(terms, tuple(fields))).exists():
            found.extend(
                (model._meta.db_table, field)
                for field in fields
                if model._base_manager.filter(_any(terms, (field,))).exists()
            )
    return found


def erasure_request_start(actor: User, customer: Customer, now: datetime) -> extensions.ErasureRequestStarted:
    """``DELETE /api/v1/customers/{id}``: open a data request for erasure (UK GDPR Art 17) on the
    customer, or answer the one already open, with the legal reasons that keep the data for now.
    The request then runs like any other: its statutory month, and erasure once nothing holds it."""
    open_request = (
        DataRequest.objects.filter(case__customer=customer, kind=RequestKind.ERASURE, case__is_active=True)
        .select_related("case")
        .order_by("pk")
        .first()
    )
    if open_request is None:
        open_request = data_request_create(
            actor=actor, customer=customer, kind=RequestKind.ERASURE,
            details="Erasure of this person's data was asked for through the API.", now=now,
        )  # fmt: skip
    case = open_request.case
    return extensions.ErasureRequestStarted(
        reference=case.reference, url=f"/cases/{case.reference}/", holds=tuple(extensions.hold_reasons(customer))
    )
