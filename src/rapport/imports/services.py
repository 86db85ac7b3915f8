"""Importing another help desk's history: organisations, people, staff, cases, messages, notes,
attachments and ratings, in batches, idempotent and resumable (ADR 0030).

The order is the one the records depend on: organisations, then people (customers and staff),
then tickets with their comments, then comments and ratings kept in files of their own, then the
pointers of merged tickets. Each batch is one transaction that writes its rows and, with them, an
``ImportedRecord`` per source id; a batch that fails leaves nothing, and running the import again
skips every record already written, so an import stopped half-way resumes where it stopped and an
import run twice adds nothing.

Imported history is history: the rows are written as they were (status, owner and times from the
source) with no signal sent, so no SLA clock starts, no acknowledgement, notification or survey is
sent and no automation fires. Each case gets one journal event (``imported``) saying where it came
from, and search documents like any other case, so it is found by search and counted by the
forecast's history of arrivals.

A dry run reads and maps everything and looks up what exists, and writes nothing: its report says
what would be created, what is there already, and what cannot be mapped.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from rapport.accounts.models import Role, User
from rapport.cases import journal, previews, search
from rapport.cases.models import Attachment, Case, Message, SearchDocument, Tag
from rapport.customers.models import Customer, CustomerKind
from rapport.domain import imports as rules
from rapport.domain.attachments import AttachmentRefused, check_attachment, clean_filename
from rapport.domain.case_rules import Status
from rapport.domain.previews import PreviewState, initial_state
from rapport.imports import sources
from rapport.imports.events import IMPORTED
from rapport.imports.models import ImportedCaseData, ImportedRecord, ImportRun, RunState
from rapport.platform.html import sanitise_html

BATCH = 500
"""Tickets per transaction: big enough that a batch's queries cost little per ticket, small
enough that a crash loses seconds of work and SQLite's writers wait briefly."""
PEOPLE_BATCH = 2000
EXAMPLES = 20
"""How many examples of each kind of issue the report keeps (the count is always whole)."""
MAX_BODY = 100_000
T = TypeVar("T")

Progress = Callable[[str, int], None]


class ImportStopped(Exception):
    """Raised by a progress callback to stop an import between batches (tests of resumption)."""


@dataclass
class Report:
    """What an import did (or, dry, would do): rows created, found already imported, matched to
    what the desk already had, and the issues by kind with a few examples each."""

    source: str
    dry_run: bool = False
    created: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    matched: Counter[str] = field(default_factory=Counter)
    issues: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def issue(self, found: rules.Issue) -> None:
        self.issues[found.kind] += 1
        shown = self.examples.setdefault(found.kind, [])
        if len(shown) < EXAMPLES:
            shown.append(f"{found.where}: {found.message}")

    def add(self, found: Iterable[rules.Issue]) -> None:
        for one in found:
            self.issue(one)

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "created": dict(sorted(self.created.items())),
            "skipped": dict(sorted(self.skipped.items())),
            "matched": dict(sorted(self.matched.items())),
            "issues": dict(sorted(self.issues.items())),
            "examples": {k: self.examples[k] for k in sorted(self.examples)},
            "seconds": round(self.seconds, 1),
        }

    def describe(self) -> str:
        verb = "Would create" if self.dry_run else "Created"
        created = ", ".join(f"{n:,} {what}" for what, n in sorted(self.created.items()) if n) or "nothing"
        parts = [f"{verb} {created}."]
        if self.skipped:
            parts.append("Already imported: " + ", ".join(f"{n:,} {w}" for w, n in sorted(self.skipped.items())) + ".")
        if self.matched:
            parts.append("Matched by email: " + ", ".join(f"{n:,} {w}" for w, n in sorted(self.matched.items())) + ".")
        if self.issues:
            total = sum(self.issues.values())
            kinds = ", ".join(f"{n:,} {k.replace('_', ' ')}" for k, n in sorted(self.issues.items()))
            parts.append(f"{total:,} could not be mapped as they stand ({kinds}).")
        return " ".join(parts)


@dataclass(frozen=True)
class Options:
    source: str
    path: Path
    now: datetime
    dry_run: bool = False
    attachments_base: str = ""
    zone: ZoneInfo = rules.LONDON
    batch: int = BATCH


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _chunks(values: Sequence[T], size: int = 900) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def import_run(
    *,
    source: str,
    path: Path,
    now: datetime,
    dry_run: bool = False,
    attachments_base: str = "",
    zone: ZoneInfo | None = None,
    batch: int = BATCH,
    progress: Progress | None = None,
) -> Report:
    """Import the export at ``path`` (see ``sources.layout`` for the files of each source)."""
    if source not in rules.SOURCES:
        raise ValueError(f"Unknown source {source!r}: choose one of {', '.join(rules.SOURCES)}.")
    started = time.monotonic()
    options = Options(source, path, now, dry_run, attachments_base.strip(), zone or rules.LONDON, max(batch, 1))
    where = sources.layout(source, path)
    importer = _Importer(options, where, progress or (lambda stage, done: None))
    with _bounded_memory():
        importer.run()
    importer.report.seconds = time.monotonic() - started
    return importer.report


class _bounded_memory:
    """A long import on SQLite keeps a 16 MB page cache and reads through the file rather than
    mapping it (the web server's settings would grow it to hundreds of MB), as the mail import does."""

    def __enter__(self) -> None:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size=-16384")
                cursor.execute("PRAGMA mmap_size=0")

    def __exit__(self, *exc: object) -> None:
        return None


