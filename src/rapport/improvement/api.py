"""/api/v1/improvement: standards, the journey, service gaps, initiatives and their Check, the
register of rules (staff read; team leaders and managers create and check)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from rapport.access import require_staff
from rapport.accounts.api import ERRORS, actor
from rapport.accounts.models import User
from rapport.improvement import access as policy
from rapport.improvement import catalogue, gaps, selectors, services, wording
from rapport.improvement.models import Initiative, ScopeDimension
from rapport.platform.errors import FieldError
from rapport.platform.pagination import page_size

router = Router(tags=["improvement"])


class PeriodIn(Schema):
    start: date | None = None
    end: date | None = None
    dimension: str = "service"
    value: str = Field("", max_length=60)


def _period(params: PeriodIn) -> tuple[datetime, datetime, str, str]:
    today = timezone.now().date()
    start, end = params.start or today - timedelta(days=28), params.end or today + timedelta(days=1)
    if end <= start:
        raise FieldError(end="The end must be after the start.")
    if params.dimension not in ScopeDimension.values:
        raise FieldError(dimension=f"Choose one of: {', '.join(ScopeDimension.values)}.")
    return (
        datetime.combine(start, time(), tzinfo=UTC),
        datetime.combine(end, time(), tzinfo=UTC),
        params.dimension,
        params.value,
    )


class StandardOut(Schema):
    touchpoint: str
    touchpoint_label: str
    stage: str
    internal: bool
    expectation: str | None
    behaviour: str | None
    kpi: str | None
    kpi_label: str
    target: float | None
    value: float | None
    unit: str
    n: int
    rag: str
    case_ids: list[int]


def _rows(params: PeriodIn) -> list[dict[str, Any]]:
    start, end, dimension, value = _period(params)
    return [
        {
            "touchpoint": row.touchpoint.code,
            "touchpoint_label": row.touchpoint.label,
            "stage": row.touchpoint.stage,
            "internal": row.touchpoint.internal,
            "expectation": row.standard.expectation if row.standard else None,
            "behaviour": row.standard.behaviour if row.standard else None,
            "kpi": row.standard.kpi if row.standard else None,
            "kpi_label": row.label,
            "target": row.standard.target if row.standard else None,
            "value": row.value,
            "unit": row.unit,
            "n": row.n,
            "rag": row.rag.value,
            "case_ids": list(row.case_ids),
        }
        for row in selectors.journey(dimension=dimension, value=value, start=start, end=end)
    ]


@router.get("/standards", response={200: list[StandardOut], **ERRORS}, summary="Service standards at each touchpoint")
def list_standards(request: HttpRequest, params: Query[PeriodIn]) -> Any:
    """Every touchpoint with its standard (those with one), measured over the last 28 days."""
    require_staff(actor(request))
    return [row for row in _rows(params) if row["kpi"] is not None]


@router.get("/journey", response={200: list[StandardOut], **ERRORS}, summary="The journey view")
def journey(request: HttpRequest, params: Query[PeriodIn]) -> Any:
    """Each touchpoint, its standard, its measured performance in the period and scope,
    green/amber/red against the target, and the ids of the cases behind the figure."""
    require_staff(actor(request))
    return _rows(params)


class ServiceGapOut(Schema):
    rank: int
    key: str
    provider: str
    title: str
    size: float
    reach: int
    score: float
    why: str
    evidence: str
    touchpoint: str
    case_ids: list[int]
    link: str
    cost: Decimal | None


@router.get("/gaps", response={200: list[ServiceGapOut], **ERRORS}, summary="Service gap analysis")
def list_gaps(request: HttpRequest, params: Query[PeriodIn]) -> Any:
    """The largest gaps in the period and scope, ranked by size x reach, each saying why."""
    require_staff(actor(request))
    start, end, dimension, value = _period(params)
    return [
        {
            "rank": g.rank,
            "key": f"{g.provider}/{g.evidence.key}",
            "provider": g.provider,
            "title": g.evidence.title,
            "size": g.evidence.size,
            "reach": g.evidence.reach,
            "score": g.score,
            "why": g.why,
            "evidence": g.evidence.why,
            "touchpoint": g.evidence.touchpoint,
            "case_ids": list(g.evidence.case_ids),
            "link": g.evidence.link,
            "cost": g.evidence.cost,
        }
        for g in gaps.analyse(gaps.gap_scope(dimension, value, start, end))
    ]


class KpiResultOut(Schema):
    checked_at: datetime
    before: float | None
    after: float | None
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    before_n: int
    after_n: int
    verdict: str
    explanation: str


class InitiativeKpiOut(Schema):
    kpi: str
    label: str
    target: float
    baseline: float | None
    baseline_n: int
    latest: KpiResultOut | None


class InitiativeOut(Schema):
    id: int
    title: str
    problem: str
    stage: str
    owner: int
    cycle: int
    parent: int | None
    scope_dimension: str
    scope_value: str
    change_at: datetime | None
    check_on: date
    outcome: str
    net_present_value: Decimal
    payback_months: float | None
    kpis: list[InitiativeKpiOut]


class InitiativePageOut(Schema):
    items: list[InitiativeOut]
    next_cursor: str | None


class InitiativeIn(Schema):
    title: str = Field(max_length=200)
    problem: str = Field(max_length=5000)
    proposal: str = Field("", max_length=5000)
    owner: int | None = None
    check_on: date
    scope_dimension: str = "service"
    scope_value: str = Field("", max_length=60)
    baseline_days: int = Field(28, ge=7, le=365)
    one_off_cost: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)
    monthly_cost: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)
    monthly_saving: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)
    gap: str = Field("", max_length=300, description="A gap's key from /gaps, with the period and scope it came from.")
    gap_start: date | None = None
    gap_end: date | None = None
    gap_dimension: str = "service"
    gap_value: str = Field("", max_length=60)


def _kpi_out(view: selectors.KpiView) -> dict[str, Any]:
    latest = view.latest
    return {
        "kpi": view.kpi.kpi,
        "label": view.label,
        "target": view.kpi.target,
        "baseline": view.kpi.baseline,
        "baseline_n": view.kpi.baseline_n,
        "latest": None
        if latest is None
        else {
            "checked_at": latest.checked_at,
            "before": latest.before,
            "after": latest.after,
            "difference": latest.difference,
            "low": latest.low,
            "high": latest.high,
            "p_value": latest.p_value,
            "before_n": latest.before_n,
            "after_n": latest.after_n,
            "verdict": latest.verdict,
            "explanation": latest.explanation,
        },
    }


def _initiative_out(initiative: Initiative, *, detailed: bool = True) -> dict[str, Any]:
    appraisal = selectors.appraisal(initiative)
    return {
        "id": initiative.pk,
        "title": initiative.title,
        "problem": initiative.problem,
        "stage": initiative.stage,
        "owner": initiative.owner_id,
        "cycle": initiative.cycle,
        "parent": initiative.parent_id,
        "scope_dimension": initiative.scope_dimension,
        "scope_value": initiative.scope_value,
        "change_at": initiative.change_at,
        "check_on": initiative.check_on,
        "outcome": initiative.outcome,
        "net_present_value": appraisal.net_present_value.quantize(Decimal("0.01")),
        "payback_months": appraisal.payback_months,
        "kpis": [_kpi_out(v) for v in selectors.kpi_views(initiative)] if detailed else [],
    }


@router.get("/initiatives", response={200: InitiativePageOut, **ERRORS}, summary="Initiatives")
def list_initiatives(request: HttpRequest, stage: str = "", cursor: str | None = None, limit: int | None = None) -> Any:
    """Initiatives, most recently changed first (``stage`` filters by PDCA stage); KPIs are given
    by the detail."""
    require_staff(actor(request))
    page = selectors.initiative_page(stage=stage, cursor=cursor, size=page_size(limit, default=50))
    return {"items": [_initiative_out(i, detailed=False) for i in page.items], "next_cursor": page.next_cursor}


@router.post("/initiatives", response={201: InitiativeOut, **ERRORS}, summary="Create an initiative")
def create_initiative(request: HttpRequest, payload: InitiativeIn, response: HttpResponse) -> Any:
    """A new initiative at Plan (team leaders and managers); ``gap`` attaches a gap's evidence."""
    me = actor(request)
    data = payload.dict()
    gap = None
    if data.pop("gap"):
        start, end, dimension, value = _period(
            PeriodIn(
                start=data["gap_start"], end=data["gap_end"], dimension=data["gap_dimension"], value=data["gap_value"]
            )
        )
        gap = gaps.find(gaps.gap_scope(dimension, value, start, end), payload.gap)
        if gap is None:
            raise FieldError(gap="No gap with that key in that period and scope.")
    for name in ("gap_start", "gap_end", "gap_dimension", "gap_value"):
        data.pop(name)
    owner_id = data.pop("owner")
    if owner_id is not None:
        owner = User.objects.filter(pk=owner_id, is_active=True).first()
        if owner is None or not policy.can_view(owner):
            raise FieldError(owner="No member of staff with that id.")
        data["owner"] = owner
    if data["scope_dimension"] not in ScopeDimension.values:
        raise FieldError(scope_dimension=f"Choose one of: {', '.join(ScopeDimension.values)}.")
    initiative = services.initiative_create(actor=me, now=timezone.now(), fields=data, gap=gap)
    response["Location"] = f"/api/v1/improvement/initiatives/{initiative.pk}"
    return Status(201, _initiative_out(initiative))


