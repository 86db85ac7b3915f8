"""Routing pages: the teams a leader routes, each team's view (who holds what, each agent's
status, fairness and speed) with CSV, the team's settings and agents' capacity, the decision log,
and "route now" from the case page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.domain.routing import DEFAULT_CAPACITY
from rapport.platform import csv_export
from rapport.platform.errors import FieldError
from rapport.platform.pagination import page_size
from rapport.routing import access as policy
from rapport.routing import selectors, services
from rapport.routing.forms import CapacityForm, RouteForm, TeamRoutingForm
from rapport.web.views import actor, staff_page

SAVED = "Routing saved."
CAPACITY_SAVED = "Capacity saved for {name}."
ROUTED = "Routed: {reason}."
NOT_ROUTED = "Not routed: {reason}."
DECISIONS_PAGE = 25


def _form_errors(form: Any, error: FieldError) -> None:
    for field, problems in error.errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


@staff_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    who = actor(request)
    if not policy.can_lead_routing(who):
        raise Http404
    rows = selectors.teams(who)
    return render(request, "routing/index.html", {"rows": rows, "default_capacity": DEFAULT_CAPACITY})


@staff_page
@require_GET
def team(request: HttpRequest, team_id: int) -> HttpResponse:
    try:
        days = selectors.days_back(request.GET.get("days"))
    except FieldError:
        days = selectors.DEFAULT_DAYS
        messages.error(request, selectors.BAD_DAYS)
    view = selectors.team_view(actor(request), team_id, now=timezone.now(), days=days)
    if request.GET.get("format") == "csv":
        return csv_export.download(
            f"routing-{view.team.pk}.csv",
            [
                "Agent",
                "Status",
                "On rota",
                "Skills",
                "Urgent",
                "High",
                "Normal",
                "Low",
                "Open cases",
                "Load",
                "Capacity",
                "Takes work",
                "Why not",
                f"Assigned in {days} days",
                "Share",
            ],
            (
                [
                    r.agent.name,
                    r.agent.status,
                    "" if r.agent.on_rota is None else ("yes" if r.agent.on_rota else "no"),
                    " ".join(sorted(r.agent.skills)),
                    *r.by_priority,
                    r.agent.open_cases,
                    r.agent.load,
                    r.agent.capacity,
                    "no" if r.absent else "yes",
                    r.absent,
                    r.assigned,
                    "" if r.share is None else f"{r.share:.3f}",
                ]
                for r in view.rows
            ),
        )
    page = selectors.decisions_page(actor(request), team_id=view.team.pk, cursor=None, size=10)
    return render(
        request, "routing/team.html", {"view": view, "days": days, "recent": page.items, "periods": (7, 30, 90)}
    )


@staff_page
@require_GET
def decisions(request: HttpRequest, team_id: int) -> HttpResponse:
    who = actor(request)
    team, _settings = selectors.team_for(who, team_id)
    if request.GET.get("format") == "csv":
        rows = selectors.decisions(who, team_id=team.pk).order_by("-decided_at", "-id")[:10000]
        return csv_export.download(
            f"routing-{team.pk}-decisions.csv",
            ["Case", "Agent", "Rule", "Method", "Reason", "Trigger", "First owner", "Arrived", "Decided"],
            (
                [
                    d.case.reference,
                    str(d.agent) if d.agent else "",
                    d.rule,
                    d.method,
                    d.reason,
                    d.trigger,
                    "yes" if d.first else "no",
                    d.arrived_at.isoformat(),
                    d.decided_at.isoformat(),
                ]
                for d in rows
            ),
        )
    try:
        page = selectors.decisions_page(
            who,
            team_id=team.pk,
            cursor=request.GET.get("cursor") or None,
            size=page_size(request.GET.get("limit"), default=DECISIONS_PAGE),
        )
    except FieldError as error:
        messages.error(request, " ".join(p for problems in error.errors.values() for p in problems))
        return redirect(reverse("routing:decisions", args=[team.pk]))
    return render(request, "routing/decisions.html", {"team": team, "page": page})


@staff_page
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest, team_id: int) -> HttpResponse:
    who = actor(request)
    team, found = selectors.team_for(who, team_id)
    form = TeamRoutingForm(
        request.POST or None,
        initial={"method": found.method, "route_on_arrival": found.route_on_arrival, "capacity": found.capacity},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.team_routing_set(
                actor=who,
                team_id=team.pk,
                changes=services.TeamSettings(
                    method=data["method"], route_on_arrival=data["route_on_arrival"], capacity=data["capacity"]
                ),
                now=timezone.now(),
            )
        except FieldError as error:
            _form_errors(form, error)
        else:
            messages.success(request, SAVED)
            return redirect(reverse("routing:team", args=[team.pk]))
    view = selectors.team_view(who, team.pk, now=timezone.now(), days=1)
    status = 400 if request.method == "POST" else 200
    return render(request, "routing/settings.html", {"team": team, "form": form, "view": view}, status=status)


@staff_page
@require_POST
def capacity(request: HttpRequest, agent_id: int) -> HttpResponse:
    who = actor(request)
    form = CapacityForm(request.POST)
    back = request.POST.get("team", "")
    target = reverse("routing:settings", args=[int(back)]) if back.isdigit() else reverse("routing:index")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(target)
    try:
        services.agent_capacity_set(
            actor=who, agent_id=agent_id, capacity=form.cleaned_data["capacity"], now=timezone.now()
        )
    except FieldError as error:
        messages.error(request, " ".join(p for problems in error.errors.values() for p in problems))
    else:
        name = selectors.staff_names([agent_id]).get(agent_id, "the agent")
        messages.success(request, CAPACITY_SAVED.format(name=name))
    return redirect(target)


@staff_page
@require_POST
def route(request: HttpRequest, reference: str) -> HttpResponse:
    form = RouteForm(request.POST)
    method = form.cleaned_data["method"] if form.is_valid() else ""
    try:
        outcome = services.case_route_request(
            actor=actor(request), reference=reference, method=method, now=timezone.now()
        )
    except FieldError as error:
        messages.error(request, " ".join(p for problems in error.errors.values() for p in problems))
    else:
        template = ROUTED if outcome.user_id is not None else NOT_ROUTED
        messages.success(request, template.format(reason=outcome.reason))
    return redirect(reverse("cases:detail", args=[reference]))
