"""Feedback pages: the public survey form, the dashboards with their CSV, follow-ups, the
service-profit chain and the orders import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from rapport import extensions
from rapport.accounts.models import Team, User
from rapport.customers.language import activate_for
from rapport.customers.models import Customer
from rapport.feedback import access as policy
from rapport.feedback import audiences, selectors, services
from rapport.feedback.charts import bar_chart
from rapport.feedback.clock import local_day
from rapport.feedback.forms import AnswerForm, DashboardForm, FollowUpCloseForm, OrdersImportForm, RaterSendForm
from rapport.feedback.models import LoyaltyTier, SurveyKind
from rapport.platform import csv_export
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound
from rapport.portal.views import customer_page
from rapport.web.forms import show_errors
from rapport.web.views import actor, staff_page

SENDS_PER_PAGE = 20
THANKS = _("Thank you: your answer is recorded.")
FOLLOW_UP_CLOSED = "Follow-up closed."
CSV_TABLES = ("summary", "daily", "teams")


def _hours(seconds: int | None) -> str:
    if seconds is None:
        return "no data"
    return f"{seconds / 3600:.1f} h"


def _summary_rows(board: selectors.Dashboard) -> list[tuple[str, str, str]]:
    now, before = board.current, board.previous

    def pct(value: float | None) -> str:
        return "no data" if value is None else f"{value:.1f}%"

    return [
        ("Cases raised", str(now.created), str(before.created)),
        (
            "Proactive messages sent (outbound, not counted as cases raised)",
            selectors.NOT_MEASURED if now.proactive is None else f"{now.proactive:.0f}",
            selectors.NOT_MEASURED if before.proactive is None else f"{before.proactive:.0f}",
        ),
        ("Cases resolved", str(now.resolved), str(before.resolved)),
        (
            "First response, median (business hours)",
            _hours(now.first_response.median),
            _hours(before.first_response.median),
        ),
        ("First response, 90th percentile", _hours(now.first_response.p90), _hours(before.first_response.p90)),
        ("Resolution, median (business hours)", _hours(now.resolution.median), _hours(before.resolution.median)),
        ("Resolution, 90th percentile", _hours(now.resolution.p90), _hours(before.resolution.p90)),
        (
            "SLA attainment",
            selectors.NOT_MEASURED if now.sla_attainment is None else pct(now.sla_attainment),
            selectors.NOT_MEASURED if before.sla_attainment is None else pct(before.sla_attainment),
        ),
        ("First-contact resolution", pct(now.first_contact_rate), pct(before.first_contact_rate)),
        ("Reopen rate", pct(now.reopen_rate), pct(before.reopen_rate)),
        ("Complaints raised", str(now.complaints), str(before.complaints)),
        (f"CSAT (n={now.csat.n})", str(now.csat), str(before.csat)),
        (f"CES (n={now.ces.n})", str(now.ces), str(before.ces)),
        (f"NPS (n={now.nps.n})", str(now.nps), str(before.nps)),
        (f"RATER overall gap (n={now.rater.n})", str(now.rater), str(before.rater)),
    ]


def _csv(name: str, header: list[str], rows: list[Any]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    out = csv_export.writer(response)
    out.writerow(header)
    out.writerows(rows)
    return response


@staff_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The dashboard: an agent sees their own cases, a team leader their teams, a manager all."""
    user = actor(request)
    now = timezone.now()
    form = DashboardForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "feedback/index.html", {"form": form, "board": None}, status=400)
    if not request.GET:
        form = DashboardForm({"period": "28"})
        form.is_valid()
    start, end = form.period_bounds(local_day(now))
    data = form.cleaned_data
    requested = selectors.Slice(
        start=start,
        end=end,
        team_ids=(data["team"].pk,) if data.get("team") else None,
        owner_id=data["agent"].pk if data.get("agent") else None,
        channel=data.get("channel") or "",
        case_type=data.get("case_type") or "",
        group=data.get("group") or "",
    )
    board = selectors.dashboard(actor=user, requested=requested, now=now)
    summary = _summary_rows(board)
    daily = board.current.daily
    table = request.GET.get("csv", "")
    if table == "summary":
        return _csv("kpi-summary", ["measure", "this period", "previous period"], summary)
    if table == "daily":
        return _csv("cases-by-day", ["day", "raised", "resolved"], [(d.isoformat(), c, r) for d, c, r in daily])
    if table == "teams":
        return _csv("cases-by-team", ["team", "raised", "resolved"], list(board.by_team))
    if table == "causes":
        return _csv("complaints-by-root-cause", ["root cause", "complaints raised"], list(board.complaints_by_cause))
    chart = bar_chart(
        title="Cases raised and resolved by day",
        description=(
            f"{board.current.created} cases raised and {board.current.resolved} resolved between "
            f"{start:%d %B %Y} and {end:%d %B %Y}; the table below gives each day's figures."
        ),
        categories=[d.strftime("%d %b") for d, _c, _r in daily],
        series=[("Raised", [c for _d, c, _r in daily]), ("Resolved", [r for _d, _c, r in daily])],
    )
    nps_chart = bar_chart(
        title="NPS answers",
        description=(
            f"{board.current.nps.promoters} promoters, {board.current.nps.passives} passives and "
            f"{board.current.nps.detractors} detractors."
        ),
        categories=["Promoters (9-10)", "Passives (7-8)", "Detractors (0-6)"],
        series=[("Answers", [board.current.nps.promoters, board.current.nps.passives, board.current.nps.detractors])],
    )
    role = (
        "manager"
        if board.slice.team_ids is None and board.slice.owner_id is None
        else ("agent" if board.slice.owner_id == user.pk and not policy.can_follow_up(user) else "team")
    )
    context = {
        "form": form,
        "board": board,
        "summary": summary,
        "chart": chart,
        "nps_chart": nps_chart,
        "role": role,
        "can_manage": policy.can_manage_value(user),
        "can_send_rater": policy.can_send_rater(user),
    }
    return render(request, "feedback/index.html", context)


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The public survey page: the signed link is the only key; no sign-in needed."""
    try:
        invitation = services.invitation_from_token(token)
    except NotFound as missing:
        return render(request, "feedback/answer_closed.html", {"message": missing.message}, status=404)
    activate_for(request, invitation.customer)  # the survey in the language they asked to be served in
    question = services.QUESTIONS[SurveyKind(invitation.kind)]
    form = AnswerForm(request.POST or None, kind=invitation.kind, question=question)
    if request.method == "POST":
        form.is_valid()
        try:
            services.survey_answer(
                token=token,
                score=request.POST.get("score"),
                comment=request.POST.get("comment", ""),
                rater=request.POST,
                now=timezone.now(),
            )
        except Conflict as closed:
            return render(request, "feedback/answer_closed.html", {"message": closed.message}, status=409)
        except FieldError as error:
            form = AnswerForm(request.POST, kind=invitation.kind, question=question)
            show_errors(form, error.errors)
            return render(request, "feedback/answer.html", {"form": form, "invitation": invitation}, status=422)
        return render(request, "feedback/answer_closed.html", {"message": THANKS, "thanks": True})
    if invitation.answered_at is not None:
        return render(request, "feedback/answer_closed.html", {"message": services.ALREADY_ANSWERED}, status=409)
    if invitation.status == "expired" or invitation.expires_at <= timezone.now():
        return render(request, "feedback/answer_closed.html", {"message": services.EXPIRED}, status=410)
    return render(request, "feedback/answer.html", {"form": form, "invitation": invitation})


@staff_page
@require_http_methods(["GET", "POST"])
def follow_ups(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    if not policy.can_follow_up(user):
        raise Http404
    form = FollowUpCloseForm()
    status = 200
    failed: int | None = None
    if request.method == "POST":
        form = FollowUpCloseForm(request.POST)
        try:
            services.follow_up_close(
                actor=user,
                follow_up_id=int(request.POST.get("follow_up", "0") or 0),
                outcome=request.POST.get("outcome", ""),
                now=timezone.now(),
            )
        except (FieldError, Conflict) as error:
            show_errors(form, getattr(error, "errors", {"__all__": [getattr(error, "message", "")]}))
            failed, status = int(request.POST.get("follow_up", "0") or 0), 422
        except ValueError:
            raise Http404 from None
        else:
            messages.success(request, FOLLOW_UP_CLOSED)
            return redirect("feedback:follow_ups")
    items = list(selectors.follow_ups_open(user)[:200])
    return render(request, "feedback/follow_ups.html", {"items": items, "form": form, "failed": failed}, status=status)


@staff_page
@require_GET
def chain(request: HttpRequest) -> HttpResponse:
    """The service-profit chain: internal measures beside quality, satisfaction and revenue."""
    user = actor(request)
    if not policy.can_manage_value(user):
        raise Http404
    start, end = selectors.default_period(timezone.now(), days=90)
    rows = selectors.service_profit_chain(start=start, end=end)
    if request.GET.get("csv") == "chain":
        return _csv(
            "service-profit-chain",
            [
                "group",
                "staff eNPS (pulse)" if extensions.staff_voice else "staff survey",
                "training h/head",
                "cases/head",
                "median resolution h",
                "CSAT",
                "retention %",
                "revenue per customer",
            ],
            [
                (
                    r.group,
                    (r.staff_voice or "") if extensions.staff_voice else r.staff_survey,
                    r.training_hours_per_head,
                    r.cases_per_head,
                    _hours(r.resolution_median_s),
                    str(r.csat),
                    "" if r.retention is None else f"{r.retention:.1f}",
                    r.revenue_per_customer,
                )
                for r in rows
            ],
        )
    voice = bool(extensions.staff_voice)
    return render(request, "feedback/chain.html", {"rows": rows, "start": start, "end": end, "voice": voice})


@staff_page
@require_http_methods(["GET", "POST"])
def orders_import(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    if not policy.can_manage_value(user):
        raise Http404
    form = OrdersImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8-sig")
                result = services.orders_import_csv(actor=user, text=text, now=timezone.now())
            except UnicodeDecodeError:
                show_errors(form, {"file": ["Save the file as CSV (UTF-8) and try again."]})
                status = 422
            except FieldError as error:
                show_errors(form, error.errors)
                status = 422
            except Forbidden:
                raise Http404 from None
        else:
            status = 422
    return render(request, "feedback/orders_import.html", {"form": form, "result": result}, status=status)


@customer_page
@require_GET
def my_surveys(request: HttpRequest, user: User, customer: Customer) -> HttpResponse:
    """A signed-in customer's open surveys, so they can answer in the portal as well as by email."""
    items = [(i, services.survey_url(i)) for i in selectors.open_surveys(customer, timezone.now())]
    return render(request, "feedback/my_surveys.html", {"items": items, "nav": "surveys"})


