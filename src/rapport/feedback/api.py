"""/api/v1/feedback: KPI figures, survey answers by signed link, orders and customer value."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from rapport.accounts.api import ERRORS, ErrorOut, actor
from rapport.errors import FieldError, NotFound
from rapport.feedback import selectors, services
from rapport.web.policy import NO_CUSTOMER, access_customer
from rapport.web.policy import feedback as policy

router = Router(tags=["feedback"])


class KpiQuery(Schema):
    start: date | None = None
    end: date | None = None
    team: int | None = None
    agent: int | None = None
    channel: str = ""
    case_type: str = ""
    group: str = ""


class Measure(Schema):
    measure: str
    current: str
    previous: str


class CauseCount(Schema):
    root_cause: str
    complaints: int


class KpiOut(Schema):
    start: date
    end: date
    measures: list[Measure]
    complaints_by_root_cause: list[CauseCount]


@router.get(
    "/kpis",
    response={200: KpiOut, **ERRORS},
    summary="Key figures for a period and slice (staff)",
)
def kpis(request: HttpRequest, query: Query[KpiQuery]) -> Any:
    """Figures bounded by the caller's scope: agents their own cases, team leaders their teams."""
    from rapport.feedback.views import _summary_rows

    user = actor(request)
    if not policy.can_view_dashboards(user):
        raise NotFound()
    default_start, default_end = selectors.default_period(timezone.now())
    start = query.start or default_start
    end = query.end or default_end
    if end <= start:
        raise FieldError(end="The end date must be after the start date.")
    requested = selectors.Slice(
        start=start,
        end=end,
        team_ids=(query.team,) if query.team else None,
        owner_id=query.agent,
        channel=query.channel,
        case_type=query.case_type,
        group=query.group if query.group in {"internal", "external"} else "",
    )
    board = selectors.dashboard(actor=user, requested=requested, now=timezone.now())
    rows = [Measure(measure=m, current=c, previous=p) for m, c, p in _summary_rows(board)]
    causes = [CauseCount(root_cause=name, complaints=n) for name, n in board.complaints_by_cause]
    return {"start": board.slice.start, "end": board.slice.end, "measures": rows, "complaints_by_root_cause": causes}


class AnswerIn(Schema):
    score: int | None = None
    comment: str = ""
    rater: dict[str, int] | None = None


class AnswerOut(Schema):
    id: int
    kind: str
    score: int | None
    answered_at: datetime


@router.post(
    "/surveys/{token}/answer",
    response={201: AnswerOut, **ERRORS, 409: ErrorOut},
    auth=None,
    summary="Answer a survey by its signed link (no sign-in)",
)
def answer_survey(request: HttpRequest, token: str, payload: AnswerIn) -> Any:
    answer = services.survey_answer(
        token=token, score=payload.score, comment=payload.comment, rater=payload.rater, now=timezone.now()
    )
    return Status(201, answer)


class OrderIn(Schema):
    reference: str
    placed_at: datetime
    amount: str


class OrderOut(Schema):
    id: int
    reference: str
    placed_at: datetime
    amount_pence: int


class ValueOut(Schema):
    lifetime_value: str | None
    tier: str
    churn_risk: str
    churn_score: int
    orders: int


@router.post(
    "/customers/{customer_id}/orders",
    response={201: OrderOut, **ERRORS},
    summary="Record an order (managers)",
)
def record_order(request: HttpRequest, customer_id: int, payload: OrderIn) -> Any:
    user = actor(request)
    customer = access_customer(user, customer_id)
    order = services.order_record(
        actor=user,
        customer=customer,
        reference=payload.reference,
        placed_at=payload.placed_at,
        amount=payload.amount,
        now=timezone.now(),
    )
    return Status(201, order)


@router.get(
    "/customers/{customer_id}/value",
    response={200: ValueOut, **ERRORS},
    summary="Customer value (staff)",
)
def customer_value(request: HttpRequest, customer_id: int) -> Any:
    user = actor(request)
    if not policy.can_view_dashboards(user):
        raise NotFound(NO_CUSTOMER)
    customer = access_customer(user, customer_id)
    value = selectors.customer_value(customer)
    return {
        "lifetime_value": None if value["value"] is None else str(value["value"]),
        "tier": customer.tier,
        "churn_risk": value["risk"].risk.value,
        "churn_score": value["risk"].score,
        "orders": value["order_count"],
    }
