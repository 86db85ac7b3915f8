"""The bulk seeder behind `rapport seed`: a million cases in minutes, on SQLite and PostgreSQL.

Rows are built as plain tuples and written with one ``executemany`` (SQLite) or ``COPY``
(PostgreSQL) per table per batch, one transaction per batch. Django's ``bulk_create`` builds a
model instance per row and manages ~20,000 rows a second here; a million cases are ~17 million
rows, so it would take a quarter of an hour just to insert them. Columns come from the models'
``_meta`` (anything not set here gets its field default), so a new column with a default needs no
change here; a new required column fails loudly.

The rows are what the services would have written (rapport.cases.services): each plan is replayed
through the case lifecycle (rapport.domain.case_lifecycle) as the services replay their work, so
the events come in the same order and the case fields (status, first response, resolved, closed,
version) follow from the steps by the same rules; and a search document for each case, message and
customer. `tests/cli` checks this
against the services themselves.

Seeding adds to what is there: ids are taken from the table (SQLite, inside the batch's write lock)
or from the id sequence (PostgreSQL), so references continue and never clash with cases the desk
creates meanwhile. Big loads on SQLite set some indexes aside until the end (``indexes_paused``):
stop the server for those, or it will be slow until the seed finishes.
"""

from __future__ import annotations

import importlib
import random
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import DatabaseError, connection, models, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone

from rapport.accounts.models import User
from rapport.cases.models import Case, CaseEvent, Message, SearchDocument, Tag
from rapport.customers.models import Customer, CustomerKind
from rapport.domain import case_lifecycle as lifecycle
from rapport.domain.case_rules import Channel, Status
from rapport.domain.references import format_reference
from rapport.seeding import plans
from rapport.seeding.arrivals import Timeline
from rapport.seeding.organisation import StaffMember, TeamStaff, staff_pool_ensure
from rapport.seeding.plans import ASSIGN, INBOUND, MESSAGE, NOTE, OUTBOUND, CasePlan, Weighted
from rapport.seeding.pools import Pools
from rapport.seeding.scenarios import (
    ALL_TAGS,
    COMPANY_SCENARIOS,
    DEPARTMENTS,
    EXTERNAL_SCENARIOS,
    FRONT_LINE,
    INTERNAL,
    INTERNAL_SCENARIOS,
)

_search_migration = importlib.import_module("rapport.cases.migrations.0002_search_index")

DEFAULT_BATCH = 5000  # cases per transaction: ~85,000 rows
# Below this many new cases the indexes are kept up to date row by row, as the services do.
FAST_INDEX_MIN_CASES = 20_000
INTERNAL_SHARE = 0.12  # of cases raised by colleagues and departments
CUSTOMER_KINDS = Weighted([(CustomerKind.PERSON, 76), (CustomerKind.COMPANY, 12), (CustomerKind.COLLEAGUE, 12)])
MESSAGE_COUNTS = (2, 2, 3, 3, 3, 4)  # 2 to 4 messages a case, about 2.8 on average
CUSTOMER_NOTES = (
    "Prefers a call back after 5pm.",
    "Large print for all letters (reasonable adjustment).",
    "Account holder is the customer's son; authority to discuss on file.",
    "Speaks Welsh; offer a Welsh-speaking adviser.",
)

Progress = Callable[["SeedProgress"], None]


@dataclass
class SeedProgress:
    stage: str  # "customers" | "cases" | "indexes" | "search index" | "analyse"
    done: int
    total: int
    rows: int
    elapsed: float


@dataclass
class SeedResult:
    seed: int
    customers: int = 0
    cases: int = 0
    messages: int = 0
    events: int = 0
    documents: int = 0
    tags: int = 0
    first_case_id: int | None = None
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return self.customers + self.cases + self.messages + self.events + self.documents + self.tags


