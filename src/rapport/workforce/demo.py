"""Demo planning data: a known event the forecast allows for, and a planner's handling time."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from rapport.accounts.models import Role, User
from rapport.workforce import services
from rapport.workforce.models import HandlingTime, KnownEvent

PRICE_RISE = "Price rise letters go out"


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
