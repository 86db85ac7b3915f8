"""Knowledge pages: the staff's articles under /kb/, the public help centre under /help/.

Every read goes through ``knowledge.access`` (``readable`` / ``access_article``): a visitor or a
customer asking for an internal article or a draft gets the same 404 as for one that does not
exist, on the page, the plain text, the PDF, a file, the suggestions and the search.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport import access as core_access
from rapport import extensions
from rapport.accounts.models import User
from rapport.domain import placeholders
from rapport.knowledge import access as policy
from rapport.knowledge import rendering, selectors, services
from rapport.knowledge.forms import ArticleForm, FeedbackForm, FileForm, ReviewedForm
from rapport.knowledge.models import Article, ArticleFile, Audience, Category, Status
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound
from rapport.platform.pagination import page_size
from rapport.platform.storage import open_stream
from rapport.portal.selectors import portal_customer
from rapport.web.forms import show_errors
from rapport.web.views import actor, staff_page

SAVED = "Article saved as version {version}."
MOVED = "Article is now {status}."
REVIEWED = "Review recorded."
FILE_ADDED = "File added. Use its address in the article: {url}"
LINKED = "Case {reference} linked to “{title}”."
THANKS = gettext_noop("Thank you for your feedback.")
GLAD = gettext_noop("We're glad it answered your question.")
PERIOD = timedelta(days=90)


def _category(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# --- staff pages ---------------------------------------------------------------------------------


@staff_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    q = request.GET.get("q", "").strip()[:200]
    category_id = _category(request.GET.get("category"))
    audience = request.GET.get("audience", "") if request.GET.get("audience") in Audience.values else ""
    status = request.GET.get("status", "") if request.GET.get("status") in Status.values else ""
    context: dict[str, Any] = {
        "q": q,
        "category_id": category_id,
        "audience": audience,
        "status": status,
        "categories": Category.objects.all(),
        "audiences": Audience.choices,
        "statuses": Status.choices,
        "is_manager": policy.is_manager(me),
    }
    if q:
        context["found"] = services.search_logged(actor=me, text=q, category_id=category_id, audience=audience)
    else:
        try:
            context["page"] = selectors.article_list(
                me,
                status=status,
                audience=audience,
                category_id=category_id,
                cursor=request.GET.get("after") or None,
                size=page_size(None, default=settings.RAPPORT_PAGE_SIZE),
            )
        except FieldError:
            context["page"] = selectors.article_list(me, status=status, audience=audience, category_id=category_id)
    return render(request, "knowledge/index.html", context)


def _form_values(form: ArticleForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "summary": data.get("summary") or "",
        "body": data["body"],
        "audience": data["audience"],
        "section": data.get("section"),
        "review_due": data.get("review_due"),
    }


@staff_page
@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    form = ArticleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            citations = [services.Citation(s, o) for s, o in form.citation_pairs()]
            if form.is_valid():
                try:
                    article = services.article_create(
                        actor=me,
                        owner=form.cleaned_data.get("owner"),
                        citations=citations,
                        note=form.cleaned_data.get("note") or "",
                        **_form_values(form),
                    )
                except FieldError as error:
                    show_errors(form, error.errors)
                else:
                    messages.success(request, SAVED.format(version=article.version))
                    return redirect("kb:article", article_id=article.pk)
    return render(request, "knowledge/edit.html", {"form": form, "article": None, "tone": _tone(form)}, status=status)


def _tone(form: ArticleForm) -> list[extensions.ToneFinding]:
    """The article's title, summary and body checked against the brand's tone of voice."""
    values = form.data if form.is_bound else form.initial
    return extensions.tone_findings("\n\n".join(str(values.get(k) or "") for k in ("title", "summary", "body")))


@staff_page
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    me = actor(request)
    article = policy.access_article(me, article_id)
    initial = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "audience": article.audience,
        "section": article.section_id,
        "owner": article.owner_id,
        "review_due": article.review_due,
        "version": article.version,
        "citations": "\n".join(f"{c.setting} {c.object_id}" for c in article.citations.all()),
    }
    form = ArticleForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            citations = [services.Citation(s, o) for s, o in form.citation_pairs()]
            if form.is_valid():
                changes = _form_values(form) | {"citations": citations}
                if form.cleaned_data.get("owner"):
                    changes["owner"] = form.cleaned_data["owner"]
                try:
                    article = services.article_update(
                        actor=me,
                        article_id=article.pk,
                        expected_version=form.cleaned_data.get("version"),
                        changes=changes,
                        note=form.cleaned_data.get("note") or "",
                    )
                except Conflict as conflict:
                    form.add_error(None, conflict.message)
                    status = 409
                except FieldError as error:
                    show_errors(form, error.errors)
                else:
                    messages.success(request, SAVED.format(version=article.version))
                    return redirect("kb:article", article_id=article.pk)
    return render(
        request, "knowledge/edit.html", {"form": form, "article": article, "tone": _tone(form)}, status=status
    )


@staff_page
@require_GET
def article_page(request: HttpRequest, article_id: int) -> HttpResponse:
    me = actor(request)
    article = policy.access_article(me, article_id)
    usage = selectors.usage([article])[article.pk]
    today = timezone.localdate()
    context = {
        "article": article,
        "shown": selectors.shown(me, article),
        "related": selectors.related_for(me, article),
        "usage": usage,
        "files": article.files.order_by("name"),
        "citations": article.citations.all(),
        "overdue": article.review_due is not None and article.review_due < today,
        "may_approve": policy.may_approve(me) and article.latest_author_id != me.pk,
        "reviewed_form": ReviewedForm(initial={"next_review": today + timedelta(days=365)}),
        "file_form": FileForm(),
        "votes": dict(
            article.feedback.values("helpful").order_by().annotate(n=Count("id")).values_list("helpful", "n")
        ),
    }
    return render(request, "knowledge/article.html", context)


@staff_page
@require_GET
def versions_page(request: HttpRequest, article_id: int) -> HttpResponse:
    me = actor(request)
    article = policy.access_article(me, article_id)
    rows = list(selectors.versions(article)[:200])
    chosen = next((v for v in rows if str(v.number) == request.GET.get("number")), rows[0] if rows else None)
    before = next((v for v in rows if chosen and v.number == chosen.number - 1), None)
    context = {
        "article": article,
        "versions": rows,
        "chosen": chosen,
        "diff": selectors.diff(before, chosen) if chosen else "",
    }
    return render(request, "knowledge/versions.html", context)


def _version_sent(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@staff_page
@require_POST
def workflow(request: HttpRequest, article_id: int) -> HttpResponse:
    me = actor(request)
    try:
        article = services.transition(
            actor=me,
            article_id=article_id,
            action=request.POST.get("action", ""),
            expected_version=_version_sent(request),
        )
    except (Forbidden, Conflict) as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, MOVED.format(status=article.get_status_display().lower()))
    return redirect("kb:article", article_id=article_id)


@staff_page
@require_POST
def rollback(request: HttpRequest, article_id: int) -> HttpResponse:
    me = actor(request)
    try:
        article = services.rollback(
            actor=me,
            article_id=article_id,
            number=int(request.POST.get("number", "0") or 0),
            expected_version=_version_sent(request),
        )
    except (Conflict, FieldError, ValueError) as refused:
        messages.error(request, str(getattr(refused, "message", refused)))
        return redirect("kb:versions", article_id=article_id)
    messages.success(request, SAVED.format(version=article.version))
    return redirect("kb:article", article_id=article_id)


@staff_page
@require_POST
def reviewed(request: HttpRequest, article_id: int) -> HttpResponse:
    me = actor(request)
    form = ReviewedForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("next_review", [])))
        return redirect("kb:article", article_id=article_id)
    try:
        services.mark_reviewed(actor=me, article_id=article_id, next_review=form.cleaned_data["next_review"])
    except Forbidden as refused:
        messages.error(request, refused.message)
    except FieldError as error:
        messages.error(request, " ".join(m for ms in error.errors.values() for m in ms))
    else:
        messages.success(request, REVIEWED)
    return redirect("kb:article", article_id=article_id)


@staff_page
@require_POST
def file_add(request: HttpRequest, article_id: int) -> HttpResponse:
    me = actor(request)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("kb:article", article_id=article_id)
    try:
        added = services.file_add(
            actor=me, article_id=article_id, upload=form.cleaned_data["file"], alt_text=form.cleaned_data["alt_text"]
        )
    except FieldError as error:
        messages.error(request, " ".join(m for ms in error.errors.values() for m in ms))
    else:
        messages.success(request, FILE_ADDED.format(url=f"/help/files/{added.pk}/"))
    return redirect("kb:article", article_id=article_id)


@staff_page
@require_GET
def reply_search(request: HttpRequest) -> HttpResponse:
    """The reply box's article finder: published articles (internal ones too), for one case."""
    me = actor(request)
    q = request.GET.get("kb_q", "").strip()[:200]
    reference = request.GET.get("case", "")
    found = services.search_logged(actor=me, text=q) if q else None
    return render(request, "knowledge/_reply_results.html", {"found": found, "q": q, "reference": reference})


