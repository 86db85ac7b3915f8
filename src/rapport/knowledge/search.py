"""Article search with the case search's engines: FTS5 (bm25) on SQLite, tsvector (ts_rank) on
PostgreSQL.

- Only published articles are indexed (``ArticleDocument``, written by the services in the
  transaction that publishes, changes or withdraws an article). Drafts are never found.
- Public readers are bounded to public documents inside the SQL: a visitor's search cannot rank,
  count or suggest an internal article.
- Synonyms an admin adds widen the query (``domain.knowledge.expand``); each word also matches as
  a prefix ("refu" finds "refund").
- Typo tolerance: when a search finds nothing, each unknown word is replaced by the closest word
  of the published articles the reader may see (``Word``; "did you mean") and the search runs
  once more, saying so. Both engines behave the same way; trigram indexes were not used because
  they would differ between them and grow the index threefold.

Suggestions (``suggest``: the portal's "Raise a case" page, as the customer types) use an index of
their own (migration 0003): the title and summary of public published articles only, so a long
description is matched against a few words per article, and an internal article cannot be ranked,
counted or suggested because it is not there. Any meaningful word matches; only the word still
being typed matches as a prefix; the newest ``SUGGESTION_WINDOW`` matches are ranked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from rapport.cases.search import MARK_CLOSE, MARK_OPEN, snippet
from rapport.domain import knowledge as rules
from rapport.knowledge import rendering
from rapport.knowledge.models import Article, ArticleDocument, Audience, Synonym, Word
from rapport.platform import caches

FTS_TABLE = "knowledge_articledocument_fts"
RANK_WINDOW = 4_000
"""How many of the newest matching articles are ranked on SQLite. bm25 costs microseconds per
match, and a common word matches much of a large knowledge base; like case search
(``cases.search.RECENT_WINDOW``), the newest matches are ranked, and the window widens when it
leaves fewer hits than asked for."""
SUGGESTION_FTS_TABLE = "knowledge_suggestion_fts"
SUGGESTION_WINDOW = 1_000
"""How many of the newest matching public articles the suggestions rank. A description matched on
any word matches much of a large knowledge base; ranking costs per match, and the suggestion must
come back while the customer is still typing (target: under 30 ms at 100,000 articles). The window
widens when it leaves fewer hits than asked for."""
SUGGESTION_WEIGHTS = (4.0, 1.0)
"""bm25 weights of title and summary: a word of the title says more about what the article answers."""
__all__ = ["MARK_CLOSE", "MARK_OPEN", "Found", "Hit", "search", "suggest"]


def _synonym_groups() -> list[tuple[rules.Alternative, ...]]:
    return [rules.synonym_phrases(text) for text in Synonym.objects.values_list("phrases", flat=True)]


synonym_groups = caches.short_lived("knowledge.synonyms", _synonym_groups, ttl=60.0, copies=("knowledge.Synonym",))


# --- the index -----------------------------------------------------------------------------------


def index_article(article: Article) -> None:
    """Index the article's published version; take it out of the index when it has none."""
    live = article.live
    if live is None:
        ArticleDocument.objects.filter(article_id=article.pk).delete()
        return
    public = live.audience == Audience.PUBLIC
    text = rendering.search_text(live.summary, live.body)
    category_id = article.section.category_id if article.section is not None else None
    ArticleDocument.objects.update_or_create(
        article_id=article.pk,
        defaults={
            "public": public,
            "category_id": category_id,
            "title": live.title,
            "summary": live.summary,
            "body": text,
        },
    )
    learn_words([live.title, text], public=public)


def learn_words(texts: Iterable[str], *, public: bool) -> None:
    """Add the words of ``texts`` to the vocabulary typos are corrected to (an internal article's
    words are offered to staff only)."""
    found = {w for text in texts for w in rules.words(text) if 4 <= len(w) <= 40 and not w.isdigit()}
    Word.objects.bulk_create(
        [Word(word=w, public=public, initial=w[0], length=len(w)) for w in sorted(found)], ignore_conflicts=True
    )


