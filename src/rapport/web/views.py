"""Desk pages shared by every area: the queue (home), search, attachment downloads.

Also the small decorator every staff page uses, so the rule "customers get a 404 on the desk"
lives in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from rapport import access as policy
from rapport import extensions
from rapport.accounts import services as accounts_services
from rapport.accounts.models import User
from rapport.cases import bulk, counts
from rapport.cases import search as case_search
from rapport.cases.selectors import QueueFilter, case_queue
from rapport.customers import services as customer_services
from rapport.domain import languages as language_rules
from rapport.domain import shortcuts as shortcut_rules
from rapport.domain.previews import PREVIEW_CONTENT_TYPE, PreviewState
from rapport.domain.references import format_reference
from rapport.platform import csv_export
from rapport.platform.downloads import private_download
from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.platform.pagination import page_size
from rapport.web import exports, saved_views
from rapport.web.forms import (
    QueueFilterForm,
    SavedViewForm,
    ShortcutsForm,
    field_error,
    show_errors,
    shown_staff,
    shown_teams,
)
from rapport.web.models import ExportStatus, SavedView

View = Callable[..., HttpResponse]
QUEUE_TABS = (
    ("mine", "Mine"),
    ("team", "My teams"),
    ("unassigned", "Unassigned"),
    ("breaching", "Breaching soon"),
    ("all", "All"),
)
SEARCH_GROUPS = (("case", "Cases"), ("message", "Messages"), ("customer", "Customers"))


def staff_page(view: View) -> View:
    """Staff only: anonymous visitors sign in first; anyone else gets the plain 404 page, so a
    customer cannot even learn which desk pages exist. ``NotFound`` from a gate is a 404 too."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not policy.is_staff(request.user):
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except NotFound as missing:
            raise Http404(missing.message) from None

    return wrapped


def actor(request: HttpRequest) -> User:
    """The member of staff making the request (``staff_page`` has checked there is one)."""
    user = request.user
    assert isinstance(user, User)
    return user


def params(request: HttpRequest) -> dict[str, str | list[str]]:
    return {name: request.GET.getlist(name) for name in request.GET}


def home(request: HttpRequest) -> HttpResponse:
    """The queue. Customers who land here are sent to their portal."""
    if request.user.is_authenticated and getattr(request.user, "is_customer", False):
        return redirect("portal:home")
    return _queue(request)


@staff_page
@require_GET
def _queue(request: HttpRequest) -> HttpResponse:
    return _queue_page(request, request.GET)


