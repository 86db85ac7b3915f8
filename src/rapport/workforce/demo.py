"""Demo planning data: a known event the forecast allows for, a planner's handling time, and a
fortnight's rota for the front line (early and late shifts, lunch breaks, a training morning, a
day's leave), with statuses set from it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from django.utils import timezone

from rapport.accounts.models import Role, User
from rapport.workforce import services
from rapport.workforce.imports import ShiftRow
from rapport.workforce.models import Activity, AgentSkill, HandlingTime, KnownEvent, Shift, ShrinkageShare

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
        services.shifts_import(actor=planner, rows=_rota(today))
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
    monday = today - timedelta(days=today.weekday())
    rows = []
    for week in range(2):
        for weekday in range(5):
            day = monday + timedelta(days=7 * week + weekday)
            for position, agent_id in enumerate(agents):
                if position == 2 and weekday == 4 and week == 0:
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


def _row(agent_id: int, day: date, start: time, end: time, activity: str, tz: tzinfo) -> ShiftRow:
    return ShiftRow(agent_id, datetime.combine(day, start, tzinfo=tz), datetime.combine(day, end, tzinfo=tz), activity)
