"""How routing plugs into the core: the one router (``extensions.routers``), the "routed" journal
kind, routing on arrival (a job subscriber of "created"), the KPI sources, the nav link and the demo."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from rapport import extensions
from rapport.cases import journal
from rapport.cases.models import Case, CaseEvent
from rapport.routing import access as policy

TIME_TO_ASSIGNMENT = "routing_time_to_assignment"
TIME_TO_ASSIGNMENT_P90 = "routing_time_to_assignment_p90"
ASSIGNMENT_FAIRNESS = "routing_fairness"
ROUTED_SHARE = "routing_routed_share"
ARRIVAL_SUBSCRIBER = "routing.arrival"

_registered = False


def _routed(event: CaseEvent) -> SafeString:
    return format_html('<span class="event-kind">Routed</span> {}', event.after or "nobody suitable was available")


def _any_on_arrival(kind: str) -> bool:
    """Whether any team routes new cases on arrival (asked once a write): if not, nothing is owed."""
    from rapport.routing.models import TeamRouting

    return TeamRouting.objects.filter(route_on_arrival=True).exists()


def arrived(events: Sequence[CaseEvent]) -> None:
    from rapport.routing.services import cases_arrived

    cases_arrived(sorted({e.case_id for e in events}), now=timezone.now())


def route(case: object, method: str, now: datetime) -> extensions.RoutingOutcome:
    from rapport.routing.services import route_hook

    return route_hook(case, method, now)  # type: ignore[arg-type]


def route_panel(request: HttpRequest, case: Case) -> extensions.Panel | None:
    """ "Route now" on the case page (no query: the last decision and its reason are on the timeline)."""
    from rapport.domain.routing import METHOD_LABELS

    if not policy.can_route(request.user) or not case.is_active:
        return None
    return extensions.Panel(
        template="routing/_route_panel.html",
        place="side",
        order=40,
        context={
            "reference": case.reference,
            "methods": [("", "The team's own"), *METHOD_LABELS.items()],
        },
    )


def _demo(now: datetime) -> None:
    from rapport.routing.demo import seed

    seed(now=now)


def _kpis() -> None:
    from rapport.routing import selectors

    source = "Routing decisions (rapport.routing Decision rows), in the case's business calendar"
    extensions.kpi_sources.register(
        TIME_TO_ASSIGNMENT,
        extensions.KpiSource(
            label="Time to assignment (median)",
            measure=selectors.time_to_assignment,
            kind="mean",
            higher_is_better=False,
            unit="business minutes",
            definition="How long a new case waited for its first owner when routing assigned it.",
            formula="median over cases first assigned by routing of business time(arrival → assignment)",
            source=source,
        ),
    )
    extensions.kpi_sources.register(
        TIME_TO_ASSIGNMENT_P90,
        extensions.KpiSource(
            label="Time to assignment (90th percentile)",
            measure=selectors.time_to_assignment_p90,
            kind="mean",
            higher_is_better=False,
            unit="business minutes",
            definition="Nine in ten cases first assigned by routing waited no longer than this.",
            formula="p90 (Hyndman-Fan type 7) over first assignments by routing of business time(arrival → assignment)",
            source=source,
        ),
    )
    extensions.kpi_sources.register(
        ASSIGNMENT_FAIRNESS,
        extensions.KpiSource(
            label="Routing fairness (Gini)",
            measure=selectors.assignment_fairness,
            kind="mean",
            higher_is_better=False,
            unit="Gini x 100",
            definition="How unevenly routing shared cases among the agents who received any: 0 is perfectly even.",
            formula="100 x (2 sum_i i x_(i)) / (n sum x) - (n + 1) / n, x_(i) the agents' assignment counts sorted",
            source="Routing decisions (rapport.routing Decision rows); Gini (1912)",
        ),
    )
    extensions.kpi_sources.register(
        ROUTED_SHARE,
        extensions.KpiSource(
            label="Cases routed to someone",
            measure=selectors.routed_share,
            definition="Share of routing decisions that found an available agent.",
            formula="100 x decisions with an agent / all decisions",
            source="Routing decisions (rapport.routing Decision rows)",
        ),
    )


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from rapport.routing.services import ROUTED

    journal.register(journal.EventKind(ROUTED, "routing", _routed))
    journal.subscribe(
        journal.CREATED.name, arrived, delivery=journal.Delivery.JOB, name=ARRIVAL_SUBSCRIBER, wanted=_any_on_arrival
    )
    if route not in extensions.routers:
        extensions.routers.append(route)
    _kpis()
    extensions.nav_items.append(
        extensions.NavItem(
            label="Routing", url_name="routing:index", section="routing", visible=policy.can_lead_routing, order=86
        )
    )
    extensions.case_panels.append(route_panel)
    extensions.demo_seeders.append(_demo)
