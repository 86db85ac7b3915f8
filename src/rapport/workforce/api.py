"""/api/v1/workforce: the demand forecast with its accuracy, the staffing it needs, known events
and handling times (staff read; team leaders and managers write)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from rapport.access import require_staff
from rapport.accounts.api import ERRORS, actor
from rapport.accounts.models import STAFF_ROLES, User
from rapport.domain.forecasting import Accuracy, Backtest
from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.workforce import access as policy
from rapport.workforce import imports, selectors, services
from rapport.workforce.models import StatusChange

router = Router(tags=["workforce"])

NO_AGENT = "No member of staff with that id."


class ScopeIn(Schema):
    interval: int = Field(60, description="Minutes per interval: 15, 30 or 60")
    weeks: int = Field(selectors.DEFAULT_WEEKS, description=f"Weeks ahead, 1 to {selectors.MAX_WEEKS}")
    channel: str = Field("", description="One channel only")
    type: str = Field("", description="Only cases of this type")
    team: int | None = Field(None, description="Only cases of this team")


class AccuracyOut(Schema):
    wape: float | None  # None when nothing happened to score against
    bias: float | None
    contacts: float


class BacktestOut(Schema):
    origins: int
    model: AccuracyOut
    seasonal_naive: AccuracyOut
    beats_seasonal_naive: bool


class DayOut(Schema):
    day: date
    total: float
    intervals: list[float]


class ChannelForecastOut(Schema):
    channel: str
    problem: str
    backtest: BacktestOut | None
    days: list[DayOut]


class KnownEventOut(Schema):
    id: int
    name: str
    channel: str
    first_day: date
    last_day: date
    uplift_percent: int


class ForecastOut(Schema):
    start: date
    interval: int
    nation: str
    intervals: list[str]
    channels: list[ChannelForecastOut]
    events: list[KnownEventOut]


def _finite(value: float) -> float | None:
    return round(value, 4) if math.isfinite(value) else None


def _accuracy(found: Accuracy) -> AccuracyOut:
    return AccuracyOut(wape=_finite(found.wape), bias=_finite(found.bias), contacts=found.actual)


def _backtest(found: Backtest | None) -> BacktestOut | None:
    if found is None:
        return None
    return BacktestOut(
        origins=found.origins,
        model=_accuracy(found.model),
        seasonal_naive=_accuracy(found.naive),
        beats_seasonal_naive=found.beats_naive,
    )


def _event(event: object) -> KnownEventOut:
    return KnownEventOut.model_validate(event, from_attributes=True)


def _view(scope: ScopeIn) -> selectors.ForecastView:
    parsed = selectors.parse_scope(
        interval=scope.interval, weeks=scope.weeks, channel=scope.channel, case_type=scope.type, team_id=scope.team
    )
    return selectors.forecast_view(
        today=timezone.localdate(),
        interval=scope.interval,
        weeks=scope.weeks,
        scope=parsed,
        channels=[scope.channel] if scope.channel else (),
    )


@router.get("/forecast", response={200: ForecastOut, **ERRORS}, summary="Contacts forecast per channel and interval")
def forecast(request: HttpRequest, scope: Query[ScopeIn]) -> ForecastOut:
    """Expected contacts per channel, day and interval from today, with each channel's rolling-origin
    backtest (WAPE and bias) beside seasonal-naive (the same interval a week before)."""
    require_staff(actor(request))
    view = _view(scope)
    return ForecastOut(
        start=view.start,
        interval=view.interval,
        nation=view.nation,
        intervals=[view.slot_label(s) for s in range(24 * 60 // view.interval)],
        channels=[
            ChannelForecastOut(
                channel=c.channel,
                problem=c.problem,
                backtest=_backtest(c.backtest),
                days=[
                    DayOut(day=view.day(i), total=round(sum(row), 2), intervals=[round(v, 2) for v in row])
                    for i, row in enumerate(c.rows)
                ],
            )
            for c in view.channels
        ],
        events=[_event(e) for e in view.events],
    )


class StaffingDayOut(Schema):
    day: date
    contacts: list[float]
    required: list[int]
    service_level: list[float | None]


class ChannelStaffingOut(Schema):
    channel: str
    aht_seconds: int
    model: str  # "erlang_c" or "workload"
    days: list[StaffingDayOut]


class StaffingOut(Schema):
    start: date
    interval: int
    shrinkage: float
    shrinkage_categories: dict[str, float] = Field(description="Each category's share; shrinkage is their sum")
    service_level_target: float
    intervals: list[str]
    channels: list[ChannelStaffingOut]


@router.get("/staffing", response={200: StaffingOut, **ERRORS}, summary="Staff required per channel and interval")
def staffing(request: HttpRequest, scope: Query[ScopeIn]) -> StaffingOut:
    """People needed on the rota per channel and interval: Erlang C for live channels, workload
    spread over the working day for queued ones, with shrinkage allowed for."""
    require_staff(actor(request))
    parsed = selectors.parse_scope(
        interval=scope.interval, weeks=scope.weeks, channel=scope.channel, case_type=scope.type, team_id=scope.team
    )
    view = selectors.staffing_view(today=timezone.localdate(), interval=scope.interval, weeks=scope.weeks, scope=parsed)
    return StaffingOut(
        start=view.forecast.start,
        interval=view.forecast.interval,
        shrinkage=view.shrinkage,
        shrinkage_categories={p.category: float(p.share) for p in view.shrinkage_parts},
        service_level_target=selectors.SL_TARGET,
        intervals=[view.forecast.slot_label(s) for s in range(24 * 60 // view.forecast.interval)],
        channels=[
            ChannelStaffingOut(
                channel=channel,
                aht_seconds=view.aht[channel],
                model="erlang_c" if channel in selectors.LIVE else "workload",
                days=[
                    StaffingDayOut(
                        day=view.forecast.day(i),
                        contacts=[round(c.contacts, 2) for c in cells],
                        required=[c.required for c in cells],
                        service_level=[None if c.service_level is None else round(c.service_level, 4) for c in cells],
                    )
                    for i, cells in enumerate(days)
                ],
            )
            for channel, days in view.cells.items()
            if not scope.channel or channel == scope.channel
        ],
    )


class KnownEventIn(Schema):
    name: str = Field(max_length=200)
    channel: str = ""
    first_day: date
    last_day: date
    uplift_percent: int


@router.get("/events", response={200: list[KnownEventOut], **ERRORS}, summary="Known events that lift the forecast")
def events(request: HttpRequest) -> list[KnownEventOut]:
    """Known events (a price rise letter, a recall) that lift the forecast on their days."""
    require_staff(actor(request))
    return [_event(e) for e in selectors.known_events()]


@router.post("/events", response={201: KnownEventOut, **ERRORS}, summary="Enter a known event")
def event_add(request: HttpRequest, payload: KnownEventIn) -> Status[KnownEventOut]:
    """Enter a known event (team leaders and managers): a percentage change for one channel or all."""
    me = require_staff(actor(request))
    event = services.known_event_add(actor=me, now=timezone.now(), **payload.dict())
    return Status(201, _event(event))


@router.delete("/events/{event_id}", response={204: None, **ERRORS}, summary="Remove a known event")
def event_remove(request: HttpRequest, event_id: int) -> Status[None]:
    """Remove a known event (team leaders and managers)."""
    services.known_event_remove(actor=require_staff(actor(request)), event_id=event_id)
    return Status(204, None)


class HandlingTimeOut(Schema):
    channel: str
    case_type: str
    seconds: int = Field(description="The figure used")
    source: str = Field(description="edited by a planner, time tracking, message timestamps or default")
    cases: int
    tracked: int | None = Field(None, description="Seconds measured by time tracking")
    from_messages: int | None = Field(None, description="Seconds measured from message timestamps")
    replies: int = 0


class HandlingTimeIn(Schema):
    channel: str
    case_type: str = ""
    seconds: int | None = Field(None, description="None clears the planner's figure")


@router.get("/handling-times", response={200: list[HandlingTimeOut], **ERRORS}, summary="Average handling times")
def handling_times(request: HttpRequest) -> list[HandlingTimeOut]:
    """Average handling time per channel and case type, with its source: a planner's figure, time
    tracking, or the default."""
    require_staff(actor(request))
    return [HandlingTimeOut(**vars(row)) for row in selectors.handling_times(today=timezone.localdate())]


@router.put("/handling-times", response={200: list[HandlingTimeOut], **ERRORS}, summary="Set a handling time")
def handling_time_set(request: HttpRequest, payload: HandlingTimeIn) -> list[HandlingTimeOut]:
    """Set a planner's handling time for a channel (and case type), or clear it with ``null``."""
    services.handling_time_set(actor=require_staff(actor(request)), now=timezone.now(), **payload.dict())
    return [HandlingTimeOut(**vars(row)) for row in selectors.handling_times(today=timezone.localdate())]


