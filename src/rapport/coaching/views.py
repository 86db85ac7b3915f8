"""Coaching pages: "My performance", a leader's view of each agent, targets, sessions and their
actions, appraisals (sign-off and PDF), and the staff pulse (thin: services and selectors work)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport import extensions
from rapport.accounts.models import Team, User
from rapport.coaching import access as policy
from rapport.coaching import exports, selectors, services
from rapport.coaching.forms import ActionForm, AppraisalForm, CommentForm, PulseForm, RoundForm, SessionForm, TargetForm
from rapport.coaching.models import PulseRound
from rapport.domain import coaching as rules
from rapport.domain.references import parse_reference
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound, Refused
from rapport.web.forms import show_errors
from rapport.web.views import actor, staff_page

PAGE = 25


def _today() -> date:
    return selectors.local_day(timezone.now())


def _person(me: User, agent_id: int) -> User:
    """A member of staff ``me`` may see the coaching records of, else 404."""
    found = policy.people(me).filter(pk=agent_id).first() if 0 < agent_id < services.MAX_ID else None
    if found is None:
        raise Http404
    return found


def _fmt(value: float | None, unit: str) -> str:
    return "not measured" if value is None else f"{value:.1f}{unit}"


def _agent_page(request: HttpRequest, me: User, agent: User) -> HttpResponse:
    perf = selectors.performance(agent, today=_today())
    history = selectors.sessions(me, agent=agent)
    if request.GET.get("csv") == "performance":
        return exports.csv_response(
            f"performance-{agent.pk}",
            ["KPI", "agent", "team", "target", "target reason", "result"],
            [
                (
                    r.label,
                    _fmt(r.figure, r.unit),
                    _fmt(r.team_figure, r.unit),
                    r.target.value if r.target else "",
                    r.target.reason if r.target else "",
                    r.state or "no target",
                )
                for r in perf.rows
            ],
        )
    if request.GET.get("csv") == "sessions":
        return exports.csv_response(
            f"coaching-{agent.pk}",
            ["held on", "topic", "leader", "follow-up", "actions agreed", "actions done"],
            [
                (
                    s.held_on,
                    s.topic,
                    s.leader.name if s.leader else "",
                    s.follow_up_on or "",
                    len(s.actions.all()),
                    sum(1 for a in s.actions.all() if a.done_at),
                )
                for s in history
            ],
        )
    page = Paginator(history, 10).get_page(request.GET.get("page"))
    links = selectors.shown_links(me, [link for s in page for link in s.links.all()])
    context = {
        "agent": agent,
        "own": agent.pk == me.pk,
        "leads": policy.leads(me, agent),
        "perf": perf,
        "rows": [(r, _fmt(r.figure, r.unit), _fmt(r.team_figure, r.unit)) for r in perf.rows],
        "page": page,
        "history": [(s, links.get(s.pk, [])) for s in page],
        "appraisals": list(selectors.appraisals(me, agent=agent)[:20]),
        "open_actions": list(selectors.open_actions(agent)[:20]) if agent.pk == me.pk else [],
        "reminders": list(selectors.reminders(me)[:10]) if agent.pk == me.pk else [],
        "today": _today(),
    }
    return render(request, "coaching/agent.html", context)


@staff_page
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    """My performance: my figures against my targets with my team's, my coaching, my appraisals."""
    user = actor(request)
    return _agent_page(request, user, user)


@staff_page
@require_GET
def agent(request: HttpRequest, agent_id: int) -> HttpResponse:
    me_ = actor(request)
    return _agent_page(request, me_, _person(me_, agent_id))


@staff_page
@require_GET
def agents(request: HttpRequest) -> HttpResponse:
    """The people a leader coaches (an agent sees only themself)."""
    me_ = actor(request)
    people = policy.people(me_).exclude(pk=me_.pk).order_by("name", "id")
    if request.GET.get("csv") == "people":
        return exports.csv_response(
            "coached-staff", ["name", "email", "role"], people.values_list("name", "email", "role")
        )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "coaching/agents.html", {"page": page})


def _whom_choices(me: User) -> list[tuple[str, str]]:
    people = [(f"agent:{p.pk}", p.name) for p in policy.people(me).exclude(pk=me.pk).order_by("name", "id")[:500]]
    team_ids = None if policy.sees_everyone(me) else policy.pulse_teams(me)
    teams = Team.objects.order_by("name") if team_ids is None else Team.objects.filter(pk__in=team_ids).order_by("name")
    return people + [(f"team:{t.pk}", f"Team: {t.name}") for t in teams]


