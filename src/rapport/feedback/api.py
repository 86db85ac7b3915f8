"""/api/v1/feedback: KPI figures, survey answers by signed link, orders and customer value."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from rapport.access import NO_CUSTOMER, access_customer
from rapport.accounts.api import ERRORS, ErrorOut, actor
from rapport.feedback import access as policy
from rapport.feedback import audiences, selectors, services
from rapport.platform.errors import FieldError, NotFound
from rapport.web.pagination import Keyset

router = Router(tags=["feedback"])


# Periods are compared with the one before them, which must still be a date.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


class KpiQuery(Schema):
    start: date | None = Field(None, ge=EARLIEST, le=LATEST)
    end: date | None = Field(None, ge=EARLIEST, le=LATEST)
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


class SurveyAnswerIn(Schema):
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
def answer_survey(request: HttpRequest, token: str, payload: SurveyAnswerIn) -> Any:
    """Answer a survey from the signed link in its email; no sign-in. A 409 once it has been answered."""
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
    """Record an order for the customer (amount in pounds, such as 12.50), for lifetime value and churn."""
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
    """The customer's lifetime value, loyalty tier, churn risk and number of orders."""
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


# --- RATER questionnaires to a group ------------------------------------------------------------


class SegmentIn(Schema):
    """Every criterion given must hold."""

    model_config = ConfigDict(extra="forbid")

    group: Literal["internal", "external"] | None = None
    tier: str | None = Field(None, max_length=30, description="A loyalty tier's name.")
    team: int | None = Field(None, description="Customers with a case in this team (team id).")
    resolved_from: date | None = Field(None, description="With a case resolved from this office day…")
    resolved_to: date | None = Field(None, description="…to this one (inclusive).")


class RaterSendIn(Schema):
    model_config = ConfigDict(extra="forbid")

    customer_ids: list[int] | None = Field(None, max_length=audiences.MAX_PICKED, description="Customers by id.")
    segment: SegmentIn | None = Field(None, description="Or a segment (not both).")
    within_days: int = Field(
        audiences.DEFAULT_WITHIN_DAYS, ge=1, le=audiences.MAX_WITHIN_DAYS, description="Skip customers asked within."
    )
    name: str = Field("", max_length=120)
    preview: bool = Field(False, description="Only count who would be asked and skipped; send nothing.")


class SkipOut(Schema):
    reason: str
    label: str
    customers: int


class RaterSendOut(Schema):
    id: int | None = Field(description="The send's id; null for a preview.")
    preview: bool
    matched: int
    invited: int
    skipped: list[SkipOut]


class GapOut(Schema):
    dimension: str
    gap: float | None


class RaterSendRow(Schema):
    id: int
    name: str
    sent_by: str
    sent_at: datetime
    audience: dict[str, Any]
    audience_label: str
    within_days: int
    matched: int
    invited: int
    skipped: list[SkipOut]
    emailed: int
    answered: int
    response_rate: float | None
    overall_gap: float | None
    gaps: list[GapOut]


class RaterSendsOut(Schema):
    items: list[RaterSendRow]
    next_cursor: str | None


class SendsQuery(Schema):
    cursor: str | None = Field(None, max_length=500, description="next_cursor from the previous page.")
    limit: int = Field(20, ge=1, le=100)


SENDS_ORDER = Keyset((("sent_at", datetime, True), ("id", int, True)))


def _skips(pairs: dict[str, int]) -> list[SkipOut]:
    from rapport.feedback.models import SkipReason

    return [
        SkipOut(reason=r.value, label=str(r.label), customers=pairs[r.value]) for r in SkipReason if pairs.get(r.value)
    ]


@router.post(
    "/rater-invitations",
    response={200: RaterSendOut, 201: RaterSendOut, **ERRORS},
    summary="Send the RATER questionnaire to customers or a segment (team leaders, managers)",
)
def rater_send(request: HttpRequest, payload: RaterSendIn) -> Any:
    """Customers who may not be asked are skipped and counted by reason (erased, no email, opted
    out, asked within ``within_days``). With ``preview`` nothing is sent (200); a send is 201."""
    user = actor(request)
    if not policy.can_send_rater(user):
        raise NotFound()
    segment = payload.segment or SegmentIn()
    audience = audiences.Audience(
        customer_ids=tuple(payload.customer_ids or ()),
        group=segment.group or "",
        tier=segment.tier or "",
        team_id=segment.team,
        resolved_from=segment.resolved_from,
        resolved_to=segment.resolved_to,
    )
    now = timezone.now()
    if payload.preview:
        audiences.audience_check(user, audience, payload.within_days)
        found = audiences.preview(
            audiences.audience_customers(user, audience), now=now, within_days=payload.within_days
        )
        skipped = {reason: n for reason, _label, n in found.skipped}
        return {
            "id": None,
            "preview": True,
            "matched": found.matched,
            "invited": found.asked,
            "skipped": _skips(skipped),
        }
    campaign, _counts = services.rater_campaign_send(
        actor=user, audience=audience, name=payload.name, within_days=payload.within_days, now=now
    )
    body = {
        "id": campaign.pk,
        "preview": False,
        "matched": campaign.matched,
        "invited": campaign.invited,
        "skipped": _skips(campaign.skipped),
    }
    return Status(201, body)


@router.get(
    "/rater-invitations",
    response={200: RaterSendsOut, **ERRORS},
    summary="RATER sends with response rates and gaps, newest first (team leaders, managers)",
)
def rater_sends(request: HttpRequest, query: Query[SendsQuery]) -> Any:
    """Past RATER sends, newest first: who was asked and skipped, response rates and service-quality gaps."""
    user = actor(request)
    if not policy.can_send_rater(user):
        raise NotFound()
    page = SENDS_ORDER.paginate(audiences.campaigns(user), cursor=query.cursor, size=query.limit)
    items = [
        {
            "id": row.campaign.pk,
            "name": row.campaign.name,
            "sent_by": row.campaign.sent_by.name if row.campaign.sent_by else "",
            "sent_at": row.campaign.sent_at,
            "audience": row.campaign.audience,
            "audience_label": row.campaign.audience_label,
            "within_days": row.campaign.within_days,
            "matched": row.campaign.matched,
            "invited": row.campaign.invited,
            "skipped": _skips(row.campaign.skipped),
            "emailed": row.emailed,
            "answered": row.answered,
            "response_rate": row.response_rate,
            "overall_gap": row.gaps.overall,
            "gaps": [{"dimension": g.dimension.value, "gap": g.gap} for g in row.gaps.gaps],
        }
        for row in audiences.campaign_rows(page.items)
    ]
    return {"items": items, "next_cursor": page.next_cursor}
