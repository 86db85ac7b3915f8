"""Reads for continuous improvement: initiatives (list, board, detail), their cost-benefit and
KPI charts, the journey view, the register of rules and the CSV rows. Each read costs a fixed
number of queries whatever the number of rows it shows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Count, Prefetch, QuerySet

from rapport import extensions
from rapport.domain import tone
from rapport.domain.improvement import Appraisal, CostBenefit, Rag, appraise, rag
from rapport.improvement import catalogue
from rapport.improvement.models import (
    BrandPromise,
    Initiative,
    InitiativeKpi,
    KpiAssumptions,
    KpiResult,
    Milestone,
    Rule,
    RuleCause,
    Stage,
    Standard,
    Suggestion,
    SuggestionStatus,
    ToneEntry,
)
from rapport.platform import settings_history
from rapport.platform.models import SettingChange
from rapport.platform.pagination import Keyset, Page

INITIATIVE_ORDER = Keyset((("updated_at", datetime, True), ("id", int, True)))
BOARD_SHOWN = 20
CASES_SHOWN = 20


def initiatives(*, stage: str = "") -> QuerySet[Initiative]:
    found = Initiative.objects.select_related("owner")
    return found.filter(stage=stage) if stage else found


def initiative_page(*, stage: str = "", cursor: str | None, size: int) -> Page[Initiative]:
    return INITIATIVE_ORDER.paginate(initiatives(stage=stage), cursor=cursor, size=size)


@dataclass(frozen=True)
class Column:
    stage: Stage
    count: int
    items: list[Initiative]


def board() -> list[Column]:
    """Initiatives by PDCA stage: the count of each and the latest few (one query per stage)."""
    counts = dict(Initiative.objects.values_list("stage").annotate(n=Count("pk")).order_by())
    return [
        Column(
            stage,
            counts.get(stage.value, 0),
            list(initiatives(stage=stage.value).order_by("-updated_at", "-id")[:BOARD_SHOWN]),
        )
        for stage in Stage
    ]


def detail(initiative_id: int) -> Initiative | None:
    latest = KpiResult.objects.order_by("kpi", "-checked_at", "-id")
    return (
        Initiative.objects.select_related("owner", "parent", "created_by")
        .prefetch_related(
            "evidence",
            "requirements",
            "stakeholders",
            "risks",
            Prefetch("milestones", queryset=Milestone.objects.select_related("owner", "setting_change")),
            Prefetch("kpis", queryset=InitiativeKpi.objects.prefetch_related(Prefetch("results", queryset=latest))),
            "next_cycles",
        )
        .filter(pk=initiative_id)
        .first()
    )


def cycles(initiative: Initiative) -> list[Initiative]:
    """Every cycle of the initiative, first to last (the chain of parents, then the next ones)."""
    chain = [initiative]
    seen = {initiative.pk}
    while chain[0].parent_id is not None and chain[0].parent_id not in seen:
        parent = Initiative.objects.filter(pk=chain[0].parent_id).first()
        if parent is None:
            break
        seen.add(parent.pk)
        chain.insert(0, parent)
    following = Initiative.objects.filter(parent_id=chain[-1].pk).order_by("id").first()
    while following is not None and following.pk not in seen:
        seen.add(following.pk)
        chain.append(following)
        following = Initiative.objects.filter(parent_id=following.pk).order_by("id").first()
    return chain


def cost_benefit(initiative: Initiative) -> CostBenefit:
    return CostBenefit(
        one_off_cost=initiative.one_off_cost,
        monthly_cost=initiative.monthly_cost,
        monthly_saving=initiative.monthly_saving,
        monthly_redress_avoided=initiative.monthly_redress_avoided,
        monthly_hours_saved=initiative.monthly_hours_saved,
        hourly_cost=initiative.hourly_cost,
        monthly_value_retained=initiative.monthly_value_retained,
        months=max(initiative.months, 1),
        annual_discount_rate=initiative.annual_discount_rate,
    )


def appraisal(initiative: Initiative) -> Appraisal:
    return appraise(cost_benefit(initiative))


@dataclass(frozen=True)
class KpiView:
    kpi: InitiativeKpi
    source: extensions.KpiSource | None
    latest: KpiResult | None

    @property
    def label(self) -> str:
        return self.source.label if self.source else self.kpi.kpi

    @property
    def unit(self) -> str:
        return self.source.unit if self.source else ""


def kpi_views(initiative: Initiative) -> list[KpiView]:
    views = []
    for kpi in initiative.kpis.all():
        results = list(kpi.results.all())
        views.append(KpiView(kpi, extensions.kpi_sources.get(kpi.kpi), results[0] if results else None))
    return views


@dataclass(frozen=True)
class Point:
    start: datetime
    value: float | None
    n: int
    after: bool


def kpi_series(initiative: Initiative, kpi: InitiativeKpi, now: datetime, *, weeks: int = 8) -> list[Point]:
    """Weekly values of a KPI around the change-point, for the before/after chart (one query per
    week, at most ``2 x weeks``)."""
    source = extensions.kpi_sources.get(kpi.kpi)
    if source is None or source.sample is None:
        return []
    pivot = initiative.change_at or now
    points = []
    for offset in range(-weeks, weeks):
        start = pivot + timedelta(weeks=offset)
        end = start + timedelta(weeks=1)
        if start >= now:
            break
        scope = catalogue.scope(initiative.scope_dimension, initiative.scope_value, start, min(end, now))
        sample = source.sample(scope)
        points.append(Point(start, source.measure(scope) if sample.n else None, sample.n, offset >= 0))
    return points


def suggestions_open() -> QuerySet[Suggestion]:
    return (
        Suggestion.objects.filter(status=SuggestionStatus.NEW).select_related("author").order_by("-created_at", "-id")
    )


# --- standards and the journey --------------------------------------------------------------------


def brand_promise() -> BrandPromise | None:
    return BrandPromise.objects.order_by("id").first()


@dataclass(frozen=True)
class JourneyRow:
    touchpoint: catalogue.Touchpoint
    standard: Standard | None
    label: str
    value: float | None
    unit: str
    n: int
    rag: Rag
    case_ids: tuple[int, ...]


def journey(*, dimension: str, value: str, start: datetime, end: datetime) -> list[JourneyRow]:
    """Each touchpoint with its standard, the measured performance of its KPI over the period,
    green/amber/red against the target, and the cases behind the figure (those that fall short)."""
    standards = {s.touchpoint: s for s in Standard.objects.all()}
    scope = catalogue.scope(dimension, value, start, end)
    rows = []
    for touchpoint in catalogue.TOUCHPOINTS:
        standard = standards.get(touchpoint.code)
        source = extensions.kpi_sources.get(standard.kpi) if standard else None
        if standard is None or source is None:
            rows.append(JourneyRow(touchpoint, standard, "", None, "", 0, Rag.NONE, ()))
            continue
        n = source.sample(scope).n if source.sample else 0
        measured = source.measure(scope) if n or source.sample is None else None
        state = rag(
            measured,
            target=standard.target,
            higher_is_better=source.higher_is_better,
            amber_within=standard.amber_within,
        )
        behind = tuple(source.behind(scope, CASES_SHOWN)) if source.behind and state in (Rag.AMBER, Rag.RED) else ()
        rows.append(JourneyRow(touchpoint, standard, source.label, measured, source.unit, n, state, behind))
    return rows


# --- the register of rules ------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveRule:
    """A rule that lives in Rapport (a tracked setting), with its current values."""

    kind: str
    model: str
    object_id: str
    name: str
    values: dict[str, Any]
    last_change: SettingChange | None
    initiative_id: int | None


LIVE_SHOWN = 50


def live_rules() -> list[LiveRule]:
    """Every tracked setting's rows as they are now (authority limits, SLA policies, escalation
    rules, retention schedules, complaint deadlines, survey rules …), with their last change and
    the initiative that caused it. One query per kind of setting, plus two."""
    found: list[LiveRule] = []
    for entry in settings_history.tracked():
        if entry.model is Rule:
            continue
        for row in entry.model._default_manager.all()[:LIVE_SHOWN]:
            values = settings_history.snapshot(row)
            found.append(
                LiveRule(
                    str(entry.model._meta.verbose_name).capitalize(),
                    entry.label,
                    str(row.pk),
                    str(row),
                    values,
                    None,
                    None,
                )
            )
    keys = {(r.model, r.object_id) for r in found}
    latest: dict[tuple[str, str], SettingChange] = {}
    for change in SettingChange.objects.filter(model__in={m for m, _ in keys}).order_by("-at", "-id")[:2000]:
        latest.setdefault((change.model, change.object_id), change)
    causes = dict(
        RuleCause.objects.filter(change__in=[c.pk for c in latest.values()]).values_list("change_id", "initiative_id")
    )
    return [
        LiveRule(
            r.kind,
            r.model,
            r.object_id,
            r.name,
            r.values,
            (c := latest.get((r.model, r.object_id))),
            causes.get(c.pk) if c else None,
        )
        for r in found
    ]


@dataclass(frozen=True)
class KeptRule:
    rule: Rule
    overdue: bool


def kept_rules(today: date) -> list[KeptRule]:
    return [
        KeptRule(rule, rule.review_on < today)
        for rule in Rule.objects.select_related("owner").order_by("review_on", "id")
    ]


def rule_history(limit: int = 50) -> list[tuple[SettingChange, int | None]]:
    """Recent changes to every rule, with the initiative that caused each (when one did)."""
    changes = list(settings_history.setting_changes()[:limit])
    causes = dict(
        RuleCause.objects.filter(change__in=[c.pk for c in changes]).values_list("change_id", "initiative_id")
    )
    return [(change, causes.get(change.pk)) for change in changes]


def model_label(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return label


# --- CSV ------------------------------------------------------------------------------------------

CSV_HEADER = [
    "initiative",
    "title",
    "stage",
    "cycle",
    "owner",
    "check_on",
    "outcome",
    "kpi",
    "baseline",
    "target",
    "checked_at",
    "before",
    "after",
    "difference",
    "low",
    "high",
    "p_value",
    "before_n",
    "after_n",
    "verdict",
]


def csv_rows() -> Iterator[list[Any]]:
    """One row per initiative KPI result (and one per initiative with no result yet)."""
    results = KpiResult.objects.order_by("-checked_at", "-id")
    kpis = InitiativeKpi.objects.prefetch_related(Prefetch("results", queryset=results))
    query = Initiative.objects.select_related("owner").prefetch_related(Prefetch("kpis", queryset=kpis)).order_by("id")
    for initiative in query.iterator(chunk_size=500):
        head = [
            initiative.pk,
            initiative.title,
            initiative.stage,
            initiative.cycle,
            str(initiative.owner),
            initiative.check_on.isoformat(),
            initiative.outcome,
        ]
        wrote = False
        for kpi in initiative.kpis.all():
            for r in kpi.results.all():
                yield [
                    *head,
                    kpi.kpi,
                    kpi.baseline,
                    kpi.target,
                    r.checked_at.isoformat(),
                    r.before,
                    r.after,
                    r.difference,
                    r.low,
                    r.high,
                    r.p_value,
                    r.before_n,
                    r.after_n,
                    r.verdict,
                ]
                wrote = True
            if not kpi.results.all():
                yield [*head, kpi.kpi, kpi.baseline, kpi.target] + [""] * 10
                wrote = True
        if not wrote:
            yield head + [""] * 13


# --- the tone of voice ----------------------------------------------------------------------------


def tone_guide() -> list[ToneEntry]:
    return list(ToneEntry.objects.order_by("advice", "phrase"))


def tone_findings(text: str) -> list[extensions.ToneFinding]:
    """Where ``text`` uses a word or phrase the guide prefers or avoids, in order (one query, none
    for an empty text): what ``extensions.tone_checks`` answers for the macro and article editors."""
    if not text.strip():
        return []
    guide = [tone.ToneEntry(e.phrase, e.advice, e.reason, e.instead) for e in tone_guide()]  # type: ignore[arg-type]
    return [
        extensions.ToneFinding(m.text, m.start, m.end, m.entry.advice, m.entry.reason, m.entry.instead)
        for m in tone.check(text, guide)
    ]


# --- the KPI catalogue ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueRow:
    """A KPI as the catalogue shows it, with its baseline: its value over the period given (the
    last 28 days on the page) and the number of cases, answers or promises it counts (None when
    its source gives a figure only)."""

    entry: catalogue.CatalogueEntry
    baseline: float | None
    n: int | None


def catalogue_rows(start: datetime, end: datetime) -> list[CatalogueRow]:
    """Every KPI in the catalogue with its baseline over [start, end) for the whole service (a
    fixed number of queries per KPI, whatever the number of cases)."""
    scope = catalogue.scope("service", "", start, end)
    rows = []
    for entry in catalogue.catalogue():
        source = entry.source
        if source.sample is not None:
            sample = source.sample(scope)
            value = (
                (100 * sample.total / sample.n if source.kind == "proportion" else sample.total / sample.n)
                if sample.n
                else None
            )
            rows.append(CatalogueRow(entry, value, sample.n))
        else:
            rows.append(CatalogueRow(entry, source.measure(scope), None))
    return rows


def kpi_assumptions() -> KpiAssumptions:
    return KpiAssumptions.current()