@staff_page
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    """Targets the person may see, and (for leaders) the form to set one."""
    me_ = actor(request)
    rows = selectors.targets(me_)
    labels = dict(selectors.kpi_choices())
    form = None
    status = 200
    if policy.is_leader(me_):
        form = TargetForm(
            request.POST or None,
            kpis=selectors.kpi_choices(),
            whom=_whom_choices(me_),
            initial={"starts_on": _today(), "whom": request.GET.get("whom", "")},
        )
        if request.method == "POST":
            if form.is_valid():
                kind, _, pk = form.cleaned_data["whom"].partition(":")
                try:
                    services.target_set(
                        actor=me_,
                        kpi=form.cleaned_data["kpi"],
                        value=form.cleaned_data["value"],
                        starts_on=form.cleaned_data["starts_on"],
                        ends_on=form.cleaned_data["ends_on"],
                        reason=form.cleaned_data["reason"],
                        agent_id=int(pk) if kind == "agent" else None,
                        team_id=int(pk) if kind == "team" else None,
                    )
                except FieldError as error:
                    errors = dict(error.errors)
                    for name in ("agent", "team"):
                        if name in errors:
                            errors["whom"] = errors.pop(name)
                    show_errors(form, errors)
                else:
                    messages.success(request, "Target set.")
                    return redirect("coaching:targets")
            status = 422
    elif request.method == "POST":
        raise Http404
    if request.GET.get("csv") == "targets":
        return exports.csv_response(
            "targets",
            ["KPI", "for", "target", "from", "to", "reason", "set by", "set at"],
            [
                (
                    labels.get(t.kpi, t.kpi),
                    t.agent.name if t.agent else f"Team: {t.team.name}",
                    t.value,
                    t.starts_on,
                    t.ends_on,
                    t.reason,
                    t.set_by.name if t.set_by else "",
                    t.set_at.isoformat(),
                )  # type: ignore[union-attr]
                for t in rows
            ],
        )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "coaching/targets.html", {"page": page, "form": form, "labels": labels}, status=status)


def _owners(me: User, agent: User) -> list[tuple[str, str]]:
    return [(str(agent.pk), f"{agent.name} (the agent)"), (str(me.pk), f"{me.name} (you)")]


def _link_pairs(cases_text: str, work_text: str) -> list[tuple[str, int]]:
    """The links a person typed: case references and "kind id" lines (unknown ones refused)."""
    pairs: list[tuple[str, int]] = []
    for reference in (r.strip() for r in cases_text.split(",") if r.strip()):
        number = parse_reference(reference)
        if number is None or not 0 < number <= services.MAX_ID:
            raise FieldError(cases=f"No case {reference}.")
        pairs.append((extensions.CASE_LINK, number))
    for line in work_text.splitlines():
        if not line.strip():
            continue
        kind, _, ref = line.strip().partition(" ")
        if not ref.strip().isdigit():
            raise FieldError(
                work=f"Write each line as a kind and an id, e.g. 'learning_unit 3' (not {line.strip()!r})."
            )
        pairs.append((kind.strip(), int(ref.strip()[:10])))
    return pairs


@staff_page
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, agent_id: int) -> HttpResponse:
    me_ = actor(request)
    person = _person(me_, agent_id)
    if not policy.leads(me_, person):
        raise Http404
    owners = _owners(me_, person)
    form = SessionForm(
        request.POST or None, owners=owners, initial={"held_on": _today(), "cases": request.GET.get("case", "")}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            actions = [
                services.ActionIn(data[f"action_{i}"], int(data[f"owner_{i}"] or person.pk), data[f"due_{i}"])
                for i in (1, 2)
                if data[f"action_{i}"]
            ]
            try:
                links = _link_pairs(data["cases"], data["work"])
                created = services.session_create(
                    actor=me_,
                    agent_id=person.pk,
                    held_on=data["held_on"],
                    topic=data["topic"],
                    notes=data["notes"],
                    follow_up_on=data["follow_up_on"],
                    links=links,
                    actions=actions,
                )
            except FieldError as error:
                errors = {
                    k.replace("actions[0].", "action_1").replace("actions[1].", "action_2"): v
                    for k, v in error.errors.items()
                }
                errors = {
                    (
                        "cases"
                        if k == "links" and data["cases"] and not data["work"]
                        else "work"
                        if k == "links"
                        else k
                    ): v
                    for k, v in errors.items()
                }
                show_errors(form, {k if k in form.fields else "__all__": v for k, v in errors.items()})
            else:
                messages.success(request, "Coaching session recorded.")
                return redirect("coaching:session", created.pk)
        status = 422
    return render(request, "coaching/session_new.html", {"form": form, "agent": person}, status=status)


@staff_page
@require_GET
def sessions(request: HttpRequest) -> HttpResponse:
    """Every coaching session the person may see, latest first."""
    me_ = actor(request)
    rows = selectors.sessions(me_)
    if request.GET.get("csv") == "sessions":
        return exports.csv_response(
            "coaching-sessions",
            ["held on", "agent", "leader", "topic", "follow-up", "actions agreed", "actions done"],
            [
                (
                    s.held_on,
                    s.agent.name,
                    s.leader.name if s.leader else "",
                    s.topic,
                    s.follow_up_on or "",
                    len(s.actions.all()),
                    sum(1 for a in s.actions.all() if a.done_at),
                )
                for s in rows
            ],
        )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "coaching/sessions.html", {"page": page})


