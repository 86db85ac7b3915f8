"""The imports pages (admins): the list of imports with the form for a smaller export, and each
import's progress (polled while it runs) and final report, with its issues as CSV."""

from __future__ import annotations

import io

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from rapport.imports import access as policy
from rapport.imports import selectors, services
from rapport.imports.forms import ImportForm
from rapport.imports.models import RunState
from rapport.platform import csv_export
from rapport.platform.errors import FieldError
from rapport.web.views import actor, staff_page

PAGE_SIZE = 25


def _admin(request: HttpRequest) -> None:
    if not policy.can_import(actor(request)):
        raise Http404


@staff_page
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    _admin(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        if upload.size > services.MAX_UPLOAD_BYTES:
            form.add_error(
                "file",
                f"The file is larger than {services.MAX_UPLOAD_BYTES // (1024 * 1024)} MB: use `rapport import`.",
            )
        else:
            try:
                run = services.run_create(
                    source=data["source"],
                    label=upload.name,
                    now=timezone.now(),
                    dry_run=data["dry_run"],
                    actor=actor(request),
                    attachments_base=data["attachments_base"],
                    zone=data["timezone"],
                    upload=(upload.name, upload.read()),
                )
            except FieldError as error:
                for field, problems in error.errors.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                return redirect("imports:detail", run_id=run.pk)
    page = Paginator(selectors.runs(), PAGE_SIZE).get_page(request.GET.get("page"))
    status = 422 if request.method == "POST" else 200
    return render(request, "imports/index.html", {"form": form, "page": page}, status=status)


@staff_page
@require_GET
def detail(request: HttpRequest, run_id: int) -> HttpResponse:
    _admin(request)
    run = selectors.run_get(run_id)
    if run is None:
        raise Http404
    report = run.report or {}
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        writer = csv_export.writer(out)
        writer.writerow(["Issue", "Count", "Example"])
        for kind, examples in report.get("examples", {}).items():
            for example in examples:
                writer.writerow([kind.replace("_", " "), report["issues"].get(kind, 0), example])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-issues.csv"'
        return response
    context = {
        "run": run,
        "report": report,
        "working": run.state in {RunState.QUEUED, RunState.RUNNING},
        "percent": round(100 * run.done / run.total) if run.total else None,
        "issues": [
            (kind.replace("_", " ").capitalize(), count, report.get("examples", {}).get(kind, []))
            for kind, count in report.get("issues", {}).items()
        ],
    }
    template = "imports/progress.html" if request.headers.get("HX-Request") else "imports/detail.html"
    return render(request, template, context)
