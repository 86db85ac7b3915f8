"""Writes for service planning: known events and handling times (planners only)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db import transaction

from rapport.accounts.models import User
from rapport.domain.case_rules import CaseType, Channel
from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.workforce import access as policy
from rapport.workforce import imports
from rapport.workforce.models import (
    ACTIVITY_STATUS,
    MAX_UPLIFT,
    MIN_UPLIFT,
    Activity,
    AgentSkill,
    Availability,
    HandlingTime,
    KnownEvent,
    Shift,
    Skill,
    StatusChange,
    StatusSource,
)

NOT_A_PLANNER = "Only team leaders and managers plan the service."
NAME_NEEDED = "Give the event a name, such as 'Price rise letters'."
DAYS_ORDER = "The last day must be on or after the first day."
UPLIFT_RANGE = f"Give a change from {MIN_UPLIFT}% to {MAX_UPLIFT}%."
BAD_CHANNEL = "Choose one of the channels, or none for every channel."
BAD_TYPE = "Choose one of the case types, or none for every type."
SECONDS_RANGE = "Give a handling time from 1 second to 8 hours."
NO_EVENT = "No known event with that id."
BAD_SKILL = "Choose from Welsh, BSL relay and complaints-trained."


def _planner(actor: User) -> None:
    if not policy.can_plan(actor):
        raise Forbidden(NOT_A_PLANNER)


def known_event_add(
    *, actor: User, name: str, first_day: date, last_day: date, uplift_percent: int, channel: str = "", now: datetime
) -> KnownEvent:
    """Enter an event that changes demand; the forecast applies it from the next reading."""
    _planner(actor)
    name = name.strip()
    if not name:
        raise FieldError(name=NAME_NEEDED)
    if last_day < first_day:
        raise FieldError(last_day=DAYS_ORDER)
    if not MIN_UPLIFT <= uplift_percent <= MAX_UPLIFT:
        raise FieldError(uplift_percent=UPLIFT_RANGE)
    if channel and channel not in set(Channel):
        raise FieldError(channel=BAD_CHANNEL)
    return KnownEvent.objects.create(
        name=name[:200],
        channel=channel,
        first_day=first_day,
        last_day=last_day,
        uplift_percent=uplift_percent,
        created_by=actor,
        created_at=now,
    )


def known_event_remove(*, actor: User, event_id: int) -> None:
    _planner(actor)
    deleted, _ = KnownEvent.objects.filter(pk=event_id).delete()
    if not deleted:
        raise NotFound(NO_EVENT)


def handling_time_set(
    *, actor: User, channel: str, case_type: str = "", seconds: int | None, now: datetime
) -> HandlingTime | None:
    """Set a planner's handling time for a channel (and type), or clear it (``seconds`` None) so
    the measured figure is used again."""
    _planner(actor)
    if channel not in set(Channel):
        raise FieldError(channel=BAD_CHANNEL)
    if case_type and case_type not in set(CaseType):
        raise FieldError(case_type=BAD_TYPE)
    with transaction.atomic():
        if seconds is None:
            HandlingTime.objects.filter(channel=channel, case_type=case_type).delete()
            return None
        if not 1 <= seconds <= 8 * 3600:
            raise FieldError(seconds=SECONDS_RANGE)
        row, _ = HandlingTime.objects.update_or_create(
            channel=channel, case_type=case_type, defaults={"seconds": seconds, "edited_by": actor, "edited_at": now}
        )
        return row


# --- agent status ---------------------------------------------------------------------------------

NOT_YOURS = "Only the agent or their team leader sets an agent's status."
BAD_STATUS = "Choose one of the statuses."
STATUS_CACHE = "workforce:status:{agent_id}"
STATUS_CACHE_SECONDS = 24 * 3600  # a copy for display; every change rewrites it


def status_set(*, actor: User, agent: User, status: str, now: datetime, source: str | None = None) -> StatusChange:
    """Record a change of ``agent``'s status (history kept; the header reads a short-lived copy)."""
    if status not in set(Availability):
        raise FieldError(status=BAD_STATUS)
    if actor.pk != agent.pk and not (policy.can_plan(actor) and policy.leads(actor, agent)):
        raise Forbidden(NOT_YOURS)
    change = StatusChange.objects.create(
        agent=agent,
        status=status,
        source=source or (StatusSource.AGENT if actor.pk == agent.pk else StatusSource.LEADER),
        set_by=actor,
        at=now,
    )
    _remember(change)
    return change


def _remember(change: StatusChange) -> None:
    key = STATUS_CACHE.format(agent_id=change.agent_id)
    transaction.on_commit(lambda: cache.set(key, change.status, STATUS_CACHE_SECONDS))


def rota_statuses_apply(*, now: datetime) -> int:
    """Set each rostered agent's status from their rota at its boundaries: work → available, a
    break → on a break, training → in training, leave or no shift → off shift. The rota writes
    only when what it wants has changed since it last wrote, so an agent who sets themselves busy
    mid-shift is not overridden until the next boundary. Returns the changes written."""
    near = Shift.objects.filter(starts_at__lte=now + timedelta(days=1), ends_at__gte=now - timedelta(days=1))
    shifts = list(near.order_by("agent_id", "starts_at"))
    agents = {s.agent_id for s in shifts}
    last_by_rota: dict[int, str] = {}
    for agent_id, status in (
        StatusChange.objects.filter(agent_id__in=agents, source=StatusSource.ROTA)
        .order_by("agent_id", "-at", "-id")
        .values_list("agent_id", "status")
    ):
        last_by_rota.setdefault(agent_id, status)
    wanted: dict[int, str] = {}
    for agent_id in agents:
        covering = [s for s in shifts if s.agent_id == agent_id and s.starts_at <= now < s.ends_at]
        wanted[agent_id] = rota_status(covering)
    changes = [
        StatusChange(agent_id=agent_id, status=status, source=StatusSource.ROTA, at=now)
        for agent_id, status in sorted(wanted.items())
        if last_by_rota.get(agent_id, Availability.OFF_SHIFT) != status
    ]
    with transaction.atomic():
        StatusChange.objects.bulk_create(changes)
        for change in changes:
            _remember(change)
    return len(changes)


def rota_status(covering: list[Shift]) -> str:
    """The status the rota gives for the stretches that cover a moment: leave, training or a break
    beat the work shift they fall inside; nothing covering is off shift."""
    activities = {s.activity for s in covering}
    for activity in (Activity.LEAVE, Activity.TRAINING, Activity.BREAK, Activity.WORK):
        if activity in activities:
            return ACTIVITY_STATUS[Activity(activity)]
    return Availability.OFF_SHIFT


# --- rotas ----------------------------------------------------------------------------------------


def shifts_import(*, actor: User, rows: list[imports.ShiftRow]) -> list[Shift]:
    """Write a parsed rota (``imports.parse_shifts``): all of it, in one transaction."""
    _planner(actor)
    with transaction.atomic():
        return Shift.objects.bulk_create(
            Shift(
                agent_id=row.agent_id,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
                activity=row.activity,
                created_by=actor,
            )
            for row in rows
        )


def skills_set(*, actor: User, agent: User, skills: list[str]) -> None:
    _planner(actor)
    unknown = set(skills) - set(Skill)
    if unknown:
        raise FieldError(skills=BAD_SKILL)
    with transaction.atomic():
        AgentSkill.objects.filter(agent=agent).exclude(skill__in=skills).delete()
        for skill in skills:
            AgentSkill.objects.get_or_create(agent=agent, skill=skill)
