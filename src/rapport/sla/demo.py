"""Demo data: the two calendars every organisation starts with, policies and escalation rules."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from rapport.domain.case_rules import Priority
from rapport.sla import services
from rapport.sla.models import Action, Calendar, EscalationRule, Policy, Trigger

OFFICE_HOURS = {str(day): [["09:00", "17:30"]] for day in range(5)}
ALWAYS = {str(day): [["00:00", "24:00"]] for day in range(7)}


def default_calendars() -> tuple[Calendar, Calendar]:
    """England & Wales office hours (Monday to Friday 09:00-17:30, bank holidays off) and 24/7."""
    office, _ = Calendar.objects.get_or_create(
        name="Office hours (England and Wales)",
        defaults={"hours": OFFICE_HOURS, "tz": "Europe/London", "holidays": "england"},
    )
    always, _ = Calendar.objects.get_or_create(
        name="24/7", defaults={"hours": ALWAYS, "tz": "Europe/London", "holidays": ""}
    )
    return office, always


def hours(count: int) -> timedelta:
    return timedelta(hours=count)


def default_policies() -> list[Policy]:
    office, always = default_calendars()
    rows = [
        (
            "Standard",
            {"calendar": office, "first_response": hours(8), "next_response": hours(8), "resolution": hours(40)},
        ),
        (
            "Urgent",
            {
                "calendar": always,
                "priority": Priority.URGENT,
                "first_response": hours(1),
                "next_response": hours(2),
                "resolution": hours(8),
                "warn_percent": 50,
            },
        ),
        (
            "High",
            {
                "calendar": office,
                "priority": Priority.HIGH,
                "first_response": hours(4),
                "next_response": hours(4),
                "resolution": hours(16),
            },
        ),
        (
            "Complaints",
            {
                "calendar": office,
                "case_type": "complaint",
                "first_response": hours(4),
                "next_response": hours(8),
                "resolution": hours(80),
            },
        ),
        (
            "Gold customers",
            {
                "calendar": office,
                "tier": "gold",
                "first_response": hours(2),
                "next_response": hours(4),
                "resolution": hours(24),
            },
        ),
        (
            "Internal requests (OLA)",
            {
                "calendar": office,
                "internal": True,
                "first_response": hours(16),
                "next_response": hours(16),
                "resolution": hours(80),
            },
        ),
    ]
    return [Policy.objects.get_or_create(name=name, defaults=values)[0] for name, values in rows]


def default_rules() -> None:
    for name, trigger, action in (
        ("Tell the team leader at the warning point", Trigger.WARNING, Action.NOTIFY_TEAM_LEADER),
        ("Raise the priority on breach", Trigger.BREACH, Action.RAISE_PRIORITY),
        ("Tell a manager on breach", Trigger.BREACH, Action.NOTIFY_MANAGER),
    ):
        EscalationRule.objects.get_or_create(name=name, defaults={"trigger": trigger, "action": action})


def seed_demo(now: datetime) -> None:
    """Calendars, policies and rules; then clocks for the demo's open cases as if they had run."""
    with transaction.atomic():
        default_policies()
        default_rules()
        services.clocks_backfill()
    services.sla_check(now=now, batch=5000)
