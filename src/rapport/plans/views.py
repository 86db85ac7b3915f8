"""Service plan pages: the list, a plan with every section (printable), the edit forms, the trigger
history, systems declared down; CSV of every table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.accounts.models import User
from rapport.plans import access as policy
from rapport.plans import sections as parts
from rapport.plans import selectors, services
from rapport.plans.forms import ContingencyForm, OutageForm, PlanForm, item_form
from rapport.plans.models import PlanStatus
from rapport.platform import csv_export
from rapport.platform.errors import Conflict, FieldError, NotFound
from rapport.platform.pagination import page_size
from rapport.web.forms import show_errors
from rapport.web.views import actor, staff_page

PLAN_SAVED = "Service plan saved."
ITEM_ADDED = "Added to the plan."
ITEM_REMOVED = "Removed from the plan."
CONTINGENCY_ADDED = "Contingency added: Rapport watches its trigger from now on."
CHECKED = "Triggers checked: {started} fired, {ended} cleared."
DECLARED = "{system} declared down: the contingencies watching for it have been checked."
RESTORED = "{system} restored."
PAGE = 25


def _csv(name: str, rows: Iterable[list[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    csv_export.writer(response).writerows(rows)
    return response


def _writer_only(request: HttpRequest) -> None:
    if not policy.can_write_plans(actor(request)):
        raise Http404


@staff_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    status = request.GET.get("status", "")
    status = status if status in PlanStatus.values else ""
    try:
        page = selectors.plan_page(me, status=status, cursor=request.GET.get("cursor") or None, size=PAGE)
    except FieldError:
        page = selectors.plan_page(me, status=status, cursor=None, size=PAGE)
    context = {
        "page": page,
        "status": status,
        "statuses": PlanStatus.choices,
        "outages": selectors.open_outages(),
        "can_write": policy.can_write_plans(me),
        "outage_form": OutageForm() if policy.can_write_plans(me) else None,
    }
    return render(request, "plans/index.html", context)


@staff_page
@require_GET
def index_csv(request: HttpRequest) -> HttpResponse:
    found = selectors.plans(actor(request)).order_by("-starts_on", "-id")

    def rows() -> Iterator[list[object]]:
        yield [
            "Plan",
            "Team",
            "Owner",
            "Starts",
            "Ends",
            "Status",
            "Contacts per week planned",
            "Contingencies fired now",
        ]
        for plan in found.iterator(chunk_size=500):
            yield [
                plan.title, plan.team.name if plan.team else "Whole service", plan.owner.name or plan.owner.email,
                plan.starts_on.isoformat(), plan.ends_on.isoformat(), plan.get_status_display(),
                plan.planned_weekly_contacts or "", plan.open_firings,
            ]  # fmt: skip

    return _csv("service-plans", rows())


@staff_page
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    _writer_only(request)
    me = actor(request)
    form = PlanForm(request.POST or None, initial={"owner": me.pk, "status": PlanStatus.DRAFT})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            values = form.plan_values()
            try:
                plan = services.plan_create(actor=me, fields=services.PlanFields(**values), now=timezone.now())
            except FieldError as error:
                show_errors(form, error.errors)
            else:
                messages.success(request, PLAN_SAVED)
                return redirect("plans:detail", plan.pk)
    return render(request, "plans/edit.html", {"form": form, "plan": None}, status=status)


@staff_page
@require_GET
def detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    return render(request, "plans/detail.html", _detail(actor(request), plan_id))


def _detail(
    me: User, plan_id: int, *, form: tuple[str, forms.Form] | None = None, contingency: ContingencyForm | None = None
) -> dict[str, object]:
    """The plan page's context; ``form`` and ``contingency`` are forms sent back with their errors."""
    view = selectors.plan_view(me, plan_id)
    writer = policy.can_write_plans(me)
    item_forms = {key: item_form(key) for key in parts.SECTIONS} if writer else {}
    if form is not None:
        item_forms[form[0]] = form[1]
    budget = view.plan.budget_pence
    return {
        "view": view,
        "plan": view.plan,
        "can_write": writer,
        "blocks": [(section, item_forms.get(section.spec.key)) for section in view.sections],
        "budget": f"{Decimal(budget) / 100:,.2f}" if budget is not None else "",
        "contingency_form": (contingency or ContingencyForm()) if writer else None,
    }