# --- searching -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    article_id: int
    title: str
    snippet: str
    public: bool
    rank: float


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    corrected: str | None = None
    """The words searched for instead, when the words given found nothing ("did you mean")."""
    expanded: list[rules.Group] = field(default_factory=list)


def search(
    text: str,
    *,
    internal: bool,
    category_id: int | None = None,
    audience: str = "",
    limit: int = 20,
) -> Found:
    """Published articles matching every word of ``text``, best first. ``internal`` is whether the
    reader may see internal articles (staff); ``audience`` narrows staff to "public" or "internal"
    ones."""
    groups = rules.expand(text, synonym_groups())
    if not groups:
        return Found([])
    public_only = not internal or audience == Audience.PUBLIC
    internal_only = internal and audience == Audience.INTERNAL
    hits = _ranked(groups, public_only, internal_only, category_id, limit)
    if hits:
        return Found(hits, expanded=groups)
    better = rules.corrected(text, lambda word: _candidates(word, public_only))
    if better is None:
        return Found([], expanded=groups)
    groups = rules.expand(better, synonym_groups())
    return Found(_ranked(groups, public_only, internal_only, category_id, limit), corrected=better, expanded=groups)


def _candidates(word: str, public_only: bool) -> list[str]:
    words = Word.objects.filter(initial=word[:1], length__gte=len(word) - 2, length__lte=len(word) + 2)
    if public_only:
        words = words.filter(public=True)
    return list(words.values_list("word", flat=True).distinct()[:2000])


def _ranked(
    groups: Sequence[rules.Group],
    public_only: bool,
    internal_only: bool,
    category_id: int | None,
    limit: int,
) -> list[Hit]:
    where: list[str] = ["1 = 1"]
    params: list[Any] = []
    if public_only:
        where.append("d.public = %s")
        params.append(True)
    if internal_only:
        where.append("d.public = %s")
        params.append(False)
    if category_id is not None:
        where.append("d.category_id = %s")
        params.append(category_id)
    condition = " AND ".join(where)
    terms = [w for group in groups for phrase in group for w in phrase]
    if connection.vendor == "postgresql":
        query = rules.tsquery(groups)
        if not query:
            return []
        vector = "(setweight(to_tsvector('english', d.title), 'A') || to_tsvector('english', d.body))"
        # The newest RANK_WINDOW matches the reader may see are ranked (the filter is inside).
        sql = f"""
            SELECT d.article_id, d.title, d.public, ts_rank({vector}, q) AS rank
            FROM (SELECT d.article_id, d.title, d.public, d.body
                  FROM knowledge_articledocument d, to_tsquery('english', %s) q
                  WHERE {vector} @@ q AND {condition}
                  ORDER BY d.article_id DESC LIMIT {RANK_WINDOW}) d, to_tsquery('english', %s) q
            ORDER BY rank DESC, d.article_id DESC LIMIT %s"""  # noqa: S608 - constants only formatted in
        with connection.cursor() as cursor:
            cursor.execute(sql, [query, *params, query, limit])
            rows = [(r[0], r[1], r[2], float(r[3])) for r in cursor.fetchall()]
    else:
        rows = _ranked_sqlite(rules.fts5_query(groups), condition, params, limit)
    if not rows:
        return []
    bodies = dict(ArticleDocument.objects.filter(article_id__in=[r[0] for r in rows]).values_list("article_id", "body"))
    return [Hit(r[0], r[1], snippet(bodies.get(r[0], ""), terms), bool(r[2]), r[3]) for r in rows]


