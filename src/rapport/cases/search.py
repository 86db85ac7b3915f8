"""Full-text search over cases, messages and customers: FTS5 on SQLite, tsvector on PostgreSQL.

Documents are written by the services in the same transaction as the row they describe. Queries
are ranked by the engine (bm25 / ts_rank) and bounded by the permission policy inside the SQL, so
a customer's search can only ever rank their own cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models.expressions import RawSQL

from rapport import access as policy
from rapport.accounts.models import User
from rapport.cases.models import Case, Message, MessageKind, SearchDocument
from rapport.customers.models import Customer
from rapport.domain.references import reference_asked_for
from rapport.platform.errors import NotFound

FTS_TABLE = "cases_searchdocument_fts"
# Private-use characters mark matches in snippets, so nothing a person types is mistaken for one.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_WORD = re.compile(r"\w+", re.UNICODE)


def case_document(case: Case) -> SearchDocument:
    return SearchDocument(
        kind="case",
        object_id=case.pk,
        case_id=case.pk,
        customer_id=case.customer_id,
        title=case.subject[:200],
        body=case.subject,
    )


def message_document(message: Message, subject: str) -> SearchDocument:
    return SearchDocument(
        kind="message",
        object_id=message.pk,
        case_id=message.case_id,
        internal=message.kind == MessageKind.NOTE,
        title=subject[:200],
        body=message.body,
    )


def customer_document(customer: Customer) -> SearchDocument:
    text = " ".join(filter(None, [customer.name, customer.organisation, customer.email, customer.phone]))
    return SearchDocument(
        kind="customer",
        object_id=customer.pk,
        customer_id=customer.pk,
        title=customer.name[:200],
        body=text,
    )


def index_new(documents: list[SearchDocument]) -> None:
    """Insert documents for rows that were just created (one statement)."""
    SearchDocument.objects.bulk_create(documents)


def index(documents: Iterable[SearchDocument]) -> None:
    """Insert or replace the documents (same kind and object id)."""
    for doc in documents:
        SearchDocument.objects.update_or_create(
            kind=doc.kind,
            object_id=doc.object_id,
            defaults={
                "case_id": doc.case_id,
                "customer_id": doc.customer_id,
                "internal": doc.internal,
                "title": doc.title,
                "body": doc.body,
            },
        )


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    case_id: int | None
    customer_id: int | None
    internal: bool
    title: str
    snippet: str
    rank: float


def _terms(text: str) -> list[str]:
    return _WORD.findall(text.lower())[:12]


def case_asked_for(actor: User, text: str) -> Case | None:
    """The case ``text`` names by its reference or bare number, when the actor may see it.

    Loaded through the access gate, so a case the actor may not see is answered exactly like one
    that does not exist (None): a search never tells anyone that a reference is in use."""
    number = reference_asked_for(text)
    if number is None:
        return None
    try:
        return policy.access_case(actor, number)
    except NotFound:
        return None


def case_hit(case: Case) -> Hit:
    """A case found by its reference: first in any list of hits."""
    return Hit("case", case.pk, case.pk, case.customer_id, False, case.subject[:200], "", 0.0)


def search(actor: User, text: str, *, limit: int = 50, by_reference: bool = True) -> list[Hit]:
    """Ranked hits the actor may see: cases and messages within their case scope; customers for
    staff only; internal notes for staff only. A reference or case number the actor may see puts
    that case first (its number may appear in other text too, which is still searched);
    ``by_reference=False`` when the caller has already looked the reference up."""
    named = case_asked_for(actor, text) if by_reference else None
    hits = _ranked(actor, text, limit=limit)
    if named is None:
        return hits
    others = [hit for hit in hits if not (hit.kind == "case" and hit.object_id == named.pk)]
    return [case_hit(named), *others][:limit]


def _ranked(actor: User, text: str, *, limit: int) -> list[Hit]:
    terms = _terms(text)
    if not terms:
        return []
    staff = policy.can_see_internal(actor)
    scope_sql, scope_params = _scope_sql(actor)
    visibility = f"(d.case_id IS NOT NULL AND {scope_sql})"
    if staff:
        visibility = f"({visibility} OR d.kind = 'customer')"
    else:
        visibility += " AND d.internal = %s"
        scope_params = [*scope_params, False]
    if connection.vendor != "postgresql":
        return _search_sqlite(terms, visibility, scope_params, limit, own=not staff)
    query = " & ".join(f"{t}:*" for t in terms)
    sql = f"""
        SELECT d.kind, d.object_id, d.case_id, d.customer_id, d.internal, d.title,
               ts_headline('english', d.body, q, %s),
               ts_rank(to_tsvector('english', d.title || ' ' || d.body), q) AS rank
        FROM cases_searchdocument d, to_tsquery('english', %s) q
        WHERE to_tsvector('english', d.title || ' ' || d.body) @@ q AND {visibility}
        ORDER BY rank DESC, d.id DESC LIMIT %s"""  # noqa: S608 - only constants and policy SQL formatted in
    options = f"MaxWords=18, MinWords=6, StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [options, query, *scope_params, limit])
        rows = cursor.fetchall()
    return [Hit(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6] or "", float(r[7])) for r in rows]


RECENT_WINDOW = 5_000
"""How many of the newest matching documents are ranked on SQLite. bm25 costs a few microseconds
per match, and a common word matches most of a large desk (six hundred thousand documents at a
million cases): ranking them all took seconds. The newest matches are ranked instead; when the
window leaves fewer hits than asked for (a narrow permission scope), it widens."""


def _search_sqlite(terms: list[str], visibility: str, scope_params: list[object], limit: int, own: bool) -> list[Hit]:
    """Rank, then write snippets for the hits kept.

    SQLite evaluates every selected column before it sorts, so asking for ``snippet()`` in the
    ranking query would build one for every match to keep fifty: the ranking query selects ids and
    ranks, and the snippets are cut from the kept rows' text afterwards. A customer's own documents are few, so theirs
    are searched in a private copy (``own``) rather than by ranking the whole desk's matches.
    """
    query = " ".join('"' + t.replace('"', "") + '"*' for t in terms)
    table = FTS_TABLE
    with connection.cursor() as cursor:
        if own:
            table = _private_copy(cursor, visibility, scope_params)
            visibility, scope_params = "1 = 1", []
        window = RECENT_WINDOW
        while True:
            cursor.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s",  # noqa: S608
                [query, window - 1],
            )
            floor = cursor.fetchone()
            newest = f"AND {table}.rowid >= {int(floor[0])}" if floor else ""
            cursor.execute(
                f"""SELECT d.id, d.kind, d.object_id, d.case_id, d.customer_id, d.internal, d.title, {table}.rank
                    FROM {table} JOIN cases_searchdocument d ON d.id = {table}.rowid
                    WHERE {table} MATCH %s {newest} AND {visibility}
                    ORDER BY {table}.rank, d.id DESC LIMIT %s""",  # noqa: S608 - constants and policy SQL only
                [query, *scope_params, limit],
            )
            ranked = cursor.fetchall()
            if floor is None or len(ranked) >= limit:
                break
            window *= 8
        if not ranked:
            return []
        cursor.execute(
            f"SELECT id, body FROM cases_searchdocument WHERE id IN ({', '.join(['%s'] * len(ranked))})",  # noqa: S608
            [row[0] for row in ranked],
        )
        bodies = dict(cursor.fetchall())
    return [
        Hit(r[1], r[2], r[3], r[4], bool(r[5]), r[6], snippet(bodies.get(r[0], ""), terms), float(r[7])) for r in ranked
    ]


SNIPPET_WORDS = 12


def snippet(body: str, terms: list[str]) -> str:
    """About a dozen words of ``body`` around the first word that starts with a search term, each
    such word between MARK_OPEN and MARK_CLOSE; the opening words when none does (a match in the
    title, or through the stemmer).

    Written here rather than by FTS5's ``snippet()``: asked for fifty chosen rows, FTS5 runs the
    whole match once per row (seconds for a common word), while the rows' text is already at hand.
    """
    words = body.split()
    if not words:
        return ""

    def hit(word: str) -> bool:
        folded = _WORD.findall(word.lower())
        return any(part.startswith(term) for part in folded for term in terms)

    first = next((i for i, word in enumerate(words) if hit(word)), None)
    start = 0 if first is None else max(0, first - SNIPPET_WORDS // 3)
    shown = [f"{MARK_OPEN}{w}{MARK_CLOSE}" if hit(w) else w for w in words[start : start + SNIPPET_WORDS]]
    before = "…" if start > 0 else ""
    after = "…" if start + SNIPPET_WORDS < len(words) else ""
    return f"{before}{' '.join(shown)}{after}"


OWN_TABLE = "temp.rapport_own_fts"


def _private_copy(cursor: Any, visibility: str, scope_params: list[object]) -> str:
    """The documents ``visibility`` admits, copied into a connection-private FTS table with the
    same tokenizer (so words match exactly as in the desk's index)."""
    cursor.execute(
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {OWN_TABLE} USING fts5(
            title, body, tokenize='porter unicode61 remove_diacritics 2')"""
    )
    cursor.execute(f"DELETE FROM {OWN_TABLE}")  # noqa: S608 - a constant
    cursor.execute(
        f"""INSERT INTO {OWN_TABLE}(rowid, title, body)
            SELECT d.id, d.title, d.body FROM cases_searchdocument d WHERE {visibility}""",  # noqa: S608
        scope_params,
    )
    return "rapport_own_fts"


def _scope_sql(actor: User) -> tuple[str, list[object]]:
    scope = policy.case_scope(actor)
    if scope is None:
        return "1 = 1", []
    # A correlated EXISTS checks each candidate's case by its primary key; ``IN (subquery)`` would
    # list every case in the scope (hundreds of thousands for a team) on every search.
    outer = Case.objects.filter(scope, id=RawSQL("d.case_id", [])).values("id")
    sql, params = outer.query.sql_with_params()
    return f"EXISTS ({sql})", list(params)


def compact_index(*, pages: int = 500) -> int:
    """Merge SQLite's full-text index into one segment, ``pages`` pages of work per transaction.

    FTS5 keeps a deleted or replaced document's terms in older segments until they merge, so
    erased words stay in the index (and the file) until then. One 'optimize' does it all at once but
    holds the write lock for tens of seconds on a large desk; a negative 'merge' does the same work
    incrementally, and each step commits, so other writers get in between. Done when a step
    changes fewer than two rows (SQLite FTS5 documentation, "The 'merge' command"). The number of
    steps; 0 on PostgreSQL, whose index holds no deleted text once the rows are vacuumed."""
    if connection.vendor != "sqlite":
        return 0
    steps = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            raw = connection.connection
            before = raw.total_changes
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('merge', %s)", [-pages])  # noqa: S608 - a constant
            changed = raw.total_changes - before
        steps += 1
        if changed < 2:
            return steps