def _forgetting(progress: Progress) -> Progress:
    """After each batch, forget the queries Django keeps while ``DEBUG`` is on (a development
    desk), so a long import's memory stays flat there too."""
    from django.db import reset_queries

    def told(stage: str, done: int) -> None:
        reset_queries()
        progress(stage, done)

    return told


@dataclass
class _People:
    """Who a batch names, by source id: customers (person → customer id) and staff (→ user id,
    None when the member of staff has no email address and so no account)."""

    customers: dict[str, int] = field(default_factory=dict)
    staff: dict[str, int | None] = field(default_factory=dict)


class _Importer:
    def __init__(self, options: Options, where: sources.Layout, progress: Progress) -> None:
        self.options = options
        self.where = where
        self.source = options.source
        self.dry = options.dry_run
        self.progress = _forgetting(progress)
        self.report = Report(options.source, options.dry_run)
        self.label = rules.SOURCE_LABELS[options.source]
        # A dry run writes nothing, so what it "would create" is remembered by source id to know,
        # later in the same run, that a ticket's requester would exist. (Ids only: a few MB for a
        # hundred thousand people.)
        self.would: dict[str, set[str]] = {"organisation": set(), "person": set(), "staff": set(), "ticket": set()}
        self.field_labels: dict[str, str] = {}
        self.tags: dict[str, int] = {}
        self.counted: set[str] = set()  # tickets whose opening message a dry run counted
        self.max_bytes = int(settings.RAPPORT_MAX_ATTACHMENT_BYTES)

    # --- the order of work -------------------------------------------------------------------

    def run(self) -> None:
        zone = self.options.zone
        if self.where.ticket_fields:
            self._field_labels(self.where.ticket_fields)
        if self.source == "csv":
            self._csv()
            return
        if self.where.organisations:
            make = rules.zendesk_organisation if self.source == "zendesk" else rules.freshdesk_organisation
            self._organisations(make(r, zone=zone) for r in sources.records(self.where.organisations))
        if self.where.people:
            make_person = rules.zendesk_person if self.source == "zendesk" else rules.freshdesk_person
            self._people(make_person(r, zone=zone) for r in sources.records(self.where.people))
        if self.where.staff:
            self._people(rules.freshdesk_person(r, staff=True, zone=zone) for r in sources.records(self.where.staff))
        make_ticket = rules.zendesk_ticket if self.source == "zendesk" else rules.freshdesk_ticket
        self._tickets(
            make_ticket(r, field_labels=self.field_labels, zone=zone) for r in sources.records(self.where.tickets)
        )
        for path in self.where.comments:
            self._comments(self._comment_records(path))
        if self.where.ratings:
            self._ratings(rules.freshdesk_rating(r, zone=zone) for r in sources.records(self.where.ratings))
        self._merges()

    def _field_labels(self, path: Path) -> None:
        for raw in sources.records(path):
            key = rules._id(raw.get("id")) if self.source == "zendesk" else str(raw.get("name") or "")
            label = str(raw.get("title") or raw.get("label") or raw.get("raw_title") or "").strip()
            if key and label:
                self.field_labels[key] = label
            if self.source == "freshdesk" and raw.get("id") is not None and label:
                self.field_labels[rules._id(raw.get("id"))] = label

    def _comment_records(self, path: Path) -> Iterator[rules.Mapped]:
        zone = self.options.zone
        for raw in sources.records(path):
            if self.source == "zendesk":
                yield from rules.zendesk_comment_page(raw, zone=zone)
            else:
                yield rules.freshdesk_conversation(raw, zone=zone)

    # --- lookups ------------------------------------------------------------------------------

    def _records(self, kind: str, ids: Iterable[str]) -> dict[str, int]:
        wanted = sorted({i for i in ids if i})
        found: dict[str, int] = {}
        for chunk in _chunks(wanted):
            found.update(
                ImportedRecord.objects.filter(source=self.source, kind=kind, source_id__in=chunk).values_list(
                    "source_id", "object_id"
                )
            )
        return found

    def _remember(self, kind: str, pairs: Iterable[tuple[str, int]]) -> None:
        ImportedRecord.objects.bulk_create(
            [ImportedRecord(source=self.source, kind=kind, source_id=sid, object_id=oid) for sid, oid in pairs]
        )

    # --- organisations and people ---------------------------------------------------------------

    def _organisations(self, mapped: Iterable[rules.Mapped]) -> None:
        for chunk in _batches(mapped, PEOPLE_BATCH):
            with transaction.atomic():
                self._organisation_batch(chunk)
            self.progress("organisations", self.report.created["organisations"] + self.report.skipped["organisations"])

    def _organisation_batch(self, chunk: Sequence[rules.Mapped]) -> None:
        orgs: dict[str, rules.Organisation] = {}
        for item in chunk:
            self.report.add(item.issues)
            if item.record is not None and item.record.source_id:
                orgs[item.record.source_id] = item.record
        existing = self._records("organisation", orgs)
        self.report.skipped["organisations"] += len(existing)
        new = [o for sid, o in orgs.items() if sid not in existing and sid not in self.would["organisation"]]
        names = sorted({o.name.lower() for o in new})
        known: dict[str, int] = {}
        for part in _chunks(names):
            known.update(
                Customer.objects.annotate(lname=Lower("name"))
                .filter(kind=CustomerKind.COMPANY, lname__in=part, erased_at__isnull=True)
                .values_list("lname", "id")
            )
        matched = [(o.source_id, known[o.name.lower()]) for o in new if o.name.lower() in known]
        create = [o for o in new if o.name.lower() not in known]
        self.report.matched["organisations"] += len(matched)
        self.report.created["organisations"] += len(create)
        if self.dry:
            self.would["organisation"].update(o.source_id for o in new)
            return
        now = self.options.now
        rows = [
            Customer(
                kind=CustomerKind.COMPANY,
                name=o.name,
                organisation=o.name,
                notes=o.notes,
                created_at=o.created_at or now,
                updated_at=o.created_at or now,
            )
            for o in create
        ]
        Customer.objects.bulk_create(rows)
        search.index_new([search.customer_document(c) for c in rows])
        self._remember("organisation", [*matched, *((o.source_id, c.pk) for o, c in zip(create, rows, strict=True))])

    def _people(self, mapped: Iterable[rules.Mapped]) -> None:
        for chunk in _batches(mapped, PEOPLE_BATCH):
            people = []
            for item in chunk:
                self.report.add(item.issues)
                if item.record is not None and item.record.source_id:
                    people.append(item.record)
            with transaction.atomic():
                self._people_batch(people)
            self.progress(
                "people", sum(self.report.created[k] + self.report.skipped[k] for k in ("customers", "staff"))
            )

    def _people_batch(self, people: Sequence[rules.Person]) -> None:
        staff = {p.source_id: p for p in people if p.staff}
        customers = {p.source_id: p for p in people if not p.staff}
        if staff:
            self._staff_batch(list(staff.values()))
        if customers:
            self._customer_batch(list(customers.values()))

    def _staff_batch(self, people: Sequence[rules.Person]) -> None:
        existing = self._records("staff", [p.source_id for p in people])
        self.report.skipped["staff"] += len(existing)
        new = [p for p in people if p.source_id not in existing and p.source_id not in self.would["staff"]]
        emails = sorted({p.email for p in new if p.email})
        users: dict[str, int] = {}
        for part in _chunks(emails):
            users.update(
                User.objects.annotate(lemail=Lower("email")).filter(lemail__in=part).values_list("lemail", "id")
            )
        pairs: list[tuple[str, int]] = []
        create: dict[str, User] = {}
        for person in new:
            if not person.email:
                self.report.issue(
                    rules.Issue(
                        "staff_without_email",
                        f"user {person.source_id}",
                        f"{person.name} has no email address, so no account; their messages keep no author.",
                    )
                )
                continue
            if person.email in users:
                self.report.matched["staff"] += 1
                pairs.append((person.source_id, users[person.email]))
            elif person.email not in create:
                # Unknown to Rapport: an account that cannot sign in until an admin turns it on.
                user = User(email=person.email, name=person.name[:150], role=Role.AGENT, is_active=False)
                user.set_unusable_password()
                create[person.email] = user
        self.report.created["staff"] += len(create)
        if self.dry:
            self.would["staff"].update(p.source_id for p in new)
            return
        User.objects.bulk_create(list(create.values()))
        by_email = {u.email: u.pk for u in create.values()}
        pairs += [(p.source_id, by_email[p.email]) for p in new if p.email in by_email]
        self._remember("staff", pairs)

    def _customer_batch(self, people: Sequence[rules.Person]) -> None:
        existing = self._records("person", [p.source_id for p in people])
        self.report.skipped["customers"] += len(existing)
        new = [p for p in people if p.source_id not in existing and p.source_id not in self.would["person"]]
        emails = sorted({p.email for p in new if p.email})
        known: dict[str, int] = {}
        for part in _chunks(emails):
            known.update(
                Customer.objects.annotate(lemail=Lower("email"))
                .filter(lemail__in=part, erased_at__isnull=True)
                .order_by("-id")
                .values_list("lemail", "id")
            )
        orgs = self._organisation_names({p.organisation_id for p in new if p.organisation_id})
        pairs: list[tuple[str, int]] = []
        create: list[tuple[rules.Person, Customer]] = []
        made: dict[str, Customer] = {}
        for person in new:
            if person.email and person.email in known:
                self.report.matched["customers"] += 1
                pairs.append((person.source_id, known[person.email]))
                continue
            if person.email and person.email in made:  # two source people with one address
                create.append((person, made[person.email]))
                continue
            customer = self._customer(person, orgs.get(person.organisation_id, ""))
            if person.email:
                made[person.email] = customer
            create.append((person, customer))
            if person.deleted:
                self.report.issue(
                    rules.Issue(
                        "deleted_user",
                        f"user {person.source_id}",
                        f"{person.name} was deleted in the source; kept as a customer so their cases keep a requester.",
                    )
                )
        rows = list({id(c): c for _, c in create}.values())
        self.report.created["customers"] += len(rows)
        if self.dry:
            self.would["person"].update(p.source_id for p in new)
            return
        Customer.objects.bulk_create(rows)
        search.index_new([search.customer_document(c) for c in rows])
        self._remember("person", [*pairs, *((p.source_id, c.pk) for p, c in create)])

    def _customer(self, person: rules.Person, organisation: str) -> Customer:
        now = self.options.now
        return Customer(
            kind=CustomerKind.PERSON,
            name=person.name,
            organisation=organisation[:200],
            email=person.email,
            phone=person.phone,
            notes=person.notes,
            created_at=person.created_at or now,
            updated_at=person.created_at or now,
        )

    def _organisation_names(self, source_ids: set[str]) -> dict[str, str]:
        if self.source == "csv":
            return {sid: sid for sid in source_ids}
        ids = self._records("organisation", source_ids)
        names = dict(Customer.objects.filter(pk__in=sorted(ids.values())).values_list("id", "name"))
        return {sid: names.get(pk, "") for sid, pk in ids.items()}

    def _people_for(self, customer_ids: Iterable[str], staff_ids: Iterable[str]) -> _People:
        """The customers and staff a batch names, in two queries. An author may be either (a
        Freshdesk agent's user id is also a contact id), so both are looked up for authors."""
        found = _People()
        found.customers = self._records("person", customer_ids)
        staff = self._records("staff", staff_ids)
        found.staff = {sid: pk for sid, pk in staff.items()}
        if self.dry:
            for sid in customer_ids:
                if sid in self.would["person"]:
                    found.customers.setdefault(sid, 0)
            for sid in staff_ids:
                if sid in self.would["staff"]:
                    found.staff.setdefault(sid, 0)
        return found

    # --- tickets ------------------------------------------------------------------------------

    def _tickets(self, mapped: Iterable[rules.Mapped]) -> None:
        done = 0
        for chunk in _batches(mapped, self.options.batch):
            tickets: dict[str, rules.Ticket] = {}
            for item in chunk:
                self.report.add(item.issues)
                if item.record is not None:
                    tickets[item.record.source_id] = item.record
            with transaction.atomic():
                self._ticket_batch(list(tickets.values()))
            done += len(chunk)
            self.progress("tickets", done)

    def _ticket_batch(self, tickets: Sequence[rules.Ticket]) -> None:
        existing = self._records("ticket", [t.source_id for t in tickets])
        if self.dry:
            existing.update({t.source_id: 0 for t in tickets if t.source_id in self.would["ticket"]})
        comments = [c for t in tickets for c in t.comments]
        recorded = self._records("comment", [c.source_id for c in comments])
        people = self._people_for(
            [t.requester_id for t in tickets] + [c.author_id for c in comments],
            [t.assignee_id for t in tickets] + [c.author_id for c in comments],
        )
        new = [t for t in tickets if t.source_id not in existing]
        self.report.skipped["cases"] += len(tickets) - len(new)
        self._placeholders(new, people)
        if self.dry:
            self.would["ticket"].update(t.source_id for t in new)
            self.report.created["cases"] += len(new)
            self.report.created["ratings"] += sum(1 for t in new if t.rating)
            for ticket in tickets:
                self._count_messages(ticket, recorded, people)
            return
        cases = [self._case(t, people) for t in new]
        Case.objects.bulk_create(cases)
        case_of = {t.source_id: c for t, c in zip(new, cases, strict=True)}
        self.report.created["cases"] += len(cases)
        if existing:  # already imported: only comments added since the last export are written
            ticket_of = {pk: sid for sid, pk in existing.items()}
            for case in Case.objects.filter(pk__in=sorted(ticket_of)).only("id", "subject", "channel"):
                case_of[ticket_of[case.pk]] = case
        self._tags(new, case_of)
        self._case_data(new, case_of)
        journal.record_many(
            [
                journal.Entry(
                    case_of[t.source_id].pk, IMPORTED, t.created_at, None, "", "", f"{self.label} ticket {t.source_id}"
                )
                for t in new
            ],
            ids=False,
        )
        documents = [search.case_document(c) for c in cases]
        messages: list[tuple[Message, rules.Comment | None, str]] = []
        for ticket in tickets:
            held = case_of.get(ticket.source_id)
            if held is None:
                continue
            case = held
            messages += self._messages(ticket, case, recorded, people, opening=ticket.source_id not in existing)
        self._write_messages(messages, documents)
        self._remember("ticket", [(t.source_id, case_of[t.source_id].pk) for t in new])

    def _placeholders(self, tickets: Sequence[rules.Ticket], people: _People) -> None:
        """A customer for each requester who is not a customer in the export: a member of staff
        (an internal request) becomes a colleague; a requester the export does not hold (a user
        deleted for good, or a ticket that names nobody) becomes "Deleted user (Zendesk 1234)", so
        every case keeps a requester."""
        missing: dict[str, str] = {}
        colleagues: dict[str, int] = {}
        for ticket in tickets:
            sid = ticket.requester_id or f"ticket-{ticket.source_id}"
            if sid in people.customers or sid in missing or sid in colleagues:
                continue
            if ticket.requester_id and people.staff.get(ticket.requester_id) is not None:
                colleagues[sid] = people.staff[ticket.requester_id] or 0  # 0: a dry run's would-be account
                continue
            missing[sid] = (
                f"Deleted user ({self.label} {ticket.requester_id})"
                if ticket.requester_id
                else f"Unknown requester ({self.label} ticket {ticket.source_id})"
            )
            if ticket.requester_id:
                self.report.issue(
                    rules.Issue(
                        "missing_requester",
                        f"ticket {ticket.source_id}",
                        f"Requester {ticket.requester_id} is not among the people exported; given a placeholder.",
                    )
                )
        if not missing and not colleagues:
            return
        self.report.created["customers"] += len(missing) + len(colleagues)
        if self.dry:
            self.would["person"].update(missing)
            self.would["person"].update(colleagues)
            people.customers.update({sid: 0 for sid in [*missing, *colleagues]})
            return
        now = self.options.now
        staff = {
            u.pk: u for u in User.objects.filter(pk__in=sorted(set(colleagues.values()))).only("id", "name", "email")
        }
        rows = [
            Customer(kind=CustomerKind.PERSON, name=name[:200], created_at=now, updated_at=now)
            for name in missing.values()
        ]
        rows += [
            Customer(
                kind=CustomerKind.COLLEAGUE,
                name=(staff[pk].name or staff[pk].email)[:200],
                email=staff[pk].email,
                created_at=now,
                updated_at=now,
            )
            for pk in colleagues.values()
        ]
        Customer.objects.bulk_create(rows)
        search.index_new([search.customer_document(c) for c in rows])
        pairs = list(zip([*missing, *colleagues], (c.pk for c in rows), strict=True))
        self._remember("person", pairs)
        people.customers.update(pairs)

    def _case(self, ticket: rules.Ticket, people: _People) -> Case:
        customer = people.customers[ticket.requester_id or f"ticket-{ticket.source_id}"]
        owner = people.staff.get(ticket.assignee_id) if ticket.assignee_id else None
        if ticket.assignee_id and ticket.assignee_id not in people.staff:
            self.report.issue(
                rules.Issue(
                    "unknown_assignee",
                    f"ticket {ticket.source_id}",
                    f"Assignee {ticket.assignee_id} is not among the staff exported; left unassigned.",
                )
            )
        finished = ticket.status in {Status.RESOLVED, Status.CLOSED}
        resolved = (ticket.solved_at or ticket.closed_at or ticket.updated_at) if finished else None
        closed = (ticket.closed_at or ticket.updated_at) if ticket.status == Status.CLOSED else None
        first = ticket.first_response_at or rules.first_staff_reply(
            ticket.comments, {sid: True for sid in people.staff}
        )
        return Case(
            type=ticket.type.value,
            status=ticket.status.value,
            priority=int(ticket.priority),
            channel=ticket.channel.value,
            subject=ticket.subject,
            customer_id=customer,
            owner_id=owner,
            created_at=ticket.created_at,
            updated_at=ticket.updated_at,
            first_response_at=first,
            resolved_at=resolved,
            closed_at=closed,
        )

    def _tags(self, tickets: Sequence[rules.Ticket], case_of: dict[str, Case]) -> None:
        names = sorted({tag for t in tickets for tag in t.tags} - set(self.tags))
        if names:
            Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
            self.tags.update(Tag.objects.filter(name__in=names).values_list("name", "id"))
        through = Case.tags.through
        Case.tags.through.objects.bulk_create(
            [through(case_id=case_of[t.source_id].pk, tag_id=self.tags[tag]) for t in tickets for tag in t.tags],
            ignore_conflicts=True,
        )

    def _case_data(self, tickets: Sequence[rules.Ticket], case_of: dict[str, Case]) -> None:
        rows = []
        for ticket in tickets:
            if not (ticket.fields or ticket.rating or ticket.merged_into):
                continue
            rating = ticket.rating
            rows.append(
                ImportedCaseData(
                    case_id=case_of[ticket.source_id].pk,
                    source=self.source,
                    source_id=ticket.source_id,
                    fields=[list(pair) for pair in ticket.fields],
                    rating_score=rating.score if rating else None,
                    rating_label=rating.label if rating else "",
                    rating_comment=rating.comment if rating else "",
                    rated_at=(rating.rated_at or ticket.updated_at) if rating else None,
                    merged_into_source=ticket.merged_into,
                )
            )
            if rating:
                self.report.created["ratings"] += 1
        ImportedCaseData.objects.bulk_create(rows)

    # --- messages -----------------------------------------------------------------------------

    def _kind(self, comment: rules.Comment, people: _People) -> str:
        if comment.kind:
            return comment.kind
        return rules.message_kind(public=comment.public, author_is_staff=comment.author_id in people.staff)

    def _count_messages(self, ticket: rules.Ticket, recorded: dict[str, int], people: _People) -> None:
        for comment in ticket.comments:
            if comment.source_id in recorded:
                self.report.skipped["messages"] += 1
                continue
            self._count_one(comment, people)
        if ticket.description and ticket.source_id not in self.counted:
            self.report.created["messages"] += 1
        self.counted.add(ticket.source_id)

    def _count_one(self, comment: rules.Comment, people: _People) -> None:
        kind = self._kind(comment, people)
        self.report.created["notes" if kind == rules.NOTE else "messages"] += 1
        self._author(comment, people)
        for ref in comment.files:
            where = f"attachment {ref.filename} on comment {comment.source_id}"
            if sources.local_file(self.where.base, ref.source_id, ref.filename) is not None or (
                ref.url and self.options.attachments_base
            ):
                self.report.created["attachments"] += 1
            else:
                self.report.issue(
                    rules.Issue(
                        "attachment_missing", where, "Not beside the export, and no address to fetch it from is set."
                    )
                )

    def _author(self, comment: rules.Comment, people: _People) -> int | None:
        if not comment.author_id:
            return None
        if comment.author_id in people.staff:
            return people.staff[comment.author_id]
        if comment.author_id not in people.customers:
            self.report.issue(
                rules.Issue(
                    "unknown_author",
                    f"comment {comment.source_id} on ticket {comment.ticket_id}",
                    f"Author {comment.author_id} is not among the people exported (deleted?); kept without an author.",
                )
            )
        return None

    def _messages(
        self,
        ticket: rules.Ticket,
        case: Case,
        recorded: dict[str, int],
        people: _People,
        *,
        opening: bool,
    ) -> list[tuple[Message, rules.Comment | None, str]]:
        found: list[tuple[Message, rules.Comment | None, str]] = []
        if opening and ticket.description:
            body = ticket.description[:MAX_BODY]
            self.report.created["messages"] += 1
            found.append(
                (
                    Message(
                        case_id=case.pk,
                        kind=rules.INBOUND,
                        channel=case.channel,
                        body=body,
                        body_html=sanitise_html(ticket.description_html) if ticket.description_html else "",
                        created_at=ticket.created_at,
                    ),
                    None,
                    case.subject,
                )
            )
        for comment in ticket.comments:
            if comment.source_id in recorded:
                self.report.skipped["messages"] += 1
                continue
            found.append((self._message(comment, case.pk, case.channel, people), comment, case.subject))
        return found

    def _message(self, comment: rules.Comment, case_id: int, channel: str, people: _People) -> Message:
        kind = self._kind(comment, people)
        self.report.created["notes" if kind == rules.NOTE else "messages"] += 1
        text = comment.text or (f"({len(comment.files)} attached)" if comment.files else "(no text)")
        return Message(
            case_id=case_id,
            kind=kind,
            channel=channel,
            author_id=self._author(comment, people),
            body=text[:MAX_BODY],
            body_html=sanitise_html(comment.html) if comment.html else "",
            created_at=comment.created_at,
        )

    def _write_messages(
        self, messages: list[tuple[Message, rules.Comment | None, str]], documents: list[SearchDocument]
    ) -> None:
        rows = [m for m, _, _ in messages]
        Message.objects.bulk_create(rows)
        documents += [search.message_document(m, subject) for m, _, subject in messages]
        search.index_new(documents)
        self._remember("comment", [(c.source_id, m.pk) for m, c, _ in messages if c is not None and c.source_id])
        attachments: list[tuple[Attachment, str]] = []
        for message, comment, _ in messages:
            if comment is not None:
                attachments += self._attachments(message, comment)
        if attachments:
            Attachment.objects.bulk_create([a for a, _ in attachments])
            self._remember("attachment", [(sid, a.pk) for a, sid in attachments if sid])
            previews.previews_queue([a.pk for a, _ in attachments if a.preview_state == PreviewState.PENDING])

    def _attachments(self, message: Message, comment: rules.Comment) -> list[tuple[Attachment, str]]:
        found = []
        for ref in comment.files:
            where = f"attachment {ref.filename} on comment {comment.source_id} of ticket {comment.ticket_id}"
            content = self._content(ref, where)
            if content is None:
                continue
            name = clean_filename(ref.filename)
            try:
                content_type = check_attachment(name, content[:4096], len(content), max_bytes=self.max_bytes)
            except AttachmentRefused as refused:
                self.report.issue(rules.Issue("attachment_refused", where, f"{refused} Not imported."))
                continue
            digest = hashlib.sha256(content).hexdigest()
            attachment = Attachment(
                message=message,
                filename=name,
                content_type=content_type,
                size=len(content),
                sha256=digest,
                created_at=comment.created_at,
                preview_state=initial_state(content_type),
            )
            attachment.file.save(digest, ContentFile(content), save=False)
            self.report.created["attachments"] += 1
            found.append((attachment, ref.source_id))
        return found

    def _content(self, ref: rules.FileRef, where: str) -> bytes | None:
        local = sources.local_file(self.where.base, ref.source_id, ref.filename)
        if local is not None:
            if local.stat().st_size > self.max_bytes:
                self.report.issue(
                    rules.Issue("attachment_refused", where, f"Larger than {self.max_bytes:,} bytes; not imported.")
                )
                return None
            return local.read_bytes()
        if ref.url and self.options.attachments_base:
            try:
                return sources.fetch(ref.url, base=self.options.attachments_base, limit=self.max_bytes)
            except sources.FileUnavailable as error:
                self.report.issue(rules.Issue("attachment_unavailable", where, str(error)))
                return None
        self.report.issue(
            rules.Issue("attachment_missing", where, "Not beside the export, and no address to fetch it from is set.")
        )
        return None

    # --- comments and ratings in files of their own ------------------------------------------------

    def _comments(self, mapped: Iterable[rules.Mapped]) -> None:
        done = 0
        for chunk in _batches(mapped, self.options.batch * 4):
            comments = []
            for item in chunk:
                self.report.add(item.issues)
                if item.record is not None:
                    comments.append(item.record)
            with transaction.atomic():
                self._comment_batch(comments)
            done += len(chunk)
            self.progress("comments", done)

    def _comment_batch(self, comments: Sequence[rules.Comment]) -> None:
        tickets = self._records("ticket", [c.ticket_id for c in comments])
        recorded = self._records("comment", [c.source_id for c in comments])
        authors = [c.author_id for c in comments]
        people = self._people_for(authors, authors)
        cases = {
            c.pk: c
            for c in Case.objects.filter(pk__in=sorted(set(tickets.values()))).only(
                "id", "subject", "channel", "status", "first_response_at"
            )
        }
        messages: list[tuple[Message, rules.Comment | None, str]] = []
        first_replies: dict[int, datetime] = {}
        merges: dict[int, tuple[str, str]] = {}  # a closed case's note saying where it was merged
        seen: set[str] = set()
        for comment in comments:
            if comment.source_id in recorded or comment.source_id in seen:
                self.report.skipped["messages"] += 1
                continue
            seen.add(comment.source_id)
            case = cases.get(tickets.get(comment.ticket_id, -1))
            if case is None and not (self.dry and comment.ticket_id in self.would["ticket"]):
                self.report.issue(
                    rules.Issue(
                        "orphan_comment",
                        f"comment {comment.source_id}",
                        f"Its ticket {comment.ticket_id} is not imported (deleted, or not exported); not imported.",
                    )
                )
                continue
            if self.dry or case is None:
                self._count_one(comment, people)
                continue
            message = self._message(comment, case.pk, case.channel, people)
            messages.append((message, comment, case.subject))
            target = rules.merged_target([comment.text]) if case.status == Status.CLOSED else ""
            if target and target != comment.ticket_id:
                merges[case.pk] = (comment.ticket_id, target)
            if message.kind == rules.OUTBOUND and (
                case.first_response_at is None or comment.created_at < case.first_response_at
            ):
                earlier = first_replies.get(case.pk)
                first_replies[case.pk] = comment.created_at if earlier is None else min(earlier, comment.created_at)
        if self.dry:
            return
        self._write_messages(messages, [])
        for case_id, when in first_replies.items():
            Case.objects.filter(pk=case_id).update(first_response_at=when)
        for case_id, (ticket_id, target) in merges.items():
            ImportedCaseData.objects.update_or_create(
                case_id=case_id,
                defaults={"source": self.source, "source_id": ticket_id, "merged_into_source": target},
            )

    def _ratings(self, pairs: Iterable[tuple[str, rules.Mapped]]) -> None:
        for chunk in _batches(pairs, PEOPLE_BATCH):
            with transaction.atomic():
                self._rating_batch(chunk)

    def _rating_batch(self, pairs: Sequence[tuple[str, rules.Mapped]]) -> None:
        ratings: dict[str, rules.Rating] = {}
        for ticket_id, item in pairs:
            self.report.add(item.issues)
            if item.record is not None and ticket_id:
                ratings[ticket_id] = item.record
        recorded = self._records("rating", ratings)
        tickets = self._records("ticket", ratings)
        self.report.skipped["ratings"] += len(recorded)
        todo = {tid: r for tid, r in ratings.items() if tid not in recorded}
        for tid in sorted(todo):
            if tid not in tickets and not (self.dry and tid in self.would["ticket"]):
                self.report.issue(
                    rules.Issue("orphan_rating", f"rating on ticket {tid}", "Its ticket is not imported; not imported.")
                )
                del todo[tid]
        self.report.created["ratings"] += len(todo)
        if self.dry or not todo:
            return
        held = {d.case_id: d for d in ImportedCaseData.objects.filter(case_id__in=[tickets[t] for t in todo])}
        pairs_done = []
        for tid, rating in todo.items():
            case_id = tickets[tid]
            data = held.get(case_id) or ImportedCaseData(case_id=case_id, source=self.source, source_id=tid)
            data.rating_score, data.rating_label, data.rating_comment = rating.score, rating.label, rating.comment
            data.rated_at = rating.rated_at
            data.save()
            pairs_done.append((tid, data.pk))
        self._remember("rating", pairs_done)

    # --- merged tickets -----------------------------------------------------------------------

    def _merges(self) -> None:
        """Point each merged ticket's case at the case it was merged into, once both are imported
        (ADR 0018: a merged case is a closed pointer). A target that is not in the export is
        reported and the case stays closed without a pointer."""
        if self.dry:
            return
        pending = ImportedCaseData.objects.filter(source=self.source).exclude(merged_into_source="")
        for chunk in _batches(
            pending.values_list("id", "case_id", "source_id", "merged_into_source").iterator(), PEOPLE_BATCH
        ):
            targets = self._records("ticket", [row[3] for row in chunk])
            with transaction.atomic():
                for pk, case_id, source_id, target in chunk:
                    into = targets.get(target)
                    if into is None or into == case_id:
                        self.report.issue(
                            rules.Issue(
                                "merge_target_missing",
                                f"ticket {source_id}",
                                f"Merged into ticket {target}, which is not imported.",
                            )
                        )
                        continue
                    Case.objects.filter(pk=case_id, merged_into__isnull=True).update(merged_into_id=into)
                    ImportedCaseData.objects.filter(pk=pk).update(merged_into_source="")
                    self.report.created["merge pointers"] += 1

    # --- CSV ----------------------------------------------------------------------------------

    def _csv(self) -> None:
        zone = self.options.zone
        done = 0
        for chunk in _batches(sources.csv_rows(self.where.tickets), self.options.batch):
            people: dict[str, rules.Person] = {}
            orgs: dict[str, rules.Organisation] = {}
            tickets: dict[str, rules.Ticket] = {}
            for row in chunk:
                mapped = rules.csv_ticket(row, zone=zone)
                self.report.add(mapped.issues)
                if mapped.record is None:
                    continue
                requester, assignee, org = rules.csv_people(row)
                people.setdefault(requester.source_id, requester)
                if assignee:
                    people.setdefault(assignee.source_id, assignee)
                if org:
                    orgs.setdefault(org.source_id, org)
                tickets[mapped.record.source_id] = mapped.record
            with transaction.atomic():
                if orgs:
                    self._organisation_batch([rules.Mapped(o) for o in orgs.values()])
                self._people_batch(list(people.values()))
                self._ticket_batch(list(tickets.values()))
            done += len(chunk)
            self.progress("tickets", done)
        for path in self.where.comments:
            comment_rows = (rules.csv_comment(row, zone=zone) for row in sources.csv_rows(path))
            self._csv_authors(path)
            self._comments(comment_rows)
        self._merges()

    def _csv_authors(self, path: Path) -> None:
        """Staff who wrote comments in a CSV are known by their email address only."""
        authors: dict[str, rules.Person] = {}
        for row in sources.csv_rows(path):
            email = rules.clean_email(row.get("author_email"))
            if email and str(row.get("from", "")).strip().lower() in {"staff", "agent"}:
                authors.setdefault(
                    email,
                    rules.Person(
                        email, rules.person_name(row.get("author_name"), email, email, "csv"), email, staff=True
                    ),
                )
            if len(authors) >= PEOPLE_BATCH:
                with transaction.atomic():
                    self._staff_batch(list(authors.values()))
                authors.clear()
        if authors:
            with transaction.atomic():
                self._staff_batch(list(authors.values()))


