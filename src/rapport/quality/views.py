"""Quality pages: the report (agent, team, behaviour, channel, case type, and the link with
CSAT/FCR/reopening), scorecards, the review queue, a review, calibration, agent and team quality."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport import extensions
from rapport.access import access_case, actor_team_ids, visible_messages
from rapport.accounts.models import Team
from rapport.domain.agreement import reading
from rapport.platform import csv_export
from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.platform.pagination import page_size
from rapport.quality import access as policy
from rapport.quality import forms, selectors, services, suggestions
from rapport.quality.models import QueueItem, Review, ReviewStatus, Scorecard
from rapport.web.forms import show_errors
from rapport.web.views import actor, staff_page

SAVED = "Saved."
SUBMITTED = "Review submitted: the agent can read it now."
REPLIED = "Reply added."
DISPUTED = "Dispute raised: {name} will decide it."
DECIDED = "Dispute decided."
REPORT_DIMENSIONS = ("agent", "team", "behaviour", "channel", "case_type")


def _day(value: date) -> datetime:
    return datetime.combine(value, time(), tzinfo=UTC)


def _period(request: HttpRequest) -> tuple[forms.PeriodForm, datetime, datetime]:
    """The period asked for in the query string; the last 28 days by default."""
    today = timezone.now().date()
    initial = {"start": str(today - timedelta(days=28)), "end": str(today + timedelta(days=1))}
    form = forms.PeriodForm({**initial, **{k: v for k, v in request.GET.dict().items() if k in initial}})
    start, end = today - timedelta(days=28), today + timedelta(days=1)
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, _day(start), _day(end)


def _report_context(request: HttpRequest, reviews: QuerySet[Review], dimensions: tuple[str, ...]) -> dict[str, Any]:
    form, start, end = _period(request)
    return {
        "form": form,
        "start": start,
        "end": end,
        "tables": [(d, selectors.DIMENSION_LABELS[d], selectors.report(reviews, d, start, end)) for d in dimensions],
        "links": selectors.links(reviews, start, end),
        "trend": selectors.trend(reviews, start, end),
        "query": request.GET.urlencode(),
    }


@staff_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    context = _report_context(request, policy.visible_reviews(me), REPORT_DIMENSIONS)
    context.update({"is_reviewer": policy.is_reviewer(me), "can_manage": policy.can_manage(me), "me": me})
    return render(request, "quality/index.html", context)


@staff_page
@require_GET
def report_csv(request: HttpRequest) -> HttpResponse:
    """The reviews behind the report, one row each."""
    _, start, end = _period(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="quality-reviews.csv"'
    out = csv_export.writer(response)
    out.writerow(selectors.CSV_HEADER)
    out.writerows(selectors.csv_rows(policy.visible_reviews(actor(request)), start, end))
    return response


@staff_page
@require_GET
def summary_csv(request: HttpRequest, dimension: str) -> HttpResponse:
    if dimension not in REPORT_DIMENSIONS:
        raise Http404
    _, start, end = _period(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="qa-by-{dimension}.csv"'
    out = csv_export.writer(response)
    out.writerow([selectors.DIMENSION_LABELS[dimension], "Reviews or ratings", "Mean QA score", "Failed critical"])
    for row in selectors.report(policy.visible_reviews(actor(request)), dimension, start, end):
        out.writerow([row.label, row.n, "" if row.score is None else row.score, row.failed])
    return response


@staff_page
@require_GET
def agent_page(request: HttpRequest, agent_id: int) -> HttpResponse:
    me = actor(request)
    agent = policy.access_agent(me, agent_id)
    reviews = policy.visible_reviews(me).filter(agent=agent)
    context = _report_context(request, reviews, ("behaviour", "channel", "case_type"))
    context.update(
        {
            "agent": agent,
            "recent": list(selectors.reviews_page_rows(reviews).order_by("-created_at", "-id")[:20]),
        }
    )
    return render(request, "quality/agent.html", context)


@staff_page
@require_GET
def team_page(request: HttpRequest, team_id: int) -> HttpResponse:
    me = actor(request)
    team = Team.objects.filter(pk=team_id).first()
    if team is None or not (policy.can_manage(me) or (policy.is_reviewer(me) and team.pk in actor_team_ids(me))):
        raise Http404
    reviews = policy.visible_reviews(me).filter(team=team)
    context = _report_context(request, reviews, ("agent", "behaviour", "channel", "case_type"))
    context["team"] = team
    return render(request, "quality/team.html", context)


# --- scorecards -----------------------------------------------------------------------------------


@staff_page
@require_GET
def scorecards(request: HttpRequest) -> HttpResponse:
    rows = Scorecard.objects.prefetch_related("versions").order_by("name", "id")
    return render(
        request, "quality/scorecards.html", {"scorecards": rows, "can_manage": policy.can_manage(actor(request))}
    )


@staff_page
@require_http_methods(["GET", "POST"])
def scorecard_new(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    if not policy.can_manage(me):
        raise Http404
    if request.method == "POST":
        form = forms.ScorecardForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                scorecard = services.scorecard_create(
                    actor=me,
                    name=data["name"],
                    description=data["description"],
                    behaviours=data["behaviours"],
                    critical=data["critical"],
                    scale_labels=data["scale"],
                    now=timezone.now(),
                )
            except FieldError as error:
                show_errors(form, error.errors)
            else:
                messages.success(request, SAVED)
                return redirect("quality:scorecard", scorecard.pk)
        return render(request, "quality/scorecard_form.html", {"form": form, "scorecard": None}, status=422)
    version = services.default_version(timezone.now())
    form = forms.ScorecardForm(initial={**forms.ScorecardForm.initial_for(version), "name": ""})
    return render(request, "quality/scorecard_form.html", {"form": form, "scorecard": None})


@staff_page
@require_http_methods(["GET", "POST"])
def scorecard_page(request: HttpRequest, scorecard_id: int) -> HttpResponse:
    me = actor(request)
    scorecard = Scorecard.objects.filter(pk=scorecard_id).first()
    if scorecard is None:
        raise Http404
    versions = list(scorecard.versions.prefetch_related("behaviours", "critical_items").order_by("-number"))
    current = versions[0]
    form = None
    status = 200
    if policy.can_manage(me):
        if request.method == "POST":
            form = forms.ScorecardForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.scorecard_revise(
                        actor=me,
                        scorecard=scorecard,
                        behaviours=data["behaviours"],
                        critical=data["critical"],
                        scale_labels=data["scale"],
                        note=data["note"],
                        now=timezone.now(),
                    )
                except FieldError as error:
                    show_errors(form, error.errors)
                else:
                    messages.success(request, "Saved as a new version; earlier reviews keep theirs.")
                    return redirect("quality:scorecard", scorecard.pk)
            status = 422
        else:
            form = forms.ScorecardForm(initial=forms.ScorecardForm.initial_for(current))
        form.fields["name"].disabled = True
    elif request.method == "POST":
        raise Http404
    context = {"scorecard": scorecard, "versions": versions, "current": current, "form": form}
    return render(request, "quality/scorecard.html", context, status=status)


# --- the queue and reviews ------------------------------------------------------------------------


@staff_page
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    if not policy.is_reviewer(me):
        raise Http404
    items = list(selectors.queue_for(me)[:200])
    return render(request, "quality/queue.html", {"items": items, "form": forms.CaseForm()})


@staff_page
@require_POST
def review_new(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    if not policy.is_reviewer(me):
        raise Http404
    form = forms.CaseForm(request.POST)
    if form.is_valid():
        try:
            case = access_case(me, form.cleaned_data["case"], why="quality review")
            message_ids = [int(v) for v in request.POST.getlist("message") if v.isdigit()]
            review = services.review_start(actor=me, case=case, message_ids=message_ids, now=timezone.now())
        except NotFound:
            form.add_error("case", "No case with that reference that you can see.")
        except (FieldError, Forbidden) as error:
            if isinstance(error, FieldError):
                show_errors(form, {"case": [m for ms in error.errors.values() for m in ms]})
            else:
                form.add_error("case", error.message)
        else:
            return redirect("quality:review", review.pk)
    items = list(selectors.queue_for(me)[:200])
    return render(request, "quality/queue.html", {"items": items, "form": form}, status=422)


@staff_page
@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    rows = policy.visible_reviews(me)
    agent = request.GET.get("agent", "")
    if agent.isdigit():
        rows = rows.filter(agent_id=int(agent))
    try:
        page = selectors.reviews_page(
            rows, cursor=request.GET.get("cursor"), size=page_size(request.GET.get("limit"), default=50)
        )
    except FieldError:
        page = selectors.reviews_page(rows, cursor=None, size=50)
    return render(request, "quality/reviews.html", {"page": page, "agent": agent})


def _review_form(review: Review, data: Any = None, *, decide: bool = False) -> forms.ReviewForm:
    version = review.version
    behaviours = list(version.behaviours.all())
    items = list(version.critical_items.all())
    initial: dict[str, Any] = {"summary": review.summary}
    for rating in review.ratings.all():
        code = rating.behaviour.code
        initial.update(
            {
                f"value_{code}": "" if rating.value is None else str(rating.value),
                f"comment_{code}": rating.comment,
                f"quote_{code}": rating.quote,
            }
        )
    for check in review.critical_checks.all():
        initial.update({f"breached_{check.item.code}": check.breached, f"cquote_{check.item.code}": check.quote})
    return forms.ReviewForm(
        data, initial=initial, behaviours=behaviours, items=items, scale=version.scale(), decide=decide
    )


def _review_context(request: HttpRequest, review: Review, form: forms.ReviewForm | None = None) -> dict[str, Any]:
    me = actor(request)
    dispute = getattr(review, "dispute", None) if hasattr(review, "dispute") else None
    editable = review.status == ReviewStatus.DRAFT and review.reviewer_id == me.pk
    deciding = dispute is not None and review.status == ReviewStatus.DISPUTED and dispute.decider_id == me.pk
    if form is None and (editable or deciding):
        form = _review_form(review, decide=deciding)
    shown = services.reviewed_text(review)
    case_messages = list(visible_messages(me, review.case).order_by("created_at", "id"))
    visible = {m.pk for m in case_messages}
    shown = [m for m in shown if m.pk in visible]
    chosen = {m.pk for m in review.messages.all()}
    return {
        "review": review,
        "messages_shown": shown,
        "case_messages": case_messages if editable else [],
        "chosen": chosen,
        "form": form,
        "editable": editable,
        "deciding": deciding,
        "dispute": dispute,
        "ratings": list(review.ratings.select_related("behaviour", "message")),
        "checks": list(review.critical_checks.select_related("item")),
        "events": list(review.events.select_related("actor")),
        "reply_form": forms.ReplyForm(),
        "dispute_form": forms.DisputeForm(),
        "can_reply": review.status != ReviewStatus.DRAFT and review.calibration_id is None,
        "can_dispute": me.pk == review.agent_id
        and review.status == ReviewStatus.SUBMITTED
        and review.calibration_id is None,
        "portfolio": extensions.portfolio_link(review.agent, review.case)
        if review.status != ReviewStatus.DRAFT
        and review.calibration_id is None
        and policy.can_see_agent(me, review.agent)
        else None,
        "suggestions": suggestions.for_messages(shown, complaint=review.case.type == "complaint")
        if editable or deciding
        else [],
    }


@staff_page
@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, review_id: int) -> HttpResponse:
    me = actor(request)
    review = policy.access_review(me, review_id)
    calibration = review.calibration
    if (
        calibration is not None
        and review.reviewer_id != me.pk
        and calibration.reviewers.filter(pk=me.pk).exists()
        and not policy.sees_others_in(me, calibration)
    ):
        raise Http404  # calibration is blind until the reviewer's own score is in
    if request.method == "GET":
        return render(request, "quality/review.html", _review_context(request, review))
    context = _review_context(request, review)
    deciding = context["deciding"]
    if not (context["editable"] or deciding):
        raise Http404
    form = _review_form(review, request.POST, decide=deciding)
    if form.is_valid():
        try:
            if deciding:
                services.dispute_decide(
                    actor=me,
                    review=review,
                    outcome=form.cleaned_data["outcome"],
                    decision=form.cleaned_data["decision"],
                    ratings=form.ratings(),
                    critical=form.critical(),
                    now=timezone.now(),
                )
                messages.success(request, DECIDED)
            else:
                submit = "submit" in request.POST
                services.review_save(
                    actor=me,
                    review=review,
                    ratings=form.ratings(),
                    critical=form.critical(),
                    summary=form.cleaned_data["summary"],
                    submit=submit,
                    now=timezone.now(),
                )
                messages.success(request, SUBMITTED if submit else SAVED)
        except FieldError as error:
            show_errors(form, {form.field_for(k): v for k, v in error.errors.items()})
        except Forbidden as error:
            form.add_error(None, error.message)
        else:
            return redirect("quality:review", review.pk)
    return render(request, "quality/review.html", _review_context(request, review, form), status=422)


@staff_page
@require_POST
def review_messages(request: HttpRequest, review_id: int) -> HttpResponse:
    """The reviewer narrows a draft to the messages ticked (none ticked: the whole case)."""
    me = actor(request)
    review = policy.access_review(me, review_id)
    ids = [int(v) for v in request.POST.getlist("message") if v.isdigit() and len(v) < 19]
    try:
        services.review_choose_messages(actor=me, review=review, message_ids=ids, now=timezone.now())
    except (FieldError, Forbidden) as error:
        messages.error(
            request,
            "; ".join(m for ms in error.errors.values() for m in ms)
            if isinstance(error, FieldError)
            else error.message,
        )
    else:
        messages.success(request, SAVED)
    return redirect("quality:review", review.pk)


@staff_page
@require_POST
def review_reply(request: HttpRequest, review_id: int) -> HttpResponse:
    me = actor(request)
    review = policy.access_review(me, review_id)
    form = forms.ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.review_reply(actor=me, review=review, text=form.cleaned_data["text"], now=timezone.now())
        except FieldError as error:
            show_errors(form, error.errors)
        except Forbidden as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, REPLIED)
            return redirect("quality:review", review.pk)
    context = _review_context(request, review)
    context["reply_form"] = form
    return render(request, "quality/review.html", context, status=422)


@staff_page
@require_POST
def review_dispute(request: HttpRequest, review_id: int) -> HttpResponse:
    me = actor(request)
    review = policy.access_review(me, review_id)
    form = forms.DisputeForm(request.POST)
    if form.is_valid():
        try:
            dispute = services.review_dispute(
                actor=me, review=review, reason=form.cleaned_data["reason"], now=timezone.now()
            )
        except FieldError as error:
            show_errors(form, error.errors)
        except Forbidden as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, DISPUTED.format(name=dispute.decider.name if dispute.decider else "another reviewer")
            )
            return redirect("quality:review", review.pk)
    context = _review_context(request, review)
    context["dispute_form"] = form
    return render(request, "quality/review.html", context, status=422)


@staff_page
@require_POST
def queue_start(request: HttpRequest, item_id: int) -> HttpResponse:
    me = actor(request)
    item = QueueItem.objects.select_related("case").filter(pk=item_id, reviewer=me).first()
    if item is None:
        raise Http404
    if item.review_id:
        return redirect("quality:review", item.review_id)
    try:
        review = services.review_start(actor=me, case=item.case, now=timezone.now())
    except (FieldError, Forbidden) as error:
        messages.error(request, str(error))
        return redirect("quality:queue")
    return redirect("quality:review", review.pk)


# --- calibration ----------------------------------------------------------------------------------


@staff_page
@require_http_methods(["GET", "POST"])
def calibrations(request: HttpRequest) -> HttpResponse:
    from rapport.quality.models import Calibration

    me = actor(request)
    if not policy.is_reviewer(me):
        raise Http404
    form = forms.CalibrationForm(request.POST or None) if policy.can_manage(me) else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                case = access_case(me, form.cleaned_data["case"], why="calibration")
                calibration = services.calibration_create(
                    actor=me,
                    title=form.cleaned_data["title"],
                    case=case,
                    reviewer_ids=[u.pk for u in form.cleaned_data["reviewers"]],
                    now=timezone.now(),
                )
            except NotFound:
                form.add_error("case", "No case with that reference that you can see.")
            except FieldError as error:
                show_errors(form, error.errors)
            else:
                messages.success(request, SAVED)
                return redirect("quality:calibration", calibration.pk)
        status = 422
    rows = Calibration.objects.select_related("case").order_by("-created_at", "-id")
    if not policy.can_manage(me):
        rows = rows.filter(reviewers=me)
    today = _day(timezone.now().date())
    months, behaviours = selectors.agreement_over_time(today - timedelta(days=365), today + timedelta(days=1))
    context = {"calibrations": list(rows[:100]), "form": form, "months": months, "behaviours": behaviours}
    return render(request, "quality/calibrations.html", context, status=status)


@staff_page
@require_http_methods(["GET", "POST"])
def calibration_page(request: HttpRequest, calibration_id: int) -> HttpResponse:
    me = actor(request)
    calibration = policy.access_calibration(me, calibration_id)
    if request.method == "POST":
        if request.POST.get("action") == "reveal":
            try:
                services.calibration_reveal(actor=me, calibration=calibration, now=timezone.now())
            except Forbidden as error:
                messages.error(request, error.message)
            return redirect("quality:calibration", calibration.pk)
        try:
            review = services.review_start(actor=me, case=calibration.case, calibration=calibration, now=timezone.now())
        except (FieldError, Forbidden) as error:
            messages.error(request, str(error))
            return redirect("quality:calibration", calibration.pk)
        return redirect("quality:review", review.pk)
    mine = calibration.reviews.filter(reviewer=me).first()
    is_member = calibration.reviewers.filter(pk=me.pk).exists()
    shown = policy.sees_others_in(me, calibration) or not is_member
    view = selectors.calibration_view(calibration) if shown else None
    context = {
        "calibration": calibration,
        "mine": mine,
        "view": view,
        "alpha_reading": reading(view.alpha) if view else "",
        "is_member": is_member,
        "can_manage": policy.can_manage(me),
    }
    return render(request, "quality/calibration.html", context)