def _ranked_sqlite(match: str, condition: str, params: list[Any], limit: int) -> list[tuple[int, str, bool, float]]:
    table = FTS_TABLE
    window = RANK_WINDOW
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s",  # noqa: S608
                [match, window - 1],
            )
            floor = cursor.fetchone()
            newest = f"AND {table}.rowid >= {int(floor[0])}" if floor else ""
            cursor.execute(
                f"""SELECT d.article_id, d.title, d.public, bm25({table}, 10.0, 1.0) AS rank
                    FROM {table} JOIN knowledge_articledocument d ON d.article_id = {table}.rowid
                    WHERE {table} MATCH %s {newest} AND {condition}
                    ORDER BY rank, d.article_id DESC LIMIT %s""",  # noqa: S608 - constants only formatted in
                [match, *params, limit],
            )
            rows = cursor.fetchall()
            if floor is None or len(rows) >= limit:
                break
            window *= 8
    return [(r[0], r[1], bool(r[2]), -float(r[3])) for r in rows]


# --- suggestions ---------------------------------------------------------------------------------


def suggest(subject: str, description: str, *, limit: int = 5) -> list[Hit]:
    """Public published articles that may answer the case a customer is typing, best first: any
    meaningful word of the subject or description (widened by synonyms) in an article's title or
    summary. The last word of either field matches as a prefix while it is being typed ("parc"
    finds "parcel"); finished words match whole (stemmed: "refunds" finds "refund"). Hits carry
    titles only (the portal shows no snippets)."""
    # A description is mostly common words: look further than a search does for the meaningful ones.
    text = f"{subject} {description}"
    groups = rules.meaningful(rules.expand(text, synonym_groups(), max_terms=4 * rules.MAX_TERMS))[: rules.MAX_TERMS]
    if not groups:
        return []
    typing = {w for w in (rules.being_typed(subject), rules.being_typed(description)) if w}
    if connection.vendor == "postgresql":
        query = rules.tsquery(groups, any_group=True, prefixes=typing)
        rows = _suggested_postgresql(query, limit) if query else []
    else:
        rows = _suggested_sqlite(rules.fts5_query(groups, any_group=True, prefixes=typing), limit)
    return [Hit(article_id, title, "", True, rank) for article_id, title, rank in rows]


def _suggested_sqlite(match: str, limit: int) -> list[tuple[int, str, float]]:
    table = SUGGESTION_FTS_TABLE
    title, summary = SUGGESTION_WEIGHTS
    window = SUGGESTION_WINDOW
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s",  # noqa: S608
                [match, window - 1],
            )
            floor = cursor.fetchone()
            newest = f"AND rowid >= {int(floor[0])}" if floor else ""
            # Rank rowids alone (the index holds public rows only), then read the few titles.
            cursor.execute(
                f"""SELECT d.article_id, d.title, s.rank
                    FROM (SELECT rowid, bm25({table}, {title}, {summary}) AS rank FROM {table}
                          WHERE {table} MATCH %s {newest} ORDER BY rank, rowid DESC LIMIT %s) s
                    JOIN knowledge_articledocument d ON d.article_id = s.rowid
                    ORDER BY s.rank, d.article_id DESC""",  # noqa: S608 - constants only formatted in
                [match, limit],
            )
            rows = cursor.fetchall()
            if floor is None or len(rows) >= limit:
                break
            window *= 8
    return [(r[0], r[1], -float(r[2])) for r in rows]


def _suggested_postgresql(query: str, limit: int) -> list[tuple[int, str, float]]:
    # The vector is the partial index's expression (migration 0003), so the planner uses it.
    vector = "(setweight(to_tsvector('english', d.title), 'A') || to_tsvector('english', d.summary))"
    window = SUGGESTION_WINDOW
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"""SELECT d.article_id, d.title, ts_rank({vector}, q) AS rank, COUNT(*) OVER () AS ranked
                    FROM (SELECT d.article_id, d.title, d.summary
                          FROM knowledge_articledocument d, to_tsquery('english', %s) q
                          WHERE d.public AND {vector} @@ q
                          ORDER BY d.article_id DESC LIMIT {int(window)}) d, to_tsquery('english', %s) q
                    ORDER BY rank DESC, d.article_id DESC LIMIT %s""",  # noqa: S608 - constants only formatted in
                [query, query, limit],
            )
            rows = cursor.fetchall()
            if len(rows) >= limit or not rows or rows[0][3] < window:
                break
            window *= 8
    return [(r[0], r[1], float(r[2])) for r in rows]