# --- runs: the command line and the admin page -----------------------------------------------------

RUN_JOB = "imports.run"  # registered by hooks.register(): tasks.run_task
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024
UPLOAD_SUFFIXES = (".zip", ".json", ".jsonl", ".ndjson", ".csv")
BAD_UPLOAD = "Upload a .zip of the export folder, or one .json, .jsonl or .csv file."
BAD_BASE = "Give an address starting with http:// or https://, or leave it empty."


def run_create(
    *,
    source: str,
    label: str,
    now: datetime,
    dry_run: bool = False,
    actor: User | None = None,
    attachments_base: str = "",
    zone: str = "",
    upload: tuple[str, bytes] | None = None,
) -> ImportRun:
    """Record an import about to run; with ``upload`` (name, bytes: the admin page) the file is kept
    in storage for the job, and the job is queued once the row is committed."""
    from rapport.platform.errors import FieldError

    if source not in rules.SOURCES:
        raise FieldError(source=f"Choose one of: {', '.join(rules.SOURCES)}.")
    base = attachments_base.strip()
    if base and not base.lower().startswith(("http://", "https://")):
        raise FieldError(attachments_base=BAD_BASE)
    if upload is not None:
        name, content = upload
        if not name.lower().endswith(UPLOAD_SUFFIXES):
            raise FieldError(file=BAD_UPLOAD)
        if len(content) > MAX_UPLOAD_BYTES:
            raise FieldError(
                file=f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: use `rapport import`."
            )
    run = ImportRun(
        source=source,
        label=label[:255],
        dry_run=dry_run,
        started_by=actor,
        created_at=now,
        options={"attachments_base": base, "timezone": zone},
    )
    with transaction.atomic():
        if upload is not None:
            name, content = upload
            run.upload.save(
                f"{hashlib.sha256(content).hexdigest()[:16]}-{clean_filename(Path(name).name)}",
                ContentFile(content),
                save=False,
            )
        run.save()
        if upload is not None:
            from rapport.platform import jobs

            transaction.on_commit(lambda: jobs.enqueue(RUN_JOB, run.pk))
    return run