@staff_page
@require_GET
def insert(request: HttpRequest, article_id: int) -> HttpResponse:
    """The text to put in a reply: the article's link (public articles) or its text as plain
    text, placeholders filled for the case."""
    me = actor(request)
    article = policy.access_article(me, article_id)
    case = core_access.access_case(me, request.GET.get("case", ""), why="insert a knowledge article")
    if request.GET.get("as") == "link":
        if article.live is None or article.live.audience != Audience.PUBLIC:
            return HttpResponse(
                "This article is not public, so the customer cannot open a link to it.",
                status=409,
                content_type="text/plain; charset=utf-8",
            )
        text = f"{article.live.title}: {request.build_absolute_uri(f'/help/articles/{article.pk}/')}"
    else:
        source: Any = article.live or article
        body = rendering.plain_text(source.title, source.summary, source.body)
        text = placeholders.fill(body, services.placeholder_values(case, me))
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@staff_page
@require_POST
def link_case(request: HttpRequest, article_id: int) -> HttpResponse:
    me = actor(request)
    reference = request.POST.get("case", "")
    try:
        link = services.case_link(actor=me, reference=reference, article_id=article_id)
    except Forbidden as refused:
        return HttpResponse(refused.message, status=403, content_type="text/plain; charset=utf-8")
    text = LINKED.format(reference=link.case.reference, title=link.article.title)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    messages.success(request, text)
    return redirect("cases:detail", reference=link.case.reference)


