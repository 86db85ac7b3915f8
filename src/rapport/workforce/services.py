"""Writes for service planning: known events and handling times (planners only)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction

from rapport.accounts.models import User
from rapport.domain import shrinkage as shrinkage_rules
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
    ShrinkageChange,
    ShrinkageShare,
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
BAD_SKILL = "Choose from Welsh, BSL relay, complaints-trained and data-protection trained."


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


# --- shrinkage by category ------------------------------------------------------------------------

BAD_CATEGORY = "Choose leave, sickness, training, coaching or meetings."
SHARE_RANGE = "Give a share from 0% to 90% of paid time."
TOTAL_TOO_HIGH = "Together the categories would take more than 90% of paid time: check the figures."


def shrinkage_set(*, actor: User, shares: dict[str, Decimal], now: datetime, source: str = "page") -> None:
    """Set the shares of paid time lost to each category given (others unchanged), with history.
    The total of all categories must stay at or under 90%."""
    _planner(actor)
    errors: dict[str, list[str]] = {}
    for category, share in shares.items():
        if category not in set(shrinkage_rules.Category):
            errors[category or "category"] = [BAD_CATEGORY]
        elif not Decimal(0) <= share <= shrinkage_rules.MAX_TOTAL:
            errors[category] = [SHARE_RANGE]
    if errors:
        raise FieldError(errors)
    with transaction.atomic():
        current = {row.category: row.share for row in ShrinkageShare.objects.select_for_update()}
        merged = {**current, **shares}
        if not shrinkage_rules.valid_total(merged):
            raise FieldError(total=TOTAL_TOO_HIGH)
        for category, share in sorted(shares.items()):
            if current.get(category) == share:
                continue
            ShrinkageShare.objects.update_or_create(
                category=category, defaults={"share": share, "edited_by": actor, "edited_at": now}
            )
            ShrinkageChange.objects.create(category=category, share=share, source=source, changed_by=actor, at=now)


# --- skills ---------------------------------------------------------------------------------------

PRODUCT_TOO_LONG = "Name each product in at most 100 characters."


def skills_replace(*, actor: User, agent: User, skills: list[str], products: list[str]) -> None:
    """Set an agent's skills (``Skill`` values, product excepted) and the products they know."""
    _planner(actor)
    if set(skills) - (set(Skill) - {Skill.PRODUCT}):
        raise FieldError(skills=BAD_SKILL)
    names = sorted({" ".join(p.split()) for p in products if p.strip()})
    if any(len(name) > 100 for name in names):
        raise FieldError(products=PRODUCT_TOO_LONG)
    wanted = {(s, "") for s in skills} | {(Skill.PRODUCT.value, name) for name in names}
    with transaction.atomic():
        have = set(AgentSkill.objects.filter(agent=agent).values_list("skill", "detail"))
        for skill, detail in have - wanted:
            AgentSkill.objects.filter(agent=agent, skill=skill, detail=detail).delete()
        AgentSkill.objects.bulk_create(AgentSkill(agent=agent, skill=s, detail=d) for s, d in sorted(wanted - have))


def skills_import(*, actor: User, rows: list[imports.SkillRow]) -> int:
    """Write a parsed skills file (``imports.parse_skills``): each agent named gets exactly the
    skills of their row, all in one transaction. Returns the agents changed."""
    _planner(actor)
    agents = {a.pk: a for a in User.objects.filter(pk__in=[r.agent_id for r in rows])}
    with transaction.atomic():
        for row in rows:
            skills_replace(
                actor=actor, agent=agents[row.agent_id], skills=list(row.skills), products=list(row.products)
            )
    return len(rows)
