"""Desk pages shared by every area: the queue (home), search, attachment downloads.

Also the small decorator every staff page uses, so the rule "customers get a 404 on the desk"
lives in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import User
from rapport.cases import search as case_search
from rapport.cases.selectors import QueueFilter, case_queue
from rapport.domain.previews import PREVIEW_CONTENT_TYPE, PreviewState
from rapport.domain.references import format_reference
from rapport.platform.downloads import private_download
from rapport.platform.errors import FieldError, NotFound
from rapport.platform.pagination import page_size
from rapport.web.forms import QueueFilterForm, field_error

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
    errors: list[str] = []
    page = None
    flt = QueueFilter()
    now = timezone.now()
    try:
        flt = QueueFilter.from_params(params(request))
        size = page_size(request.GET.get("limit"), default=settings.RAPPORT_PAGE_SIZE)
        page = case_queue(actor(request), flt, cursor=request.GET.get("cursor") or None, size=size, now=now)
    except FieldError as error:
        errors = field_error(error)
    context = {
        "badges": extensions.badges_for(actor(request), page.items) if page else {},
        "filter": flt,
        "form": QueueFilterForm(request.GET),
        "page": page,
        "errors": errors,
        "tabs": QUEUE_TABS,
        "queue_name": dict(QUEUE_TABS).get(flt.queue, "All"),
        "paged": bool(request.GET.get("cursor")),
        "now": now,
        # Read only where it is shown: the other queues cost nothing for it.
        "breaching_soon": extensions.breaching_soon_window() if flt.queue == "breaching" else None,
    }
    status = 400 if errors else 200
    partial = bool(request.htmx and request.htmx.target == "results")
    response = render(request, "web/_queue_results.html" if partial else "web/queue.html", context, status=status)
    # One URL answers with the page or just its results: caches and the back button must tell them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


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
