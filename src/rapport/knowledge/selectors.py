"""Reads of the knowledge base: listings, an article as its reader sees it, versions and their
differences, reviews due, what an article achieved, the manager's figures and the gaps."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from rapport import extensions
from rapport.accounts.models import User
from rapport.domain import knowledge as rules
from rapport.knowledge import access as policy
from rapport.knowledge import rendering, search
from rapport.knowledge.models import (
    Article,
    ArticleVersion,
    CaseArticle,
    Category,
    Deflection,
    Feedback,
    Outcome,
    SearchLog,
)
from rapport.platform import caches
from rapport.platform.pagination import Keyset, Page

LISTING = Keyset((("title", str, False), ("id", int, False)))


def article_list(
    actor: User | AnonymousUser,
    *,
    status: str = "",
    audience: str = "",
    category_id: int | None = None,
    cursor: str | None = None,
    size: int = 50,
) -> Page[Article]:
    """Articles ``actor`` may read, by title, a page at a time (two queries whatever the page)."""
    rows = policy.readable(actor).select_related("section__category", "owner", "live")
    if status:
        rows = rows.filter(status=status)
    if audience:
        rows = rows.filter(audience=audience) if policy.sees_internal(actor) else rows
    if category_id is not None:
        rows = rows.filter(section__category_id=category_id)
    return LISTING.paginate(rows, cursor=cursor, size=size)


@dataclass(frozen=True)
class Shown:
    """An article as one reader sees it: staff read the working copy, everyone else the published
    version (``live``)."""

    article: Article
    title: str
    summary: str
    body: str
    audience: str
    html: SafeString


def shown(actor: User | AnonymousUser, article: Article) -> Shown:
    source: Any = article if policy.sees_internal(actor) or article.live is None else article.live
    return Shown(
        article=article,
        title=source.title,
        summary=source.summary,
        body=source.body,
        audience=source.audience,
        html=SafeString(rendering.html(source.body)),
    )


def public_categories() -> list[tuple[Category, list[Article]]]:
    """The help centre's front page: categories and their public articles (two queries)."""
    articles = list(
        Article.objects.filter(policy.public_articles())
        .select_related("section", "live")
        .order_by("section__position", "title")
    )
    by_category: dict[int | None, list[Article]] = {}
    for article in articles:
        key = article.section.category_id if article.section else None
        by_category.setdefault(key, []).append(article)
    categories = list(Category.objects.filter(pk__in=[k for k in by_category if k]))
    return [(c, by_category[c.pk]) for c in categories]


def related_for(actor: User | AnonymousUser, article: Article) -> list[Article]:
    return list(policy.readable(actor).filter(related=article).order_by("title")[:10])


def versions(article: Article) -> QuerySet[ArticleVersion]:
    return article.versions.select_related("author").order_by("-number")


