"""Full-text search over cases, messages and customers: FTS5 on SQLite, tsvector on PostgreSQL.

Documents are written by the services in the same transaction as the row they describe. Queries
are ranked by the engine (bm25 / ts_rank) and bounded by the permission policy inside the SQL, so
a customer's search can only ever rank their own cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

from rapport.accounts.models import User
from rapport.cases.models import Case, Message, MessageKind, SearchDocument
from rapport.customers.models import Customer
from rapport.web import policy

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


def search(actor: User, text: str, *, limit: int = 50) -> list[Hit]:
    """Ranked hits the actor may see: cases and messages within their case scope; customers for
    staff only; internal notes for staff only."""
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
        return _search_sqlite(terms, visibility, scope_params, limit)
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


def _search_sqlite(terms: list[str], visibility: str, scope_params: list[object], limit: int) -> list[Hit]:
    """Rank first, then write snippets for the hits kept.

    SQLite evaluates every selected column before it sorts, so asking for ``snippet()`` in the
    ranking query would build a snippet for every match of a common word (hundreds of thousands at
    a million cases) to keep fifty. The ranking query selects only ids and ranks; the snippets
    come from a second query over the rows kept.
    """
    query = " ".join('"' + t.replace('"', "") + '"*' for t in terms)
    ranked_sql = f"""
        SELECT d.id, d.kind, d.object_id, d.case_id, d.customer_id, d.internal, d.title, {FTS_TABLE}.rank
        FROM {FTS_TABLE} JOIN cases_searchdocument d ON d.id = {FTS_TABLE}.rowid
        WHERE {FTS_TABLE} MATCH %s AND {visibility}
        ORDER BY {FTS_TABLE}.rank, d.id DESC LIMIT %s"""  # noqa: S608 - only constants and policy SQL formatted in
    with connection.cursor() as cursor:
        cursor.execute(ranked_sql, [query, *scope_params, limit])
        ranked = cursor.fetchall()
        if not ranked:
            return []
        ids = [row[0] for row in ranked]
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"""SELECT rowid, snippet({FTS_TABLE}, 1, %s, %s, '…', 12) FROM {FTS_TABLE}
                WHERE {FTS_TABLE} MATCH %s AND rowid IN ({marks})""",  # noqa: S608 - placeholders only
            [MARK_OPEN, MARK_CLOSE, query, *ids],
        )
        snippets = dict(cursor.fetchall())
    return [Hit(r[1], r[2], r[3], r[4], bool(r[5]), r[6], snippets.get(r[0]) or "", float(r[7])) for r in ranked]


def _scope_sql(actor: User) -> tuple[str, list[object]]:
    scope = policy.case_scope(actor)
    if scope is None:
        return "1 = 1", []
    sql, params = Case.objects.filter(scope).values("id").query.sql_with_params()
    return f"d.case_id IN ({sql})", list(params)