class Table:
    """An INSERT for a model's table: the columns we fill, then every other column at its default
    (except those the database fills itself)."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no field {sorted(unknown)}")
        # The database fills generated columns (Case.is_active) and ones with a database default.
        rest = [
            f
            for name, f in fields.items()
            if name not in columns and not f.primary_key and not f.generated and f.db_default is NOT_PROVIDED
        ]
        self.name = model._meta.db_table
        self.columns = [str(fields[c].column) for c in columns] + [str(f.column) for f in rest]
        self.extra = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)

    def rows(self, rows: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        if not self.extra:
            return iter(rows)
        extra = self.extra
        return (row + extra for row in rows)


class Writer:
    """Writes batches of tuples on the default connection; hands out ids that continue the table's."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.postgres = self.vendor == "postgresql"
        self._days: dict[int, str] = {}

    def ids(self, model: type[models.Model], count: int) -> list[int]:
        if not count:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
                )
                return sorted(r[0] for r in cursor.fetchall())
            # Inside the batch's write transaction nobody else can insert; AUTOINCREMENT never reuses
            # the id of a deleted row, and neither do we (a reference names one case for ever).
            cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 - a model's table name
            top = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            top = max(top, row[0] if row else 0)
        return list(range(top + 1, top + 1 + count))

    def insert(self, table: Table, rows: list[tuple[Any, ...]]) -> int:
        if not rows:
            return 0
        qn = connection.ops.quote_name
        columns = ", ".join(qn(c) for c in table.columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {qn(table.name)} ({columns}) FROM STDIN") as copy:
                    for row in table.rows(rows):
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(table.columns))
                sql = f"INSERT INTO {qn(table.name)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from _meta
                cursor.executemany(sql, list(table.rows(rows)))
        return len(rows)

    def when(self, ts: int) -> Any:
        """A time as the column takes it: PostgreSQL takes datetimes; SQLite stores the text Django
        writes for a UTC time (``2026-03-02 10:00:00``), built here from a per-day cache."""
        if self.postgres:
            return datetime.fromtimestamp(ts, tz=UTC)
        day, seconds = divmod(ts, 86400)
        date = self._days.get(day)
        if date is None:
            date = self._days[day] = time.strftime("%Y-%m-%d", time.gmtime(day * 86400))
        hours, seconds = divmod(seconds, 3600)
        minutes, seconds = divmod(seconds, 60)
        return f"{date} {hours:02d}:{minutes:02d}:{seconds:02d}"


CUSTOMER_COLUMNS = (
    "id", "kind", "name", "organisation", "email", "phone", "address", "preferred_channel", "notes",
    "created_at", "updated_at",
)  # fmt: skip
CASE_COLUMNS = (
    "id", "type", "status", "priority", "channel", "subject", "customer_id", "owner_id", "team_id",
    "created_at", "updated_at", "first_response_at", "resolved_at", "closed_at", "version",
)  # fmt: skip
MESSAGE_COLUMNS = ("id", "case_id", "kind", "channel", "author_id", "body", "created_at")
EVENT_COLUMNS = ("case_id", "actor_id", "at", "kind", "field", "before", "after")
DOCUMENT_COLUMNS = ("kind", "object_id", "case_id", "customer_id", "internal", "title", "body")
TAG_COLUMNS = ("case_id", "tag_id")


