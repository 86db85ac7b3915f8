"""Improvement pages: the board and suggestion box, gaps, initiatives (list, detail, proposal),
standards and the journey, the register of rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.improvement import access as policy
from rapport.improvement import catalogue, charts, forms, gaps, selectors, services, wording
from rapport.improvement import proposal as proposals
from rapport.improvement.models import Milestone, Rule, Stage
from rapport.platform import csv_export
from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.platform.pagination import page_size
from rapport.web.forms import show_errors
from rapport.web.views import actor, staff_page

SAVED = "Saved."
CHECKED = "Check done: the verdicts are below."
SUGGESTED = "Thank you: your suggestion is in the box, and feeds the gap analysis."


def _manager(request: HttpRequest) -> None:
    if not policy.can_manage(actor(request)):
        raise Http404


def _day(value: date) -> datetime:
    return datetime.combine(value, time(), tzinfo=UTC)


def _period(request: HttpRequest) -> tuple[forms.ScopeForm, dict[str, Any]]:
    """The period and scope asked for in the query string; the last 28 days of the whole service
    by default."""
    today = timezone.now().date()
    initial = {
        "start": today - timedelta(days=28),
        "end": today + timedelta(days=1),
        "dimension": "service",
        "value": "",
    }
    form = forms.ScopeForm({**{k: str(v) for k, v in initial.items()}, **request.GET.dict()})
    data = dict(initial)
    if form.is_valid():
        data.update(form.cleaned_data)
    return form, data


@staff_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    context = {
        "columns": selectors.board(),
        "can_manage": policy.can_manage(me),
        "suggestion_form": forms.SuggestionForm(),
        "suggestions": selectors.suggestions_open()[:20],
    }
    return render(request, "improvement/index.html", context)


@staff_page
@require_POST
def suggestion_add(request: HttpRequest) -> HttpResponse:
    form = forms.SuggestionForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_create(actor=actor(request), now=timezone.now(), **form.cleaned_data)
        except FieldError as error:
            show_errors(form, error.errors)
        else:
            messages.success(request, SUGGESTED)
            return redirect("improvement:index")
    context = {
        "columns": selectors.board(),
        "can_manage": policy.can_manage(actor(request)),
        "suggestion_form": form,
        "suggestions": selectors.suggestions_open()[:20],
    }
    return render(request, "improvement/index.html", context, status=422)


@staff_page
@require_POST
def suggestion_decline(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    _manager(request)
    services.suggestion_decline(actor=actor(request), suggestion_id=suggestion_id)
    return redirect("improvement:index")


@staff_page
@require_GET
def gap_list(request: HttpRequest) -> HttpResponse:
    form, period = _period(request)
    scope = gaps.gap_scope(period["dimension"], period["value"], _day(period["start"]), _day(period["end"]))
    context = {
        "form": form,
        "period": period,
        "gaps": gaps.analyse(scope),
        "can_manage": policy.can_manage(actor(request)),
        "query": request.GET.urlencode(),
    }
    return render(request, "improvement/gaps.html", context)


@staff_page
@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("stage", "")
    if stage not in Stage.values:
        stage = ""
    try:
        page = selectors.initiative_page(
            stage=stage, cursor=request.GET.get("cursor"), size=page_size(request.GET.get("limit"), default=50)
        )
    except FieldError:
        return redirect("improvement:initiatives")
    return render(request, "improvement/initiatives.html", {"page": page, "stage": stage, "stages": Stage.choices})


@staff_page
@require_GET
def initiatives_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="initiatives.csv"'
    out = csv_export.writer(response)
    out.writerow(selectors.CSV_HEADER)
    out.writerows(selectors.csv_rows())
    return response


def _gap_from(request: HttpRequest) -> gaps.Gap | None:
    key = request.GET.get("gap") or request.POST.get("gap")
    if not key:
        return None
    _, period = _period(request)
    scope = gaps.gap_scope(period["dimension"], period["value"], _day(period["start"]), _day(period["end"]))
    return gaps.find(scope, key)


@staff_page
@require_http_methods(["GET", "POST"])
def initiative_new(request: HttpRequest) -> HttpResponse:
    _manager(request)
    me = actor(request)
    gap = _gap_from(request)
    suggestion_id = request.GET.get("suggestion") or request.POST.get("suggestion")
    status = 200
    if request.method == "POST":
        form = forms.InitiativeForm(request.POST)
        status = 422
        if form.is_valid():
            try:
                initiative = services.initiative_create(
                    actor=me,
                    now=timezone.now(),
                    fields=form.cleaned_data,
                    gap=gap,
                    suggestion_id=int(suggestion_id) if suggestion_id and suggestion_id.isdigit() else None,
                )
            except FieldError as error:
                show_errors(form, error.errors)
            else:
                messages.success(request, "Initiative created at Plan.")
                return redirect("improvement:initiative", initiative.pk)
    else:
        initial: dict[str, Any] = {"owner": me.pk, "check_on": timezone.now().date() + timedelta(days=56)}
        if gap is not None:
            initial |= {"title": gap.evidence.title[:200], "problem": f"{gap.evidence.title}. {gap.evidence.why}"}
            _, period = _period(request)
            initial |= {"scope_dimension": period["dimension"], "scope_value": period["value"]}
        form = forms.InitiativeForm(initial=initial)
    context = {"form": form, "gap": gap, "suggestion": suggestion_id or "", "query": request.GET.urlencode()}
    return render(request, "improvement/initiative_new.html", context, status=status)


PART_FORMS: dict[str, Any] = {
    "requirement": (forms.RequirementForm, services.requirement_add),
    "milestone": (forms.MilestoneForm, services.milestone_add),
    "stakeholder": (forms.StakeholderForm, services.stakeholder_add),
    "risk": (forms.RiskForm, services.risk_add),
    "evidence": (forms.EvidenceForm, services.evidence_add),
    "kpi": (forms.KpiForm, services.kpi_add),
}


def _detail(
    request: HttpRequest, initiative_id: int, *, status: int = 200, bound: dict[str, Any] | None = None
) -> HttpResponse:
    me = actor(request)
    policy.access_initiative(me, initiative_id)
    initiative = selectors.detail(initiative_id)
    if initiative is None:
        raise Http404
    now = timezone.now()
    manage = policy.can_manage(me)
    part_forms = {name: form_class(prefix=name) for name, (form_class, _) in PART_FORMS.items()} if manage else {}
    part_forms.update(bound or {})
    kpis = selectors.kpi_views(initiative)
    context = {
        "initiative": initiative,
        "appraisal": selectors.appraisal(initiative),
        "plan": selectors.cost_benefit(initiative),
        "kpis": kpis,
        "charts": [
            (v, charts.before_after(selectors.kpi_series(initiative, v.kpi, now), title=v.label, unit=v.unit))
            for v in kpis
        ],
        "cycles": selectors.cycles(initiative),
        "can_manage": manage,
        "part_forms": part_forms,
        "act_form": forms.ActForm(prefix="act") if manage else None,
        "stage_form": forms.StageForm(prefix="stage") if manage else None,
        "done_form": forms.MilestoneDoneForm(prefix="done") if manage else None,
        "next_stage": services.NEXT_STAGE.get(Stage(initiative.stage)),
    }
    return render(request, "improvement/initiative.html", context, status=status)


@staff_page
@require_GET
def initiative_page(request: HttpRequest, initiative_id: int) -> HttpResponse:
    return _detail(request, initiative_id)


@staff_page
@require_POST
def initiative_add(request: HttpRequest, initiative_id: int, part: str) -> HttpResponse:
    _manager(request)
    if part not in PART_FORMS:
        raise Http404
    initiative = policy.access_initiative(actor(request), initiative_id)
    form_class, write = PART_FORMS[part]
    form = form_class(request.POST, prefix=part)
    if form.is_valid():
        try:
            write(actor=actor(request), initiative=initiative, now=timezone.now(), **form.cleaned_data)
        except FieldError as error:
            show_errors(form, error.errors)
        else:
            messages.success(request, SAVED)
            return redirect("improvement:initiative", initiative.pk)
    return _detail(request, initiative.pk, status=422, bound={part: form})


@staff_page
@require_POST
def milestone_done(request: HttpRequest, initiative_id: int, milestone_id: int) -> HttpResponse:
    _manager(request)
    initiative = policy.access_initiative(actor(request), initiative_id)
    milestone = Milestone.objects.select_related("initiative").filter(pk=milestone_id, initiative=initiative).first()
    if milestone is None:
        raise Http404
    form = forms.MilestoneDoneForm(request.POST, prefix="done")
    if form.is_valid():
        try:
            services.milestone_done(
                actor=actor(request),
                milestone=milestone,
                now=timezone.now(),
                setting_change_id=form.cleaned_data.get("setting_change"),
            )
        except FieldError as error:
            messages.error(request, " ".join(m for ms in error.errors.values() for m in ms))
        else:
            messages.success(request, SAVED)
    return redirect("improvement:initiative", initiative.pk)


@staff_page
@require_POST
def initiative_stage(request: HttpRequest, initiative_id: int) -> HttpResponse:
    _manager(request)
    initiative = policy.access_initiative(actor(request), initiative_id)
    form = forms.StageForm(request.POST, prefix="stage")
    change_at = form.cleaned_data.get("change_at") if form.is_valid() else None
    try:
        services.stage_move(actor=actor(request), initiative=initiative, now=timezone.now(), change_at=change_at)
    except FieldError as error:
        messages.error(request, " ".join(m for ms in error.errors.values() for m in ms))
    return redirect("improvement:initiative", initiative.pk)


@staff_page
@require_POST
def initiative_check(request: HttpRequest, initiative_id: int) -> HttpResponse:
    _manager(request)
    initiative = policy.access_initiative(actor(request), initiative_id)
    try:
        services.check_run(initiative=initiative, now=timezone.now(), actor=actor(request))
    except FieldError as error:
        messages.error(request, " ".join(m for ms in error.errors.values() for m in ms))
    else:
        messages.success(request, CHECKED)
    return redirect(reverse("improvement:initiative", args=[initiative.pk]) + "#check")


@staff_page
@require_POST
def initiative_act(request: HttpRequest, initiative_id: int) -> HttpResponse:
    _manager(request)
    initiative = policy.access_initiative(actor(request), initiative_id)
    form = forms.ActForm(request.POST, prefix="act")
    if form.is_valid():
        try:
            carried = services.act(actor=actor(request), initiative=initiative, now=timezone.now(), **form.cleaned_data)
        except FieldError as error:
            messages.error(request, " ".join(m for ms in error.errors.values() for m in ms))
        else:
            messages.success(request, "Decision recorded.")
            return redirect("improvement:initiative", carried.pk)
    else:
        messages.error(request, "Choose a decision and give the reason.")
    return redirect("improvement:initiative", initiative.pk)


@staff_page
@require_GET
def proposal(request: HttpRequest, initiative_id: int) -> HttpResponse:
    policy.access_initiative(actor(request), initiative_id)
    initiative = selectors.detail(initiative_id)
    assert initiative is not None
    return render(
        request, "improvement/proposal.html", {"initiative": initiative, "sections": proposals.sections(initiative)}
    )


@staff_page
@require_GET
def proposal_pdf(request: HttpRequest, initiative_id: int) -> HttpResponse:
    policy.access_initiative(actor(request), initiative_id)
    initiative = selectors.detail(initiative_id)
    assert initiative is not None
    response = HttpResponse(proposals.pdf(initiative), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="proposal-{initiative.pk}.pdf"'
    return response


@staff_page
@require_http_methods(["GET", "POST"])
def standards(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    manage = policy.can_manage(me)
    promise = selectors.brand_promise()
    standard_form = forms.StandardForm(prefix="standard")
    promise_form = forms.BrandPromiseForm(
        prefix="promise", initial={"promise": promise.promise, "values": promise.values} if promise else None
    )
    status = 200
    if request.method == "POST":
        if not manage:
            raise Http404
        status = 422
        which = "promise" if "promise-promise" in request.POST else "standard"
        form = (
            forms.BrandPromiseForm(request.POST, prefix="promise")
            if which == "promise"
            else forms.StandardForm(request.POST, prefix="standard")
        )
        if form.is_valid():
            try:
                if which == "promise":
                    services.brand_promise_save(actor=me, now=timezone.now(), **form.cleaned_data)
                else:
                    services.standard_save(actor=me, now=timezone.now(), **form.cleaned_data)
            except FieldError as error:
                show_errors(form, error.errors)
            else:
                messages.success(request, SAVED)
                return redirect("improvement:standards")
        if which == "promise":
            promise_form = form
        else:
            standard_form = form
    context = {
        "promise": promise,
        "rows": selectors.journey(
            dimension="service", value="", start=timezone.now() - timedelta(days=28), end=timezone.now()
        ),
        "stages": catalogue.STAGES,
        "can_manage": manage,
        "standard_form": standard_form if manage else None,
        "promise_form": promise_form if manage else None,
        "catalogue": catalogue.catalogue(),
    }
    return render(request, "improvement/standards.html", context, status=status)


@staff_page
@require_GET
def journey(request: HttpRequest) -> HttpResponse:
    form, period = _period(request)
    rows = selectors.journey(
        dimension=period["dimension"], value=period["value"], start=_day(period["start"]), end=_day(period["end"])
    )
    return render(
        request,
        "improvement/journey.html",
        {"form": form, "rows": rows, "stages": catalogue.STAGES, "promise": selectors.brand_promise()},
    )


@staff_page
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    manage = policy.can_manage(me)
    form = forms.RuleForm(prefix="rule") if manage else None
    status = 200
    if request.method == "POST":
        if not manage:
            raise Http404
        form = forms.RuleForm(request.POST, prefix="rule")
        status = 422
        if form.is_valid():
            try:
                services.rule_save(actor=me, now=timezone.now(), fields=form.cleaned_data)
            except (FieldError, Forbidden) as error:
                if isinstance(error, FieldError):
                    show_errors(form, error.errors)
            else:
                messages.success(request, SAVED)
                return redirect("improvement:rules")
    context = {
        # Each live rule with its values as a person reads them (labels, units, words).
        "live": [(rule, wording.readable_values(rule.model, rule.values)) for rule in selectors.live_rules()],
        "kept": selectors.kept_rules(timezone.now().date()),
        "history": selectors.rule_history(),
        "form": form,
        "label": selectors.model_label,
        "rule_label": Rule._meta.label_lower,
    }
    return render(request, "improvement/rules.html", context, status=status)


# --- the tone of voice ----------------------------------------------------------------------------


@staff_page
@require_http_methods(["GET", "POST"])
def tone(request: HttpRequest) -> HttpResponse:
    """The tone-of-voice guide (managers add and remove entries) and a checker for any text."""
    me = actor(request)
    manage = policy.can_manage(me)
    entry_form = forms.ToneEntryForm(prefix="entry") if manage else None
    check_form = forms.ToneCheckForm(prefix="check")
    findings: list[Any] | None = None
    status = 200
    if request.method == "POST" and "check-text" in request.POST:
        check_form = forms.ToneCheckForm(request.POST, prefix="check")
        if check_form.is_valid():
            findings = selectors.tone_findings(check_form.cleaned_data["text"])
        else:
            status = 422
    elif request.method == "POST":
        if not manage:
            raise Http404
        entry_form = forms.ToneEntryForm(request.POST, prefix="entry")
        status = 422
        if entry_form.is_valid():
            try:
                services.tone_entry_save(actor=me, now=timezone.now(), **entry_form.cleaned_data)
            except FieldError as error:
                show_errors(entry_form, error.errors)
            else:
                messages.success(request, SAVED)
                return redirect("improvement:tone")
    context = {
        "guide": selectors.tone_guide(),
        "promise": selectors.brand_promise(),
        "entry_form": entry_form,
        "check_form": check_form,
        "findings": findings,
    }
    return render(request, "improvement/tone.html", context, status=status)


@staff_page
@require_POST
def tone_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    _manager(request)
    try:
        services.tone_entry_delete(actor=actor(request), now=timezone.now(), entry_id=entry_id)
    except NotFound as missing:
        raise Http404(missing.message) from None
    messages.success(request, "Removed from the guide.")
    return redirect("improvement:tone")


@staff_page
@require_GET
def tone_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tone-of-voice.csv"'
    out = csv_export.writer(response)
    out.writerow(["Word or phrase", "Advice", "Say instead", "Why"])
    out.writerows([e.phrase, e.get_advice_display(), e.instead, e.reason] for e in selectors.tone_guide())
    return response


# --- the KPI catalogue ----------------------------------------------------------------------------

BASELINE_DAYS = 28


def _baseline_period() -> tuple[datetime, datetime]:
    end = _day(timezone.now().date() + timedelta(days=1))
    return end - timedelta(days=BASELINE_DAYS), end


@staff_page
@require_http_methods(["GET", "POST"])
def kpis(request: HttpRequest) -> HttpResponse:
    """Every KPI in the catalogue with its definition, formula, source, assumptions and baseline
    (the last 28 days, whole service); managers set the hourly staff cost it assumes."""
    me = actor(request)
    assumptions = selectors.kpi_assumptions()
    form = (
        forms.KpiAssumptionsForm(initial={"hourly_staff_cost": assumptions.hourly_staff_cost})
        if policy.can_manage(me)
        else None
    )
    status = 200
    if request.method == "POST":
        _manager(request)
        form = forms.KpiAssumptionsForm(request.POST)
        status = 422
        if form.is_valid():
            try:
                services.kpi_assumptions_save(actor=me, now=timezone.now(), **form.cleaned_data)
            except FieldError as error:
                show_errors(form, error.errors)
            else:
                messages.success(request, SAVED)
                return redirect("improvement:kpis")
    start, end = _baseline_period()
    context = {
        "rows": selectors.catalogue_rows(start, end),
        "start": start,
        "end": end - timedelta(days=1),
        "assumptions": assumptions,
        "form": form,
    }
    return render(request, "improvement/kpis.html", context, status=status)


@staff_page
@require_GET
def kpis_csv(request: HttpRequest) -> HttpResponse:
    start, end = _baseline_period()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kpi-catalogue.csv"'
    out = csv_export.writer(response)
    out.writerow(
        [
            "KPI",
            "Name",
            "Definition",
            "Formula",
            "Source",
            "Assumptions",
            "Unit",
            "Higher is better",
            "Testable in a Check",
            f"Baseline {start:%Y-%m-%d} to {end - timedelta(days=1):%Y-%m-%d}",
            "Counted",
        ]
    )
    for row in selectors.catalogue_rows(start, end):
        source = row.entry.source
        out.writerow(
            [
                source.label,
                row.entry.name,
                source.definition,
                source.formula,
                source.source,
                " ".join(source.assumptions),
                source.unit.strip(),
                "yes" if source.higher_is_better else "no",
                "yes" if row.entry.testable else "no",
                "" if row.baseline is None else round(row.baseline, 2),
                "" if row.n is None else row.n,
            ]
        )
    return response
