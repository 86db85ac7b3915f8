"""Planning pages: the forecast with its accuracy, the staffing it needs, handling times; CSVs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.platform import csv_export
from rapport.platform.errors import FieldError, Forbidden
from rapport.web.forms import show_errors
from rapport.web.views import actor, staff_page
from rapport.workforce import access as policy
from rapport.workforce import selectors, services
from rapport.workforce.forms import ForecastForm, HandlingTimeForm, KnownEventForm

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
    form, interval, _, _ = _settings(request)
    today = timezone.localdate()
    view = selectors.staffing_view(today=today, interval=interval, weeks=1)
    table = _heat_rows(view)
    peak = max((max(values, default=0) for _, values in table), default=0)
    context = {
        "form": form,
        "view": view,
        "days": [view.forecast.day(i) for i in range(view.forecast.days)],
        "table": [(label, [(v, _band(v, peak)) for v in values]) for label, values in table],
        "sl_target": selectors.SL_TARGET,
    }
    return render(request, "workforce/staffing.html", context)


def _band(value: int, peak: int) -> int:
    """Shade 0 (none needed) to 4 (the busiest fifth): the number is always printed beside it."""
    return 0 if not value or not peak else min(1 + 4 * value // (peak + 1), 4)


def _heat_rows(view: selectors.StaffingView) -> list[tuple[str, list[int]]]:
    """Interval by day: required staff in all channels (the heat-map's cells and its table)."""
    return [
        (view.forecast.slot_label(slot), [view.required_total(d, slot) for d in range(view.forecast.days)])
        for slot in range(24 * 60 // view.forecast.interval)
    ]


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
    context = {"rows": rows, "form": form if policy.can_plan(me) else None}
    return render(request, "workforce/handling_times.html", context, status=status)