class StatusOut(Schema):
    agent: int
    status: str
    source: str
    at: datetime


class MyStatusOut(Schema):
    agent: int
    status: str
    history: list[StatusOut]


class StatusIn(Schema):
    status: str = Field(description="available, busy, on_break, training, away or off_shift")
    agent: int | None = Field(None, description="Another agent (their team leader or a manager); yourself when empty")


def _change(change: StatusChange) -> StatusOut:
    return StatusOut(agent=change.agent_id, status=change.status, source=change.source, at=change.at)


@router.get("/status", response={200: MyStatusOut, **ERRORS}, summary="Your status now and its history")
def status(request: HttpRequest) -> MyStatusOut:
    """Your status now and its recent history (newest first)."""
    me = require_staff(actor(request))
    history = selectors.status_history(agent_id=me.pk, limit=100)
    return MyStatusOut(agent=me.pk, status=selectors.status_now(me.pk), history=[_change(c) for c in history])


@router.put(
    "/status", response={200: StatusOut, **ERRORS}, summary="Set your status (or, for a team leader, an agent's)"
)
def status_set(request: HttpRequest, payload: StatusIn) -> StatusOut:
    """Set your status; a team leader or manager may set an agent's (recorded as theirs)."""
    me = require_staff(actor(request))
    agent = me
    if payload.agent is not None and payload.agent != me.pk:
        found = User.objects.filter(pk=payload.agent, role__in=STAFF_ROLES).first()
        if found is None:
            raise NotFound(NO_AGENT)
        agent = found
    return _change(services.status_set(actor=me, agent=agent, status=payload.status, now=timezone.now()))