@staff_page
@require_http_methods(["GET", "POST"])
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    me_ = actor(request)
    found = selectors.session(me_, session_id) if 0 < session_id < services.MAX_ID else None
    if found is None:
        raise Http404
    leads = policy.leads(me_, found.agent)
    form = ActionForm(request.POST or None, owners=_owners(me_, found.agent)) if leads else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.action_add(
                    actor=me_,
                    session_id=found.pk,
                    item=services.ActionIn(
                        form.cleaned_data["text"], int(form.cleaned_data["owner"]), form.cleaned_data["due_on"]
                    ),
                )
            except FieldError as error:
                show_errors(form, {k.removeprefix("actions."): v for k, v in error.errors.items()})
            else:
                messages.success(request, "Action agreed.")
                return redirect("coaching:session", found.pk)
        status = 422
    if request.GET.get("csv") == "actions":
        return exports.csv_response(
            f"session-{found.pk}-actions",
            ["action", "owner", "due", "done"],
            [
                (a.text, a.owner.name, a.due_on or "", a.done_at.isoformat() if a.done_at else "")
                for a in found.actions.all()
            ],
        )
    context = {
        "session": found,
        "links": selectors.shown_links(me_, list(found.links.all())).get(found.pk, []),
        "form": form,
        "trail": list(selectors.audit("session", found.pk)[:50]),
        "today": _today(),
        "me": me_,
        "leads": leads,
    }
    return render(request, "coaching/session.html", context, status=status)


@staff_page
@require_POST
def action_done(request: HttpRequest, action_id: int) -> HttpResponse:
    try:
        done = services.action_done(actor=actor(request), action_id=action_id)
    except NotFound:
        raise Http404 from None
    except Forbidden as error:
        messages.error(request, error.message)
        return redirect("coaching:me")
    messages.success(request, "Action marked done.")
    return redirect("coaching:session", done.session_id)


@staff_page
@require_http_methods(["GET", "POST"])
def appraisal_new(request: HttpRequest, agent_id: int) -> HttpResponse:
    me_ = actor(request)
    person = _person(me_, agent_id)
    if not policy.leads(me_, person):
        raise Http404
    today = _today()
    form = AppraisalForm(request.POST or None, initial={"starts_on": today.replace(month=1, day=1), "ends_on": today})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.appraisal_create(
                    actor=me_,
                    agent_id=person.pk,
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                )
            except FieldError as error:
                show_errors(form, error.errors)
            else:
                messages.success(request, "Appraisal started with the evidence Rapport holds.")
                return redirect("coaching:appraisal", created.pk)
        status = 422
    return render(request, "coaching/appraisal_new.html", {"form": form, "agent": person}, status=status)


def _visible_appraisal(me: User, appraisal_id: int) -> Any:
    found = selectors.appraisal(me, appraisal_id) if 0 < appraisal_id < services.MAX_ID else None
    if found is None:
        raise Http404
    return found


@staff_page
@require_http_methods(["GET", "POST"])
def appraisal(request: HttpRequest, appraisal_id: int) -> HttpResponse:
    me_ = actor(request)
    found = _visible_appraisal(me_, appraisal_id)
    side = "agent" if me_.pk == found.agent_id else "leader" if policy.leads(me_, found.agent) else ""
    form = None
    status = 200
    if side and not found.locked:
        form = CommentForm(
            request.POST or None, initial={"comment": getattr(found, f"{side}_comment"), "version": found.version}
        )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.appraisal_comment(
                    actor=me_,
                    appraisal_id=found.pk,
                    comment=form.cleaned_data["comment"],
                    version=form.cleaned_data["version"],
                )
            except FieldError as error:
                show_errors(form, error.errors)
            except (Conflict, Refused) as error:
                show_errors(form, {"__all__": [error.message]})
            else:
                messages.success(
                    request, "Comment saved. Any signature given before is withdrawn: sign again when ready."
                )
                return redirect("coaching:appraisal", found.pk)
        status = 422
    context = {
        "appraisal": found,
        "ev": found.evidence or {},
        "state": rules.appraisal_state(found.leader_signed_at is not None, found.agent_signed_at is not None),
        "side": side,
        "form": form,
        "signed": bool(side and getattr(found, f"{side}_signed_at")),
        "trail": list(selectors.audit("appraisal", found.pk)[:50]),
    }
    return render(request, "coaching/appraisal.html", context, status=status)


