"""/api/v1/quality: scorecards (staff read; managers create and revise), reviews (agents their
own, team leaders their teams', managers all; reviewers start, rate and submit; agents reply and
dispute; another reviewer decides) and calibrations (reviewers; blind until one's own is in)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from rapport.access import access_case, require_staff
from rapport.accounts.api import ERRORS, actor
from rapport.domain.agreement import reading
from rapport.platform.errors import FieldError, NotFound
from rapport.platform.pagination import page_size
from rapport.quality import access as policy
from rapport.quality import selectors, services
from rapport.quality.models import Calibration, Review, Scorecard, ScorecardVersion

router = Router(tags=["quality"])
NO_SCORECARD = "No scorecard with that id."


# --- scorecards -----------------------------------------------------------------------------------


class BehaviourOut(Schema):
    code: str
    name: str
    description: str
    weight: int


class CriticalOut(Schema):
    code: str
    name: str
    description: str


class ScorecardVersionOut(Schema):
    number: int
    scale: list[str]
    scale_min: int
    scale_max: int
    behaviours: list[BehaviourOut]
    critical_items: list[CriticalOut]
    created_at: datetime
    note: str


class ScorecardOut(Schema):
    id: int
    name: str
    description: str
    is_active: bool
    current: ScorecardVersionOut


class BehaviourIn(Schema):
    name: str = Field(max_length=120)
    weight: int = Field(10, ge=0, le=100)
    description: str = Field("", max_length=2000)


class CriticalIn(Schema):
    name: str = Field(max_length=160)
    description: str = Field("", max_length=2000)


class ScorecardIn(Schema):
    name: str = Field(max_length=120)
    description: str = Field("", max_length=5000)
    behaviours: list[BehaviourIn] | None = Field(
        None, max_length=40, description="The documents' defaults when left out."
    )
    critical_items: list[CriticalIn] | None = Field(None, max_length=20)
    scale: list[str] | None = Field(None, max_length=10, description="Labels, lowest first; 1..4 by default.")


class RevisionIn(Schema):
    behaviours: list[BehaviourIn] = Field(max_length=40)
    critical_items: list[CriticalIn] = Field(default_factory=list, max_length=20)
    scale: list[str] = Field(max_length=10)
    note: str = Field("", max_length=300)


def _version_out(version: ScorecardVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "scale": [label for _, label in version.scale()],
        "scale_min": version.scale_min,
        "scale_max": version.scale_max,
        "behaviours": [
            {"code": b.code, "name": b.name, "description": b.description, "weight": b.weight}
            for b in version.behaviours.all()
        ],
        "critical_items": [
            {"code": c.code, "name": c.name, "description": c.description} for c in version.critical_items.all()
        ],
        "created_at": version.created_at,
        "note": version.note,
    }


def _scorecard_out(scorecard: Scorecard) -> dict[str, Any]:
    version = services.current_version(scorecard)
    assert version is not None
    return {
        "id": scorecard.pk,
        "name": scorecard.name,
        "description": scorecard.description,
        "is_active": scorecard.is_active,
        "current": _version_out(version),
    }


def _scorecard(scorecard_id: int) -> Scorecard:
    if not 0 < scorecard_id < 2**63:
        raise NotFound(NO_SCORECARD)
    found = Scorecard.objects.filter(pk=scorecard_id).first()
    if found is None:
        raise NotFound(NO_SCORECARD)
    return found


@router.get("/scorecards", response={200: list[ScorecardOut], **ERRORS}, summary="Scorecards")
def list_scorecards(request: HttpRequest) -> Any:
    """Every scorecard with its current version (behaviours, weights, scale, critical items)."""
    require_staff(actor(request))
    return [_scorecard_out(s) for s in Scorecard.objects.order_by("name", "id")[:100]]


@router.post("/scorecards", response={201: ScorecardOut, **ERRORS}, summary="Create a scorecard")
def create_scorecard(request: HttpRequest, payload: ScorecardIn) -> Any:
    """Managers only. Behaviours, critical items and scale default to the documents' own."""
    scorecard = services.scorecard_create(
        actor=require_staff(actor(request)),
        name=payload.name,
        description=payload.description,
        behaviours=None
        if payload.behaviours is None
        else [services.BehaviourIn(b.name, b.weight, b.description) for b in payload.behaviours],
        critical=None
        if payload.critical_items is None
        else [services.CriticalIn(c.name, c.description) for c in payload.critical_items],
        scale_labels=payload.scale,
        now=timezone.now(),
    )
    return Status(201, _scorecard_out(scorecard))


