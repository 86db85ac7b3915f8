"""Adherence to the rota as a KPI of the catalogue (``extensions.kpi_sources``: "rota_adherence").

Adherence is the share of rostered time an agent spent in the status the rota gave them (COPC and
the workforce-planning literature: "schedule adherence = time in adherence / scheduled time").
It is sampled every ``STEP`` of each rostered stretch in the period (leave is not scheduled time),
reading the agent's status at that moment from the status history: the latest change before it.
Two queries whatever the number of agents or days.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from rapport import extensions
from rapport.accounts.models import User
from rapport.workforce.models import Activity, Availability, Shift, StatusChange
from rapport.workforce.services import rota_status

STEP = timedelta(minutes=15)
LOOKBACK = timedelta(days=7)  # a status set up to a week before the period still holds in it

KEEPS_TO = {
    Availability.AVAILABLE: frozenset({Availability.AVAILABLE, Availability.BUSY}),
    Availability.ON_BREAK: frozenset({Availability.ON_BREAK}),
    Availability.TRAINING: frozenset({Availability.TRAINING}),
}


def _agents(scope: extensions.KpiScope) -> Q:
    if scope.dimension == "agent" and scope.value.isdigit():
        return Q(agent_id=int(scope.value))
    if scope.dimension == "team" and scope.value.isdigit():
        return Q(agent_id__in=User.objects.filter(teams=int(scope.value)).values("pk"))
    return Q()


def adherence_sample(scope: extensions.KpiScope, *, now: datetime | None = None) -> extensions.KpiSample:
    """Checkpoints in rostered time (``n``) and those where the status kept to the rota (``total``).
    Only time that has passed counts: the rota of the rest of today is not yet kept or missed."""
    end = min(scope.end, now or timezone.now())
    if end <= scope.start:
        return extensions.KpiSample(0, 0)
    shifts = list(
        Shift.objects.filter(_agents(scope), starts_at__lt=end, ends_at__gt=scope.start)
        .exclude(activity=Activity.LEAVE)
        .order_by("agent_id", "starts_at")
        .only("agent_id", "starts_at", "ends_at", "activity")
    )
    if not shifts:
        return extensions.KpiSample(0, 0)
    changes: dict[int, list[tuple[datetime, str]]] = {}
    history = StatusChange.objects.filter(
        agent_id__in={s.agent_id for s in shifts}, at__lt=end, at__gte=scope.start - LOOKBACK
    ).order_by("agent_id", "at", "id")
    for agent_id, at, status in history.values_list("agent_id", "at", "status"):
        changes.setdefault(agent_id, []).append((at, status))
    by_agent: dict[int, list[Shift]] = {}
    for shift in shifts:
        by_agent.setdefault(shift.agent_id, []).append(shift)
    n = kept = 0
    for agent_id, own in by_agent.items():
        moments = sorted(
            {
                moment
                for shift in own
                for moment in _checkpoints(max(shift.starts_at, scope.start), min(shift.ends_at, end))
            }
        )
        found = changes.get(agent_id, [])
        for moment in moments:
            wanted = Availability(rota_status([s for s in own if s.starts_at <= moment < s.ends_at]))
            if wanted not in KEEPS_TO:
                continue
            status = next((s for at, s in reversed(found) if at <= moment), Availability.OFF_SHIFT)
            n += 1
            kept += status in KEEPS_TO[wanted]
    return extensions.KpiSample(n, kept)


def _checkpoints(start: datetime, end: datetime) -> list[datetime]:
    """The middle of each ``STEP`` from ``start`` to ``end``."""
    found = []
    at = start + STEP / 2
    while at < end:
        found.append(at)
        at += STEP
    return found


def _sample(scope: extensions.KpiScope) -> extensions.KpiSample:
    return adherence_sample(scope)


def _measure(scope: extensions.KpiScope) -> float | None:
    sample = adherence_sample(scope)
    return 100 * sample.total / sample.n if sample.n else None


ADHERENCE = extensions.KpiSource(
    label="Adherence to the rota",
    measure=_measure,
    sample=_sample,
    definition="Share of rostered time (work, breaks, training; not leave) spent in the status the rota gave.",
    formula="100 x rostered minutes in the status the rota gave / rostered minutes",
    source="Workforce: rota shifts and agents' status changes",
)