class ShiftOut(Schema):
    id: int
    agent: int
    activity: str
    starts_at: datetime
    ends_at: datetime


class RotaIn(Schema):
    csv: str = Field(max_length=2_000_000, description="email, date, start, end, activity; a header row first")


class RotaImportOut(Schema):
    imported: int


@router.get("/rotas", response={200: list[ShiftOut], **ERRORS}, summary="The rota for the coming week")
def rotas(request: HttpRequest) -> list[ShiftOut]:
    """The coming week's rota: every stretch of work, break, training and leave."""
    require_staff(actor(request))
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return [
        ShiftOut(id=s.pk, agent=s.agent_id, activity=s.activity, starts_at=s.starts_at, ends_at=s.ends_at)
        for s in selectors.shifts_between(start=start, end=start + timedelta(days=7))
    ]


@router.post("/rotas", response={201: RotaImportOut, **ERRORS}, summary="Import a rota from CSV (all rows or none)")
def rota_import(request: HttpRequest, payload: RotaIn) -> Status[RotaImportOut]:
    """Import a rota from CSV (team leaders and managers): every row is checked and nothing is written
    unless all are right; problems come back by row as ``csv.rowN``."""
    me = require_staff(actor(request))
    if not policy.can_plan(me):
        raise Forbidden(services.NOT_A_PLANNER)
    rows, problems = imports.parse_shifts(payload.csv.encode(), tz=selectors.organisation_tz())
    if problems:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(f"csv.row{problem.row}", []).append(problem.message)
        raise FieldError(errors)
    return Status(201, RotaImportOut(imported=len(services.shifts_import(actor=me, rows=rows))))


class ActualOut(Schema):
    interval: str
    forecast: float
    actual: float
    required: int
    on_duty: int
    adherence: float | None


class ActualsOut(Schema):
    day: date
    forecast_total: float
    actual_total: float
    adherence: float | None
    intervals: list[ActualOut]


NOT_OVER = "Choose a day that is over."
EARLIEST_DAY = date(2000, 1, 1)
TOO_EARLY = "Choose a day from 1 January 2000: nothing earlier was handled here."


