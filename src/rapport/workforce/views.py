"""Planning pages: the forecast with its accuracy, the staffing it needs, handling times; CSVs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.platform import csv_export
from rapport.platform.errors import FieldError, Forbidden
from rapport.web.forms import show_errors
from rapport.web.views import actor, staff_page
from rapport.workforce import access as policy
from rapport.workforce import imports, selectors, services
from rapport.workforce.forms import (
    SKILL_CHOICES,
    WEEKDAYS,
    ActualsForm,
    CsvImportForm,
    ForecastForm,
    HandlingTimeForm,
    KnownEventForm,
    RotaImportForm,
    ShrinkageForm,
    SkillsForm,
    StatusForm,
    WhatIfForm,
)

EVENT_ADDED = "Known event added: the forecast now allows for it."
EVENT_REMOVED = "Known event removed."
AHT_SAVED = "Handling time saved."


def _csv(name: str, rows: Iterable[list[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    csv_export.writer(response).writerows(rows)
    return response


def _settings(request: HttpRequest) -> tuple[ForecastForm, int, int, date | None]:
    form = ForecastForm(request.GET or None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        return form, data["interval"] or 60, data["weeks"] or selectors.DEFAULT_WEEKS, data["day"]
    return ForecastForm(), 60, selectors.DEFAULT_WEEKS, None


@staff_page
@require_http_methods(["GET", "POST"])
def forecast(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    today = timezone.localdate()
    event_form = KnownEventForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not policy.can_plan(me):
            raise Http404
        status = 422
        if event_form.is_valid():
            try:
                services.known_event_add(actor=me, now=timezone.now(), **event_form.cleaned_data)
            except FieldError as error:
                show_errors(event_form, error.errors)
            else:
                messages.success(request, EVENT_ADDED)
                return redirect("workforce:forecast")
    form, interval, weeks, day = _settings(request)
    view = selectors.forecast_view(today=today, interval=interval, weeks=weeks)
    shown = day if day and 0 <= (day - today).days < view.days else today
    context = {
        "form": form,
        "view": view,
        "shown_day": shown,
        "shown_rows": _interval_table(view, (shown - today).days),
        "accuracy": [_accuracy_row(c) for c in view.channels],
        "channels": [c.channel for c in view.channels if c.rows],
        "daily": [(day, list(per.values()), total) for day, per, total in view.daily()],
        "event_form": event_form if policy.can_plan(me) else None,
        "events": selectors.known_events(),
        "can_plan": policy.can_plan(me),
    }
    return render(request, "workforce/forecast.html", context, status=status)


def _percent(value: float) -> str:
    return f"{value:+.1%}" if value == value and abs(value) != float("inf") else "n/a"


def _accuracy_row(channel: selectors.ChannelForecast) -> dict[str, object]:
    found = channel.backtest
    if found is None:
        return {"channel": channel.channel, "problem": channel.problem or "Not enough history to test yet."}
    return {
        "channel": channel.channel,
        "problem": "",
        "origins": found.origins,
        "wape": _percent(found.model.wape).lstrip("+"),
        "bias": _percent(found.model.bias),
        "naive_wape": _percent(found.naive.wape).lstrip("+"),
        "naive_bias": _percent(found.naive.bias),
        "beats": found.beats_naive,
    }


def _interval_table(view: selectors.ForecastView, index: int) -> list[tuple[str, list[float], float]]:
    """The rows of one day's intervals: (start, contacts per channel, total)."""
    live = [c for c in view.channels if c.rows]
    rows = []
    for slot in range(24 * 60 // view.interval):
        values = [c.rows[index][slot] for c in live]
        rows.append((view.slot_label(slot), values, sum(values)))
    return rows


@staff_page
@require_POST
def event_remove(request: HttpRequest, event_id: int) -> HttpResponse:
    try:
        services.known_event_remove(actor=actor(request), event_id=event_id)
    except Forbidden:
        raise Http404 from None
    messages.success(request, EVENT_REMOVED)
    return redirect("workforce:forecast")


@staff_page
@require_GET
def forecast_csv(request: HttpRequest) -> HttpResponse:
    _, interval, weeks, _ = _settings(request)
    view = selectors.forecast_view(today=timezone.localdate(), interval=interval, weeks=weeks)

    def rows() -> Iterator[list[object]]:
        yield ["Channel", "Day", "Interval", "Contacts"]
        for channel in view.channels:
            for index, row in enumerate(channel.rows):
                for slot, value in enumerate(row):
                    yield [channel.channel, view.day(index).isoformat(), view.slot_label(slot), f"{value:.2f}"]

    return _csv(f"forecast-{view.start.isoformat()}", rows())


@staff_page
@require_GET
def accuracy_csv(request: HttpRequest) -> HttpResponse:
    _, interval, weeks, _ = _settings(request)
    view = selectors.forecast_view(today=timezone.localdate(), interval=interval, weeks=weeks)

    def rows() -> Iterator[list[object]]:
        yield [
            "Channel",
            "Origins",
            "WAPE",
            "Bias",
            "Seasonal-naive WAPE",
            "Seasonal-naive bias",
            "Beats seasonal-naive",
        ]
        for channel in view.channels:
            b = channel.backtest
            if b is not None:
                yield [
                    channel.channel,
                    b.origins,
                    f"{b.model.wape:.4f}",
                    f"{b.model.bias:.4f}",
                    f"{b.naive.wape:.4f}",
                    f"{b.naive.bias:.4f}",
                    "yes" if b.beats_naive else "no",
                ]

    return _csv(f"forecast-accuracy-{view.start.isoformat()}", rows())


@staff_page
@require_GET
def staffing(request: HttpRequest) -> HttpResponse:
    """The heat-map: required against scheduled per interval, with the what-if controls."""
    form = WhatIfForm(request.GET or None)
    interval, demand, extra = 60, 0, (0, 0, 0, 0)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        interval, demand = data["interval"] or 60, data["demand_percent"] or 0
        if data["extra_agents"]:
            extra = (data["extra_day"] or 0, data["extra_from"] or 0, data["extra_to"] or 0, data["extra_agents"])
    elif request.GET:
        form = WhatIfForm()
    view = selectors.rota_view(today=timezone.localdate(), interval=interval, demand_percent=demand, extra=extra)
    days = [view.day(i) for i in range(len(view.cells))]
    slots = len(view.cells[0]) if view.cells else 0
    table = [
        (view.staffing.forecast.slot_label(slot), [view.cells[d][slot] for d in range(len(days))])
        for slot in range(slots)
    ]
    under = sum(cell.state == "under" for row in view.cells for cell in row)
    context = {
        "form": form,
        "view": view,
        "days": days,
        "table": table,
        "under": under,
        "sl_target": selectors.SL_TARGET,
        "extra_day_name": dict(WEEKDAYS)[extra[0]],
        "shrinkage_percent": f"{view.staffing.shrinkage * 100:.1f}".removesuffix(".0"),
    }
    return render(request, "workforce/staffing.html", context)


@staff_page
@require_GET
def staffing_csv(request: HttpRequest) -> HttpResponse:
    _, interval, _, _ = _settings(request)
    view = selectors.staffing_view(today=timezone.localdate(), interval=interval, weeks=1)

    def rows() -> Iterator[list[object]]:
        yield ["Channel", "Day", "Interval", "Contacts", "Required on the rota", "Service level"]
        for channel, days in view.cells.items():
            for index, cells in enumerate(days):
                for slot, cell in enumerate(cells):
                    sl = "" if cell.service_level is None else f"{cell.service_level:.4f}"
                    yield [
                        channel,
                        view.forecast.day(index).isoformat(),
                        view.forecast.slot_label(slot),
                        f"{cell.contacts:.2f}",
                        cell.required,
                        sl,
                    ]

    return _csv(f"staffing-{view.forecast.start.isoformat()}", rows())


@staff_page
@require_http_methods(["GET", "POST"])
def handling_times(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    form = HandlingTimeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not policy.can_plan(me):
            raise Http404
        status = 422
        if form.is_valid():
            try:
                services.handling_time_set(actor=me, now=timezone.now(), **form.cleaned_data)
            except FieldError as error:
                show_errors(form, error.errors)
            else:
                messages.success(request, AHT_SAVED)
                return redirect("workforce:handling_times")
    rows = selectors.handling_times(today=timezone.localdate())
    if request.method == "GET" and request.GET.get("format") == "csv":
        table: list[list[object]] = [
            [
                "Channel",
                "Case type",
                "Seconds used",
                "Source",
                "Time tracking",
                "Cases",
                "Message timestamps",
                "Replies",
            ]
        ]
        table += [
            [r.channel, r.case_type, r.seconds, r.source, r.tracked or "", r.cases, r.from_messages or "", r.replies]
            for r in rows
        ]
        return _csv("handling-times", table)
    context = {"rows": rows, "form": form if policy.can_plan(me) else None}
    return render(request, "workforce/handling_times.html", context, status=status)


ROTA_IMPORTED = "Rota imported: {count} stretches added."
ROTA_REFUSED = "Nothing was imported: correct the rows below and try again."
STATUS_SAVED = "Your status is now: {status}."


@staff_page
@require_http_methods(["GET", "POST"])
def rotas(request: HttpRequest) -> HttpResponse:
    """The coming week's rota, and a CSV import for team leaders (all rows or none)."""
    me = actor(request)
    form = RotaImportForm(request.POST or None, request.FILES or None)
    problems: list[imports.RowError] = []
    status = 200
    if request.method == "POST":
        if not policy.can_plan(me):
            raise Http404
        status = 422
        if form.is_valid():
            rows, problems = imports.parse_shifts(form.cleaned_data["file"].read(), tz=selectors.organisation_tz())
            if not problems:
                added = services.shifts_import(actor=me, rows=rows)
                messages.success(request, ROTA_IMPORTED.format(count=len(added)))
                return redirect("workforce:rotas")
            messages.error(request, ROTA_REFUSED)
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    context = {
        "shifts": selectors.shifts_between(start=start, end=start + timedelta(days=7)),
        "form": form if policy.can_plan(me) else None,
        "problems": problems,
    }
    return render(request, "workforce/rotas.html", context, status=status)


@staff_page
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """Set your status (also from the header control), and see your recent changes."""
    me = actor(request)
    form = StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        change = services.status_set(actor=me, agent=me, status=form.cleaned_data["status"], now=timezone.now())
        messages.success(request, STATUS_SAVED.format(status=change.get_status_display()))
        back = request.POST.get("next", "")
        if back.startswith("/") and not back.startswith("//"):
            return redirect(back)
        return redirect("workforce:status")
    context = {
        "form": form,
        "now": selectors.status_now(me.pk),
        "history": selectors.status_history(agent_id=me.pk, limit=50),
    }
    return render(request, "workforce/status.html", context, status=422 if request.method == "POST" else 200)


@staff_page
@require_GET
def actuals(request: HttpRequest) -> HttpResponse:
    """A day that is over: forecast against actual contacts, required against on duty, adherence."""
    today = timezone.localdate()
    form = ActualsForm(request.GET or None)
    day, interval = today - timedelta(days=1), 60
    if request.GET and form.is_valid():
        day = min(form.cleaned_data["day"] or day, today - timedelta(days=1))
        interval = form.cleaned_data["interval"] or 60
    elif request.GET:
        form = ActualsForm()
    view = selectors.actuals_view(day=day, interval=interval)
    if request.GET.get("format") == "csv":
        rows: list[list[object]] = [
            ["Interval", "Forecast contacts", "Actual contacts", "Required", "On duty", "Adherence"]
        ]
        rows += [
            [
                c.label,
                f"{c.forecast:.2f}",
                f"{c.actual:.0f}",
                c.required,
                c.staffed,
                "" if c.adherence is None else f"{c.adherence:.4f}",
            ]
            for c in view.cells
        ]
        return _csv(f"actuals-{day.isoformat()}", rows)
    return render(request, "workforce/actuals.html", {"form": form, "view": view})


# --- shrinkage by category ------------------------------------------------------------------------

SHRINKAGE_SAVED = "Shrinkage saved: staffing now allows for {total:.1%}."
SHRINKAGE_IMPORTED = "Shrinkage imported: staffing now allows for {total:.1%}."


@staff_page
@require_http_methods(["GET", "POST"])
def shrinkage(request: HttpRequest) -> HttpResponse:
    """Shrinkage broken down by category, set by team leaders on the page or from a CSV."""
    me = actor(request)
    view = selectors.shrinkage_view()
    if request.GET.get("format") == "csv":
        rows: list[list[object]] = [["category", "percent", "source"]]
        rows += [[p.category, f"{p.share * 100:.1f}", p.source] for p in view.parts]
        return _csv("shrinkage", rows)
    initial = {p.category: (p.share * 100).quantize(Decimal("0.1")) for p in view.parts}
    form = ShrinkageForm(None, initial=initial)
    upload = CsvImportForm()
    problems: list[imports.RowError] = []
    status = 200
    if request.method == "POST":
        if not policy.can_plan(me):
            raise Http404
        status = 422
        try:
            if "file" in request.FILES:
                upload = CsvImportForm(request.POST, request.FILES)
                if upload.is_valid():
                    shares, problems = imports.parse_shrinkage(upload.cleaned_data["file"].read())
                    if not problems:
                        services.shrinkage_set(actor=me, shares=shares, now=timezone.now(), source="csv")
                        messages.success(request, SHRINKAGE_IMPORTED.format(total=selectors.shrinkage_view().total))
                        return redirect("workforce:shrinkage")
            else:
                form = ShrinkageForm(request.POST, initial=initial)
                if form.is_valid():
                    services.shrinkage_set(actor=me, shares=form.shares(), now=timezone.now())
                    messages.success(request, SHRINKAGE_SAVED.format(total=selectors.shrinkage_view().total))
                    return redirect("workforce:shrinkage")
        except FieldError as error:
            if "total" in error.errors:
                messages.error(request, error.errors["total"][0])
            else:
                show_errors(form, error.errors)
    context = {
        "view": view,
        "form": form if policy.can_plan(me) else None,
        "upload": upload if policy.can_plan(me) else None,
        "problems": problems,
        "history": selectors.shrinkage_history(),
    }
    return render(request, "workforce/shrinkage.html", context, status=status)


# --- skills ---------------------------------------------------------------------------------------

SKILLS_SAVED = "Skills saved for {name}."
SKILLS_IMPORTED = "Skills imported for {count} agents."
SKILLS_PER_PAGE = 50


@staff_page
@require_http_methods(["GET", "POST"])
def skills(request: HttpRequest) -> HttpResponse:
    """Agents' skills (Welsh, BSL relay, complaints- and data-protection trained, products): every
    member of staff reads them; team leaders edit one agent or import a CSV."""
    me = actor(request)
    everyone = selectors.agent_skills()
    if request.GET.get("format") == "csv":
        rows: list[list[object]] = [["email", "skills", "products"]]
        rows += [[a.agent.email, "; ".join(a.skills), "; ".join(a.products)] for a in everyone]
        return _csv("skills", rows)
    choices = [(a.agent.pk, a.agent.name) for a in everyone]
    form = SkillsForm(None, agents=choices)
    upload = CsvImportForm()
    problems: list[imports.RowError] = []
    status = 200
    if request.method == "POST":
        if not policy.can_plan(me):
            raise Http404
        status = 422
        if "file" in request.FILES:
            upload = CsvImportForm(request.POST, request.FILES)
            if upload.is_valid():
                rows_in, problems = imports.parse_skills(upload.cleaned_data["file"].read())
                if not problems:
                    count = services.skills_import(actor=me, rows=rows_in)
                    messages.success(request, SKILLS_IMPORTED.format(count=count))
                    return redirect("workforce:skills")
        else:
            form = SkillsForm(request.POST, agents=choices)
            if form.is_valid():
                agent = next(a.agent for a in everyone if a.agent.pk == form.cleaned_data["agent"])
                try:
                    services.skills_replace(
                        actor=me,
                        agent=agent,
                        skills=form.cleaned_data["skills"],
                        products=form.cleaned_data["products"].split(";"),
                    )
                except FieldError as error:
                    show_errors(form, error.errors)
                else:
                    messages.success(request, SKILLS_SAVED.format(name=agent.name))
                    return redirect("workforce:skills")
    page = Paginator(everyone, SKILLS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "columns": SKILL_CHOICES,
        "form": form if policy.can_plan(me) else None,
        "upload": upload if policy.can_plan(me) else None,
        "problems": problems,
    }
    return render(request, "workforce/skills.html", context, status=status)
