"""The event journal: the one way to write a case event, and how code reacts to one.

Every change to a case is an append-only ``CaseEvent``, written here by ``record`` (one) or
``record_many`` (a batch, one insert). Nothing else constructs one (``tests/cases/test_journal.py``
scans the tree). Each event has a registered kind: its name, the app that owns it, the fields it
may name (its payload schema) and how it reads on the staff timeline and, if customers see it, to
customers. The core registers its own kinds below; capabilities (SLA, complaints, privacy,
feedback …) register theirs from their ``hooks.register()``, so the core imports none of them.
Registering a kind twice is refused: two apps cannot both own one name.

Subscribers (ADR 0009) react to a kind in one of three ways:

- ``IN_TRANSACTION``: called right after the rows are written, inside the writer's transaction;
  their writes commit or roll back with the event, an exception undoes the whole write. For
  reactions that must hold together with the change (rare).
- ``ON_COMMIT``: called after the transaction commits (Django's ``on_commit``); never for a write
  that rolled back. At most once: a process that dies between the commit and the call loses it.
  For cheap, disposable reactions (clearing a copy, nudging a page).
- ``JOB``: a delivery row is written in the event's transaction and a job is queued on commit; the
  job calls the subscriber and deletes the rows in one transaction, and a periodic sweep delivers
  what a lost job left. At least once: a subscriber that fails, or a worker that dies, is called
  again with the same events, so it must be idempotent. For slow or external work (webhooks,
  automation, notifications, KPIs).

Ordering: subscribers of a kind are called in the order they subscribed (app order); each gets
the events of one ``record_many`` call that are of its kind, in the order they were recorded. Job
subscribers get their pending events in the order they were written (by id).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from rapport.accounts.models import User
from rapport.cases import presence
from rapport.cases.models import Case, CaseEvent, JournalDelivery
from rapport.platform import jobs

DELIVER_JOB = "cases.journal_deliver"  # registered by CasesConfig.ready(): tasks.journal_deliver

if TYPE_CHECKING:
    from django.utils.safestring import SafeString


log = logging.getLogger(__name__)

Renderer = Callable[[CaseEvent], "SafeString"]
Handler = Callable[[Sequence[CaseEvent]], None]


class KindAlreadyRegistered(ValueError):
    """Two registrations of one event kind."""


class UnknownKind(LookupError):
    """An event of a kind nobody registered."""


class Delivery(StrEnum):
    IN_TRANSACTION = "in_transaction"
    ON_COMMIT = "on_commit"
    JOB = "job"


@dataclass(frozen=True)
class EventKind:
    """An event kind: ``name`` as stored, the ``app`` that owns it, the ``fields`` an event of it
    may name (empty: none; ``None``: any, e.g. a data request's fields), the text it shows staff
    (``staff``: the inside of the timeline entry, escaped) and customers (``customer``; ``None``
    when the event is internal). A ``quiet`` kind says nothing about the case itself (a colleague
    starts following it): the collision warning before sending does not stop for it."""

    name: str
    app: str
    staff: Renderer
    fields: frozenset[str] | None = frozenset()
    customer: Renderer | None = None
    quiet: bool = False


@dataclass(frozen=True)
class Subscriber:
    """``wanted``, when given, is asked at each write whether the subscriber wants events of its kind
    now (a webhook subscriber with no webhook listening): when not, nothing is owed or queued."""

    name: str
    kind: str
    handler: Handler
    delivery: Delivery
    wanted: Callable[[str], bool] | None = None


@dataclass
class _Registry:
    kinds: dict[str, EventKind] = field(default_factory=dict)
    subscribers: dict[str, list[Subscriber]] = field(default_factory=dict)
    by_name: dict[str, Subscriber] = field(default_factory=dict)


_registry = _Registry()


def register(kind: EventKind) -> EventKind:
    """Register an event kind; refused if its name is taken."""
    held = _registry.kinds.get(kind.name)
    if held is not None:
        raise KindAlreadyRegistered(f"The event kind {kind.name!r} is registered already (by {held.app}).")
    _registry.kinds[kind.name] = kind
    return kind


def kind_of(name: str) -> EventKind:
    """The registered kind ``name`` (events of kinds no longer registered read as the generic kind)."""
    found = _registry.kinds.get(name)
    return found if found is not None else EventKind(name, "", generic)


def kinds() -> dict[str, EventKind]:
    return dict(_registry.kinds)


def quiet_kinds() -> list[str]:
    """The kinds that say nothing about the case itself (``EventKind.quiet``)."""
    return sorted(name for name, kind in _registry.kinds.items() if kind.quiet)


def subscribe(
    kind: str, handler: Handler, *, delivery: Delivery, name: str, wanted: Callable[[str], bool] | None = None
) -> Subscriber:
    """Call ``handler`` with the events of ``kind`` as ``delivery`` says. ``name`` identifies the
    subscriber in delivery rows (keep it stable); subscribing one name twice is refused."""
    if name in _registry.by_name:
        raise KindAlreadyRegistered(f"The subscriber {name!r} is subscribed already.")
    subscriber = Subscriber(name, kind, handler, delivery, wanted)
    _registry.by_name[name] = subscriber
    _registry.subscribers.setdefault(kind, []).append(subscriber)
    return subscriber


def unsubscribe(name: str) -> None:
    """Remove a subscriber (tests that subscribe for one test)."""
    subscriber = _registry.by_name.pop(name, None)
    if subscriber is not None:
        _registry.subscribers[subscriber.kind].remove(subscriber)


@dataclass(frozen=True, slots=True)
class Entry:
    """An event to record. ``before`` and ``after`` are stored as text: ``None`` as empty, moments
    and dates in ISO form (renderers format them for people)."""

    case: Case | int
    kind: str
    at: datetime
    actor: User | int | None = None
    field: str = ""
    before: object = ""
    after: object = ""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _row(entry: Entry) -> CaseEvent:
    kind = _registry.kinds.get(entry.kind)
    if kind is None:
        raise UnknownKind(f"No event kind {entry.kind!r} is registered.")
    if kind.fields is not None and entry.field and entry.field not in kind.fields:
        raise ValueError(f"An event of kind {entry.kind!r} cannot name the field {entry.field!r}.")
    event = CaseEvent(
        at=entry.at, kind=entry.kind, field=entry.field, before=_text(entry.before), after=_text(entry.after)
    )
    if isinstance(entry.case, Case):
        event.case = entry.case
    else:
        event.case_id = entry.case
    if entry.actor is None or isinstance(entry.actor, int):
        event.actor_id = entry.actor
    else:
        event.actor = entry.actor
    return event


def record(
    *,
    case: Case | int,
    kind: str,
    at: datetime,
    actor: User | int | None = None,
    field: str = "",
    before: object = "",
    after: object = "",
) -> CaseEvent:
    """Write one event (and tell its subscribers)."""
    return record_many([Entry(case, kind, at, actor, field, before, after)])[0]


def record_many(entries: Iterable[Entry], *, ids: bool = True) -> list[CaseEvent]:
    """Write events in one insert, in order (and tell their subscribers). ``ids=False`` skips
    reading the new ids back (a bulk import that never needs them; one ``executemany``)."""
    events = [_row(e) for e in entries]
    if not events:
        return events
    # The rows, the subscribers inside the transaction and the deliveries owed hold together even
    # for a caller that holds no transaction (no savepoint: inside one, this adds no query).
    with transaction.atomic(savepoint=False):
        if ids or _needs_ids(events):
            CaseEvent.objects.bulk_create(events)
        else:
            _insert(events)
        _tell(events)
        _stamp(events)
    return events


def _stamp(events: list[CaseEvent]) -> None:
    """Once the write commits, tell open case pages' polls that their case changed (the cache
    only: ``presence.stamp``)."""
    latest: dict[int, int] = {}
    unknown: set[int] = set()
    for event in events:
        if event.pk is None:
            unknown.add(event.case_id)
        else:
            latest[event.case_id] = max(latest.get(event.case_id, 0), event.pk)
    transaction.on_commit(lambda: presence.stamp(latest, sorted(unknown)))


def _needs_ids(events: list[CaseEvent]) -> bool:
    """Job subscribers keep the ids of the events they are owed."""
    return any(
        s.delivery is Delivery.JOB and (s.wanted is None or s.wanted(kind))
        for kind in {e.kind for e in events}  # asked once a kind, not once an event (bulk writes)
        for s in _registry.subscribers.get(kind, ())
    )


def _insert(events: list[CaseEvent]) -> None:
    """Insert rows as ``bulk_create`` would prepare them, without compiling a statement per batch or
    reading ids back."""
    meta = CaseEvent._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from _meta
    rows = [tuple(f.get_db_prep_save(f.pre_save(e, True), connection) for f in fields) for e in events]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _tell(events: list[CaseEvent]) -> None:
    if not _registry.subscribers:
        return
    by_kind: dict[str, list[CaseEvent]] = {}
    for event in events:
        if event.kind in _registry.subscribers:
            by_kind.setdefault(event.kind, []).append(event)
    owed: list[JournalDelivery] = []
    for kind, found in by_kind.items():
        for subscriber in _registry.subscribers[kind]:
            if subscriber.wanted is not None and not subscriber.wanted(kind):
                continue
            if subscriber.delivery is Delivery.IN_TRANSACTION:
                subscriber.handler(found)
            elif subscriber.delivery is Delivery.ON_COMMIT:
                transaction.on_commit(lambda h=subscriber.handler, f=found: h(f))  # type: ignore[misc]
            else:
                owed.extend(JournalDelivery(subscriber=subscriber.name, event_id=e.pk) for e in found)
    if owed:
        JournalDelivery.objects.bulk_create(owed)
        for name in sorted({d.subscriber for d in owed}):
            transaction.on_commit(lambda n=name: jobs.enqueue_coalesced(DELIVER_JOB, n))  # type: ignore[misc]


def deliver(subscriber_name: str, *, limit: int = 1000) -> int:
    """Call a job subscriber with the events it is owed (oldest first) and forget them, in one
    transaction: if the subscriber fails, they stay owed. Returns how many were delivered."""
    subscriber = _registry.by_name.get(subscriber_name)
    if subscriber is None:
        return 0
    with transaction.atomic():
        owed = list(
            JournalDelivery.objects.select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)
            .filter(subscriber=subscriber_name)
            .order_by("event_id")[:limit]
        )
        if not owed:
            return 0
        events = list(CaseEvent.objects.filter(pk__in=[d.event_id for d in owed]).order_by("id"))
        subscriber.handler(events)
        JournalDelivery.objects.filter(pk__in=[d.pk for d in owed]).delete()
    return len(owed)


def deliver_all() -> int:
    """Deliver everything owed to every job subscriber (the periodic sweep)."""
    total = 0
    for name in sorted(set(JournalDelivery.objects.values_list("subscriber", flat=True).distinct())):
        while done := deliver(name):
            total += done
    return total


# --- rendering --------------------------------------------------------------------------------


def staff_text(event: CaseEvent) -> SafeString:
    """The event as the staff timeline reads it (escaped)."""
    return kind_of(event.kind).staff(event)


def humanise(value: Any) -> str:
    """``waiting_on_customer`` → ``Waiting on customer``."""
    text = str(value or "").replace("_", " ")
    return text[:1].upper() + text[1:]


def actor_label(event: CaseEvent, fallback: str) -> str:
    """Who did it, or ``fallback`` (the system): the actor loaded with the event."""
    return str(event.actor) if event.actor_id is not None and event.actor else fallback


def generic(event: CaseEvent) -> SafeString:
    """A kind with no words of its own: its name, who, which field, and what it became."""
    field_text = format_html(" · {}", humanise(event.field).lower()) if event.field else ""
    after = format_html(": {}", event.after) if event.after else ""
    return format_html(
        '<span class="event-kind">{}</span> {}{}{}', humanise(event.kind), actor_label(event, ""), field_text, after
    )


def dated(label: str) -> Renderer:
    """A kind whose value is a moment (``after`` in ISO form): the moment as people read it."""

    def render(event: CaseEvent) -> SafeString:
        field_text = format_html(" · {}", humanise(event.field).lower()) if event.field else ""
        actor = format_html(" {}", actor_label(event, "")) if event.actor_id is not None else ""
        return format_html(
            '<span class="event-kind">{}</span>{}{}: {}', label, actor, field_text, moment_words(event.after)
        )

    return render


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def moment_words(value: str) -> str:
    """An ISO moment or day as the desk writes dates ("13 Nov 2026, 09:30" local time, or
    "13 Nov 2026"); text that is neither comes back as it is."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    if len(value) <= 10:
        return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"