@router.get("/scorecards/{scorecard_id}", response={200: ScorecardOut, **ERRORS}, summary="A scorecard")
def get_scorecard(request: HttpRequest, scorecard_id: int) -> Any:
    """A scorecard with its current version."""
    require_staff(actor(request))
    return _scorecard_out(_scorecard(scorecard_id))


@router.post(
    "/scorecards/{scorecard_id}/versions", response={201: ScorecardOut, **ERRORS}, summary="Revise a scorecard"
)
def revise_scorecard(request: HttpRequest, scorecard_id: int, payload: RevisionIn) -> Any:
    """A new version (managers only); reviews already made keep the version they used."""
    me = require_staff(actor(request))
    scorecard = _scorecard(scorecard_id)
    services.scorecard_revise(
        actor=me,
        scorecard=scorecard,
        behaviours=[services.BehaviourIn(b.name, b.weight, b.description) for b in payload.behaviours],
        critical=[services.CriticalIn(c.name, c.description) for c in payload.critical_items],
        scale_labels=payload.scale,
        note=payload.note,
        now=timezone.now(),
    )
    return Status(201, _scorecard_out(scorecard))


# --- reviews --------------------------------------------------------------------------------------


class RatingOut(Schema):
    behaviour: str
    name: str
    value: int | None
    comment: str
    quote: str
    message: int | None


class CriticalCheckOut(Schema):
    item: str
    name: str
    breached: bool
    quote: str


class ReviewEventOut(Schema):
    at: datetime
    kind: str
    actor: int | None
    text: str


class DisputeOut(Schema):
    reason: str
    raised_at: datetime
    decider: int | None
    outcome: str
    decision: str
    decided_at: datetime | None


class ReviewOut(Schema):
    id: int
    case: str
    agent: int
    reviewer: int | None
    scorecard: int
    scorecard_version: int
    calibration: int | None
    status: str
    score: float | None
    failed: bool
    summary: str
    messages: list[int]
    created_at: datetime
    submitted_at: datetime | None
    ratings: list[RatingOut]
    critical_checks: list[CriticalCheckOut]
    dispute: DisputeOut | None
    events: list[ReviewEventOut]


class ReviewSummaryOut(Schema):
    id: int
    case: str
    agent: int
    reviewer: int | None
    status: str
    score: float | None
    failed: bool
    created_at: datetime
    submitted_at: datetime | None


class ReviewPageOut(Schema):
    items: list[ReviewSummaryOut]
    next_cursor: str | None


class ReviewStartIn(Schema):
    case: str = Field(max_length=40, description="The case reference, e.g. C-000123.")
    messages: list[int] = Field(
        default_factory=list, max_length=200, description="Only these messages; all when empty."
    )
    scorecard: int | None = Field(
        None, description="The scorecard's current version; the default scorecard when left out."
    )


class RatingIn(Schema):
    behaviour: str = Field(max_length=40)
    value: int | None = Field(None, ge=0, le=100)
    comment: str = Field("", max_length=5000)
    quote: str = Field("", max_length=5000)


class CriticalCheckIn(Schema):
    item: str = Field(max_length=40)
    breached: bool = False
    quote: str = Field("", max_length=5000)


class ReviewSaveIn(Schema):
    ratings: list[RatingIn] = Field(default_factory=list, max_length=40)
    critical_checks: list[CriticalCheckIn] = Field(default_factory=list, max_length=20)
    summary: str = Field("", max_length=5000)
    submit: bool = False


class TextIn(Schema):
    text: str = Field(max_length=5000)


class DisputeIn(Schema):
    reason: str = Field(max_length=5000)


class DisputeDecisionIn(Schema):
    outcome: str = Field(max_length=10, description="upheld or amended")
    decision: str = Field(max_length=5000)
    ratings: list[RatingIn] = Field(default_factory=list, max_length=40)
    critical_checks: list[CriticalCheckIn] = Field(default_factory=list, max_length=20)