class CaseRows:
    """The rows one batch of cases becomes, built by replaying each plan as the services would."""

    def __init__(self, writer: Writer) -> None:
        self.when = writer.when
        self.cases: list[tuple[Any, ...]] = []
        self.messages: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.documents: list[tuple[Any, ...]] = []
        self.tags: list[tuple[int, int]] = []

    def add(
        self,
        plan: CasePlan,
        *,
        case_id: int,
        message_ids: Iterator[int],
        customer_id: int,
        team_id: int | None,
        worker: StaffMember,
        leader: StaffMember,
        tag_ids: dict[str, int],
    ) -> str:
        """Append the rows for ``plan``; returns the status the case ends in."""
        when = self.when
        event = self.events.append
        message = self.messages.append
        document = self.documents.append
        subject = plan.subject
        channel = plan.channel
        logged = plan.logged_by_staff
        # Who typed the first message in: the agent for calls, visits and letters; the customer otherwise.
        creator = worker.id if logged or channel == Channel.LETTER else None
        owner_id = worker.id if logged else None
        created = stamp = when(plan.created_at)
        state: lifecycle.CaseState[int] = lifecycle.opened(owned=logged)
        if logged:  # a call, a visit: answered as it happens
            state, _ = lifecycle.step(state, lifecycle.AnsweredInPerson(), plan.created_at)

        mid = next(message_ids)
        message((mid, case_id, INBOUND, channel, creator, plan.body, stamp))
        document(("message", mid, case_id, None, False, subject, plan.body))
        event((case_id, creator, stamp, "created", "", "", format_reference(case_id)))
        event((case_id, creator, stamp, "message", "", "", f"inbound #{mid}"))

        for step in plan.steps:
            stamp = when(step.at)
            action = step.action
            if action == MESSAGE:
                kind = step.kind
                mid = next(message_ids)
                actor = None if kind == INBOUND and creator is None else worker.id
                message((mid, case_id, kind, channel, actor, step.body, stamp))
                document(("message", mid, case_id, None, kind == NOTE, subject, step.body))
                event((case_id, actor, stamp, "note" if kind == NOTE else "message", "", "", f"{kind} #{mid}"))
                move: lifecycle.Action = (
                    lifecycle.CustomerWrote()
                    if kind == INBOUND
                    else lifecycle.StaffWrote(
                        reply=kind == OUTBOUND, status_after=Status(step.status) if step.status else None
                    )
                )
            elif action == ASSIGN:
                actor = leader.id
                move = lifecycle.Edit(owner=("", str(worker.id)))
                owner_id = worker.id
            else:  # STATUS
                actor = worker.id
                move = lifecycle.Edit(status=Status(step.status))
            state, specs = lifecycle.step(state, move, step.at)
            for spec in specs:
                after = _iso(spec.after) if spec.kind == lifecycle.FIRST_RESPONSE else spec.after
                event((case_id, actor, stamp, spec.kind, spec.field, spec.before, after))

        status = state.status.value
        first_response = None if state.first_response_at is None else when(state.first_response_at)
        resolved = None if state.resolved_at is None else when(state.resolved_at)
        closed = None if state.closed_at is None else when(state.closed_at)
        version = state.version
        self.cases.append(
            (
                case_id,
                plan.type,
                status,
                plan.priority,
                channel,
                subject,
                customer_id,
                owner_id,
                team_id,
                created,
                stamp,
                first_response,
                resolved,
                closed,
                version,
            )
        )
        document(("case", case_id, case_id, customer_id, False, subject, subject))
        for tag in plan.tags:
            self.tags.append((case_id, tag_ids[tag]))
        return status


def _iso(ts: int | str) -> str:
    return datetime.fromtimestamp(int(ts), tz=UTC).isoformat()


@dataclass(frozen=True)
class CustomerRef:
    id: int
    kind: str
    first_name: str  # who signs the messages


@contextmanager
def _load_tuning(writer: Writer) -> Iterator[None]:
    """Settings for a bulk load, restored afterwards. Inside an outer transaction (tests) none apply."""
    if connection.in_atomic_block:
        yield
        return
    replica = False
    with connection.cursor() as cursor:
        if writer.postgres:
            # Losing the last moments of a crash costs a re-run of the seed, not consistency.
            cursor.execute("SET synchronous_commit TO off")
            # Skip the per-row foreign-key triggers, as pg_restore --disable-triggers does: every id
            # we write was just read or inserted by us. A quarter off the load; superusers only, so
            # anyone else simply keeps the checks. (Rapport has no triggers of its own on PostgreSQL.)
            try:
                cursor.execute("SET session_replication_role = replica")
                replica = True
            except DatabaseError:
                pass
        else:
            cursor.execute("PRAGMA synchronous")
            synchronous = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB of page cache while loading
            cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if writer.postgres:
                cursor.execute("RESET synchronous_commit")
                if replica:
                    cursor.execute("RESET session_replication_role")
            else:
                cursor.execute(f"PRAGMA synchronous = {int(synchronous)}")
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# Tables whose indexes are dropped for a big load and built again after. Only these pay: a new
# case lands all over their indexes (by status, team, owner, customer …), whereas messages, events
# and search documents arrive in the order of their indexes (case id first) and append cheaply, so
# rebuilding theirs costs more than it saves (measured on a million cases: 76 s lost).
SCATTERED_TABLES = ("cases_case", "customers_customer")