def _created(event: CaseEvent) -> SafeString:
    return format_html('<span class="event-kind">Opened</span> by {}', actor_label(event, "the system"))


_CODED = frozenset({"status", "type", "priority"})
PERSON_FIELDS = frozenset({"owner"})
"""Fields whose before/after hold a person's user id, never their name: the audit trail points at
people by identity, so erasing someone never rewrites it by matching text, and a namesake's
entries are never touched (UK GDPR Art 17; issue: erasure by identity)."""
FORMER_STAFF = "a former member of staff"


def person(user: Any) -> str:
    """The stored value for a person in a before/after: their user id, or "" for nobody."""
    return str(user.pk) if user is not None else ""


def resolve_people(events: Sequence[CaseEvent]) -> None:
    """Load the names of the people ``events`` point at, in one query, for their renderers."""
    ids = {
        int(value)
        for event in events
        if event.field in PERSON_FIELDS
        for value in (event.before, event.after)
        if value.isdigit()
    }
    names: dict[int, str] = {}
    if ids:
        names = dict(User.objects.filter(pk__in=ids).values_list("pk", "name"))
    for event in events:
        event._people = names  # type: ignore[attr-defined]


def _person_name(event: CaseEvent, value: str) -> str:
    if not value.isdigit():
        return value  # recorded before people were stored by id, or a name nobody could match
    names: dict[int, str] | None = getattr(event, "_people", None)
    if names is None:
        resolve_people([event])
        names = event._people  # type: ignore[attr-defined]
    return names.get(int(value)) or FORMER_STAFF