def run_execute(
    *, run: ImportRun, path: Path, now: datetime, batch: int = BATCH, progress: Progress | None = None
) -> Report:
    """Run the import ``run`` records, over the export at ``path``, keeping the run's stage and
    count up to date (the admin page polls them) and its report at the end. A failure is recorded
    on the run and raised again; what the finished batches wrote stays (run it again to resume)."""
    zone_name = str(run.options.get("timezone") or "") or settings.TIME_ZONE
    ImportRun.objects.filter(pk=run.pk).update(state=RunState.RUNNING, started_at=now)
    total = sources.count_lines(sources.layout(run.source, path).tickets) if run.source != "csv" else None
    if total is not None:
        ImportRun.objects.filter(pk=run.pk).update(total=total)

    def report_progress(stage: str, done: int) -> None:
        ImportRun.objects.filter(pk=run.pk).update(stage=stage, done=done)
        if progress is not None:
            progress(stage, done)

    try:
        report = import_run(
            source=run.source,
            path=path,
            now=now,
            dry_run=run.dry_run,
            attachments_base=str(run.options.get("attachments_base") or ""),
            zone=ZoneInfo(zone_name),
            batch=batch,
            progress=report_progress,
        )
    except Exception as error:
        ImportRun.objects.filter(pk=run.pk).update(
            state=RunState.FAILED, finished_at=timezone.now(), error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    ImportRun.objects.filter(pk=run.pk).update(
        state=RunState.FINISHED, finished_at=timezone.now(), report=report.as_json(), stage="done"
    )
    return report


def run_job(run_id: int) -> str:
    """The admin page's import, in the worker: the upload unpacked into a private folder, imported,
    and then deleted from storage (it holds people's data)."""
    import shutil
    import tempfile

    run = ImportRun.objects.filter(pk=run_id, state=RunState.QUEUED).first()
    if run is None or not run.upload:
        return "nothing to do"
    folder = Path(tempfile.mkdtemp(prefix="rapport-import-"))
    try:
        with run.upload.open("rb") as handle:
            unpack(run.source, Path(str(run.upload.name)).name, handle, folder)
        report = run_execute(run=run, path=folder, now=timezone.now())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        run.upload.delete(save=False)
        ImportRun.objects.filter(pk=run.pk).update(upload="")
    return report.describe()


def unpack(source: str, name: str, handle: Any, folder: Path) -> None:
    """An upload laid out as an export folder: a zip's files (never outside ``folder``, at most
    ``MAX_UNPACKED_BYTES`` in all: a zip bomb stops there), or one file as the tickets file."""
    import shutil
    import zipfile

    lower = name.lower()
    if not lower.endswith(".zip"):
        suffix = Path(lower).suffix
        target = folder / ("tickets.csv" if source == "csv" else f"tickets{suffix}")
        with target.open("wb") as out:
            shutil.copyfileobj(handle, out)
        return
    root = folder.resolve()
    written = 0
    with zipfile.ZipFile(handle) as archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        # An export zipped with its folder: its files are one level down.
        prefix = _common_folder([m.filename for m in members])
        for member in members:
            relative = member.filename[len(prefix) :]
            target = (root / relative).resolve()
            if not relative or not target.is_relative_to(root):
                raise ValueError(f"{member.filename} would be written outside the import folder.")
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source_file, target.open("wb") as out:
                while block := source_file.read(1024 * 1024):
                    written += len(block)
                    if written > MAX_UNPACKED_BYTES:
                        raise ValueError("The zip unpacks to more than 2 GB: use `rapport import` on the server.")
                    out.write(block)


def _common_folder(names: Sequence[str]) -> str:
    firsts = {n.split("/", 1)[0] for n in names}
    if len(firsts) == 1 and all("/" in n for n in names):
        return f"{firsts.pop()}/"
    return ""