def _review_out(review: Review) -> dict[str, Any]:
    dispute = review.dispute if hasattr(review, "dispute") else None
    return {
        "id": review.pk,
        "case": review.case.reference,
        "agent": review.agent_id,
        "reviewer": review.reviewer_id,
        "scorecard": review.version.scorecard_id,
        "scorecard_version": review.version.number,
        "calibration": review.calibration_id,
        "status": review.status,
        "score": review.score,
        "failed": review.failed,
        "summary": review.summary,
        "messages": sorted(m.pk for m in review.messages.all()),
        "created_at": review.created_at,
        "submitted_at": review.submitted_at,
        "ratings": [
            {
                "behaviour": r.behaviour.code,
                "name": r.behaviour.name,
                "value": r.value,
                "comment": r.comment,
                "quote": r.quote,
                "message": r.message_id,
            }
            for r in review.ratings.select_related("behaviour")
        ],
        "critical_checks": [
            {"item": c.item.code, "name": c.item.name, "breached": c.breached, "quote": c.quote}
            for c in review.critical_checks.select_related("item")
        ],
        "dispute": None
        if dispute is None
        else {
            "reason": dispute.reason,
            "raised_at": dispute.raised_at,
            "decider": dispute.decider_id,
            "outcome": dispute.outcome,
            "decision": dispute.decision,
            "decided_at": dispute.decided_at,
        },
        "events": [{"at": e.at, "kind": e.kind, "actor": e.actor_id, "text": e.text} for e in review.events.all()],
    }


def _ratings(rows: list[RatingIn]) -> dict[str, services.RatingIn]:
    seen: dict[str, services.RatingIn] = {}
    for row in rows:
        if row.behaviour in seen:
            raise FieldError({f"ratings.{row.behaviour}": ["Rate each behaviour once."]})
        seen[row.behaviour] = services.RatingIn(row.value, row.comment, row.quote)
    return seen


def _checks(rows: list[CriticalCheckIn]) -> dict[str, services.CriticalCheckIn]:
    return {row.item: services.CriticalCheckIn(row.breached, row.quote) for row in rows}


@router.get("/reviews", response={200: ReviewPageOut, **ERRORS}, summary="Reviews")
def list_reviews(
    request: HttpRequest, agent: int | None = None, cursor: str | None = None, limit: int | None = None
) -> Any:
    """The reviews the caller may see, newest first: their own, their teams', or all."""
    rows = policy.visible_reviews(require_staff(actor(request)))
    if agent is not None:
        rows = rows.filter(agent_id=agent if 0 < agent < 2**63 else 0)
    page = selectors.reviews_page(rows, cursor=cursor, size=page_size(limit, default=50))
    return {
        "items": [
            {
                "id": r.pk,
                "case": r.case.reference,
                "agent": r.agent_id,
                "reviewer": r.reviewer_id,
                "status": r.status,
                "score": r.score,
                "failed": r.failed,
                "created_at": r.created_at,
                "submitted_at": r.submitted_at,
            }
            for r in page.items
        ],
        "next_cursor": page.next_cursor,
    }


@router.post("/reviews", response={201: ReviewOut, **ERRORS}, summary="Start a review")
def start_review(request: HttpRequest, payload: ReviewStartIn) -> Any:
    """A draft review of the case's agent by the caller (a reviewer, never of their own work)."""
    me = require_staff(actor(request))
    try:
        case = access_case(me, payload.case, why="API")
    except NotFound:
        raise FieldError(case="No case with that reference that you can see.") from None
    version = None
    if payload.scorecard is not None:
        version = services.current_version(_scorecard(payload.scorecard))
    review = services.review_start(
        actor=me, case=case, version=version, message_ids=payload.messages, now=timezone.now()
    )
    return Status(201, _review_out(review))


@router.get("/reviews/{review_id}", response={200: ReviewOut, **ERRORS}, summary="A review")
def get_review(request: HttpRequest, review_id: int) -> Any:
    """A review the caller may see: ratings with their quotes, critical checks, dispute and trail
    (a calibration review of someone else only once the caller's own is in)."""
    me = require_staff(actor(request))
    review = policy.access_review(me, review_id)
    calibration = review.calibration
    if (
        calibration is not None
        and review.reviewer_id != me.pk
        and calibration.reviewers.filter(pk=me.pk).exists()
        and not policy.sees_others_in(me, calibration)
    ):
        raise NotFound(policy.NO_REVIEW)
    return _review_out(review)