def _secondary_indexes(writer: Writer) -> list[tuple[str, str]]:
    """(name, CREATE statement) of every non-unique index on the scattered tables, as SQLite itself
    recorded it: dropping and re-running these restores exactly what the migrations made."""
    marks = ", ".join(["%s"] * len(SCATTERED_TABLES))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
            f"AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN ({marks}) ORDER BY name",
            list(SCATTERED_TABLES),
        )
        return [(name, sql) for name, sql in cursor.fetchall()]


# What a big SQLite load has set aside, recorded in the same transaction that drops it: if the
# process dies without unwinding (kill -9, power cut), the next `rapport seed` or `rapport migrate`
# puts it back (interrupted_load_finish).
PENDING_TABLE = "rapport_seed_pending"


@contextmanager
def indexes_paused(writer: Writer, *, paused: bool, report: Callable[[str, int, int], None]) -> Iterator[None]:
    """SQLite, for a big load: drop the indexes of the scattered tables and stop indexing search
    documents row by row; afterwards build each index once (a sort beats a million insertions all
    over a B-tree) and index the new documents in one statement.

    Search lives in an FTS5 table kept by triggers: they are dropped, then put back exactly as
    migration 0002 made them once the new documents are indexed. Runs even when seeding fails or
    is interrupted, so nothing is left missing. A server running meanwhile stays correct but slow.

    PostgreSQL keeps its indexes (the GIN search index too): it maintains them in its own process,
    in parallel with the Python that makes the rows, and dropping them measured no faster.
    """
    if not paused or writer.postgres:
        yield
        return
    statements, last_indexed = _set_aside(writer)
    try:
        yield
    finally:
        _put_back(statements, since=last_indexed, report=report)


def _set_aside(writer: Writer) -> tuple[list[str], int]:
    """Drop the scattered tables' indexes and the search triggers, noting what to put back.
    Returns the CREATE INDEX statements and the last search document already indexed."""
    indexes = _secondary_indexes(writer)
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM cases_searchdocument")
        last_indexed = cursor.fetchone()[0]
        cursor.execute(f"CREATE TABLE {PENDING_TABLE} (position INTEGER PRIMARY KEY, sql TEXT NOT NULL)")
        cursor.executemany(f"INSERT INTO {PENDING_TABLE} (sql) VALUES (%s)", [(sql,) for _, sql in indexes])  # noqa: S608
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {qn(name)}")
        for sql in _search_migration.SQLITE_BACKWARD:
            if sql.startswith("DROP TRIGGER"):
                cursor.execute(sql)
    return [sql for _, sql in indexes], last_indexed


