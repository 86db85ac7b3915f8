"""/api/v1/plans: service plans with their sections and contingencies, the trigger history, and
systems declared down (staff read the plans they may see; managers write)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from rapport.access import require_staff
from rapport.accounts.api import ERRORS, ErrorOut, actor
from rapport.plans import access as policy
from rapport.plans import selectors, services
from rapport.plans.models import Contingency, Firing, Outage, PlanVersion
from rapport.platform.errors import FieldError
from rapport.platform.pagination import page_size

router = Router(tags=["plans"])
WITH_CONFLICT: dict[Any, type[Schema]] = {**ERRORS, 409: ErrorOut}
ID_MAX = 2**63 - 1

SectionItems = dict[str, list[dict[str, Any]]]


class ContingencyOut(Schema):
    id: int
    name: str
    trigger: str
    trigger_words: str
    threshold: Decimal | None
    intervals: int | None
    system: str
    responses: list[str]
    response_detail: str
    active: bool
    fired: bool
    last_checked_at: datetime | None
    last_reason: str


class PlanSummaryOut(Schema):
    id: int
    title: str
    team_id: int | None
    owner_id: int
    starts_on: date
    ends_on: date
    status: str
    version: int
    open_firings: int


class PlanOut(Schema):
    id: int
    title: str
    team_id: int | None
    owner_id: int
    starts_on: date
    ends_on: date
    status: str
    summary: str
    planned_weekly_contacts: int | None
    budget_pence: int | None
    version: int
    sections: SectionItems
    figures: dict[str, Any]
    figures_at: datetime | None
    contingencies: list[ContingencyOut]
    updated_at: datetime


class PlanPageOut(Schema):
    items: list[PlanSummaryOut]
    next_cursor: str | None


class PlanIn(Schema):
    title: str = Field(..., max_length=200)
    team_id: int | None = Field(None, ge=1, le=ID_MAX, description="None: the whole service")
    owner_id: int = Field(..., ge=1, le=ID_MAX, description="Told when a contingency fires")
    starts_on: date
    ends_on: date
    status: str = Field("draft", description="draft, active or closed; only active plans are watched")
    summary: str = Field("", max_length=5000)
    planned_weekly_contacts: int | None = Field(None, ge=0, le=10_000_000)
    budget_pence: int | None = Field(None, ge=0, le=10_000_000_000)
    sections: SectionItems = Field(
        default_factory=dict,
        description="objectives, customer_types, workflow, resources, milestones, monitoring: lists of items",
    )


class PlanPatch(Schema):
    version: int | None = Field(None, ge=1, le=ID_MAX, description="The version you read; a later one is a 409")
    title: str | None = Field(None, max_length=200)
    team_id: int | None = Field(None, ge=1, le=ID_MAX)
    owner_id: int | None = Field(None, ge=1, le=ID_MAX)
    starts_on: date | None = None
    ends_on: date | None = None
    status: str | None = None
    summary: str | None = Field(None, max_length=5000)
    planned_weekly_contacts: int | None = Field(None, ge=0, le=10_000_000)
    budget_pence: int | None = Field(None, ge=0, le=10_000_000_000)
    sections: SectionItems | None = Field(None, description="Whole sections to replace")


class ContingencyIn(Schema):
    name: str = Field(..., max_length=120)
    trigger: str = Field(
        ..., description="forecast_demand, actual_demand, understaffed, sla_attainment, mail_backlog or system_down"
    )
    threshold: Decimal | None = Field(None, ge=0, le=100_000, max_digits=7, decimal_places=2)
    intervals: int | None = Field(None, ge=1, le=96)
    system: str = Field("", max_length=80)
    responses: list[str] = Field(
        ..., description="overtime, move_skilled, holding_message, extend_hours, notify_customers"
    )
    response_detail: str = Field("", max_length=2000)


class FiringOut(Schema):
    id: int
    plan_id: int
    contingency_id: int
    contingency: str
    started_at: datetime
    ended_at: datetime | None
    value: float | None
    reason: str
    end_reason: str


class FiringPageOut(Schema):
    items: list[FiringOut]
    next_cursor: str | None


class PlanVersionOut(Schema):
    number: int
    at: datetime
    actor_id: int | None
    change: str
    document: dict[str, Any]


class OutageIn(Schema):
    system: str = Field(..., max_length=80)
    note: str = Field("", max_length=300)


class OutageOut(Schema):
    id: int
    system: str
    note: str
    declared_by_id: int
    declared_at: datetime
    restored_at: datetime | None


class PageIn(Schema):
    cursor: str | None = None
    limit: int | None = Field(None, description="Page size, 1 to 200")


class PlanFilter(PageIn):
    status: str = Field("", description="draft, active or closed")


def _contingency(c: Contingency, fired: set[int]) -> ContingencyOut:
    return ContingencyOut(
        id=c.pk, name=c.name, trigger=c.trigger, trigger_words=selectors.trigger_words(c), threshold=c.threshold,
        intervals=c.intervals, system=c.system, responses=list(c.responses), response_detail=c.response_detail,
        active=c.active, fired=c.pk in fired, last_checked_at=c.last_checked_at, last_reason=c.last_reason,
    )  # fmt: skip


def _plan(view: selectors.PlanView) -> PlanOut:
    plan = view.plan
    fired = {c.contingency.pk for c in view.fired}
    return PlanOut(
        id=plan.pk, title=plan.title, team_id=plan.team_id, owner_id=plan.owner_id, starts_on=plan.starts_on,
        ends_on=plan.ends_on, status=plan.status, summary=plan.summary,
        planned_weekly_contacts=plan.planned_weekly_contacts, budget_pence=plan.budget_pence, version=plan.version,
        sections=plan.sections, figures=plan.figures, figures_at=plan.figures_at,
        contingencies=[_contingency(c.contingency, fired) for c in view.contingencies], updated_at=plan.updated_at,
    )  # fmt: skip


def _firing(f: Firing) -> FiringOut:
    return FiringOut(
        id=f.pk, plan_id=f.plan_id, contingency_id=f.contingency_id, contingency=f.contingency.name,
        started_at=f.started_at, ended_at=f.ended_at, value=f.value, reason=f.reason, end_reason=f.end_reason,
    )  # fmt: skip


@router.get("", response={200: PlanPageOut, **ERRORS}, summary="Service plans")
def list_plans(request: HttpRequest, filters: Query[PlanFilter]) -> Any:
    """The plans the caller may read, latest period first, with how many contingencies have fired now."""
    me = require_staff(actor(request))
    size = page_size(filters.limit, default=50)
    page = selectors.plan_page(me, status=filters.status, cursor=filters.cursor, size=size)
    return {
        "items": [
            PlanSummaryOut(
                id=p.pk,
                title=p.title,
                team_id=p.team_id,
                owner_id=p.owner_id,
                starts_on=p.starts_on,
                ends_on=p.ends_on,
                status=p.status,
                version=p.version,
                open_firings=p.open_firings,
            )
            for p in page.items
        ],
        "next_cursor": page.next_cursor,
    }


@router.post("", response={201: PlanOut, **ERRORS}, summary="Create a service plan")
def create_plan(request: HttpRequest, payload: PlanIn) -> Any:
    """A new plan (managers): its fields and, optionally, its sections' items."""
    me = require_staff(actor(request))
    data = payload.dict()
    sections = data.pop("sections")
    plan = services.plan_create(actor=me, fields=services.PlanFields(**data), sections=sections, now=timezone.now())
    return Status(201, _plan(selectors.plan_view(me, plan.pk)))