def _ids(values: list[str]) -> list[int]:
    return sorted({int(v) for v in values if v.isdigit()})[: audiences.MAX_PICKED]


def _audience(data: dict[str, Any]) -> audiences.Audience:
    if data.get("send_to") == "customers":
        return audiences.Audience(customer_ids=tuple(data.get("customers") or ()))
    return audiences.Audience(
        group=data.get("group") or "",
        tier=data.get("tier") or "",
        team_id=data.get("team"),
        resolved_from=data.get("resolved_from"),
        resolved_to=data.get("resolved_to"),
    )


# The service names the picked customers "customer_ids" (as the API does); the form, "customers".
FORM_FIELD = {"customer_ids": "customers"}


@staff_page
@require_http_methods(["GET", "POST"])
def rater_send(request: HttpRequest) -> HttpResponse:
    """Send the RATER questionnaire to a group: find and pick customers or choose a segment,
    preview who will be asked and who is skipped and why, then confirm."""
    user = actor(request)
    if not policy.can_send_rater(user):
        raise Http404
    action = request.POST.get("action", "")
    found = audiences.customer_search(user, request.POST.get("q", "")) if action == "find" else []
    picked = list(Customer.objects.filter(pk__in=_ids(request.POST.getlist("customers"))).order_by("name", "id"))
    shown = picked + [c for c in found if c not in picked]
    scope = policy.rater_team_ids(user)
    teams = Team.objects.order_by("name") if scope is None else Team.objects.filter(pk__in=scope).order_by("name")
    form = RaterSendForm(
        request.POST or None,
        initial={"send_to": "segment", "within_days": audiences.DEFAULT_WITHIN_DAYS},
        customers=shown,
        tiers=list(LoyaltyTier.objects.all()),
        teams=list(teams),
    )
    preview = None
    status = 200
    if action in ("preview", "send"):
        if not form.is_valid():
            status = 422
        else:
            data = form.cleaned_data
            audience = _audience(data)
            now = timezone.now()
            try:
                if action == "send":
                    campaign, _counts = services.rater_campaign_send(
                        actor=user, audience=audience, name=data["name"], within_days=data["within_days"], now=now
                    )
                    messages.success(
                        request,
                        f"RATER questionnaire sent to {campaign.invited} customer{'s' if campaign.invited != 1 else ''}"
                        f" ({sum(campaign.skipped.values())} skipped). The emails go out in the next few minutes.",
                    )
                    return redirect("feedback:rater_sends")
                audiences.audience_check(user, audience, data["within_days"])
                preview = audiences.preview(
                    audiences.audience_customers(user, audience), now=now, within_days=data["within_days"]
                )
            except FieldError as error:
                show_errors(form, {FORM_FIELD.get(k, k): v for k, v in error.errors.items()})
                status = 422
    context = {"form": form, "preview": preview, "found": found, "searched": action == "find"}
    return render(request, "feedback/rater_send.html", context, status=status)


@staff_page
@require_GET
def rater_sends(request: HttpRequest) -> HttpResponse:
    """The RATER sends: who sent what to whom, when, and how it went (response rate, gaps)."""
    user = actor(request)
    if not policy.can_send_rater(user):
        raise Http404
    paginator = Paginator(audiences.campaigns(user), SENDS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    rows = audiences.campaign_rows(list(page.object_list))
    return render(request, "feedback/rater_sends.html", {"page": page, "rows": rows})
