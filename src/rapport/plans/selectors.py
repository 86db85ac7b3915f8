"""Reads for service plans: the list, one plan with everything it shows (a fixed number of queries,
whatever the number of items, contingencies or firings), the trigger history, the open outages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from rapport.accounts.models import User
from rapport.plans import access as policy
from rapport.plans import sections as parts
from rapport.plans.models import Contingency, Firing, Outage, Plan, PlanVersion, Response
from rapport.plans.services import FIRED_KEY
from rapport.platform.pagination import Keyset, Page

PLAN_ORDER = Keyset((("starts_on", date, True), ("id", int, True)))
FIRING_ORDER = Keyset((("started_at", datetime, True), ("id", int, True)))
SHOWN = 20


def plans(actor: User, *, status: str = "", team_id: int | None = None) -> QuerySet[Plan]:
    found = policy.visible_plans(actor).select_related("team", "owner")
    if status:
        found = found.filter(status=status)
    if team_id is not None:
        found = found.filter(team_id=team_id)
    return found.annotate(open_firings=Count("firings", filter=Q(firings__ended_at__isnull=True)))


def plan_page(actor: User, *, status: str = "", cursor: str | None, size: int) -> Page[Plan]:
    return PLAN_ORDER.paginate(plans(actor, status=status), cursor=cursor, size=size)


@dataclass(frozen=True)
class Row:
    """One item of a section as it reads: its index and each field's label and shown value."""

    index: int
    cells: list[tuple[str, str]]


@dataclass(frozen=True)
class Section:
    spec: parts.SectionSpec
    rows: list[Row]


@dataclass(frozen=True)
class ContingencyView:
    contingency: Contingency
    trigger_words: str
    responses: list[str]
    open_firing: Firing | None


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    sections: list[Section]
    contingencies: list[ContingencyView]
    firings: list[Firing]
    versions: list[PlanVersion]
    outages: list[Outage]

    @property
    def fired(self) -> list[ContingencyView]:
        return [c for c in self.contingencies if c.open_firing is not None]


def trigger_words(c: Contingency) -> str:
    """The trigger as a sentence: "Actual demand above 120% of forecast"."""
    threshold = f"{c.threshold.normalize():f}" if c.threshold is not None else ""
    return {
        "forecast_demand": f"Forecast demand above {threshold}% of the plan",
        "actual_demand": f"Actual demand above {threshold}% of the forecast",
        "understaffed": f"Staffed below required for {c.intervals} interval(s) in a row",
        "sla_attainment": f"SLA attainment below {threshold}% over 7 days",
        "mail_backlog": f"An email waiting over {threshold} hours for a first reply",
        "system_down": f"{c.system or 'Any system'} declared down",
    }.get(c.trigger, c.get_trigger_display())


def section_rows(sections: dict[str, Any]) -> list[Section]:
    out = []
    for key, spec in parts.SECTIONS.items():
        rows = [
            Row(index, [(f.label, parts.label_of(f, item.get(f.name))) for f in spec.fields])
            for index, item in enumerate(sections.get(key, []))
        ]
        out.append(Section(spec, rows))
    return out


def plan_view(actor: User, plan_id: int | str) -> PlanView:
    """One plan and what its page shows: six queries."""
    plan = policy.access_plan(actor, plan_id)
    found = list(Contingency.objects.filter(plan=plan))
    open_firings = {f.contingency_id: f for f in Firing.objects.filter(plan=plan, ended_at__isnull=True)}
    firings = list(
        Firing.objects.filter(plan=plan).select_related("contingency").order_by("-started_at", "-id")[:SHOWN]
    )
    versions = list(PlanVersion.objects.filter(plan=plan).select_related("actor").order_by("-number")[:SHOWN])
    return PlanView(
        plan=plan,
        sections=section_rows(plan.sections),
        contingencies=[
            ContingencyView(
                c,
                trigger_words(c),
                [Response(r).label for r in c.responses if r in Response.values],
                open_firings.get(c.pk),
            )
            for c in found
        ],
        firings=firings,
        versions=versions,
        outages=open_outages(),
    )


def firings(actor: User, *, plan_id: int | None = None) -> QuerySet[Firing]:
    found = Firing.objects.filter(plan__in=policy.visible_plans(actor)).select_related("contingency", "plan")
    return found.filter(plan_id=plan_id) if plan_id is not None else found


def firing_page(actor: User, *, plan_id: int | None = None, cursor: str | None, size: int) -> Page[Firing]:
    return FIRING_ORDER.paginate(firings(actor, plan_id=plan_id), cursor=cursor, size=size)


def versions(plan: Plan) -> QuerySet[PlanVersion]:
    return PlanVersion.objects.filter(plan=plan).select_related("actor").order_by("-number")


def open_outages() -> list[Outage]:
    return list(Outage.objects.filter(restored_at__isnull=True).select_related("declared_by").order_by("-declared_at"))


def fired_by_owner() -> dict[int, int]:
    """Open firings on active plans by their owner, for the header warning on every desk page: read
    from the shared cache only (no query), where each check and each change to a firing publishes
    it (``services.fired_publish``)."""
    found = cache.get(FIRED_KEY)
    return found if isinstance(found, dict) else {}