def _put_back(statements: list[str], *, since: int | None, report: Callable[[str, int, int], None]) -> None:
    """Build the indexes, index the search documents after id ``since`` (None: rebuild all of
    it), put the triggers back and forget the record. Safe to run again if it is cut short."""
    report("indexes", 0, len(statements))
    fts = _search_migration.FTS
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA threads = 4")  # index builds may sort in helper threads
        for done, sql in enumerate(statements, 1):
            cursor.execute(sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
            report("indexes", done, len(statements))
        cursor.execute("PRAGMA threads = 0")
        report("search index", 0, 1)
        with transaction.atomic():
            if since is None:
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608 - constant names
            else:
                cursor.execute(
                    f"INSERT INTO {fts}(rowid, title, body) "  # noqa: S608 - constant table names
                    "SELECT id, title, body FROM cases_searchdocument WHERE id > %s ORDER BY id",
                    [since],
                )
            for sql in _search_migration.SQLITE_BACKWARD:  # IF EXISTS: a no-op unless cut short before
                if sql.startswith("DROP TRIGGER"):
                    cursor.execute(sql)
            for sql in _search_migration.SQLITE_FORWARD:
                if sql.startswith("CREATE TRIGGER"):
                    cursor.execute(sql)
            cursor.execute(f"DROP TABLE {PENDING_TABLE}")
        report("search index", 1, 1)


def interrupted_load_finish(report: Callable[[str, int, int], None] | None = None) -> bool:
    """Put back what a big load that died half-way set aside. True if there was anything to do."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [PENDING_TABLE])
        if cursor.fetchone() is None:
            return False
        cursor.execute(f"SELECT sql FROM {PENDING_TABLE} ORDER BY position")  # noqa: S608 - a constant
        statements = [row[0] for row in cursor.fetchall()]
    _put_back(statements, since=None, report=report or (lambda stage, done, total: None))
    return True


def seed(
    *,
    cases: int,
    seed: int,
    customers: int | None = None,
    days: int = 365,
    now: datetime | None = None,
    batch: int = DEFAULT_BATCH,
    fast_index: bool | None = None,
    progress: Progress | None = None,
) -> SeedResult:
    """Add ``cases`` cases (and ``customers`` new customers, default one for every four cases) spread
    over the ``days`` before ``now``. The same arguments on the same database give the same data."""
    if cases < 0 or (customers is not None and customers < 0) or days < 1 or batch < 1:
        raise ValueError("cases and customers must be 0 or more, days and batch at least 1")
    started = time.monotonic()
    now_ts = int((now or timezone.now()).timestamp())
    if customers is None:
        customers = max(cases // 4, 1) if cases else 0
    writer = Writer()
    pools = Pools.build(seed)
    result = SeedResult(seed=seed)

    def report(stage: str, done: int, total: int) -> None:
        if progress:
            progress(SeedProgress(stage, done, total, result.rows, time.monotonic() - started))

    interrupted_load_finish(report)
    if fast_index is None:
        # Rebuilding the indexes costs a pass over every row, so it pays only when the load is big
        # next to what is there already.
        fast_index = not writer.postgres and cases >= FAST_INDEX_MIN_CASES and cases >= Case.objects.count() // 2

    with _load_tuning(writer), indexes_paused(writer, paused=fast_index, report=report):
        staff = staff_pool_ensure(pools=pools, rng=random.Random(f"{seed}:staff"))  # noqa: S311 - demo data
        tag_ids = _tags_ensure()
        refs = _customers(writer, pools, result, count=customers, seed=seed, now_ts=now_ts, batch=batch, report=report)
        if cases:
            _cases(
                writer,
                pools,
                result,
                refs,
                staff,
                tag_ids,
                count=cases,
                seed=seed,
                now_ts=now_ts,
                days=days,
                batch=batch,
                report=report,
            )
    if writer.postgres and not connection.in_atomic_block and cases:
        report("analyse", 0, 1)
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE cases_case, cases_message, cases_caseevent, cases_searchdocument, cases_case_tags, "
                "customers_customer"
            )
        report("analyse", 1, 1)
    result.seconds = time.monotonic() - started
    return result


def _tags_ensure() -> dict[str, int]:
    Tag.objects.bulk_create([Tag(name=name) for name in ALL_TAGS], ignore_conflicts=True)
    return dict(Tag.objects.filter(name__in=ALL_TAGS).values_list("name", "id"))


def _customers(
    writer: Writer,
    pools: Pools,
    result: SeedResult,
    *,
    count: int,
    seed: int,
    now_ts: int,
    batch: int,
    report: Callable[[str, int, int], None],
) -> list[CustomerRef]:
    """New customers (people, companies, colleagues), plus the departments if they are missing.

    With ``count == 0`` the cases go to the customers already there.
    """
    rng = random.Random(f"{seed}:customers")  # noqa: S311 - demo data, not secrets
    table = Table(Customer, CUSTOMER_COLUMNS)
    documents = Table(SearchDocument, DOCUMENT_COLUMNS)
    refs: list[CustomerRef] = []
    existing_departments = set(
        Customer.objects.filter(kind=CustomerKind.DEPARTMENT, name__in=DEPARTMENTS).values_list("name", flat=True)
    )
    # (kind, department name): departments are created once, whatever the seed.
    specs: list[tuple[str, str]] = [
        (CustomerKind.DEPARTMENT, name) for name in DEPARTMENTS if name not in existing_departments
    ]
    if not count:
        refs = [
            CustomerRef(pk, kind, name.split(" ", 1)[0])
            for pk, kind, name in Customer.objects.order_by("id").values_list("id", "kind", "name")
        ]
        if not refs and not specs:
            raise ValueError("There are no customers to give cases to: seed some with --customers.")
    specs += [(str(CUSTOMER_KINDS.draw(rng)), "") for _ in range(count)]
    total = len(specs)
    for start in range(0, total, batch):
        chunk = specs[start : start + batch]
        with transaction.atomic():
            ids = writer.ids(Customer, len(chunk))
            rows = []
            docs = []
            for pk, (kind, department) in zip(ids, chunk, strict=True):
                row, first = _customer_row(rng, pools, writer, pk, kind, department, now_ts)
                rows.append(row)
                name, organisation, email, phone = row[2], row[3], row[4], row[5]
                text = " ".join(filter(None, [name, organisation, email, phone]))
                docs.append(("customer", pk, None, pk, False, name[:200], text))
                refs.append(CustomerRef(pk, kind, first))
            result.customers += writer.insert(table, rows)
            result.documents += writer.insert(documents, docs)
        report("customers", min(start + batch, total), total)
    return refs


def _customer_row(
    rng: random.Random, pools: Pools, writer: Writer, pk: int, kind: str, department: str, now_ts: int
) -> tuple[tuple[Any, ...], str]:
    created = writer.when(now_ts - rng.randrange(30 * plans.DAY, 900 * plans.DAY))
    channel = plans.draw_channel(rng, internal=kind != CustomerKind.PERSON and kind != CustomerKind.COMPANY)
    notes = rng.choice(CUSTOMER_NOTES) if rng.random() < 0.04 else ""
    if kind == CustomerKind.DEPARTMENT:
        first, last = pools.person(rng)  # the department's usual contact signs its messages
        slug = department.lower()
        row: tuple[Any, ...] = (
            pk,
            kind,
            department,
            "",
            f"{slug}@rapport.example",
            "",
            "",
            "email",
            "",
            created,
            created,
        )
        return row, first
    first, last = pools.person(rng)
    if kind == CustomerKind.COMPANY:
        company = rng.choice(pools.companies)
        slug = "".join(ch for ch in company.lower() if ch.isalnum())[:30]
        email = f"accounts@{slug}.example"
        address = pools.address(rng)
        row = (pk, kind, company, company, email, rng.choice(pools.phones), address, channel, notes, created, created)
        return row, first
    if kind == CustomerKind.COLLEAGUE:
        email = f"{first}.{last}".lower().replace(" ", "").replace("'", "") + "@rapport.example"
        row = (pk, kind, f"{first} {last}", rng.choice(DEPARTMENTS), email, "", "", channel, "", created, created)
        return row, first
    email = pools.email(rng, first, last)
    address = pools.address(rng)
    row = (pk, kind, f"{first} {last}", "", email, rng.choice(pools.phones), address, channel, notes, created, created)
    return row, first


def _cases(
    writer: Writer,
    pools: Pools,
    result: SeedResult,
    customers: list[CustomerRef],
    staff: dict[str, TeamStaff],
    tag_ids: dict[str, int],
    *,
    count: int,
    seed: int,
    now_ts: int,
    days: int,
    batch: int,
    report: Callable[[str, int, int], None],
) -> None:
    rng = random.Random(f"{seed}:cases")  # noqa: S311 - demo data, not secrets
    # Staff are drawn from their own stream so that existing staff do not change what cases say.
    people = random.Random(f"{seed}:owners")  # noqa: S311 - demo data, not secrets
    external = [c for c in customers if c.kind in {CustomerKind.PERSON, CustomerKind.COMPANY}]
    internal = [c for c in customers if c.kind not in {CustomerKind.PERSON, CustomerKind.COMPANY}]
    if not external:
        external = internal
    if not internal:
        internal = external
    tables = {
        "cases": Table(Case, CASE_COLUMNS),
        "messages": Table(Message, MESSAGE_COLUMNS),
        "events": Table(CaseEvent, EVENT_COLUMNS),
        "documents": Table(SearchDocument, DOCUMENT_COLUMNS),
        "tags": Table(Case.tags.through, TAG_COLUMNS),
    }
    # Arrivals follow the week, the day, opening hours, bank holidays and a trend (domain.arrivals).
    timeline = Timeline(start=now_ts - days * plans.DAY, end=now_ts)

    def drafts_for(first: int) -> list[Draft]:
        # Cases are numbered in the order they arrived: C-000001 is the oldest. What is drawn
        # depends on the position in the span, so a seed gives the same shape on any day.
        return [
            _draft(rng, people, pools, staff, external, internal, timeline, (index + rng.random()) / count, now_ts)
            for index in range(first, min(first + batch, count))
        ]

    # The next batch is planned in a helper thread while this one is written: the database works
    # without the GIL, so planning (pure Python) overlaps it. One thread draws, in order, so the
    # same seed still gives the same cases.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rapport-seed-plans") as planner:
        upcoming = planner.submit(drafts_for, 0)
        for first in range(0, count, batch):
            drafts = upcoming.result()
            if first + batch < count:
                upcoming = planner.submit(drafts_for, first + batch)
            _write_cases(writer, result, drafts, staff, tag_ids, tables)
            report("cases", first + len(drafts), count)


Draft = tuple[CasePlan, "CustomerRef", TeamStaff | None, StaffMember]


def _write_cases(
    writer: Writer,
    result: SeedResult,
    drafts: list[Draft],
    staff: dict[str, TeamStaff],
    tag_ids: dict[str, int],
    tables: dict[str, Table],
) -> None:
    """One batch, one transaction: ids, rows, inserts."""
    with transaction.atomic():
        case_ids = writer.ids(Case, len(drafts))
        messages = sum(1 + sum(step.action == MESSAGE for step in d[0].steps) for d in drafts)
        message_ids = iter(writer.ids(Message, messages))
        rows = CaseRows(writer)
        for case_id, (plan, customer, team, worker) in zip(case_ids, drafts, strict=True):
            rows.add(
                plan,
                case_id=case_id,
                message_ids=message_ids,
                customer_id=customer.id,
                team_id=team.team_id if team else None,
                worker=worker,
                leader=(team or staff[FRONT_LINE]).leader,
                tag_ids=tag_ids,
            )
        result.cases += writer.insert(tables["cases"], rows.cases)
        result.messages += writer.insert(tables["messages"], rows.messages)
        result.events += writer.insert(tables["events"], rows.events)
        result.documents += writer.insert(tables["documents"], rows.documents)
        result.tags += writer.insert(tables["tags"], rows.tags)
        if result.first_case_id is None:
            result.first_case_id = case_ids[0]


def _draft(
    rng: random.Random,
    people: random.Random,
    pools: Pools,
    staff: dict[str, TeamStaff],
    external: Sequence[CustomerRef],
    internal: Sequence[CustomerRef],
    timeline: Timeline,
    position: float,
    now_ts: int,
) -> Draft:
    is_internal = rng.random() < INTERNAL_SHARE
    pool = internal if is_internal else external
    # A few customers get in touch far more than most (skewed towards the start of the list).
    customer = pool[int(len(pool) * rng.random() ** 1.6)]
    if customer.kind in {CustomerKind.COLLEAGUE, CustomerKind.DEPARTMENT}:
        scenario = rng.choice(INTERNAL_SCENARIOS)
    elif customer.kind == CustomerKind.COMPANY:
        scenario = rng.choice(COMPANY_SCENARIOS)
    else:
        scenario = rng.choice(EXTERNAL_SCENARIOS)
    created, hour = timeline.at(position)
    channel = timeline.channel(rng, hour, internal=scenario.audience == INTERNAL)
    status = plans.draw_status(rng, age_seconds=now_ts - created)
    team = staff[scenario.team]
    worker = team.agents[people.randrange(len(team.agents))]
    if status == Status.NEW and channel not in plans.LOGGED_BY_STAFF and rng.random() < 0.5:
        team_or_none = None  # not yet triaged: in the pool every agent sees
    else:
        team_or_none = team
    slots = pools.slots(rng, scenario, first=customer.first_name, agent=worker.first_name, created_at=created)
    plan = plans.plan_case(
        rng,
        scenario,
        slots,
        channel=channel,
        status=status,
        messages=rng.choice(MESSAGE_COUNTS),
        created_at=created,
        now=now_ts,
    )
    return plan, customer, team_or_none, worker


def counts() -> dict[str, int]:
    """How many of each row there are now (for reports and tests)."""
    return {
        "users": User.objects.count(),
        "customers": Customer.objects.count(),
        "cases": Case.objects.count(),
        "messages": Message.objects.count(),
        "events": CaseEvent.objects.count(),
        "documents": SearchDocument.objects.count(),
    }
