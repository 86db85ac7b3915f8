"""Complaint pages: the list of open complaints and approvals, one page per HEAT action (the panel
on the case page posts to them; a refused form is shown again there with its errors), approval
decisions, and the reports with their CSV exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import User
from rapport.cases.views import case_url
from rapport.complaints import access as complaint_policy
from rapport.complaints import forms, selectors, services
from rapport.customers.models import Customer
from rapport.domain.case_rules import CaseType
from rapport.platform import csv_export
from rapport.platform.errors import Conflict, FieldError, Forbidden
from rapport.platform.forms import Form
from rapport.platform.widgets import DateInput
from rapport.web.forms import show_errors
from rapport.web.views import actor, staff_page


@dataclass(frozen=True)
class Action:
    title: str
    form: type[django_forms.Form]
    run: Callable[[Any, str, dict[str, Any]], object]
    done: str
    anchor: str = "complaint-title"


ACTIONS: dict[str, Action] = {
    "hear": Action(
        "Hear the customer",
        forms.HearForm,
        lambda user, ref, d: services.complaint_hear(
            actor=user,
            reference=ref,
            account=d["account"],
            summary=d["summary"],
            confirmed=d["confirmed"],
            product=d["product"],
        ),
        "Hear stage recorded.",
    ),
    "empathise": Action(
        "Empathise",
        forms.EmpathiseForm,
        lambda user, ref, d: services.complaint_empathise(actor=user, reference=ref, said=d["said"]),
        "Empathise stage recorded.",
    ),
    "apologise": Action(
        "Apologise",
        forms.ApologiseForm,
        lambda user, ref, d: services.complaint_apologise(
            actor=user, reference=ref, said=d["said"], liability_admitted=d["liability_admitted"]
        ),
        "Apology recorded.",
    ),
    "own": Action(
        "Take ownership",
        forms.OwnershipForm,
        lambda user, ref, d: services.complaint_take_ownership(
            actor=user,
            reference=ref,
            handler=d["handler"],
            action_plan=d["action_plan"],
            promised_date=d["promised_date"],
            follow_ups=d["follow_ups"],
        ),
        "Ownership recorded.",
    ),
    "outcome": Action(
        "Outcome, customer's response and root cause",
        forms.OutcomeForm,
        lambda user, ref, d: services.complaint_record_outcome(
            actor=user,
            reference=ref,
            outcome=d["outcome"],
            outcome_text=d["outcome_text"],
            customer_response=d["customer_response"],
            root_cause=d["root_cause"],
        ),
        "Outcome recorded.",
    ),
    "facts": Action(
        "Statutory remedies",
        forms.FactsForm,
        lambda user, ref, d: services.complaint_assess(actor=user, reference=ref, facts=d),
        "Statutory remedies assessed.",
    ),
    "award": Action(
        "Refund, goodwill or compensation",
        forms.AwardForm,
        lambda user, ref, d: services.award_request(
            actor=user,
            reference=ref,
            kind=d["kind"],
            basis=d["basis"],
            amount=d["amount"],
            remedy=d["remedy"],
            note=d["note"],
        ),
        "Award recorded.",
    ),
    "escalate": Action(
        "Escalate the complaint",
        forms.EscalateForm,
        lambda user, ref, d: services.complaint_escalate(actor=user, reference=ref, reason=d["reason"]),
        "Complaint escalated.",
    ),
    "override": Action(
        "Override the closing checks",
        forms.OverrideForm,
        lambda user, ref, d: services.complaint_override(actor=user, reference=ref, reason=d["reason"]),
        "Override recorded: the complaint may now be closed.",
    ),
}


def _cleaned(action: str, form: django_forms.Form) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    if action == "facts":
        assert isinstance(form, forms.FactsForm)
        return form.facts()
    return data


@staff_page
@require_http_methods(["GET", "POST"])
def complaint_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    case = policy.access_case(actor(request), reference)
    if case.type != CaseType.COMPLAINT:
        raise Http404
    status = 200
    form = spec.form(request.POST or None)
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                spec.run(actor(request), case.reference, _cleaned(action, form))
            except FieldError as error:
                show_errors(form, error.errors)
                status = error.status
            except (Forbidden, Conflict) as refused:
                form.add_error(None, refused.message)
                status = 403 if isinstance(refused, Forbidden) else 409
            else:
                messages.success(request, spec.done)
                return redirect(case_url(case, spec.anchor))
    return render(
        request, "complaints/action.html", {"case": case, "form": form, "spec": spec, "action": action}, status=status
    )


FINAL_SENT = "Final response sent to the customer with the letter attached."


def _letter_choice(request: HttpRequest) -> tuple[bool, str | None]:
    """Deadlock or not, and the edited wording, from the preview form (or the panel's link)."""
    data = request.POST if request.method == "POST" else request.GET
    deadlock = data.get("deadlock") in {"1", "on", "true"} or data.get("final-deadlock") in {"1", "on", "true"}
    body = request.POST.get("body") if request.method == "POST" else None
    return deadlock, body


@staff_page
@require_http_methods(["GET", "POST"])
def letter_preview(request: HttpRequest, reference: str) -> HttpResponse:
    """The final response (or, with ``deadlock``, deadlock) letter as a PDF, as it would be sent
    now; posted from the preview page, with the handler's edited wording."""
    deadlock, body = _letter_choice(request)
    try:
        letter = services.final_response_letter(actor=actor(request), reference=reference, deadlock=deadlock, body=body)
    except FieldError as error:
        return HttpResponse("; ".join(m for ms in error.errors.values() for m in ms), status=error.status)
    response = HttpResponse(letter.pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-{letter.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_page
@require_http_methods(["GET", "POST"])
def final_response(request: HttpRequest, reference: str) -> HttpResponse:
    """Preview, edit, confirm: the letter is shown as it will be sent, its wording can be changed
    (and shown again), and only "Send final response" sends it."""
    user = actor(request)
    case = policy.access_case(user, reference)
    if case.type != CaseType.COMPLAINT:
        raise Http404
    deadlock, body = _letter_choice(request)
    status = 200
    form = forms.FinalLetterForm(request.POST or None)
    if request.method == "POST":
        status = 422
        if form.is_valid():
            deadlock, body = form.cleaned_data["deadlock"], form.cleaned_data["body"]
            try:
                if request.POST.get("send") == "1":
                    services.final_response_send(actor=user, reference=case.reference, deadlock=deadlock, body=body)
                    messages.success(request, FINAL_SENT)
                    return redirect(case_url(case, "complaint-title"))
                status = 200
            except FieldError as error:
                show_errors(form, error.errors)
                status = error.status
            except (Forbidden, Conflict) as refused:
                form.add_error(None, refused.message)
                status = 403 if isinstance(refused, Forbidden) else 409
    edited = form.cleaned_data["body"] if form.is_bound and form.is_valid() else None
    letter = services.final_response_letter(actor=user, reference=case.reference, deadlock=deadlock, body=edited)
    if not form.is_bound:
        form = forms.FinalLetterForm(initial={"deadlock": deadlock, "body": letter.body})
    return render(
        request,
        "complaints/final_response.html",
        {"case": case, "form": form, "letter": letter, "deadlock": deadlock},
        status=status,
    )


@staff_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    return render(
        request,
        "complaints/index.html",
        {
            "open": selectors.open_complaints(user, timezone.now()),
            "approvals": selectors.approvals_for(user),
            "follow_ups": selectors.follow_ups_due(user, timezone.localdate()),
            "can_report": complaint_policy.can_see_reports(user),
        },
    )


@staff_page
@require_http_methods(["GET", "POST"])
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    user = actor(request)
    approval = next((a for a in selectors.approvals_for(user) if a.pk == approval_id), None)
    if approval is None:
        raise Http404
    form = forms.DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.approval_decide(
                    actor=user,
                    approval_id=approval_id,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"],
                    ground=form.cleaned_data["ground"],
                )
            except FieldError as error:
                show_errors(form, error.errors)
                status = error.status
            except (Forbidden, Conflict) as refused:
                form.add_error(None, refused.message)
                status = 409
            else:
                messages.success(request, "Decision recorded.")
                return redirect("complaints:index")
    return render(request, "complaints/approval.html", {"approval": approval, "form": form}, status=status)


@staff_page
@require_POST
def follow_up_done(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    services.follow_up_done(actor=actor(request), follow_up_id=follow_up_id)
    messages.success(request, "Follow-up marked as made.")
    return redirect("complaints:index")


class PeriodForm(Form):
    start = django_forms.DateField(label="From", required=False, widget=DateInput())
    end = django_forms.DateField(label="To", required=False, widget=DateInput())


def _period(request: HttpRequest) -> tuple[PeriodForm, date, date]:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = today - timedelta(days=365), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return form, start, end


@staff_page
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    if not complaint_policy.can_see_reports(actor(request)):
        raise Http404
    form, start, end = _period(request)
    status = 400 if form.is_bound and not form.is_valid() else 200
    built = [selectors.report(name, start=start, end=end) for name in selectors.REPORTS]
    query = f"?start={start.isoformat()}&end={end.isoformat()}"
    trend = next(r for r in built if r.name == "trend")
    for named in built:
        _record_access(actor(request), named, "complaint report")
    return render(
        request,
        "complaints/reports.html",
        {"reports": built, "form": form, "start": start, "end": end, "query": query, "bars": trend_bars(trend)},
        status=status,
    )


@staff_page
@require_GET
def report_csv(request: HttpRequest, name: str) -> HttpResponse:
    if not complaint_policy.can_see_reports(actor(request)) or name not in selectors.REPORTS:
        raise Http404
    _, start, end = _period(request)
    built = selectors.report(name, start=start, end=end)
    _record_access(actor(request), built, "complaint report export")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="complaints-{name}-{start}-{end}.csv"'
    out = csv_export.writer(response)
    out.writerow(built.header)
    out.writerows(built.rows)
    return response


def _record_access(user: User, built: selectors.Report, why: str) -> None:
    """A report that names customers is a view of their data: tell the access observers."""
    if built.customer_ids:
        for customer in Customer.objects.filter(pk__in=built.customer_ids):
            extensions.record_access(user, customer, f"{built.title}", why)


CHART_HEIGHT = 120
BAR_WIDTH = 36


def trend_bars(trend: selectors.Report) -> list[dict[str, Any]]:
    """Bars for the trend chart (server-side SVG; the table beside it carries the same numbers)."""
    counts = [int(row[1]) for row in trend.rows]
    top = max(counts, default=0) or 1
    bars = []
    for i, (row, count) in enumerate(zip(trend.rows, counts, strict=True)):
        height = round(CHART_HEIGHT * count / top)
        bars.append(
            {
                "x": 8 + i * (BAR_WIDTH + 8),
                "y": CHART_HEIGHT - height + 16,
                "height": height,
                "month": row[0],
                "count": count,
            }
        )
    return bars