@router.get("/initiatives/{initiative_id}", response={200: InitiativeOut, **ERRORS}, summary="An initiative")
def get_initiative(request: HttpRequest, initiative_id: int) -> Any:
    """An initiative with its cost-benefit and each KPI's baseline, target and latest Check."""
    policy.access_initiative(actor(request), initiative_id)
    found = selectors.detail(initiative_id)
    assert found is not None
    return _initiative_out(found)


class CheckOut(Schema):
    kpi: str
    before: float | None
    after: float | None
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    before_n: int
    after_n: int
    enough_data: bool
    verdict: str


@router.get(
    "/initiatives/{initiative_id}/check", response={200: list[KpiResultOut], **ERRORS}, summary="The latest Check"
)
def get_check(request: HttpRequest, initiative_id: int) -> Any:
    """The latest Check of each KPI (empty before the first)."""
    initiative = policy.access_initiative(actor(request), initiative_id)
    found = selectors.detail(initiative.pk)
    assert found is not None
    return [_kpi_out(v)["latest"] for v in selectors.kpi_views(found) if v.latest is not None]


@router.post("/initiatives/{initiative_id}/check", response={200: list[CheckOut], **ERRORS}, summary="Check now")
def run_check(request: HttpRequest, initiative_id: int) -> Any:
    """Run the Check now: each KPI after the change against the baseline, with the verdict."""
    initiative = policy.access_initiative(actor(request), initiative_id)
    results = services.check_run(initiative=initiative, now=timezone.now(), actor=actor(request))
    return [
        {
            "kpi": r.kpi.kpi,
            "before": r.change.before,
            "after": r.change.after,
            "difference": r.change.difference,
            "low": r.change.low,
            "high": r.change.high,
            "p_value": r.change.p_value,
            "before_n": r.change.before_n,
            "after_n": r.change.after_n,
            "enough_data": r.change.enough_data,
            "verdict": r.verdict.value,
        }
        for r in results
    ]