@staff_page
@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    today = timezone.localdate()
    context = {
        "overdue": list(selectors.overdue(me, today)[:200]),
        "flagged": list(selectors.flagged(me)[:200]),
        "everyone": policy.is_manager(me),
    }
    return render(request, "knowledge/reviews.html", context)


@staff_page
@require_GET
def gaps(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    end = timezone.now()
    start = end - PERIOD
    owner: User | None = None if policy.may_approve(me) else me
    context = {
        "searches": selectors.search_gaps(start, end),
        "articles": selectors.article_gaps(start, end, owner=owner),
        "everyone": owner is None,
        "start": start,
    }
    return render(request, "knowledge/gaps.html", context)


@staff_page
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    if not policy.is_manager(me) and not policy.may_approve(me):
        raise Http404
    end = timezone.now()
    start = end - PERIOD
    return render(request, "knowledge/figures.html", {"figures": selectors.figures(start, end), "start": start})


# --- the public help centre ----------------------------------------------------------------------


def _portal_customer(request: HttpRequest) -> Any:
    """The signed-in customer's record, or None (visitors, staff)."""
    user = request.user
    if not isinstance(user, User) or core_access.is_staff(user):
        return None
    return portal_customer(user)


def _public(request: HttpRequest, article_id: int) -> Article:
    """A published public article: visitors and customers never reach another (404 alike)."""
    try:
        return policy.access_article(_reader(request), article_id)
    except NotFound:
        raise Http404 from None


def _reader(request: HttpRequest) -> Any:
    """The help centre is the public view, whoever reads it: staff see the public version too."""
    return AnonymousUser()


@require_GET
def help_index(request: HttpRequest) -> HttpResponse:
    context = {"categories": selectors.public_categories(), "organisation": settings.RAPPORT_ORGANISATION}
    return render(request, "knowledge/help_index.html", context)


@require_GET
def help_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    category_id = _category(request.GET.get("category"))
    found = services.search_logged(actor=_reader(request), text=q, category_id=category_id) if q else None
    context = {"q": q, "found": found, "categories": Category.objects.all(), "category_id": category_id}
    return render(request, "knowledge/help_search.html", context)


def _typed(request: HttpRequest, name: str, size: int = 300) -> str:
    """A field of the case being typed, cut to ``size``; a word cut in two is not "being typed"."""
    text = request.GET.get(name, "")
    return text if len(text) <= size else text[:size] + " "


@require_GET
def help_suggest(request: HttpRequest) -> HttpResponse:
    """Articles that may answer the case a customer is typing (the portal asks as they type)."""
    subject, description = _typed(request, "subject"), _typed(request, "body")
    asked = f"{subject} {description}".strip()
    hits = selectors.suggestions(subject, description) if len(asked) >= 3 else []
    return render(request, "knowledge/help_suggestions.html", {"hits": hits, "asked": bool(asked)})


@require_GET
def help_article(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _public(request, article_id)
    reader = _reader(request)
    customer = _portal_customer(request)
    from_suggestion = request.GET.get("from") == "suggestion" and customer is not None
    if from_suggestion:
        services.suggestion_opened(customer=customer, article=article)
    context = {
        "article": article,
        "shown": selectors.shown(reader, article),
        "related": selectors.related_for(reader, article),
        "files": article.files.order_by("name"),
        "form": FeedbackForm(),
        "from_suggestion": from_suggestion,
    }
    return render(request, "knowledge/help_article.html", context)


@require_POST
def help_feedback(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _public(request, article_id)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        services.feedback_give(
            actor=_reader(request),
            article_id=article.pk,
            helpful=form.cleaned_data["helpful"],
            reason=form.cleaned_data.get("reason") or "",
            comment=form.cleaned_data.get("comment") or "",
        )
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "knowledge/help_feedback_thanks.html", {})
        messages.success(request, gettext(THANKS))
        return redirect("help:article", article_id=article.pk)
    reader = _reader(request)
    context = {
        "article": article,
        "shown": selectors.shown(reader, article),
        "related": selectors.related_for(reader, article),
        "files": article.files.order_by("name"),
        "form": form,
        "from_suggestion": False,
    }
    return render(request, "knowledge/help_article.html", context, status=422)


@require_POST
def help_answered(request: HttpRequest, article_id: int) -> HttpResponse:
    """The customer says the suggested article answered their question: no case needed."""
    article = _public(request, article_id)
    customer = _portal_customer(request)
    if customer is not None:
        services.deflection_confirmed(customer=customer, article_id=article.pk)
    messages.success(request, gettext(GLAD))
    return redirect("help:article", article_id=article.pk)


@require_GET
def help_text(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _public(request, article_id)
    live = article.live
    assert live is not None  # public articles have a published version
    response = HttpResponse(
        rendering.plain_text(live.title, live.summary, live.body), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="article-{article.pk}.txt"'
    return response


@require_GET
def help_pdf(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _public(request, article_id)
    live = article.live
    assert live is not None
    data = rendering.large_print_pdf(live.title, live.summary, live.body, settings.RAPPORT_ORGANISATION)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="article-{article.pk}-large-print.pdf"'
    return response


@require_GET
def help_file(request: HttpRequest, file_id: int) -> HttpResponse:
    """An article's file, for whoever may read the article (staff: any; others: public ones)."""
    found = ArticleFile.objects.filter(pk=file_id).first()
    if found is None or not policy.readable(request.user).filter(pk=found.article_id).exists():
        raise Http404
    try:
        stream = open_stream(found.file.storage, found.file.name)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(stream, content_type=found.content_type)
    if stream.size is not None:
        response["Content-Length"] = str(stream.size)
    response["Content-Disposition"] = "inline" if found.content_type.startswith("image/") else "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response