def _value(value: str, field: str, event: CaseEvent) -> str:
    """A before/after value as people read it: codes humanised, people by their current name."""
    if field in PERSON_FIELDS:
        return _person_name(event, value)
    return humanise(value) if field in _CODED else value


def _changed(event: CaseEvent) -> SafeString:
    return format_html(
        '<span class="event-kind">Changed</span> {} changed <strong>{}</strong>\n'
        'from <span class="before">{}</span>\n'
        '<span aria-hidden="true">→</span><span class="visually-hidden">to</span>\n'
        '<span class="after">{}</span>',
        actor_label(event, "The system"),
        humanise(event.field).lower(),
        _value(event.before, event.field, event) or "(none)",
        _value(event.after, event.field, event) or "(none)",
    )


def _first_response(event: CaseEvent) -> SafeString:
    return format_html('<span class="event-kind">First response</span> sent by {}', actor_label(event, "the system"))


CREATED = register(EventKind("created", "cases", _created))
MESSAGE = register(EventKind("message", "cases", generic))
NOTE = register(EventKind("note", "cases", generic))
CHANGED = register(
    EventKind(
        "changed",
        "cases",
        _changed,
        fields=frozenset({"subject", "type", "status", "priority", "owner", "team", "tags"}),
    )
)
FIRST_RESPONSE = register(EventKind("first_response", "cases", _first_response))