class ReadableValueOut(Schema):
    label: str
    value: str


class RuleOut(Schema):
    kind: str
    name: str
    source: str
    mandatory: bool | None
    owner: int | None
    review_on: date | None
    overdue: bool
    values: dict[str, Any] = Field(description="The values as stored (durations in ISO 8601, money as text).")
    readable: list[ReadableValueOut] = Field(description="The same values as a person reads them.")
    last_changed_at: datetime | None
    initiative: int | None


@router.get("/rules", response={200: list[RuleOut], **ERRORS}, summary="The register of rules")
def list_rules(request: HttpRequest) -> Any:
    """Rules kept by hand (with review dates, overdue flagged) and the rules that live in Rapport
    with their current values and last change."""
    require_staff(actor(request))
    today = timezone.now().date()
    kept = [
        {
            "kind": k.rule.kind,
            "name": k.rule.title,
            "source": k.rule.source,
            "mandatory": k.rule.mandatory,
            "owner": k.rule.owner_id,
            "review_on": k.rule.review_on,
            "overdue": k.overdue,
            "values": {},
            "readable": [],
            "last_changed_at": None,
            "initiative": None,
        }
        for k in selectors.kept_rules(today)
    ]
    live = [
        {
            "kind": r.model,
            "name": r.name,
            "source": "Rapport settings",
            "mandatory": None,
            "owner": None,
            "review_on": None,
            "overdue": False,
            "values": r.values,
            "readable": [{"label": k, "value": v} for k, v in wording.readable_values(r.model, r.values)],
            "last_changed_at": r.last_change.at if r.last_change else None,
            "initiative": r.initiative_id,
        }
        for r in selectors.live_rules()
    ]
    return kept + live


