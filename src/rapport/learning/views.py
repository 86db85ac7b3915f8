"""Learning pages: units, practice questions and marked answers, portfolios and their exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.learning import access as policy
from rapport.learning import exports, selectors, services
from rapport.learning.checks import evidence_checks
from rapport.learning.forms import AnswerForm, EvidenceForm, OverrideForm, QuestionForm, SignOffForm
from rapport.learning.models import MarkingPoint, Question
from rapport.platform.errors import FieldError, Forbidden
from rapport.web.forms import show_errors
from rapport.web.views import actor, staff_page

QUESTION_ADDED = "Question added."
ANSWER_MARKED = "Your answer has been marked."
OVERRIDE_SAVED = "Override recorded."
EVIDENCE_ADDED = "Evidence added to the portfolio."
SIGNED_OFF = "Decision recorded."


@staff_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    context = {
        "units": selectors.unit_list(),
        "learners": policy.visible_learners(me).exclude(pk=me.pk)[:200],
        "answers": selectors.learner_answers(me, limit=10),
    }
    return render(request, "learning/index.html", context)


def _unit(unit_id: int) -> Any:
    unit = selectors.unit_detail(unit_id)
    if unit is None:
        raise Http404("No unit with that id.")
    return unit


@staff_page
@require_http_methods(["GET", "POST"])
def unit_page(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit(unit_id)
    me = actor(request)
    form = QuestionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not policy.can_write_questions(me):
            raise Http404
        status = 422
        if form.is_valid():
            try:
                question = services.question_create(actor=me, unit=unit, **form.cleaned_data)
            except FieldError as error:
                show_errors(form, error.errors)
            else:
                messages.success(request, QUESTION_ADDED)
                return redirect("learning:question", question.pk)
    context = {
        "unit": unit,
        "concepts": selectors.concepts_with_places(unit),
        "form": form if policy.can_write_questions(me) else None,
    }
    return render(request, "learning/unit.html", context, status=status)


@staff_page
@require_http_methods(["GET", "POST"])
def question_page(request: HttpRequest, question_id: int) -> HttpResponse:
    question = Question.objects.select_related("unit", "author").filter(pk=question_id).first()
    if question is None:
        raise Http404("No question with that id.")
    me = actor(request)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                answer = services.answer_submit(actor=me, question=question, text=form.cleaned_data["text"])
            except FieldError as error:
                show_errors(form, error.errors)
            else:
                messages.success(request, ANSWER_MARKED)
                return redirect("learning:answer", answer.pk)
    context = {"question": question, "form": form, "answers": selectors.question_answers(question, me)}
    return render(request, "learning/question.html", context, status=status)


@staff_page
@require_GET
def answer_page(request: HttpRequest, answer_id: int) -> HttpResponse:
    return _render_answer(request, answer_id)


def _render_answer(
    request: HttpRequest, answer_id: int, *, form: OverrideForm | None = None, status: int = 200
) -> HttpResponse:
    answer = policy.access_answer(actor(request), answer_id)
    marked = selectors.marked_answer(answer)
    can_override = policy.can_override(actor(request), answer.learner)
    if can_override and form is None:
        form = OverrideForm(points=[p.point for p in marked.points])
    context = {"marked": marked, "answer": answer, "form": form if can_override else None}
    return render(request, "learning/answer.html", context, status=status)


@staff_page
@require_POST
def answer_override(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = policy.access_answer(actor(request), answer_id)
    if not policy.can_override(actor(request), answer.learner):
        raise Http404
    points = list(MarkingPoint.objects.filter(unit_id=answer.question.unit_id))
    form = OverrideForm(request.POST, points=points)
    if form.is_valid():
        point = next(p for p in points if p.pk == form.cleaned_data["point"])
        try:
            services.mark_override(
                actor=actor(request),
                answer=answer,
                point=point,
                credited=form.cleaned_data["credited"],
                reason=form.cleaned_data["reason"],
            )
        except FieldError as error:
            show_errors(form, error.errors)
        else:
            messages.success(request, OVERRIDE_SAVED)
            return redirect("learning:answer", answer.pk)
    return _render_answer(request, answer.pk, form=form, status=422)


@staff_page
@require_GET
def learners(request: HttpRequest) -> HttpResponse:
    people = list(policy.visible_learners(actor(request)).order_by("name", "id")[:100])
    matrix = selectors.progress_matrix(people)
    return render(request, "learning/learners.html", {"matrix": matrix})


@staff_page
@require_GET
def portfolio(request: HttpRequest, learner_id: int) -> HttpResponse:
    return _render_portfolio(request, learner_id)


def _render_portfolio(
    request: HttpRequest,
    learner_id: int,
    *,
    evidence_form: EvidenceForm | None = None,
    sign_off: tuple[int, SignOffForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    me = actor(request)
    learner = policy.access_learner(me, learner_id)
    points = list(MarkingPoint.objects.select_related("unit").order_by("unit__source_name", "unit_id", "position"))
    evidence = selectors.learner_evidence(learner)
    can_add = policy.can_add_evidence(me, learner)
    context = {
        "learner": learner,
        "is_me": learner.pk == me.pk,
        "matrix": selectors.progress_matrix([learner]),
        "answers": selectors.learner_answers(learner),
        "evidence": evidence,
        "checks": evidence_checks(evidence),
        "evidence_form": (evidence_form or _new_evidence_form(request, points)) if can_add else None,
        "can_sign_off": policy.is_assessor(me) and learner.pk != me.pk,
        "sign_off_forms": {e.pk: SignOffForm(prefix=f"e{e.pk}") for e in evidence},
    }
    if sign_off is not None:
        context["sign_off_forms"][sign_off[0]] = sign_off[1]
    return render(request, "learning/portfolio.html", context, status=status)


def _new_evidence_form(request: HttpRequest, points: list[MarkingPoint]) -> EvidenceForm:
    """An empty evidence form; a case page's "use as evidence" link fills in its reference."""
    reference = request.GET.get("case", "").strip()[:20]
    return EvidenceForm(points=points, initial={"case_reference": reference} if reference else None)


