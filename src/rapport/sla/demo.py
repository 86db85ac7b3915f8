"""Demo data: the two calendars every organisation starts with, policies and escalation rules."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from rapport.cases.models import Case
from rapport.domain.calendar import add_business_time
from rapport.domain.case_rules import Priority
from rapport.domain.sla import Target
from rapport.sla import promises, services
from rapport.sla.models import Action, Calendar, Clock, EscalationRule, Policy, Promise, PromiseState, Trigger

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


PROMISE_DAYS = 21
"""The demo's promises cover the cases raised in these last days."""


def seed_promises(now: datetime) -> None:
    """Promises as if they had been made when the demo's recent cases arrived: kept or missed by
    the first reply, still open when there is none yet; then one about to be missed is revised by
    its owner (the customer told) and the promise job flags the rest at risk. Once only."""
    if Promise.objects.exists():
        return
    clocks = (
        Clock.objects.filter(target=Target.FIRST_RESPONSE, started_at__gte=now - timedelta(days=PROMISE_DAYS))
        .select_related("case", "policy__calendar")
        .order_by("started_at", "id")
    )
    made = []
    for clock in clocks:
        due = add_business_time(clock.policy.calendar.business_calendar(), clock.started_at, clock.target_time)
        answered = clock.case.first_response_at
        promise = Promise(case_id=clock.case_id, made_at=clock.started_at, due_at=due)
        if answered is not None:
            promise.state = PromiseState.KEPT if answered <= due else PromiseState.MISSED
            promise.decided_at = answered
        elif due <= now:
            promise.state, promise.decided_at = PromiseState.MISSED, due
        made.append(promise)
    Promise.objects.bulk_create(made)
    open_ones = [p for p in made if p.state == PromiseState.OPEN]
    if open_ones:
        first = min(open_ones, key=lambda p: p.due_at)
        case = Case.objects.select_related("owner", "customer").get(pk=first.case_id)
        first.case = case
        new_due = promises.proposed_due_for(first, now)
        promises.promise_revise_now(
            first,
            due=max(new_due, first.due_at + timedelta(hours=4)),
            actor=case.owner,
            now=now,
            proposed=False,
            reason="Waiting for the courier's proof of delivery.",
        )
    promises.promises_check(now=now)


def seed_demo(now: datetime) -> None:
    """Calendars, policies and rules; then clocks for the demo's open cases as if they had run,
    and the promises made to their customers."""
    with transaction.atomic():
        default_policies()
        default_rules()
        services.clocks_backfill()
    services.sla_check(now=now, batch=5000)
    with transaction.atomic():
        seed_promises(now)