class KpiCatalogueOut(Schema):
    name: str
    label: str
    definition: str
    formula: str
    source: str
    assumptions: list[str]
    kind: str
    unit: str
    higher_is_better: bool
    testable: bool = Field(description="Whether a Check can test it before and after (the source gives its sample).")


@router.get("/kpis", response={200: list[KpiCatalogueOut], **ERRORS}, summary="The KPI catalogue")
def list_kpis(request: HttpRequest) -> Any:
    """Every KPI in the catalogue, whichever app counts it, with its definition."""
    require_staff(actor(request))
    return [
        {
            "name": e.name,
            "label": e.source.label,
            "definition": e.source.definition,
            "formula": e.source.formula,
            "source": e.source.source,
            "assumptions": list(e.source.assumptions),
            "testable": e.testable,
            "kind": e.source.kind,
            "unit": e.source.unit,
            "higher_is_better": e.source.higher_is_better,
        }
        for e in catalogue.catalogue()
    ]


# --- the tone of voice ----------------------------------------------------------------------------


class ToneEntryOut(Schema):
    id: int
    phrase: str
    advice: Literal["avoid", "prefer"]
    instead: str
    reason: str


class ToneEntryIn(Schema):
    phrase: str = Field(max_length=80, description="A word or phrase; end it with * for any ending.")
    advice: Literal["avoid", "prefer"]
    reason: str = Field(max_length=300, description="Why, in the brand's terms.")
    instead: str = Field("", max_length=200, description="What to say instead (for words to avoid).")


class ToneCheckIn(Schema):
    text: str = Field(max_length=20000)


class ToneFindingOut(Schema):
    phrase: str = Field(description="The words found, as written in the text.")
    start: int
    end: int
    advice: Literal["avoid", "prefer"]
    reason: str
    instead: str


def _tone_out(entry: Any) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "phrase": entry.phrase,
        "advice": entry.advice,
        "instead": entry.instead,
        "reason": entry.reason,
    }


@router.get("/tone", response={200: list[ToneEntryOut], **ERRORS}, summary="The tone-of-voice guide")
def tone_guide(request: HttpRequest) -> Any:
    """The words and phrases the brand prefers and avoids, with the reasons. Staff only."""
    require_staff(actor(request))
    return [_tone_out(e) for e in selectors.tone_guide()]


@router.post("/tone", response={201: ToneEntryOut, **ERRORS}, summary="Add to the tone-of-voice guide")
def tone_add(request: HttpRequest, data: ToneEntryIn) -> Any:
    """Team leaders and managers add a word or phrase to prefer or avoid, with the reason."""
    entry = services.tone_entry_save(actor=actor(request), now=timezone.now(), **data.dict())
    return Status(201, _tone_out(entry))


@router.post("/tone/check", response={200: list[ToneFindingOut], **ERRORS}, summary="Check a text's tone")
def tone_check(request: HttpRequest, data: ToneCheckIn) -> Any:
    """Where a text (a reply, a macro, an article) uses words the guide prefers or avoids, in order
    of where they occur. Staff only."""
    require_staff(actor(request))
    return [dataclasses.asdict(f) for f in selectors.tone_findings(data.text)]


@router.delete("/tone/{entry_id}", response={204: None, **ERRORS}, summary="Remove from the tone-of-voice guide")
def tone_remove(request: HttpRequest, entry_id: int) -> Any:
    """Team leaders and managers remove a word or phrase (declared after ``/tone/check``, which
    its path would otherwise shadow)."""
    services.tone_entry_delete(actor=actor(request), now=timezone.now(), entry_id=entry_id)
    return Status(204, None)