def _queue_page(
    request: HttpRequest, query: QueryDict, *, bulk: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    """The queue for the filters in ``query`` (the page's own address, or the address a bulk
    action was sent from), with the outcome of that action when there is one."""
    who = actor(request)
    errors: list[str] = []
    page = None
    flt = QueueFilter()
    now = timezone.now()
    views = list(saved_views.saved_views(who))
    chosen = _chosen_view(views, query.get("view"))
    asked = {name: query.getlist(name) for name in query if name != "view"}
    try:
        flt = QueueFilter.from_params({**(chosen.filters if chosen else {}), **asked})
        size = page_size(query.get("limit"), default=settings.RAPPORT_PAGE_SIZE)
        page = case_queue(who, flt, cursor=query.get("cursor") or None, size=size, now=now)
    except FieldError as error:
        errors = field_error(error)
    wanted = {key: {"queue": [key]} for key, _ in QUEUE_TABS}
    wanted.update({f"view-{view.pk}": view.filters for view in views})
    counted = counts.queue_counts(who, wanted, now=now)
    shown = {**(chosen.filters if chosen else {}), **query}
    context = {
        "badges": extensions.badges_for(who, page.items) if page else {},
        "filter": flt,
        "form": QueueFilterForm(shown),
        "page": page,
        "errors": errors,
        "tabs": [(key, label, counted.get(key)) for key, label in QUEUE_TABS],
        "views": [(view, counted.get(f"view-{view.pk}")) for view in views],
        "chosen_view": chosen,
        "counts_age": counts.oldest(counted, now),
        "queue_name": chosen.name if chosen else dict(QUEUE_TABS).get(flt.queue, "All"),
        "paged": bool(query.get("cursor")),
        "now": now,
        "here": query.urlencode(),
        "query_for": query,
        "bulk_actions": _bulk_choices(who),
        "bulk": bulk,
        "view_form": SavedViewForm(),
        "can_share": policy.can_share_views(who),
        # Read only where it is shown: the other queues cost nothing for it.
        "breaching_soon": extensions.breaching_soon_window() if flt.queue == "breaching" else None,
    }
    status = 400 if errors and status == 200 else status
    partial = bool(request.htmx and request.htmx.target == "results")
    response = render(request, "web/_queue_results.html" if partial else "web/queue.html", context, status=status)
    # One URL answers with the page or just its results: caches and the back button must tell them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _chosen_view(views: list[SavedView], asked: str | None) -> SavedView | None:
    """The saved view the address names, among those the person sees (else none: the plain queue)."""
    return next((view for view in views if str(view.pk) == asked), None) if asked else None


def _bulk_choices(who: User) -> list[dict[str, Any]]:
    """The action bar's choices: one group per action with its values, or a free-text field.
    The owner and team lists are the ones the page's filters already hold (no query)."""
    shown = {"owner": [("", "Nobody (unassign)"), *shown_staff()], "team": [("", "No team"), *shown_teams()]}
    groups = []
    for name, action in bulk.actions_for(who):
        options = shown.get(action.param) if action.param in shown else None
        if options is None and action.choices is not None:
            options = list(action.choices(who))
        groups.append({"name": name, "label": action.label, "param": action.param, "options": options})
    return groups


@staff_page
@require_POST
def queue_bulk(request: HttpRequest) -> HttpResponse:
    """The action bar: do one action to the ticked cases (or every case on the page), then show the
    queue again with what changed and what was refused, and why. Works as a plain form post."""
    back = QueryDict(request.POST.get("return", ""), mutable=False)
    name, _, value = request.POST.get("do", "").partition(":")
    entry = extensions.bulk_actions.get(name)
    params: dict[str, Any] = {}
    if entry is not None and entry.param:
        params[entry.param] = value if entry.choices is not None else request.POST.get(f"value-{entry.param}", "")
    try:
        chosen = _ticked(
            request.POST.getlist("shown") if request.POST.get("all_on_page") else request.POST.getlist("case")
        )
        outcomes = bulk.cases_bulk(actor=actor(request), action=name, params=params, cases=chosen)
    except FieldError as error:
        return _queue_page(request, back, bulk={"problems": field_error(error)}, status=422)
    changed = [o for o in outcomes if o.changed]
    refused = [o for o in outcomes if not o.changed]
    label = entry.label if entry else name
    return _queue_page(request, back, bulk={"label": label, "changed": changed, "refused": refused})


def _ticked(values: list[str]) -> dict[str, int]:
    """The ticked rows, each ``reference:version`` as the queue wrote it."""
    chosen: dict[str, int] = {}
    for item in values:
        reference, _, version = item.partition(":")
        if not (version.isascii() and version.isdigit()):
            raise FieldError(cases=bulk.BAD_VERSION)
        chosen[reference] = int(version)
    return chosen


@staff_page
def saved_view_list(request: HttpRequest) -> HttpResponse:
    """The person's saved views and the shared ones: save the queue's filters as one, move, delete."""
    who = actor(request)
    if request.method == "POST":
        form = SavedViewForm(request.POST)
        filters = QueryDict(request.POST.get("return", ""))
        if form.is_valid():
            try:
                view = saved_views.saved_view_create(
                    actor=who,
                    name=form.cleaned_data["name"],
                    filters={k: filters.getlist(k) for k in filters if k in saved_views.FILTER_NAMES},
                    shared=form.cleaned_data["shared"],
                )
            except FieldError as error:
                show_errors(form, error.errors)
            except Forbidden as refused:
                form.add_error("shared", refused.message)
            else:
                messages.success(request, f"Saved the view “{view.name}”.")
                return redirect(f"{reverse('home')}?view={view.pk}")
        return render(request, "web/saved_views.html", _views_context(who, form), status=422)
    return render(request, "web/saved_views.html", _views_context(who, SavedViewForm()))


def _views_context(who: User, form: SavedViewForm) -> dict[str, Any]:
    views = list(saved_views.saved_views(who).select_related("owner"))
    rows = [(view, policy.can_change_view(who, owner_id=view.owner_id, shared=view.shared)) for view in views]
    return {"rows": rows, "form": form, "can_share": policy.can_share_views(who)}


@staff_page
@require_POST
def saved_view_change(request: HttpRequest, view_id: int) -> HttpResponse:
    """Delete a view, or move it one place earlier or later among the tabs."""
    who = actor(request)
    what = request.POST.get("do", "")
    if what == "delete":
        view = saved_views.saved_view(who, view_id)
        saved_views.saved_view_delete(actor=who, view_id=view_id)
        messages.success(request, f"Deleted the view “{view.name}”.")
    elif what in {"earlier", "later"}:
        saved_views.saved_view_move(actor=who, view_id=view_id, earlier=what == "earlier")
        messages.success(request, "Moved the view.")
    return redirect("saved_views")


@staff_page
def shortcut_preferences(request: HttpRequest) -> HttpResponse:
    """Turn single-key shortcuts off or choose their keys (WCAG 2.1.4)."""
    who = actor(request)
    current = shortcut_rules.shortcuts_from(who.shortcuts)
    form = ShortcutsForm(request.POST or None, initial=ShortcutsForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            accounts_services.shortcuts_set(user=who, enabled=form.cleaned_data["enabled"], keys=form.keys())
        except FieldError as error:
            show_errors(form, {f"key_{action}": problems for action, problems in error.errors.items()})
        else:
            messages.success(request, "Your keyboard shortcuts are saved.")
            return redirect("shortcut_preferences")
    status = 422 if form.is_bound else 200
    return render(request, "web/shortcuts.html", {"form": form, "actions": shortcut_rules.ACTIONS}, status=status)


@staff_page
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:200]
    named = case_search.case_asked_for(actor(request), text)
    if named is not None:
        # A reference (or a case number) goes straight to the case, as a person typing one expects.
        return redirect("cases:detail", named.reference)
    hits = case_search.search(actor(request), text, by_reference=False) if text else []
    groups = []
    for kind, heading in SEARCH_GROUPS:
        rows = [_search_row(hit) for hit in hits if hit.kind == kind]
        if rows:
            groups.append({"kind": kind, "heading": heading, "rows": rows})
    return render(request, "web/search.html", {"q": text, "groups": groups, "count": len(hits)})


def _search_row(hit: case_search.Hit) -> dict[str, Any]:
    """Where a hit links to: a case, a message on its case, or a customer."""
    if hit.kind == "customer" and hit.customer_id:
        return {"hit": hit, "url": reverse("customers:detail", args=[hit.customer_id]), "label": "Customer"}
    reference = format_reference(hit.case_id) if hit.case_id else ""
    url = reverse("cases:detail", args=[reference])
    if hit.kind == "message":
        return {
            "hit": hit,
            "url": f"{url}#message-{hit.object_id}",
            "label": "Internal note" if hit.internal else "Message",
            "reference": reference,
        }
    return {"hit": hit, "url": url, "label": "Case", "reference": reference}


@login_required
@require_GET
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """A file from a case, for anyone the policy lets see it (staff, or the customer on their own
    public messages). Always a download, never rendered by the browser."""
    try:
        found = policy.access_attachment(request.user, attachment_id, why="download")
        return private_download(found.file, filename=found.filename, content_type=found.content_type)
    except NotFound as missing:
        raise Http404(missing.message) from None


@login_required
@require_GET
def attachment_preview(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """The preview the worker drew of an attachment, for exactly those who may download the file
    (the same gate and the same headers: no-store, a sandboxing policy, nosniff). Not found while
    there is none (pending, or no preview possible)."""
    try:
        found = policy.access_attachment(request.user, attachment_id, why="preview")
        if found.preview_state != PreviewState.READY or not found.preview.name:
            raise NotFound(policy.NO_ATTACHMENT)
        return private_download(
            found.preview, filename=f"{found.filename}.webp", content_type=PREVIEW_CONTENT_TYPE, as_attachment=False
        )
    except NotFound as missing:
        raise Http404(missing.message) from None


# --- data out: the lists as CSV or JSON (``web.exports``, ADR 0031) ---------------------------------

EXPORT_WHY = "desk export"
LIST_PARAMS_LEFT_OUT = frozenset({"view", "cursor", "limit"})


def _export_answer(
    request: HttpRequest, export: exports.Export, *, what: str, fmt: str, asked: dict[str, Any]
) -> HttpResponse:
    if exports.too_large(export):
        job = exports.export_job_start(actor(request), what=what, fmt=fmt, params=asked, now=timezone.now())
        return redirect("export_job", job_id=job.pk)
    return csv_export.streamed(fmt, export.header, export.batches, filename=export.filename)


@staff_page
@require_GET
def case_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The queue as shown (its saved view and filters, every page) as a file."""
    if fmt not in csv_export.FORMATS:
        raise Http404
    who = actor(request)
    chosen = _chosen_view(list(saved_views.saved_views(who)), request.GET.get("view"))
    asked = {
        **(chosen.filters if chosen else {}),
        **{name: request.GET.getlist(name) for name in request.GET if name not in LIST_PARAMS_LEFT_OUT},
    }
    try:
        export = exports.case_export(who, asked, now=timezone.now(), why=EXPORT_WHY)
    except FieldError:
        # The queue page names each bad filter: send the person back to it.
        return redirect(f"{reverse('home')}?{request.GET.urlencode()}")
    return _export_answer(request, export, what="cases", fmt=fmt, asked=asked)


@staff_page
@require_GET
def customer_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The customer list as searched (every page) as a file; the desk's notes are left out."""
    if fmt not in csv_export.FORMATS:
        raise Http404
    asked = {name: request.GET.get(name, "").strip()[:200] for name in ("q", "kind") if request.GET.get(name)}
    try:
        export = exports.customer_export(actor(request), asked, now=timezone.now(), why=EXPORT_WHY)
    except FieldError:
        return redirect(f"{reverse('customers:list')}?{request.GET.urlencode()}")
    return _export_answer(request, export, what="customers", fmt=fmt, asked=asked)


@staff_page
@require_GET
def export_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """A large export's progress, and its download link once written."""
    job = exports.export_job_access(actor(request), job_id, now=timezone.now())
    return render(request, "web/export_job.html", {"job": job})


@staff_page
@require_GET
def export_job_file(request: HttpRequest, job_id: int) -> HttpResponse:
    job = exports.export_job_access(actor(request), job_id, now=timezone.now())
    if job.status != ExportStatus.READY or not job.file:
        raise Http404
    return private_download(
        job.file, filename=job.file.name.rsplit("/", 1)[-1], content_type=csv_export.CONTENT_TYPES[job.format]
    )


LANGUAGE_NOT_OFFERED = gettext_lazy("Choose English or Cymraeg (Welsh).")


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The language switch on every customer page: back to the same page in the language chosen,
    kept in a cookie, and saved on a signed-in customer's record for their messages and letters."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("portal:home")
    language = language_rules.chosen(request.POST.get("language", ""))
    try:
        customer_services.customer_language_choose(actor=request.user, language=language)
    except FieldError:
        messages.error(request, LANGUAGE_NOT_OFFERED)
        return redirect(target)
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language_rules.tag_for(language),
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response
