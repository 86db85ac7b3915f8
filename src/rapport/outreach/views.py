"""Proactive pages: the sends, a new send, one send with its preview or progress; CSVs."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.domain.outreach import SKIP_LABELS, Skip, progress
from rapport.outreach import access as policy
from rapport.outreach import selectors, services
from rapport.outreach.forms import OutreachForm
from rapport.outreach.models import Outreach, OutreachState
from rapport.platform import csv_export
from rapport.platform.errors import Conflict, FieldError, Forbidden
from rapport.web.forms import show_errors
from rapport.web.views import actor, staff_page

PER_PAGE = 25
RECIPIENTS_PER_PAGE = 50
DRAFTED = "Draft saved. Check the preview below, then send."
SENDING = "Sending: the page shows how far it has got."


def _csv(name: str, rows: Iterable[list[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    csv_export.writer(response).writerows(rows)
    return response


def _outreach(outreach_id: int) -> Outreach:
    found = selectors.outreaches().filter(pk=outreach_id).first()
    if found is None:
        raise Http404
    return found


@staff_page
@require_GET
def outreach_list(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    if request.GET.get("format") == "csv":
        rows: list[list[object]] = [
            ["Title", "Purpose", "Segment", "State", "Created", "In the group", "Emailed", "To call or post", "Skipped"]
        ]
        rows += [
            [
                o.title,
                o.get_purpose_display(),
                o.segment_label,
                o.get_state_display(),
                o.created_at.isoformat(),
                o.total,
                o.sent,
                o.by_hand,
                o.skipped_total,
            ]
            for o in selectors.outreaches().iterator()
        ]
        return _csv("proactive-messages", rows)
    page = Paginator(selectors.outreaches(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "outreach/list.html", {"page": page, "can_send": policy.can_send(me)})


@staff_page
@require_http_methods(["GET", "POST"])
def outreach_new(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    if not policy.can_send(me):
        raise Http404
    form = OutreachForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                outreach = services.outreach_draft(
                    actor=me,
                    title=data["title"],
                    purpose=data["purpose"],
                    subject=data["subject"],
                    body=data["body"],
                    easy_read_body=data["easy_read_body"],
                    segment=form.segment(),
                    now=timezone.now(),
                )
            except FieldError as error:
                show_errors(form, error.errors)
            except Forbidden as error:
                form.add_error("purpose", str(error))
            else:
                messages.success(request, DRAFTED)
                return redirect("outreach:detail", outreach_id=outreach.pk)
    return render(request, "outreach/new.html", {"form": form}, status=status)


@staff_page
@require_GET
def outreach_detail(request: HttpRequest, outreach_id: int) -> HttpResponse:
    me = actor(request)
    outreach = _outreach(outreach_id)
    preview = None
    if outreach.state == OutreachState.DRAFT and policy.can_send(me, outreach.purpose):
        preview = selectors.preview(me, outreach)
    page = None
    if outreach.state != OutreachState.DRAFT:
        page = Paginator(selectors.recipients(outreach), RECIPIENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "outreach": outreach,
        "preview": preview,
        "page": page,
        "progress": round(progress(outreach.done, outreach.total) * 100),
        "skipped": [(SKIP_LABELS[Skip(r)], n) for r, n in sorted((outreach.skipped or {}).items())],
        "events": list(outreach.events.select_related("actor").order_by("at", "id")),
        "can_send": outreach.state == OutreachState.DRAFT and policy.can_send(me, outreach.purpose),
    }
    return render(request, "outreach/detail.html", context)


@staff_page
@require_POST
def outreach_send(request: HttpRequest, outreach_id: int) -> HttpResponse:
    try:
        services.outreach_send(actor=actor(request), outreach_id=outreach_id, now=timezone.now())
    except Forbidden:
        raise Http404 from None
    except (Conflict, FieldError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, SENDING)
    return redirect("outreach:detail", outreach_id=outreach_id)


@staff_page
@require_GET
def recipients_csv(request: HttpRequest, outreach_id: int) -> HttpResponse:
    outreach = _outreach(outreach_id)
    rows: list[list[object]] = [["Customer id", "Customer", "State", "Channel", "Formats", "Skipped because", "At"]]
    rows += [
        [
            r.customer_id,
            r.customer.name,
            r.get_state_display(),
            r.channel,
            "; ".join(r.format_labels),
            r.get_skip_reason_display() if r.skip_reason else "",
            r.at.isoformat(),
        ]
        for r in selectors.recipients(outreach).iterator()
    ]
    return _csv(f"proactive-{outreach.pk}-recipients", rows)


@staff_page
@require_GET
def skipped_csv(request: HttpRequest, outreach_id: int) -> HttpResponse:
    """Who the send would skip now, and why (the preview's full list)."""
    me = actor(request)
    outreach = _outreach(outreach_id)
    if not policy.can_send(me, outreach.purpose):
        raise Http404
    rows: list[list[object]] = [["Customer id", "Customer", "Skipped because"]]
    rows += [
        [c.pk, c.name, SKIP_LABELS[Skip(c.reason)]]  # type: ignore[attr-defined]
        for c in selectors.skipped_all(me, outreach).iterator()
    ]
    return _csv(f"proactive-{outreach.pk}-skipped", rows)