@staff_page
@require_POST
def evidence_add(request: HttpRequest, learner_id: int) -> HttpResponse:
    me = actor(request)
    learner = policy.access_learner(me, learner_id)
    if not policy.can_add_evidence(me, learner):
        raise Http404
    points = list(MarkingPoint.objects.select_related("unit").order_by("unit__source_name", "unit_id", "position"))
    form = EvidenceForm(request.POST, points=points)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.evidence_add(
                actor=me,
                learner=learner,
                kind=data["kind"],
                summary=data["summary"],
                point_ids=data["points"],
                case_reference=data["case_reference"],
                link=data["link"],
            )
        except FieldError as error:
            show_errors(form, error.errors)
        else:
            messages.success(request, EVIDENCE_ADDED)
            return redirect("learning:portfolio", learner.pk)
    return _render_portfolio(request, learner.pk, evidence_form=form, status=422)


@staff_page
@require_POST
def evidence_sign_off(request: HttpRequest, evidence_id: int) -> HttpResponse:
    me = actor(request)
    evidence = policy.access_evidence(me, evidence_id)
    form = SignOffForm(request.POST, prefix=f"e{evidence.pk}")
    if form.is_valid():
        try:
            services.evidence_sign_off(actor=me, evidence=evidence, **form.cleaned_data)
        except Forbidden:
            raise Http404 from None
        except FieldError as error:
            show_errors(form, error.errors)
        else:
            messages.success(request, SIGNED_OFF)
            return redirect("learning:portfolio", evidence.learner_id)
    return _render_portfolio(request, evidence.learner_id, sign_off=(evidence.pk, form), status=422)


@staff_page
@require_GET
def portfolio_csv(request: HttpRequest, learner_id: int) -> HttpResponse:
    learner = policy.access_learner(actor(request), learner_id)
    response = HttpResponse(exports.portfolio_csv(learner), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="portfolio-{learner.pk}.csv"'
    return response


@staff_page
@require_GET
def portfolio_pdf(request: HttpRequest, learner_id: int) -> HttpResponse:
    learner = policy.access_learner(actor(request), learner_id)
    response = HttpResponse(exports.portfolio_pdf(learner, now=timezone.now()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="portfolio-{learner.pk}.pdf"'
    return response
