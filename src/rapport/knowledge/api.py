"""/api/v1/kb: knowledge articles, their versions, search and readers' feedback.

Reading is open: without a token (or signed-in session) the caller is a member of the public and
sees published public articles only, in their published version; staff see every article as it
is being edited. Writing is for staff. Edits send the ``version`` they read (409 with ``current``
when the article changed since).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from rapport.accounts.api import AUTH, ERRORS
from rapport.accounts.models import User
from rapport.knowledge import access as policy
from rapport.knowledge import selectors, services
from rapport.knowledge.models import Article, Section
from rapport.platform.errors import Conflict, FieldError, NotFound
from rapport.platform.pagination import page_size

router = Router(tags=["kb"])

NO_SECTION = "No section with that id."
NO_OWNER = "No member of staff with that id."
SEARCH_WORDS = "Give the words to search for in q."
SEARCH_TOO_LONG = "Keep the search to 200 characters."


def _anyone(request: HttpRequest) -> AnonymousUser:
    """No credentials: a member of the public (public articles only)."""
    return AnonymousUser()


OPEN = [*AUTH, _anyone]


def _caller(request: HttpRequest) -> User | AnonymousUser:
    user = request.auth  # type: ignore[attr-defined]
    return user if isinstance(user, User) else AnonymousUser()


def _staff(request: HttpRequest) -> User:
    user = _caller(request)
    if not isinstance(user, User) or not policy.can_write(user):
        raise NotFound(policy.NO_ARTICLE)
    return user


class CitationIO(Schema):
    setting: str = Field(max_length=100, description="The setting's model label, e.g. sla.slapolicy")
    object_id: str = Field(max_length=64)


class CitationOut(CitationIO):
    label: str


class ArticleOut(Schema):
    id: int
    title: str
    summary: str
    body: str = Field(description="Markdown.")
    html: str = Field(description="The body as sanitised HTML.")
    audience: str
    url: str
    category: str | None
    section: str | None
    status: str | None = Field(None, description="Staff only: draft, review or published.")
    version: int | None = Field(None, description="Staff only: send it back when you edit.")
    published_version: int | None = None
    owner: int | None = None
    review_due: date | None = None
    review_reason: str | None = None
    related: list[int] = []
    citations: list[CitationOut] = []


class ArticleIn(Schema):
    title: str = Field(max_length=200)
    body: str = Field(max_length=100_000)
    summary: str = Field("", max_length=300)
    audience: Literal["internal", "public"] = "internal"
    section: int | None = None
    owner: int | None = None
    review_due: date | None = None
    related: list[int] = []
    citations: list[CitationIO] = []
    note: str = Field("", max_length=300)


class ArticlePatch(Schema):
    version: int = Field(description="The version you read (409 if it changed since).")
    title: str | None = Field(None, max_length=200)
    body: str | None = Field(None, max_length=100_000)
    summary: str | None = Field(None, max_length=300)
    audience: Literal["internal", "public"] | None = None
    section: int | None = None
    owner: int | None = None
    review_due: date | None = None
    related: list[int] | None = None
    citations: list[CitationIO] | None = None
    note: str = Field("", max_length=300)
    action: Literal["submit", "approve", "publish", "return", "unpublish"] | None = Field(
        None, description="A workflow step, taken after any changes in the same request."
    )
    rollback_to: int | None = Field(None, description="Bring back this version's text, as a new draft.")


class ArticlePage(Schema):
    items: list[ArticleOut]
    next_cursor: str | None


class VersionOut(Schema):
    number: int
    title: str
    summary: str
    body: str
    audience: str
    status: str
    author: str | None
    at: Any
    changed: list[str]
    note: str


class HitOut(Schema):
    id: int
    title: str
    snippet: str
    audience: str
    url: str


class SearchOut(Schema):
    query: str
    corrected: str | None = Field(None, description="What was searched for instead (a typo corrected).")
    results: list[HitOut]


class FeedbackIn(Schema):
    helpful: bool
    reason: Literal["not_answered", "unclear", "out_of_date", "other", ""] = ""
    comment: str = Field("", max_length=1000)


class FeedbackOut(Schema):
    id: int
    helpful: bool
    reason: str


def _out(actor: User | AnonymousUser, article: Article) -> dict[str, Any]:
    view = selectors.shown(actor, article)
    staff = policy.sees_internal(actor)
    out: dict[str, Any] = {
        "id": article.pk,
        "title": view.title,
        "summary": view.summary,
        "body": view.body,
        "html": str(view.html),
        "audience": view.audience,
        "url": f"/help/articles/{article.pk}/" if not staff else f"/kb/articles/{article.pk}/",
        "category": article.section.category.name if article.section else None,
        "section": article.section.name if article.section else None,
        "published_version": article.live.number if article.live else None,
    }
    if staff:
        out |= {
            "status": article.status,
            "version": article.version,
            "owner": article.owner_id,
            "review_due": article.review_due,
            "review_reason": article.review_reason,
            "related": sorted(article.related.values_list("pk", flat=True)),
            "citations": [
                {"setting": c.setting, "object_id": c.object_id, "label": c.label} for c in article.citations.all()
            ],
        }
    return out


def _section(section_id: int | None) -> Section | None:
    if section_id is None:
        return None
    found = Section.objects.select_related("category").filter(pk=section_id).first()
    if found is None:
        raise FieldError(section=NO_SECTION)
    return found


def _owner(owner_id: int | None) -> User | None:
    if owner_id is None:
        return None
    found = User.objects.filter(pk=owner_id, is_active=True).exclude(role="customer").first()
    if found is None:
        raise FieldError(owner=NO_OWNER)
    return found


def _citations(items: list[CitationIO]) -> list[services.Citation]:
    return [services.Citation(c.setting, c.object_id) for c in items]


@router.get("/articles", auth=OPEN, response={200: ArticlePage, **ERRORS}, summary="Articles")
def list_articles(
    request: HttpRequest,
    status: Literal["draft", "review", "published", ""] = "",
    audience: Literal["internal", "public", ""] = "",
    category: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Any:
    """Articles by title, a page at a time: published public ones for anyone, every article for staff."""
    caller = _caller(request)
    page = selectors.article_list(
        caller,
        status=status if policy.sees_internal(caller) else "",
        audience=audience,
        category_id=category,
        cursor=cursor,
        size=page_size(limit, default=50),
    )
    return {"items": [_out(caller, a) for a in page.items], "next_cursor": page.next_cursor}


@router.post("/articles", response={201: ArticleOut, **ERRORS}, summary="Write an article (a draft)")
def create_article(request: HttpRequest, payload: ArticleIn, response: HttpResponse) -> Any:
    """A new article, as a draft (version 1). Headings and images are checked for accessibility;
    each problem is named on ``body``."""
    me = _staff(request)
    article = services.article_create(
        actor=me,
        title=payload.title,
        body=payload.body,
        summary=payload.summary,
        audience=payload.audience,
        section=_section(payload.section),
        owner=_owner(payload.owner),
        review_due=payload.review_due,
        related=payload.related,
        citations=_citations(payload.citations),
        note=payload.note,
    )
    response["Location"] = f"/api/v1/kb/articles/{article.pk}"
    return Status(201, _out(me, policy.access_article(me, article.pk)))


@router.get("/articles/{article_id}", auth=OPEN, response={200: ArticleOut, **ERRORS}, summary="One article")
def get_article(request: HttpRequest, article_id: int) -> Any:
    """One article: its published version for the public (404 for internal articles and drafts),
    the working copy with its workflow fields for staff."""
    caller = _caller(request)
    return _out(caller, policy.access_article(caller, article_id))


@router.patch("/articles/{article_id}", response={200: ArticleOut, **ERRORS}, summary="Change an article")
def patch_article(request: HttpRequest, article_id: int, payload: ArticlePatch) -> Any:
    """Change fields (a new version, in draft), roll back to a version, or take a workflow step."""
    me = _staff(request)
    sent = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {
        k: sent[k] for k in ("title", "body", "summary", "audience", "review_due", "related") if k in sent
    }
    if "section" in sent:
        changes["section"] = _section(payload.section)
    if "owner" in sent:
        changes["owner"] = _owner(payload.owner)
    if payload.citations is not None:
        changes["citations"] = _citations(payload.citations)
    try:
        version = payload.version
        if payload.rollback_to is not None:
            article = services.rollback(
                actor=me, article_id=article_id, number=payload.rollback_to, expected_version=version
            )
            version = article.version
        if changes:
            article = services.article_update(
                actor=me, article_id=article_id, expected_version=version, changes=changes, note=payload.note
            )
            version = article.version
        if payload.action:
            services.transition(
                actor=me, article_id=article_id, action=payload.action, expected_version=version, note=payload.note
            )
    except Conflict as conflict:
        raise Conflict(conflict.message, current=_out(me, policy.access_article(me, article_id))) from None
    return _out(me, policy.access_article(me, article_id))


@router.get(
    "/articles/{article_id}/versions", response={200: list[VersionOut], **ERRORS}, summary="Every version of an article"
)
def list_versions(request: HttpRequest, article_id: int) -> Any:
    """Every version of an article, newest first: who, when, what changed, and the text (staff)."""
    me = _staff(request)
    article = policy.access_article(me, article_id)
    return [
        {
            "number": v.number,
            "title": v.title,
            "summary": v.summary,
            "body": v.body,
            "audience": v.audience,
            "status": v.status,
            "author": v.author.name if v.author else None,
            "at": v.at,
            "changed": v.changed,
            "note": v.note,
        }
        for v in selectors.versions(article)[:200]
    ]


@router.get("/search", auth=OPEN, response={200: SearchOut, **ERRORS}, summary="Search articles")
def search_articles(
    request: HttpRequest,
    q: str = "",
    category: int | None = None,
    audience: Literal["internal", "public", ""] = "",
) -> Any:
    """Published articles matching ``q``, best first: public ones without a token, internal ones
    too for staff. Synonyms widen the search; a search that finds nothing is retried with typos
    corrected (``corrected``)."""
    if not q.strip():
        raise FieldError(q=SEARCH_WORDS)
    if len(q) > 200:
        raise FieldError(q=SEARCH_TOO_LONG)
    caller = _caller(request)
    found = services.search_logged(actor=caller, text=q, category_id=category, audience=audience)
    staff = policy.sees_internal(caller)
    return {
        "query": q,
        "corrected": found.corrected,
        "results": [
            {
                "id": hit.article_id,
                "title": hit.title,
                "snippet": hit.snippet.replace(selectors.search.MARK_OPEN, "").replace(selectors.search.MARK_CLOSE, ""),
                "audience": "public" if hit.public else "internal",
                "url": f"/kb/articles/{hit.article_id}/" if staff else f"/help/articles/{hit.article_id}/",
            }
            for hit in found.hits
        ],
    }


@router.post(
    "/articles/{article_id}/feedback",
    auth=OPEN,
    response={201: FeedbackOut, **ERRORS},
    summary="Was this article helpful?",
)
def give_feedback(request: HttpRequest, article_id: int, payload: FeedbackIn) -> Any:
    """ "Was this helpful?": yes, or no with a reason. No token needed for public articles."""
    feedback = services.feedback_give(
        actor=_caller(request),
        article_id=article_id,
        helpful=payload.helpful,
        reason=payload.reason,
        comment=payload.comment,
    )
    return Status(201, {"id": feedback.pk, "helpful": feedback.helpful, "reason": feedback.reason})
