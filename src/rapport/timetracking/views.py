"""Time tracking's pages: timer start and stop from the case page, a case's entries with manual
entry, changing and removing an entry, and the report (thin: services and selectors do the work)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport import access as core_policy
from rapport.cases.models import Case
from rapport.platform.errors import Conflict, FieldError, Forbidden
from rapport.timetracking import exports, selectors, services
from rapport.timetracking.forms import EntryForm, ReportForm, TimerStopForm
from rapport.timetracking.selectors import ReportBy
from rapport.web.forms import show_errors
from rapport.web.views import actor, staff_page

RECORDED = "Time recorded."
CHANGED = "Time entry changed."
REMOVED = "Time entry removed."
TIMER_STARTED = "Timer started."
TIMER_DISCARDED = "Timer discarded: nothing was recorded."
PAGE = 25
BY_LABELS = {ReportBy(value): str(label) for value, label in ReportForm.base_fields["by"].choices}  # type: ignore[attr-defined]


def _case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.reference]) + "#time"


def _case_page(request: HttpRequest, case: Case, form: EntryForm, *, status: int = 200) -> HttpResponse:
    me = actor(request)
    page = selectors.case_entries(case, cursor=request.GET.get("cursor") or None, size=PAGE)
    return render(
        request,
        "timetracking/case.html",
        {
            "case": case,
            "form": form,
            "time": selectors.case_time(case),
            "page": page,
            "me": me,
            "timer": selectors.running_timer(me),
        },
        status=status,
    )


@staff_page
@require_http_methods(["GET", "POST"])
def case_time(request: HttpRequest, reference: str) -> HttpResponse:
    """A case's entries, latest first, and the form to record time by hand."""
    me = actor(request)
    case = core_policy.access_case(me, reference, why="time spent")
    categories = selectors.categories()
    if request.method == "GET":
        form = EntryForm(categories=categories, initial={"worked_on": timezone.localdate()})
        return _case_page(request, case, form)
    form = EntryForm(request.POST, categories=categories)
    if form.is_valid():
        try:
            services.entry_add(actor=me, case=case, **_entry_fields(form.cleaned_data))
        except FieldError as error:
            show_errors(form, error.errors)
        else:
            messages.success(request, RECORDED)
            return redirect(_case_url(case))
    return _case_page(request, case, form, status=422)


def _entry_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "minutes": data["minutes"],
        "worked_on": data["worked_on"],
        "category_id": data["category"],
        "note": data.get("note") or "",
    }


@staff_page
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    me = actor(request)
    entry = services.access_entry(me, entry_id)
    categories = selectors.categories()
    if entry.category not in categories:  # a retired reason stays choosable for its own entries
        categories = [*categories, entry.category]
    if request.method == "GET":
        initial = {
            "minutes": entry.minutes,
            "worked_on": entry.worked_on,
            "category": entry.category_id,
            "note": entry.note,
        }
        form = EntryForm(categories=categories, initial=initial)
        return render(request, "timetracking/entry.html", {"entry": entry, "form": form})
    form = EntryForm(request.POST, categories=categories)
    status = 422
    if form.is_valid():
        try:
            services.entry_change(
                actor=me, entry_id=entry.pk, version=_version(request), **_entry_fields(form.cleaned_data)
            )
        except (Forbidden, Conflict) as refused:
            form.add_error(None, refused.message)
            status = refused.status
        except FieldError as error:
            show_errors(form, error.errors)
        else:
            messages.success(request, CHANGED)
            return redirect("timetracking:case", entry.case.reference)
    entry.refresh_from_db()  # a stale form shows the entry as it is now, and its new version
    return render(request, "timetracking/entry.html", {"entry": entry, "form": form}, status=status)


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


@staff_page
@require_POST
def entry_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    me = actor(request)
    entry = services.access_entry(me, entry_id)
    try:
        services.entry_delete(actor=me, entry_id=entry.pk, version=_version(request))
    except (Forbidden, Conflict) as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, REMOVED)
    return redirect("timetracking:case", entry.case.reference)


@staff_page
@require_POST
def timer_start(request: HttpRequest, reference: str) -> HttpResponse:
    me = actor(request)
    case = core_policy.access_case(me, reference, why="time spent")
    try:
        services.timer_start(actor=me, case=case)
    except FieldError as error:
        messages.error(request, " ".join(error.errors.get("timer", [])))
    else:
        messages.success(request, TIMER_STARTED)
    return redirect(_case_url(case))


@staff_page
@require_POST
def timer_stop(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    timer = selectors.running_timer(me)
    form = TimerStopForm(request.POST, categories=selectors.categories())
    if timer is None:
        messages.error(request, services.NO_TIMER)
        return redirect("timetracking:report")
    if form.is_valid():
        try:
            services.timer_stop(actor=me, category_id=form.cleaned_data["category"], note=form.cleaned_data["note"])
        except FieldError as error:
            messages.error(request, " ".join(m for found in error.errors.values() for m in found))
        else:
            messages.success(request, RECORDED)
    else:
        messages.error(request, " ".join(m for found in form.errors.values() for m in found))
    return redirect(_case_url(timer.case))


@staff_page
@require_POST
def timer_discard(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    timer = selectors.running_timer(me)
    if services.timer_discard(actor=me):
        messages.success(request, TIMER_DISCARDED)
    return redirect(_case_url(timer.case) if timer else reverse("timetracking:report"))


@staff_page
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """Time spent over a period by team, customer, case type, agent or reason; CSV with ``?format=csv``."""
    me = actor(request)
    form = ReportForm(request.GET or None)
    today = timezone.localdate()
    start, end, by = today - timedelta(days=29), today, ReportBy.TEAM
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        by = ReportBy(form.cleaned_data["by"] or by)
    found = selectors.time_report(actor=me, by=by, start=start, end=end)
    if request.GET.get("format") == "csv" and not form.errors:
        response = HttpResponse(exports.report_csv(found), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="time-by-{by.value}-{start}-to-{end}.csv"'
        return response
    query = {"by": by.value, "start": start.isoformat(), "end": end.isoformat()}
    return render(
        request,
        "timetracking/report.html",
        {
            "form": form if form.is_bound else ReportForm(initial=query),
            "report": found,
            "by_label": BY_LABELS[by],
            "csv_href": "?" + urlencode({**query, "format": "csv"}),
        },
        status=422 if form.errors else 200,
    )