@staff_page
@require_POST
def appraisal_sign(request: HttpRequest, appraisal_id: int) -> HttpResponse:
    me_ = actor(request)
    version = request.POST.get("version", "")
    try:
        services.appraisal_sign(
            actor=me_, appraisal_id=appraisal_id, version=int(version) if version.isdigit() else None
        )
    except NotFound:
        raise Http404 from None
    except (Forbidden, Refused, Conflict) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Signed.")
    return redirect("coaching:appraisal", appraisal_id)


@staff_page
@require_GET
def appraisal_pdf(request: HttpRequest, appraisal_id: int) -> HttpResponse:
    found = _visible_appraisal(actor(request), appraisal_id)
    response = HttpResponse(
        exports.appraisal_pdf(found, list(selectors.audit("appraisal", found.pk)[:50])), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="appraisal-{found.pk}.pdf"'
    return response


@staff_page
@require_POST
def reminders_read(request: HttpRequest) -> HttpResponse:
    services.reminders_read(actor=actor(request))
    return redirect("coaching:me")


@staff_page
@require_http_methods(["GET", "POST"])
def pulse(request: HttpRequest) -> HttpResponse:
    """Answer the open pulse round(s); managers open rounds; everyone sees the rounds' results."""
    me_ = actor(request)
    today = _today()
    rounds = list(selectors.open_rounds(today))
    done = selectors.answered(me_, rounds)
    waiting = [r for r in rounds if r.pk not in done]
    answer_form = PulseForm(request.POST if request.POST.get("form") == "answer" else None) if waiting else None
    round_form = (
        RoundForm(request.POST if request.POST.get("form") == "round" else None, initial={"opens_on": today})
        if policy.can_run_pulse(me_)
        else None
    )
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "answer" and answer_form is not None:
            if answer_form.is_valid():
                try:
                    services.pulse_answer(actor=me_, round_id=waiting[0].pk, **answer_form.cleaned_data)
                except FieldError as error:
                    show_errors(answer_form, error.errors)
                except Refused as error:
                    show_errors(answer_form, {"__all__": [error.message]})
                else:
                    messages.success(request, "Thank you: your answer is stored without your name.")
                    return redirect("coaching:pulse")
            status = 422
        elif which == "round" and round_form is not None:
            if round_form.is_valid():
                try:
                    services.pulse_round_open(actor=me_, **round_form.cleaned_data)
                except FieldError as error:
                    show_errors(round_form, error.errors)
                else:
                    messages.success(request, "Pulse round opened.")
                    return redirect("coaching:pulse")
            status = 422
        else:
            raise Http404
    page = Paginator(selectors.round_rows(), PAGE).get_page(request.GET.get("page"))
    context = {
        "waiting": waiting[0] if waiting else None,
        "answer_form": answer_form,
        "round_form": round_form,
        "page": page,
        "answered": bool(rounds) and not waiting,
    }
    return render(request, "coaching/pulse.html", context, status=status)


@staff_page
@require_GET
def pulse_results(request: HttpRequest, round_id: int) -> HttpResponse:
    me_ = actor(request)
    found = PulseRound.objects.filter(pk=round_id).first() if 0 < round_id < services.MAX_ID else None
    if found is None:
        raise Http404
    results = selectors.pulse_results(me_, found)
    cells = [results.total, *results.teams]
    if request.GET.get("csv") == "results":
        return exports.csv_response(
            f"pulse-{found.pk}",
            ["group", "answers", "eNPS", "tools agree %", "training agree %", "workload agree %", "note"],
            [
                (
                    c.group,
                    c.summary.n,
                    f"{c.summary.enps.value:.0f}" if c.summary.enps.value is not None else "",
                    *(f"{c.summary.agreeing[k]:.0f}" for k in rules.AGREEMENT_QUESTIONS),
                    "",
                )
                if c.summary
                else (c.group, "", "", "", "", "", c.note)
                for c in cells
            ],
        )
    return render(
        request,
        "coaching/pulse_results.html",
        {"results": results, "cells": cells, "questions": rules.AGREEMENT_QUESTIONS, "minimum": 5},
    )