@staff_page
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    _writer_only(request)
    me = actor(request)
    plan = policy.access_plan(me, plan_id)
    initial = {
        "title": plan.title, "team": plan.team_id, "owner": plan.owner_id, "starts_on": plan.starts_on,
        "ends_on": plan.ends_on, "status": plan.status, "summary": plan.summary,
        "planned_weekly_contacts": plan.planned_weekly_contacts,
        "budget": plan.budget_pence / 100 if plan.budget_pence is not None else None, "version": plan.version,
    }  # fmt: skip
    form = PlanForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.plan_update(
                    actor=me,
                    plan_id=plan.pk,
                    version=form.cleaned_data["version"],
                    changes=form.plan_values(),
                    now=timezone.now(),
                )
            except FieldError as error:
                show_errors(form, error.errors)
            except Conflict as error:
                status = 409
                form.add_error(None, error.message)
            else:
                messages.success(request, PLAN_SAVED)
                return redirect("plans:detail", plan.pk)
    return render(request, "plans/edit.html", {"form": form, "plan": plan}, status=status)


@staff_page
@require_POST
def item_add(request: HttpRequest, plan_id: int, section: str) -> HttpResponse:
    _writer_only(request)
    if section not in parts.SECTIONS:
        raise Http404
    me = actor(request)
    form = item_form(section, request.POST)
    if form.is_valid():
        raw = {name: (str(value) if value is not None and not isinstance(value, bool | list) else value)
               for name, value in form.cleaned_data.items()}  # fmt: skip
        try:
            services.plan_item_add(actor=me, plan_id=plan_id, section=section, raw=raw, now=timezone.now())
        except FieldError as error:
            show_errors(form, error.errors)
        else:
            messages.success(request, ITEM_ADDED)
            return redirect(f"{_plan_url(plan_id)}#{section}-title")
    return render(request, "plans/detail.html", _detail(me, plan_id, form=(section, form)), status=422)


def _plan_url(plan_id: int) -> str:
    from django.urls import reverse

    return reverse("plans:detail", args=[plan_id])


@staff_page
@require_POST
def item_remove(request: HttpRequest, plan_id: int, section: str, index: int) -> HttpResponse:
    _writer_only(request)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        raise Http404 from None
    try:
        services.plan_item_remove(
            actor=actor(request), plan_id=plan_id, section=section, index=index, version=version, now=timezone.now()
        )
    except (FieldError, Conflict) as error:
        messages.error(request, getattr(error, "message", "") or services.STALE)
    else:
        messages.success(request, ITEM_REMOVED)
    return redirect(f"{_plan_url(plan_id)}#{section}-title")


@staff_page
@require_POST
def contingency_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    _writer_only(request)
    me = actor(request)
    form = ContingencyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.contingency_add(
                actor=me, plan_id=plan_id, fields=services.ContingencyFields(**data), now=timezone.now()
            )
        except FieldError as error:
            show_errors(form, error.errors)
        else:
            messages.success(request, CONTINGENCY_ADDED)
            return redirect(f"{_plan_url(plan_id)}#contingencies-title")
    return render(request, "plans/detail.html", _detail(me, plan_id, contingency=form), status=422)


@staff_page
@require_POST
def contingency_active(request: HttpRequest, plan_id: int, contingency_id: int) -> HttpResponse:
    _writer_only(request)
    services.contingency_set_active(
        actor=actor(request),
        plan_id=plan_id,
        contingency_id=contingency_id,
        active=request.POST.get("active") == "1",
        now=timezone.now(),
    )
    return redirect(f"{_plan_url(plan_id)}#contingencies-title")