def _case_links(text: str) -> SafeString:
    """References stored as "CAS-…, CAS-…" as links to their pages."""
    refs = [r.strip() for r in text.split(",") if r.strip()]
    return format_html_join(", ", '<a href="{}">{}</a>', ((reverse("cases:detail", args=[r]), r) for r in refs))


def _merged(event: CaseEvent) -> SafeString:
    return format_html(
        '<span class="event-kind">Merged</span> {} merged {} into this case',
        actor_label(event, "The system"),
        _case_links(event.after),
    )


def _merged_into(event: CaseEvent) -> SafeString:
    return format_html(
        '<span class="event-kind">Merged</span> {} merged this case into {}',
        actor_label(event, "The system"),
        _case_links(event.after),
    )


def _split_to(event: CaseEvent) -> SafeString:
    return format_html(
        '<span class="event-kind">Split</span> {} moved {} to a new case, {}',
        actor_label(event, "The system"),
        event.before,
        _case_links(event.after),
    )


def _split_from(event: CaseEvent) -> SafeString:
    return format_html(
        '<span class="event-kind">Split</span> {} opened this case with {} from {}',
        actor_label(event, "The system"),
        event.before,
        _case_links(event.after),
    )


def _cc_changed(event: CaseEvent) -> SafeString:
    return format_html(
        '<span class="event-kind">CC</span> {} changed who is copied from <span class="before">{}</span>'
        ' <span aria-hidden="true">→</span><span class="visually-hidden">to</span> <span class="after">{}</span>',
        actor_label(event, "The system"),
        event.before or "(nobody)",
        event.after or "(nobody)",
    )


MERGED = register(EventKind("merged", "cases", _merged))
MERGED_INTO = register(EventKind("merged_into", "cases", _merged_into))
SPLIT_TO = register(EventKind("split_to", "cases", _split_to))
SPLIT_FROM = register(EventKind("split_from", "cases", _split_from))
CC_CHANGED = register(EventKind("cc_changed", "cases", _cc_changed, fields=frozenset({"cc"})))


def _customer_merged(event: CaseEvent) -> SafeString:
    return format_html(
        '<span class="event-kind">Customer merged</span> {} merged customer record {} into {}: this case moved with it',
        actor_label(event, "The system"),
        event.before,
        event.after,
    )


CUSTOMER_MERGED = register(EventKind("customer_merged", "cases", _customer_merged, fields=frozenset({"customer"})))
