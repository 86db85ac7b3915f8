"""Demo planning data: a known event the forecast allows for, a planner's handling time, and three
weeks' rota for the front line — last week, this week and next (early and late shifts, lunch
breaks, a training afternoon, a day's leave) — with statuses set from it: the days already past
with the statuses agents kept (now and then late back from lunch), so adherence to the rota reads
as a real week would."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from django.utils import timezone

from rapport.accounts.models import Role, User
from rapport.workforce import services
from rapport.workforce.imports import ShiftRow
from rapport.workforce.models import (
    Activity,
    AgentSkill,
    Availability,
    HandlingTime,
    KnownEvent,
    Shift,
    ShrinkageShare,
    StatusChange,
    StatusSource,
)

PRICE_RISE = "Price rise letters go out"
WINTER_SHRINKAGE = {
    "leave": Decimal("0.110"),
    "sickness": Decimal("0.065"),
    "training": Decimal("0.060"),
    "coaching": Decimal("0.030"),
    "meetings": Decimal("0.035"),
}
SKILLS = [
    (["welsh", "complaints"], ["Broadband", "Home phone"]),
    (["bsl_relay", "data_protection"], ["Mobile"]),
    (["complaints", "data_protection"], ["Broadband", "Mobile", "Energy"]),
    (["welsh"], ["Energy"]),
]
EARLY, LATE = (time(8), time(16)), (time(10), time(18))


def seed(*, now: datetime) -> None:
    if KnownEvent.objects.filter(name=PRICE_RISE).exists():
        return
    planner = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("id").first()
    if planner is None:
        return
    today = timezone.localdate(now)
    # Letters land a week today; the calls and emails about them come over the next three days.
    services.known_event_add(
        actor=planner,
        name=PRICE_RISE,
        first_day=today + timedelta(days=7),
        last_day=today + timedelta(days=9),
        uplift_percent=30,
        now=now,
    )
    if not HandlingTime.objects.filter(channel="phone", case_type="").exists():
        services.handling_time_set(actor=planner, channel="phone", seconds=330, now=now)
    if not Shift.objects.exists():
        shifts = services.shifts_import(actor=planner, rows=_rota(today))
        StatusChange.objects.bulk_create(_history(shifts, now))
        services.rota_statuses_apply(now=now)
    if not ShrinkageShare.objects.exists():
        # A winter's figures: more sickness than the default, a training push this quarter.
        services.shrinkage_set(actor=planner, shares=WINTER_SHRINKAGE, now=now, source="page")
    if not AgentSkill.objects.exists():
        for agent_id, (skills, products) in zip(
            User.objects.filter(role=Role.AGENT, is_active=True).order_by("id").values_list("id", flat=True),
            SKILLS,
            strict=False,
        ):
            agent = User.objects.get(pk=agent_id)
            services.skills_replace(actor=planner, agent=agent, skills=skills, products=products)


def _rota(today: date) -> list[ShiftRow]:
    tz = timezone.get_current_timezone()
    agents = list(User.objects.filter(role=Role.AGENT, is_active=True).order_by("id").values_list("id", flat=True))
    monday = today - timedelta(days=today.weekday() + 7)  # last week (kept or not), this week and next
    rows = []
    for week in range(3):
        for weekday in range(5):
            day = monday + timedelta(days=7 * week + weekday)
            for position, agent_id in enumerate(agents):
                if position == 2 and weekday == 4 and week == 1:
                    rows.append(_row(agent_id, day, time(8), time(18), Activity.LEAVE, tz))  # a day's leave
                    continue
                start, end = EARLY if (position + weekday) % 2 == 0 else LATE
                part_time = position == 3 and weekday >= 3  # works Monday to Wednesday only
                if part_time:
                    continue
                rows.append(_row(agent_id, day, start, end, Activity.WORK, tz))
                lunch = time(12) if start == time(8) else time(13)
                rows.append(_row(agent_id, day, lunch, time(lunch.hour, 30), Activity.BREAK, tz))
                if position == 1 and weekday == 2:
                    rows.append(_row(agent_id, day, time(14), time(16), Activity.TRAINING, tz))
    return rows


def _history(rota: list[Shift], now: datetime) -> list[StatusChange]:
    """The statuses of the rota's days already past, as a real week reads: set by the rota at each
    boundary, but now and then an agent back from lunch a few minutes late or signing in late, so
    adherence is high but not perfect (seeded: the same demo every time)."""
    rng = random.Random(2026)  # noqa: S311  (demo data)
    changes = []
    for agent_id in sorted({row.agent_id for row in rota}):
        own = [row for row in rota if row.agent_id == agent_id]
        for moment in sorted({row.starts_at for row in own} | {row.ends_at for row in own}):
            if moment >= now:
                continue
            covering = [row for row in own if row.starts_at <= moment < row.ends_at]
            status = services.rota_status(covering)
            late = status == Availability.AVAILABLE and rng.random() < 0.25
            at = moment + timedelta(minutes=rng.choice((10, 15, 25))) if late else moment
            source = StatusSource.AGENT if late else StatusSource.ROTA
            changes.append(StatusChange(agent_id=agent_id, status=status, source=source, at=min(at, now)))
    return changes


def _row(agent_id: int, day: date, start: time, end: time, activity: str, tz: tzinfo) -> ShiftRow:
    return ShiftRow(agent_id, datetime.combine(day, start, tzinfo=tz), datetime.combine(day, end, tzinfo=tz), activity)
