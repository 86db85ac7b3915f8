"""Writes to the knowledge base: articles and their versions, the workflow, reviews and the rules
they cite, links from cases, readers' feedback, searches and deflections."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from rapport import access as core_access
from rapport import extensions
from rapport.accounts.models import User
from rapport.cases import journal
from rapport.cases.models import Case
from rapport.customers.models import Customer
from rapport.domain import knowledge as rules
from rapport.knowledge import access as policy
from rapport.knowledge import rendering, search
from rapport.knowledge.events import LINKED
from rapport.knowledge.models import (
    Article,
    ArticleFile,
    ArticleVersion,
    Audience,
    CaseArticle,
    Deflection,
    Feedback,
    Outcome,
    Reason,
    RuleCitation,
    SearchLog,
    Section,
    Status,
)
from rapport.platform import settings_history
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound
from rapport.platform.models import SettingChange

NO_WRITE = "Only staff write articles."
STALE = "This article changed since you opened it (now version {version}). Your edit was not saved."
TITLE_REQUIRED = "Enter the article's title."
BODY_REQUIRED = "Enter the article's text."
NO_SUCH_VERSION = "This article has no version {number}."
REASON_REQUIRED = "Tell us why it didn't help, so we can improve it."
UNKNOWN_RULE = "No rule {setting} #{object_id}: cite a setting the desk keeps the history of."
REVIEW_DUE_PAST = "Choose a review date after today."
RULE_CHANGED = "A rule it cites changed on {day}: {label}."

DEFLECTION_WINDOW = timedelta(hours=24)
"""How long after opening a suggested article a customer who has not raised a case counts as
having given up raising it (self-service resolution)."""
DEFAULT_REVIEW = timedelta(days=365)
CONTENT_FIELDS = ("title", "summary", "body", "audience")


@dataclass(frozen=True)
class Citation:
    setting: str
    object_id: str


def _require_writer(actor: User) -> None:
    if not policy.can_write(actor):
        raise Forbidden(NO_WRITE)


def _check_content(values: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if not str(values.get("title", "")).strip():
        errors["title"] = [TITLE_REQUIRED]
    body = str(values.get("body", ""))
    if not body.strip():
        errors["body"] = [BODY_REQUIRED]
    else:
        problems = rendering.accessibility_problems(body)
        if problems:
            errors["body"] = problems
    if values.get("audience") not in Audience.values:
        errors["audience"] = [f"Choose one of: {', '.join(Audience.values)}."]
    if errors:
        raise FieldError(errors)


def _version(article: Article, *, author: User, at: datetime, changed: Sequence[str], note: str) -> ArticleVersion:
    return ArticleVersion.objects.create(
        article=article,
        number=article.version,
        title=article.title,
        summary=article.summary,
        body=article.body,
        audience=article.audience,
        status=article.status,
        author=author,
        at=at,
        changed=list(changed),
        note=note[:300],
    )


def article_create(
    *,
    actor: User,
    title: str,
    body: str,
    summary: str = "",
    audience: str = Audience.INTERNAL,
    section: Section | None = None,
    owner: User | None = None,
    review_due: date | None = None,
    related: Sequence[int] = (),
    citations: Sequence[Citation] = (),
    note: str = "",
    now: datetime | None = None,
) -> Article:
    """A new article, as a draft, version 1."""
    _require_writer(actor)
    now = now or timezone.now()
    values = {"title": title.strip(), "summary": summary.strip(), "body": body, "audience": audience}
    _check_content(values)
    with transaction.atomic():
        article = Article.objects.create(
            **values,
            slug=slugify(title)[:200] or "article",
            section=section,
            owner=owner or actor,
            review_due=review_due or (now + DEFAULT_REVIEW).date(),
            latest_author=actor,
            created_at=now,
            updated_at=now,
        )
        _version(article, author=actor, at=now, changed=["created"], note=note or "Created")
        if related:
            article.related.set(policy.readable(actor).filter(pk__in=related).exclude(pk=article.pk))
        citations_set(article=article, citations=citations, now=now)
    return article


def _locked(actor: User, article_id: int | str, expected_version: int | None) -> Article:
    if not policy.can_write(actor):
        raise NotFound(policy.NO_ARTICLE)
    found = policy.access_article(actor, article_id)
    article = Article.objects.select_for_update(of=("self",)).select_related("section", "live").get(pk=found.pk)
    if expected_version is not None and expected_version != article.version:
        raise Conflict(STALE.format(version=article.version), current=article)
    return article


def article_update(
    *,
    actor: User,
    article_id: int | str,
    expected_version: int | None,
    changes: Mapping[str, Any],
    note: str = "",
    now: datetime | None = None,
) -> Article:
    """Change an article: a new version, in draft (a published article keeps showing readers its
    published version until the draft is published in its turn). ``changes`` may hold title,
    summary, body, audience, section, owner, review_due, related (ids) and citations."""
    now = now or timezone.now()
    with transaction.atomic():
        article = _locked(actor, article_id, expected_version)
        changed: list[str] = []
        for name in CONTENT_FIELDS:
            if name in changes and changes[name] is not None:
                value = changes[name].strip() if name in ("title", "summary") else changes[name]
                if getattr(article, name) != value:
                    setattr(article, name, value)
                    changed.append(name)
        _check_content({n: getattr(article, n) for n in CONTENT_FIELDS})
        for name in ("section", "owner", "review_due"):
            if name in changes and getattr(article, name) != changes[name]:
                if name == "review_due" and changes[name] is not None and changes[name] <= now.date():
                    raise FieldError(review_due=REVIEW_DUE_PAST)
                setattr(article, name, changes[name])
                changed.append(name)
        if "related" in changes:
            wanted = set(
                policy.readable(actor)
                .filter(pk__in=changes["related"] or [])
                .exclude(pk=article.pk)
                .values_list("pk", flat=True)
            )
            if wanted != set(article.related.values_list("pk", flat=True)):
                article.related.set(wanted)
                changed.append("related")
        if "citations" in changes and citations_set(article=article, citations=changes["citations"] or [], now=now):
            changed.append("citations")
        if not changed:
            return article
        content_changed = any(name in CONTENT_FIELDS for name in changed)
        if content_changed:
            article.status = Status.DRAFT
            article.latest_author = actor
        article.version += 1
        article.updated_at = now
        article.save()
        _version(article, author=actor, at=now, changed=changed, note=note)
        search.index_article(article)  # the section (and so the category) may have moved
    return article


def transition(
    *,
    actor: User,
    article_id: int | str,
    action: str,
    expected_version: int | None,
    note: str = "",
    now: datetime | None = None,
) -> Article:
    """Move an article through draft → review → published (``domain.knowledge.next_status``)."""
    now = now or timezone.now()
    with transaction.atomic():
        article = _locked(actor, article_id, expected_version)
        standing = rules.Standing(
            may_approve=policy.may_approve(actor), wrote_latest=article.latest_author_id == actor.pk
        )
        try:
            article.status = rules.next_status(article.status, action, article.audience, standing)
        except rules.WorkflowRefused as refused:
            raise Forbidden(str(refused)) from None
        article.version += 1
        article.updated_at = now
        version = _version(article, author=actor, at=now, changed=["status"], note=note or action.capitalize())
        if article.status == Status.PUBLISHED:
            article.live = version
            article.published_at = now
            article.approved_by = actor if action == rules.APPROVE else None
        elif action == rules.UNPUBLISH:
            article.live = None
        article.save()
        search.index_article(article)
    return article


def rollback(
    *, actor: User, article_id: int | str, number: int, expected_version: int | None, now: datetime | None = None
) -> Article:
    """Bring back the text of version ``number`` as a new version (a draft: history is never
    rewritten, and a public article's text is reviewed again before readers see it)."""
    now = now or timezone.now()
    with transaction.atomic():
        article = _locked(actor, article_id, expected_version)
        old = article.versions.filter(number=number).first()
        if old is None:
            raise FieldError(version=NO_SUCH_VERSION.format(number=number))
        return article_update(
            actor=actor,
            article_id=article.pk,
            expected_version=article.version,
            changes={"title": old.title, "summary": old.summary, "body": old.body, "audience": old.audience},
            note=f"Rolled back to version {number}",
            now=now,
        )


def citations_set(*, article: Article, citations: Sequence[Citation], now: datetime) -> bool:
    """The rules the article cites: each a tracked setting that exists. Whether anything changed."""
    tracked = {t.label: t.model for t in settings_history.tracked()}
    wanted: dict[tuple[str, str], str] = {}
    for citation in citations:
        model = tracked.get(citation.setting.lower())
        instance = model._default_manager.filter(pk=citation.object_id).first() if model else None
        if instance is None:
            raise FieldError(citations=UNKNOWN_RULE.format(setting=citation.setting, object_id=citation.object_id))
        wanted[(citation.setting.lower(), str(citation.object_id))] = str(instance)[:200]
    held = {(c.setting, c.object_id): c for c in article.citations.all()}
    gone = [c.pk for key, c in held.items() if key not in wanted]
    new = [
        RuleCitation(article=article, setting=s, object_id=o, label=label, checked_at=now)
        for (s, o), label in wanted.items()
        if (s, o) not in held
    ]
    RuleCitation.objects.filter(pk__in=gone).delete()
    RuleCitation.objects.bulk_create(new)
    return bool(gone or new)


def mark_reviewed(*, actor: User, article_id: int | str, next_review: date, now: datetime | None = None) -> Article:
    """The owner (or an approver) has checked the article: the next review date, the flag cleared,
    the cited rules taken as read as they are now."""
    now = now or timezone.now()
    if next_review <= now.date():
        raise FieldError(review_due=REVIEW_DUE_PAST)
    with transaction.atomic():
        article = _locked(actor, article_id, None)
        if article.owner_id != actor.pk and not policy.may_approve(actor):
            raise Forbidden("Only the article's owner or an approver records a review.")
        article.review_due = next_review
        article.review_reason = ""
        article.version += 1
        article.updated_at = now
        article.save()
        _version(
            article, author=actor, at=now, changed=["review_due"], note=f"Reviewed; next review {next_review:%d %B %Y}"
        )
        article.citations.update(checked_at=now)
    return article


def flag_changed_rules(*, now: datetime | None = None) -> int:
    """Flag for review every article citing a rule changed since it was last checked (settings
    history). The number of articles flagged."""
    now = now or timezone.now()
    changes = SettingChange.objects.filter(
        model=OuterRef("setting"), object_id=OuterRef("object_id"), at__gt=OuterRef("checked_at")
    )
    stale = list(
        RuleCitation.objects.filter(Exists(changes))
        .annotate(changed_at=Subquery(changes.order_by("-at").values("at")[:1]))
        .select_related("article")
    )
    flagged: dict[int, Article] = {}
    for citation in stale:
        article = flagged.setdefault(citation.article_id, citation.article)
        article.review_reason = RULE_CHANGED.format(day=f"{citation.changed_at:%d %B %Y}", label=citation.label)[:300]
        if article.review_due is None or article.review_due > now.date():
            article.review_due = now.date()
    with transaction.atomic():
        Article.objects.bulk_update(flagged.values(), ["review_reason", "review_due"])
        RuleCitation.objects.filter(pk__in=[c.pk for c in stale]).update(checked_at=now)
    return len(flagged)


# --- cases ---------------------------------------------------------------------------------------


def case_link(*, actor: User, reference: str, article_id: int | str, now: datetime | None = None) -> CaseArticle:
    """Record that ``article`` answered the case (a case event); linking twice keeps one link."""
    now = now or timezone.now()
    case = core_access.access_case(actor, reference, why="link a knowledge article")
    core_access.require_work(actor, case)
    article = policy.access_article(actor, article_id)
    with transaction.atomic():
        link, created = CaseArticle.objects.get_or_create(
            case=case, article=article, defaults={"linked_by": actor, "at": now}
        )
        if created:
            journal.record(case=case, kind=LINKED, at=now, actor=actor, field="article", after=article.title)
    return link


def placeholder_values(case: Case, actor: User, now: datetime | None = None) -> dict[str, str]:
    """The values of the reply placeholders an article's text may hold, with the same names and
    syntax as macros (``{{ customer.name }}``): the basic four here, and whatever the reply's
    registered filler gives (``extensions.reply_placeholders``: the macros app adds the signature,
    the SLA promise and the next business day, and honours a named contact)."""
    values = {
        "customer.name": case.customer.name,
        "case.reference": case.reference,
        "case.subject": case.subject,
        "agent.name": actor.name,
    }
    values.update(extensions.reply_placeholder_values(case, actor, now or timezone.now()))
    return values


# --- readers -------------------------------------------------------------------------------------


def feedback_give(
    *,
    actor: Any,
    article_id: int | str,
    helpful: bool,
    reason: str = "",
    comment: str = "",
    now: datetime | None = None,
) -> Feedback:
    """ "Was this helpful?": yes, or no and why (a reason is asked for when it did not help)."""
    now = now or timezone.now()
    article = policy.access_article(actor, article_id)
    if not helpful and reason not in Reason.values:
        raise FieldError(reason=REASON_REQUIRED)
    if len(comment) > 1000:
        raise FieldError(comment="Keep the comment to 1,000 characters.")
    return Feedback.objects.create(
        article=article,
        helpful=helpful,
        reason="" if helpful else reason,
        comment=comment.strip(),
        public=not policy.sees_internal(actor),
        at=now,
    )


def search_logged(
    *, actor: Any, text: str, category_id: int | None = None, audience: str = "", now: datetime | None = None
) -> search.Found:
    """Search, and keep the search and its number of results (searches that find nothing are gaps)."""
    internal = policy.sees_internal(actor)
    found = search.search(text, internal=internal, category_id=category_id, audience=audience)
    query = " ".join(rules.words(text))[:200]
    if query:
        SearchLog.objects.create(query=query, public=not internal, results=len(found.hits), at=now or timezone.now())
    return found


def suggestion_opened(*, customer: Customer, article: Article, now: datetime | None = None) -> Deflection:
    """A customer writing a new case opened a suggested article: its outcome is decided later."""
    now = now or timezone.now()
    pending = Deflection.objects.filter(
        customer=customer, article=article, outcome=Outcome.PENDING, at__gte=now - DEFLECTION_WINDOW
    ).first()
    return pending or Deflection.objects.create(customer=customer, article=article, at=now)


def deflection_confirmed(*, customer: Customer, article_id: int | str, now: datetime | None = None) -> int:
    """The customer said the article answered their question: no case needed."""
    now = now or timezone.now()
    return Deflection.objects.filter(customer=customer, article_id=article_id, outcome=Outcome.PENDING).update(
        outcome=Outcome.DEFLECTED, decided_at=now
    )


def deflections_decide(*, now: datetime | None = None) -> dict[str, int]:
    """Decide pending deflections older than the window: raised (with the first case the customer
    raised within it) or deflected (they did not raise one)."""
    now = now or timezone.now()
    first_case = Case.objects.filter(
        customer_id=OuterRef("customer_id"),
        created_at__gte=OuterRef("at"),
        created_at__lt=OuterRef("at") + DEFLECTION_WINDOW,
    ).order_by("created_at", "id")
    due = list(
        Deflection.objects.filter(outcome=Outcome.PENDING, at__lt=now - DEFLECTION_WINDOW)
        .annotate(first_case=Subquery(first_case.values("id")[:1]))
        .order_by("id")[:5000]
    )
    for item in due:
        item.case_id = item.first_case
        item.outcome = Outcome.RAISED if item.case_id else Outcome.DEFLECTED
        item.decided_at = now
    Deflection.objects.bulk_update(due, ["case", "outcome", "decided_at"])
    return {
        "raised": sum(1 for d in due if d.outcome == Outcome.RAISED),
        "deflected": sum(1 for d in due if d.outcome == Outcome.DEFLECTED),
    }


IMAGE_NEEDS_ALT = "Describe the image in its text alternative (what a reader who cannot see it needs to know)."
FILE_TOO_LARGE = "Files may be at most 10 MB."
MAX_FILE = 10 * 1024 * 1024


def file_add(
    *, actor: User, article_id: int | str, upload: Any, alt_text: str = "", now: datetime | None = None
) -> ArticleFile:
    """An image or attachment for an article, kept in the configured storage."""
    now = now or timezone.now()
    if not policy.can_write(actor):
        raise NotFound(policy.NO_ARTICLE)
    article = policy.access_article(actor, article_id)
    content_type = getattr(upload, "content_type", "") or "application/octet-stream"
    if upload.size > MAX_FILE:
        raise FieldError(file=FILE_TOO_LARGE)
    if content_type.startswith("image/") and not alt_text.strip():
        raise FieldError(alt_text=IMAGE_NEEDS_ALT)
    return ArticleFile.objects.create(
        article=article,
        file=upload,
        name=str(upload.name)[:255],
        content_type=content_type[:100],
        size=upload.size,
        alt_text=alt_text.strip(),
        uploaded_at=now,
    )