def diff(old: ArticleVersion | None, new: ArticleVersion) -> SafeString:
    """What changed from ``old`` to ``new``, line by line: removed and added lines marked, all text
    escaped."""

    def lines(v: ArticleVersion | None) -> list[str]:
        if v is None:
            return []
        return [f"Title: {v.title}", f"Summary: {v.summary}", f"Audience: {v.audience}", "", *v.body.splitlines()]

    rows = []
    for line in difflib.unified_diff(lines(old), lines(new), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        css = {"+": "diff-add", "-": "diff-del", "@": "diff-hunk"}.get(line[:1], "diff-same")
        label = {"diff-add": "Added: ", "diff-del": "Removed: "}.get(css, "")
        rows.append((css, label, line))
    if not rows:
        return format_html('<p class="hint">{}</p>', "No change to the text (a workflow or review step).")
    body = format_html_join("\n", '<li class="{}"><span class="visually-hidden">{}</span><code>{}</code></li>', rows)
    return format_html('<ol class="diff">{}</ol>', body)


# --- reviews -------------------------------------------------------------------------------------


def overdue(actor: User, today: date) -> QuerySet[Article]:
    """Articles past their review date: all of them for managers, the owner's own otherwise."""
    rows = Article.objects.filter(review_due__lt=today).select_related("owner").order_by("review_due", "id")
    return rows if policy.is_manager(actor) else rows.filter(owner=actor)


def flagged(actor: User) -> QuerySet[Article]:
    rows = Article.objects.exclude(review_reason="").select_related("owner").order_by("review_due", "id")
    return rows if policy.is_manager(actor) else rows.filter(owner=actor)


def _overdue_by_owner() -> dict[int, int]:
    today = timezone.localdate()
    counts = (
        Article.objects.filter(Q(review_due__lt=today) | ~Q(review_reason=""))
        .values("owner_id")
        .annotate(n=Count("id"))
    )
    return {row["owner_id"]: row["n"] for row in counts}


overdue_by_owner = caches.short_lived(
    "knowledge.overdue_by_owner", _overdue_by_owner, ttl=60.0, copies=("knowledge.Article",)
)


# --- what articles achieve -----------------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    cases: int
    csat: float | None
    """Average CSAT score of the answered cases that were rated; None when none was."""
    rated: int


def usage(articles: Sequence[Article]) -> dict[int, Usage]:
    """For each article, how many cases it answered and their CSAT (the feedback app's answers,
    through ``extensions.case_facts``): one query, and one per run of nearby case ids."""
    links = list(CaseArticle.objects.filter(article__in=articles).values_list("article_id", "case_id"))
    scores = csat_of([case_id for _, case_id in links])
    found: dict[int, Usage] = {}
    for article in articles:
        cases = [case_id for article_id, case_id in links if article_id == article.pk]
        rated = [float(scores[c]) for c in cases if scores.get(c) is not None]
        found[article.pk] = Usage(len(cases), sum(rated) / len(rated) if rated else None, len(rated))
    return found


CSAT_SPAN = 2_000
"""The widest run of case ids asked of the CSAT fact at once: the fact answers for a range of ids
(the rollups' batches), so linked cases far apart are asked for run by run, never the whole range
between them."""


def csat_of(case_ids: Sequence[int]) -> dict[int, Any]:
    """The CSAT score of each of ``case_ids`` that has one."""
    wanted = sorted(set(case_ids))
    scores: dict[int, Any] = {}
    start = 0
    while start < len(wanted):
        end = start
        while end + 1 < len(wanted) and wanted[end + 1] - wanted[start] <= CSAT_SPAN:
            end += 1
        found = extensions.case_fact(extensions.CSAT, wanted[start], wanted[end])
        scores.update({case_id: found[case_id] for case_id in wanted[start : end + 1] if case_id in found})
        start = end + 1
    return scores


def case_articles(case_id: int) -> list[Article]:
    return list(Article.objects.filter(answered__case_id=case_id).order_by("title"))


@dataclass(frozen=True)
class ArticleFigures:
    article: Article
    deflected: int
    raised: int
    helpful: int
    unhelpful: int

    @property
    def resolution(self) -> float | None:
        return rules.share(self.deflected, self.deflected + self.raised)


@dataclass(frozen=True)
class Figures:
    deflected: int
    raised: int
    pending: int
    articles: list[ArticleFigures]

    @property
    def resolution(self) -> float | None:
        """Self-service resolution: of the customers who opened a suggested article and whose
        outcome is known, the share who did not go on to raise the case."""
        return rules.share(self.deflected, self.deflected + self.raised)


def figures(start: datetime, end: datetime) -> Figures:
    """Self-service over [start, end): the overall rate and each article's, failing ones first
    (most raised, then most unhelpful). Three queries."""
    deflections = Deflection.objects.filter(at__gte=start, at__lt=end)
    totals = dict(deflections.values("outcome").annotate(n=Count("id")).values_list("outcome", "n"))
    per_article: dict[int, dict[str, Any]] = {
        row["article_id"]: dict(row)
        for row in deflections.values("article_id").annotate(
            deflected=Count("id", filter=Q(outcome=Outcome.DEFLECTED)),
            raised=Count("id", filter=Q(outcome=Outcome.RAISED)),
        )
    }
    votes: dict[int, dict[str, Any]] = {
        row["article_id"]: dict(row)
        for row in Feedback.objects.filter(at__gte=start, at__lt=end)
        .values("article_id")
        .annotate(yes=Count("id", filter=Q(helpful=True)), no=Count("id", filter=Q(helpful=False)))
    }
    ids = set(per_article) | set(votes)
    articles = Article.objects.filter(pk__in=ids).order_by("title")
    rows = [
        ArticleFigures(
            article=a,
            deflected=per_article.get(a.pk, {}).get("deflected", 0),
            raised=per_article.get(a.pk, {}).get("raised", 0),
            helpful=votes.get(a.pk, {}).get("yes", 0),
            unhelpful=votes.get(a.pk, {}).get("no", 0),
        )
        for a in articles
    ]
    rows.sort(key=lambda r: (-r.raised, -r.unhelpful, r.article.title))
    return Figures(
        deflected=totals.get(Outcome.DEFLECTED, 0),
        raised=totals.get(Outcome.RAISED, 0),
        pending=totals.get(Outcome.PENDING, 0),
        articles=rows,
    )


# --- gaps ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchGap:
    query: str
    searches: int
    public: bool


@dataclass(frozen=True)
class ArticleGap:
    article: Article
    unhelpful: int
    votes: int
    reasons: dict[str, int]


def search_gaps(start: datetime, end: datetime, *, limit: int = 50) -> list[SearchGap]:
    """Searches that found nothing in [start, end), most frequent first."""
    rows = (
        SearchLog.objects.filter(results=0, at__gte=start, at__lt=end)
        .values("query", "public")
        .annotate(n=Count("id"))
        .order_by("-n", "query")[:limit]
    )
    return [SearchGap(r["query"], r["n"], r["public"]) for r in rows]


def searches_for(queries: Sequence[str], start: datetime, end: datetime) -> dict[str, int]:
    rows = (
        SearchLog.objects.filter(query__in=queries, at__gte=start, at__lt=end).values("query").annotate(n=Count("id"))
    )
    return {r["query"]: r["n"] for r in rows}


def article_gaps(start: datetime, end: datetime, *, owner: User | None = None, limit: int = 50) -> list[ArticleGap]:
    """Articles readers marked unhelpful in [start, end), most unhelpful first, with why."""
    votes = Feedback.objects.filter(at__gte=start, at__lt=end)
    if owner is not None:
        votes = votes.filter(article__owner=owner)
    counts = list(
        votes.values("article_id")
        .annotate(no=Count("id", filter=Q(helpful=False)), n=Count("id"))
        .filter(no__gt=0)
        .order_by("-no", "article_id")[:limit]
    )
    reasons: dict[int, dict[str, int]] = {}
    for row in (
        votes.filter(helpful=False, article_id__in=[c["article_id"] for c in counts])
        .values("article_id", "reason")
        .annotate(n=Count("id"))
    ):
        reasons.setdefault(row["article_id"], {})[row["reason"]] = row["n"]
    articles = Article.objects.in_bulk([c["article_id"] for c in counts])
    return [ArticleGap(articles[c["article_id"]], c["no"], c["n"], reasons.get(c["article_id"], {})) for c in counts]


def suggestions(subject: str, description: str, *, limit: int = 5) -> list[Any]:
    """Public articles that may answer what a customer is typing (not logged: typing is not a search)."""
    return search.suggest(subject, description, limit=limit)


def gap_evidence(scope: extensions.GapScope) -> list[extensions.GapEvidence]:
    """Knowledge-base gaps for the improvement gap analysis (``extensions.gap_evidence``):
    searches that found nothing, and articles readers marked unhelpful, in the scope's period.
    Searches and votes are not tied to cases, so the slice is ignored (``why`` says so unless the
    slice is the whole service). Four queries."""
    whole = scope.dimension == "service"
    aside = "" if whole else " (all channels and teams: searches are not tied to cases)"
    found: list[extensions.GapEvidence] = []
    gaps = search_gaps(scope.start, scope.end, limit=20)
    totals = searches_for([g.query for g in gaps], scope.start, scope.end)
    for gap in gaps:
        total = totals.get(gap.query, gap.searches)
        found.append(
            extensions.GapEvidence(
                key=f"search:{gap.query}",
                title=f"Searches for “{gap.query}” found no article",
                size=gap.searches / total if total else 1.0,
                reach=gap.searches,
                why=f"{gap.searches} of {total} searches for “{gap.query}” found nothing{aside}.",
                touchpoint="self_service",
                link="/kb/gaps/",
            )
        )
    found.extend(
        extensions.GapEvidence(
            key=f"article:{item.article.pk}",
            title=f"Readers found “{item.article.title}” unhelpful",
            size=item.unhelpful / item.votes,
            reach=item.votes,
            why=f"{item.unhelpful} of {item.votes} readers said “{item.article.title}” did not help{aside}.",
            touchpoint="self_service",
            link=f"/kb/articles/{item.article.pk}/",
        )
        for item in article_gaps(scope.start, scope.end, limit=20)
    )
    return found


def self_service_resolution(scope: extensions.KpiScope) -> float | None:
    """KPI: the percentage of customers who opened a suggested article and did not raise the case
    (a percentage like every proportion in the catalogue; None when no outcome is known yet)."""
    sample = self_service_sample(scope)
    return 100 * sample.total / sample.n if sample.n else None


def self_service_sample(scope: extensions.KpiScope) -> extensions.KpiSample:
    """Suggested articles opened in the period whose outcome is known (the customer went on to
    raise the case, or did not), and those that resolved it (one query). Self-service happens
    before there is a case, so the scope's slice of cases does not narrow it."""
    found = Deflection.objects.filter(
        at__gte=scope.start, at__lt=scope.end, outcome__in=[Outcome.DEFLECTED, Outcome.RAISED]
    ).aggregate(n=Count("id"), deflected=Count("id", filter=Q(outcome=Outcome.DEFLECTED)))
    return extensions.KpiSample(found["n"], found["deflected"])