@router.get("/firings", response={200: FiringPageOut, **ERRORS}, summary="Trigger history of every plan")
def list_firings(request: HttpRequest, filters: Query[PageIn]) -> Any:
    """When contingencies fired and cleared, on every plan the caller may read, latest first."""
    me = require_staff(actor(request))
    page = selectors.firing_page(me, cursor=filters.cursor, size=page_size(filters.limit, default=50))
    return {"items": [_firing(f) for f in page.items], "next_cursor": page.next_cursor}


@router.get("/outages", response={200: list[OutageOut], **ERRORS}, summary="Systems declared down")
def list_outages(request: HttpRequest) -> Any:
    """Systems a manager has declared down and not yet restored, latest first."""
    require_staff(actor(request))
    return selectors.open_outages()


@router.post("/outages", response={201: OutageOut, **ERRORS}, summary="Declare a system down")
def declare_outage(request: HttpRequest, payload: OutageIn) -> Any:
    """A manager declares a system down; contingencies watching for it are checked at once."""
    me = require_staff(actor(request))
    return Status(201, services.outage_declare(actor=me, system=payload.system, note=payload.note, now=timezone.now()))


@router.post("/outages/{outage_id}/restore", response={200: OutageOut, **ERRORS}, summary="Restore a system")
def restore_outage(request: HttpRequest, outage_id: int) -> Outage:
    """The system works again (managers): firings it caused clear at once."""
    me = require_staff(actor(request))
    return services.outage_restore(actor=me, outage_id=outage_id, now=timezone.now())