@router.get("/actuals", response={200: ActualsOut, **ERRORS}, summary="A past day: forecast vs actual, adherence")
def actuals(request: HttpRequest, day: date, interval: int = 60) -> ActualsOut:
    """A day that is over: forecast against actual contacts, staff required against staff on duty
    (from the status history), and adherence to the rota, per interval."""
    require_staff(actor(request))
    selectors.parse_scope(interval=interval, weeks=1)
    if day >= timezone.localdate():
        raise FieldError(day=NOT_OVER)
    if day < EARLIEST_DAY:
        raise FieldError(day=TOO_EARLY)
    view = selectors.actuals_view(day=day, interval=interval)
    return ActualsOut(
        day=view.day,
        forecast_total=round(view.forecast_total, 2),
        actual_total=view.actual_total,
        adherence=view.adherence,
        intervals=[
            ActualOut(
                interval=c.label,
                forecast=round(c.forecast, 2),
                actual=c.actual,
                required=c.required,
                on_duty=c.staffed,
                adherence=c.adherence,
            )
            for c in view.cells
        ],
    )


# --- shrinkage and skills -------------------------------------------------------------------------


class ShrinkagePartOut(Schema):
    category: str
    label: str
    share: float = Field(description="Share of paid time, 0 to 1")
    source: str


class ShrinkageOut(Schema):
    total: float = Field(description="The sum of the categories, 0 to 1")
    categories: list[ShrinkagePartOut]


class ShrinkageIn(Schema):
    leave: Decimal | None = Field(None, ge=0, le=Decimal("0.9"), max_digits=4, decimal_places=3)
    sickness: Decimal | None = Field(None, ge=0, le=Decimal("0.9"), max_digits=4, decimal_places=3)
    training: Decimal | None = Field(None, ge=0, le=Decimal("0.9"), max_digits=4, decimal_places=3)
    coaching: Decimal | None = Field(None, ge=0, le=Decimal("0.9"), max_digits=4, decimal_places=3)
    meetings: Decimal | None = Field(None, ge=0, le=Decimal("0.9"), max_digits=4, decimal_places=3)


def _shrinkage() -> ShrinkageOut:
    view = selectors.shrinkage_view()
    return ShrinkageOut(
        total=view.total,
        categories=[
            ShrinkagePartOut(category=p.category, label=p.label, share=float(p.share), source=p.source)
            for p in view.parts
        ],
    )


@router.get("/shrinkage", response={200: ShrinkageOut, **ERRORS}, summary="Shrinkage by category")
def shrinkage(request: HttpRequest) -> ShrinkageOut:
    """Each category's share of paid time (entered, or the default) and their sum, which staffing uses."""
    require_staff(actor(request))
    return _shrinkage()


@router.put("/shrinkage", response={200: ShrinkageOut, **ERRORS}, summary="Set shrinkage categories")
def shrinkage_set(request: HttpRequest, payload: ShrinkageIn) -> ShrinkageOut:
    """Set the categories given (shares from 0 to 1; the others are unchanged): team leaders and managers."""
    shares = {k: v for k, v in payload.dict().items() if v is not None}
    services.shrinkage_set(actor=require_staff(actor(request)), shares=shares, now=timezone.now(), source="api")
    return _shrinkage()


class AgentSkillsOut(Schema):
    agent: int
    name: str
    skills: list[str]
    products: list[str]


class AgentSkillsIn(Schema):
    skills: list[str] = Field(
        default_factory=list, max_length=10, description="welsh, bsl_relay, complaints, data_protection"
    )
    products: list[str] = Field(default_factory=list, max_length=50)


@router.get("/skills", response={200: list[AgentSkillsOut], **ERRORS}, summary="Agents' skills")
def skills(request: HttpRequest) -> list[AgentSkillsOut]:
    """Every active member of staff with their skills and the products they know (routing reads them)."""
    require_staff(actor(request))
    return [
        AgentSkillsOut(agent=a.agent.pk, name=a.agent.name, skills=list(a.skills), products=list(a.products))
        for a in selectors.agent_skills()
    ]


@router.put("/skills/{agent_id}", response={200: AgentSkillsOut, **ERRORS}, summary="Set an agent's skills")
def skills_set(request: HttpRequest, agent_id: int, payload: AgentSkillsIn) -> AgentSkillsOut:
    """Replace an agent's skills and products (team leaders and managers)."""
    me = require_staff(actor(request))
    agent = User.objects.filter(pk=agent_id, role__in=STAFF_ROLES).first() if 1 <= agent_id < 2**63 else None
    if agent is None:
        raise NotFound(NO_AGENT)
    services.skills_replace(actor=me, agent=agent, skills=payload.skills, products=payload.products)
    found = next(a for a in selectors.agent_skills() if a.agent.pk == agent.pk)
    return AgentSkillsOut(agent=agent.pk, name=agent.name, skills=list(found.skills), products=list(found.products))