@router.put("/reviews/{review_id}", response={200: ReviewOut, **ERRORS}, summary="Rate (and submit) a review")
def save_review(request: HttpRequest, review_id: int, payload: ReviewSaveIn) -> Any:
    """The reviewer's ratings, a comment per behaviour quoting the passage it is about, the
    critical checks; ``submit`` makes it final (and visible to the agent)."""
    me = require_staff(actor(request))
    review = policy.access_review(me, review_id)
    services.review_save(
        actor=me,
        review=review,
        ratings=_ratings(payload.ratings),
        critical=_checks(payload.critical_checks),
        summary=payload.summary,
        submit=payload.submit,
        now=timezone.now(),
    )
    return _review_out(policy.access_review(me, review_id))


@router.post("/reviews/{review_id}/replies", response={201: ReviewOut, **ERRORS}, summary="Reply to a review")
def reply_review(request: HttpRequest, review_id: int, payload: TextIn) -> Any:
    """The agent's reply (or the reviewer's answer), added to the review's trail."""
    me = require_staff(actor(request))
    review = policy.access_review(me, review_id)
    services.review_reply(actor=me, review=review, text=payload.text, now=timezone.now())
    return Status(201, _review_out(review))


@router.post("/reviews/{review_id}/dispute", response={201: ReviewOut, **ERRORS}, summary="Dispute a review")
def dispute_review(request: HttpRequest, review_id: int, payload: DisputeIn) -> Any:
    """The agent disputes; another reviewer (not the one who wrote it) is given it to decide."""
    me = require_staff(actor(request))
    review = policy.access_review(me, review_id)
    services.review_dispute(actor=me, review=review, reason=payload.reason, now=timezone.now())
    return Status(201, _review_out(policy.access_review(me, review_id)))


@router.post("/reviews/{review_id}/decision", response={200: ReviewOut, **ERRORS}, summary="Decide a dispute")
def decide_dispute(request: HttpRequest, review_id: int, payload: DisputeDecisionIn) -> Any:
    """The second reviewer upholds the review or amends its ratings (the score follows)."""
    me = require_staff(actor(request))
    review = policy.access_review(me, review_id)
    services.dispute_decide(
        actor=me,
        review=review,
        outcome=payload.outcome,
        decision=payload.decision,
        ratings=_ratings(payload.ratings),
        critical=_checks(payload.critical_checks),
        now=timezone.now(),
    )
    return _review_out(policy.access_review(me, review_id))


class ReportIn(Schema):
    start: date | None = None
    end: date | None = None
    dimension: str = Field("agent", description="agent, team, behaviour, channel or case_type")


class ReportRowOut(Schema):
    key: str
    label: str
    n: int
    score: float | None
    failed: int


class LinkOut(Schema):
    measure: str
    label: str
    method: str | None
    r: float | None
    low: float | None
    high: float | None
    n: int
    confidence: float | None
    reading: str


class ReportOut(Schema):
    dimension: str
    start: date
    end: date
    rows: list[ReportRowOut]
    links: list[LinkOut]


@router.get(
    "/report", response={200: ReportOut, **ERRORS}, summary="QA score by agent, team, behaviour, channel, case type"
)
def report(request: HttpRequest, params: Query[ReportIn]) -> Any:
    """Over the reviews the caller may see, with the link between QA scores and CSAT, first
    contact resolution and reopening (Spearman's rho, 95% interval, n): an association, not a cause."""
    me = require_staff(actor(request))
    today = timezone.now().date()
    start, end = params.start or today - timedelta(days=28), params.end or today + timedelta(days=1)
    if end <= start:
        raise FieldError(end="The end must be after the start.")
    if params.dimension not in selectors.DIMENSION_LABELS:
        raise FieldError(dimension=f"Choose one of: {', '.join(selectors.DIMENSION_LABELS)}.")
    try:
        begin, finish = datetime.combine(start, time(), tzinfo=UTC), datetime.combine(end, time(), tzinfo=UTC)
    except OverflowError:
        raise FieldError(end="Give a date the calendar can hold.") from None
    reviews = policy.visible_reviews(me)
    links = selectors.links(reviews, begin, finish)
    return {
        "dimension": params.dimension,
        "start": start,
        "end": end,
        "rows": [
            {"key": str(r.key), "label": r.label, "n": r.n, "score": r.score, "failed": r.failed}
            for r in selectors.report(reviews, params.dimension, begin, finish)
        ],
        "links": [
            {
                "measure": link.measure,
                "label": link.label,
                "method": link.result.method.value if link.result else None,
                "r": link.result.r if link.result else None,
                "low": link.result.low if link.result else None,
                "high": link.result.high if link.result else None,
                "n": link.n,
                "confidence": link.result.confidence if link.result else None,
                "reading": link.result.describe() if link.result else "Not enough reviewed cases to measure.",
            }
            for link in links
        ],
    }


