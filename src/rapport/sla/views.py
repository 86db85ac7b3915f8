"""SLA pages: the attainment report (and its CSV), and the case page's targets panel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from rapport.platform import csv_export
from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.sla import access as sla_policy
from rapport.sla import promises, selectors
from rapport.sla.forms import PromiseForm, ReportForm
from rapport.web.views import actor, staff_page


def _report(request: HttpRequest) -> tuple[ReportForm, selectors.Report | None]:
    if not sla_policy.can_view_report(actor(request)):
        raise NotFound()
    form = ReportForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return form, None
    data: dict[str, Any] = form.cleaned_data
    report = selectors.attainment(actor(request), start=data["start"], end=data["end"], target=data["target"])
    return form, report


@staff_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    context = {"form": form, "report": report, "groups": selectors.GROUPS, **_chart(report)}
    return render(request, "sla/report.html", context, status=200 if report else 400)


def _chart(report: selectors.Report | None) -> dict[str, Any]:
    """Bars for the month table, drawn on the server (no script): 100 px is 100%."""
    rows = [r for r in (report.groups.get("month", []) if report else []) if r.percent is not None]
    bars = [
        {
            "x": 10 + 60 * i,
            "y": 100 - round(row.percent or 0),
            "height": round(row.percent or 0),
            "label_y": max(96 - round(row.percent or 0), 10),
            "percent": row.percent,
            "month": row.key[:3] + " " + row.key[-2:],
        }
        for i, row in enumerate(rows)
    ]
    return {"chart": bars, "chart_width": 20 + 60 * len(bars)}


@staff_page
@require_GET
def report_csv(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    if report is None:
        return HttpResponse(
            "; ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sla-attainment-{report.start}-{report.end}.csv"'
    out = csv_export.writer(response)
    # Headings and dimensions in words: the file is read by people in a spreadsheet.
    out.writerow(["Dimension", "Group", "Met", "Missed", "Attainment (%)"])
    out.writerow(["All", report.overall.key, report.overall.met, report.overall.missed, report.overall.percent or ""])
    for group, rows in report.groups.items():
        for row in rows:
            out.writerow(
                [selectors.GROUPS[group][1], row.key, row.met, row.missed, "" if row.percent is None else row.percent]
            )
    return response


@staff_page
@require_GET
def case_panel(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        sla = selectors.case_sla(actor(request), reference, now=timezone.now())
    except NotFound as missing:
        raise Http404(missing.message) from None
    # htmx swaps the panel into the case page; without script the link opens it as a page.
    template = "sla/_case_panel.html" if getattr(request, "htmx", False) else "sla/case_panel_page.html"
    return render(request, template, {"sla": sla, "promise_form": PromiseForm()})


@staff_page
@require_POST
def promise_revise(request: HttpRequest, reference: str) -> HttpResponse:
    """Set a new time for the case's promise (or confirm the one proposed); the customer is told."""
    form = PromiseForm(request.POST)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            promises.promise_revise(
                actor=actor(request),
                reference=reference,
                due=data["due"],
                proposed=data["due"] is None,
                reason=data["reason"],
                now=timezone.now(),
            )
        except NotFound as missing:
            raise Http404(missing.message) from None
        except Forbidden as refused:
            form.add_error(None, refused.message)
            status = 403
        except FieldError as error:
            for field, text in error.errors.items():
                form.add_error(field if field in form.fields else None, text)
        else:
            messages.success(request, "New time set; the customer has been told.")
            return redirect("cases:detail", reference=reference)
    try:
        sla = selectors.case_sla(actor(request), reference, now=timezone.now())
    except NotFound as missing:
        raise Http404(missing.message) from None
    return render(request, "sla/case_panel_page.html", {"sla": sla, "promise_form": form}, status=status)