@router.get("/{plan_id}", response={200: PlanOut, **ERRORS}, summary="One service plan")
def get_plan(request: HttpRequest, plan_id: int) -> PlanOut:
    """Every section, the contingencies and whether each has fired now."""
    return _plan(selectors.plan_view(require_staff(actor(request)), plan_id))


@router.patch("/{plan_id}", response={200: PlanOut, **WITH_CONFLICT}, summary="Change a service plan")
def patch_plan(request: HttpRequest, plan_id: int, payload: PlanPatch) -> PlanOut:
    """Change the fields sent (managers); ``sections`` replaces the sections named. One new version."""
    me = require_staff(actor(request))
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    for name in ("title", "owner_id", "starts_on", "ends_on", "status"):
        if name in changes and changes[name] is None:
            raise FieldError({name: ["This field cannot be null."]})
    services.plan_update(actor=me, plan_id=plan_id, version=version, changes=changes, now=timezone.now())
    return _plan(selectors.plan_view(me, plan_id))


@router.post("/{plan_id}/contingencies", response={201: ContingencyOut, **ERRORS}, summary="Add a contingency")
def add_contingency(request: HttpRequest, plan_id: int, payload: ContingencyIn) -> Any:
    """A trigger to watch and the responses planned for when it fires (managers)."""
    me = require_staff(actor(request))
    found = services.contingency_add(
        actor=me, plan_id=plan_id, fields=services.ContingencyFields(**payload.dict()), now=timezone.now()
    )
    return Status(201, _contingency(found, set()))


@router.get("/{plan_id}/firings", response={200: FiringPageOut, **ERRORS}, summary="A plan's trigger history")
def plan_firings(request: HttpRequest, plan_id: int, filters: Query[PageIn]) -> Any:
    """When this plan's contingencies fired and cleared, latest first."""
    me = require_staff(actor(request))
    plan = policy.access_plan(me, plan_id)
    page = selectors.firing_page(me, plan_id=plan.pk, cursor=filters.cursor, size=page_size(filters.limit, default=50))
    return {"items": [_firing(f) for f in page.items], "next_cursor": page.next_cursor}


@router.get("/{plan_id}/versions", response={200: list[PlanVersionOut], **ERRORS}, summary="A plan's history")
def plan_versions(request: HttpRequest, plan_id: int) -> list[PlanVersion]:
    """Every version of the plan, latest first: who changed what, and the plan as it then stood."""
    plan = policy.access_plan(require_staff(actor(request)), plan_id)
    return list(selectors.versions(plan)[:200])