@staff_page
@require_POST
def check(request: HttpRequest, plan_id: int) -> HttpResponse:
    _writer_only(request)
    plan = policy.access_plan(actor(request), plan_id)
    found = services.contingencies_check(now=timezone.now(), plan_ids=[plan.pk])
    messages.success(request, CHECKED.format(started=found.started, ended=found.ended))
    return redirect(f"{_plan_url(plan.pk)}#contingencies-title")


@staff_page
@require_GET
def firings(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    plan = None
    if request.GET.get("plan"):
        plan = policy.access_plan(me, request.GET["plan"])
    try:
        size = page_size(request.GET.get("limit"), default=PAGE)
        page = selectors.firing_page(
            me, plan_id=plan.pk if plan else None, cursor=request.GET.get("cursor") or None, size=size
        )
    except FieldError:
        page = selectors.firing_page(me, plan_id=plan.pk if plan else None, cursor=None, size=PAGE)
    return render(request, "plans/firings.html", {"page": page, "plan": plan})


@staff_page
@require_GET
def firings_csv(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    plan = policy.access_plan(me, request.GET["plan"]) if request.GET.get("plan") else None
    found = selectors.firings(me, plan_id=plan.pk if plan else None).order_by("-started_at", "-id")

    def rows() -> Iterator[list[object]]:
        yield ["Plan", "Contingency", "Trigger", "Fired at", "Cleared at", "Figure", "Why", "Why it cleared"]
        for f in found.iterator(chunk_size=500):
            yield [
                f.plan.title, f.contingency.name, f.contingency.get_trigger_display(), f.started_at.isoformat(),
                f.ended_at.isoformat() if f.ended_at else "", "" if f.value is None else round(f.value, 2),
                f.reason, f.end_reason,
            ]  # fmt: skip

    return _csv("contingency-firings", rows())


@staff_page
@require_GET
def plan_csv(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The whole plan as rows: each section's items field by field, then the contingencies."""
    view = selectors.plan_view(actor(request), plan_id)

    def rows() -> Iterator[list[object]]:
        yield ["Section", "Item", "Field", "Value"]
        for section in view.sections:
            for row in section.rows:
                for label, value in row.cells:
                    yield [section.spec.title, row.index + 1, label, value]
        for number, c in enumerate(view.contingencies, start=1):
            yield ["Contingencies", number, "Name", c.contingency.name]
            yield ["Contingencies", number, "Trigger", c.trigger_words]
            yield ["Contingencies", number, "Planned response", "; ".join(c.responses)]
            yield ["Contingencies", number, "Fired now", "Yes" if c.open_firing else "No"]

    return _csv(f"service-plan-{view.plan.pk}", rows())


@staff_page
@require_GET
def versions_csv(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = policy.access_plan(actor(request), plan_id)

    def rows() -> Iterator[list[object]]:
        yield ["Version", "When", "Who", "Change"]
        for v in selectors.versions(plan).iterator(chunk_size=500):
            yield [v.number, v.at.isoformat(), v.actor.name if v.actor else "", v.change]

    return _csv(f"service-plan-{plan.pk}-history", rows())


@staff_page
@require_POST
def outage_declare(request: HttpRequest) -> HttpResponse:
    _writer_only(request)
    form = OutageForm(request.POST)
    if form.is_valid():
        try:
            outage = services.outage_declare(actor=actor(request), now=timezone.now(), **form.cleaned_data)
        except FieldError as error:
            messages.error(request, " ".join(m for ms in error.errors.values() for m in ms))
        else:
            messages.success(request, DECLARED.format(system=outage.system))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("plans:index")


@staff_page
@require_POST
def outage_restore(request: HttpRequest, outage_id: int) -> HttpResponse:
    _writer_only(request)
    try:
        outage = services.outage_restore(actor=actor(request), outage_id=outage_id, now=timezone.now())
    except NotFound:
        raise Http404 from None
    messages.success(request, RESTORED.format(system=outage.system))
    return redirect("plans:index")