# --- calibrations ---------------------------------------------------------------------------------


class CalibrationIn(Schema):
    title: str = Field(max_length=200)
    case: str = Field(max_length=40)
    reviewers: list[int] = Field(max_length=20)


class BehaviourSpreadOut(Schema):
    behaviour: str
    name: str
    ratings: dict[str, int | None]
    low: float | None
    high: float | None
    mean: float | None


class CalibrationOut(Schema):
    id: int
    title: str
    case: str
    scorecard: int
    reviewers: list[int]
    submitted: list[int]
    revealed_at: datetime | None
    blind: bool
    alpha: float | None
    reading: str
    behaviours: list[BehaviourSpreadOut]


def _calibration_out(me: Any, calibration: Calibration) -> dict[str, Any]:
    is_member = calibration.reviewers.filter(pk=me.pk).exists()
    shown = policy.sees_others_in(me, calibration) or not is_member
    reviewers = list(calibration.reviewers.order_by("pk").values_list("pk", flat=True))
    submitted = sorted(
        r for r in calibration.reviews.filter(submitted_at__isnull=False).values_list("reviewer_id", flat=True) if r
    )
    out: dict[str, Any] = {
        "id": calibration.pk,
        "title": calibration.title,
        "case": calibration.case.reference,
        "scorecard": calibration.version.scorecard_id,
        "reviewers": reviewers,
        "submitted": submitted,
        "revealed_at": calibration.revealed_at,
        "blind": not shown,
        "alpha": None,
        "reading": "Hidden until your own review is in.",
        "behaviours": [],
    }
    if shown:
        view = selectors.calibration_view(calibration)
        out["alpha"] = view.alpha
        out["reading"] = reading(view.alpha)
        out["behaviours"] = [
            {
                "behaviour": b.code,
                "name": b.name,
                "ratings": {str(k): v for k, v in b.ratings.items()},
                "low": b.spread.low if b.spread else None,
                "high": b.spread.high if b.spread else None,
                "mean": b.spread.mean if b.spread else None,
            }
            for b in view.behaviours
        ]
    return out


@router.get("/calibrations", response={200: list[CalibrationOut], **ERRORS}, summary="Calibrations")
def list_calibrations(request: HttpRequest) -> Any:
    """The calibrations the caller is on (managers: every one), newest first."""
    me = require_staff(actor(request))
    if not policy.is_reviewer(me):
        return []
    rows = Calibration.objects.select_related("case", "version").order_by("-created_at", "-id")
    if not policy.can_manage(me):
        rows = rows.filter(reviewers=me)
    return [_calibration_out(me, c) for c in rows[:50]]


@router.post("/calibrations", response={201: CalibrationOut, **ERRORS}, summary="Start a calibration")
def create_calibration(request: HttpRequest, payload: CalibrationIn) -> Any:
    """Managers only: several reviewers score the same case blind."""
    me = require_staff(actor(request))
    try:
        case = access_case(me, payload.case, why="API")
    except NotFound:
        raise FieldError(case="No case with that reference that you can see.") from None
    calibration = services.calibration_create(
        actor=me, title=payload.title, case=case, reviewer_ids=payload.reviewers, now=timezone.now()
    )
    return Status(201, _calibration_out(me, calibration))


@router.get("/calibrations/{calibration_id}", response={200: CalibrationOut, **ERRORS}, summary="A calibration")
def get_calibration(request: HttpRequest, calibration_id: int) -> Any:
    """Each reviewer's ratings, the spread per behaviour and Krippendorff's alpha (ordinal) —
    hidden from a reviewer until their own review is in."""
    me = require_staff(actor(request))
    return _calibration_out(me, policy.access_calibration(me, calibration_id))


@router.post(
    "/calibrations/{calibration_id}/reviews", response={201: ReviewOut, **ERRORS}, summary="Score a calibration"
)
def start_calibration_review(request: HttpRequest, calibration_id: int) -> Any:
    """The caller's own review in the calibration (the same one when called again); rate it with
    PUT /reviews/{id}."""
    me = require_staff(actor(request))
    calibration = policy.access_calibration(me, calibration_id)
    review = services.review_start(actor=me, case=calibration.case, calibration=calibration, now=timezone.now())
    return Status(201, _review_out(review))
