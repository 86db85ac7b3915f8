"""Demo service plan: the front line's plan for the quarter, every section filled in, five
contingencies, and the telephony platform declared down this morning, so that the demo's check
fires the "phones down" contingency and the page shows a firing with its planned response."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from rapport.accounts.models import Role, Team, User
from rapport.domain.contingencies import TriggerKind
from rapport.plans import services
from rapport.plans.models import Outage, Plan, PlanStatus, Response
from rapport.plans.sections import kpi_choices

TITLE = "Front line service plan"
TELEPHONY = "Telephony platform"


def _sections(today_iso: str, later: list[str]) -> dict[str, list[dict[str, object]]]:
    return {
        "objectives": [
            {"text": "Meet our response promises on every channel", "kpi": "sla_attainment", "target": 90},
            {"text": "Customers find us easy to deal with", "kpi": "csat", "target": 85},
        ],
        "customer_types": [
            {
                "name": "Households on our energy tariffs",
                "group": "external",
                "tier": "",
                "needs": "Clear bills, quick answers about price changes, help when a payment is missed.",
                "channels": ["email", "phone", "portal"],
                "adjustments": ["large_print", "extra_time", "text_relay"],
            },
            {
                "name": "Gold-tier business customers",
                "group": "external",
                "tier": "gold",
                "needs": "A named contact and same-day replies.",
                "channels": ["email", "phone"],
                "adjustments": ["named_contact"],
            },
            {
                "name": "Colleagues in billing and metering",
                "group": "internal",
                "tier": "",
                "needs": "Cases handed over with the customer's account and what was promised.",
                "channels": ["portal"],
                "adjustments": [],
            },
        ],
        "workflow": [
            {
                "stage": "first_contact",
                "who": "front_line",
                "description": "Answer, identify the customer and record the contact.",
                "target": "20 seconds on the phone",
            },
            {
                "stage": "resolution",
                "who": "front_line",
                "description": "Resolve at first contact where we can; agree a date where we cannot.",
                "target": "1 working day",
            },
            {
                "stage": "back_office",
                "who": "back_office",
                "description": "Billing corrections and meter queries handed to billing.",
                "target": "3 working days",
            },
            {
                "stage": "escalation",
                "who": "management",
                "description": "Complaints not resolved in 5 days go to the service manager.",
                "target": "",
            },
            {
                "stage": "follow_up",
                "who": "front_line",
                "description": "Call back after the fix; send the satisfaction survey.",
                "target": "2 working days",
            },
        ],
        "resources": [
            {
                "kind": "staff",
                "description": "Front-line advisers on the rota, early and late shifts",
                "quantity": "14 FTE",
            },
            {"kind": "budget", "description": "Overtime reserve for the price-rise peak", "quantity": "£6,500"},
            {"kind": "system", "description": "Telephony with a switchable holding message", "quantity": ""},
            {
                "kind": "training",
                "description": "Complaint handling (HEAT) refresher for new starters",
                "quantity": "4 sessions",
            },
        ],
        "milestones": [
            {"title": "Plan agreed with the service manager", "due": today_iso, "done": True},
            {"title": "Price rise letters go out", "due": later[0], "done": False},
            {"title": "Mid-quarter review of SLA attainment", "due": later[1], "done": False},
        ],
        "monitoring": [
            {"kpi": "sla_attainment", "frequency": "weekly", "reviewer": "team_leader"},
            {"kpi": "csat", "frequency": "monthly", "reviewer": "manager"},
        ],
    }


def seed(*, now: datetime) -> None:
    if Plan.objects.filter(title=TITLE).exists():
        return
    owner = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("id").first()
    team = Team.objects.filter(kind="front_line").order_by("id").first()
    if owner is None:
        return
    today = timezone.localdate(now)
    sections = _sections(today.isoformat(), [(today + timedelta(days=d)).isoformat() for d in (7, 45)])
    known = {key for key, _ in kpi_choices()}
    for key in ("objectives", "monitoring"):  # only KPIs an installed app measures
        sections[key] = [item for item in sections[key] if item["kpi"] in known]
    plan = services.plan_create(
        actor=owner,
        fields=services.PlanFields(
            title=TITLE,
            team_id=team.pk if team else None,
            owner_id=owner.pk,
            starts_on=today - timedelta(days=14),
            ends_on=today + timedelta(days=76),
            status=PlanStatus.ACTIVE,
            summary=(
                "How the front line serves households and business customers this quarter, through the "
                "price rise in particular, and what we do when demand or our systems let us down."
            ),
            planned_weekly_contacts=25,  # the demo desk is small: a couple of dozen contacts a week
            budget_pence=650_000,
        ),
        sections=sections,
        now=now - timedelta(days=14),
    )
    for name, trigger, threshold, intervals, system, responses, detail in (
        ("Phones down", TriggerKind.SYSTEM_DOWN, None, None, TELEPHONY,
         [Response.HOLDING_MESSAGE, Response.NOTIFY_CUSTOMERS],
         "Switch the website banner and holding message on; move phone advisers to email and chat."),
        ("Demand surge", TriggerKind.ACTUAL_DEMAND, Decimal(120), None, "",
         [Response.OVERTIME, Response.MOVE_SKILLED],
         "Offer overtime from the reserve; bring in billing's trained advisers."),
        ("Short-staffed", TriggerKind.UNDERSTAFFED, None, 3, "",
         [Response.MOVE_SKILLED, Response.OVERTIME],
         "Cancel coaching sessions and move trained back-office staff to phones."),
        ("Response promises slipping", TriggerKind.SLA_ATTAINMENT, Decimal(80), None, "",
         [Response.EXTEND_HOURS], "Open the late shift until 20:00 for a week."),
        ("Email backlog", TriggerKind.MAIL_BACKLOG, Decimal(48), None, "",
         [Response.NOTIFY_CUSTOMERS, Response.OVERTIME],
         "Acknowledge every waiting email with a date; Saturday overtime."),
    ):  # fmt: skip
        services.contingency_add(
            actor=owner,
            plan_id=plan.pk,
            fields=services.ContingencyFields(
                name=name,
                trigger=trigger,
                threshold=threshold,
                intervals=intervals,
                system=system,
                responses=responses,
                response_detail=detail,
            ),
            now=now - timedelta(days=14),
        )
    if not Outage.objects.filter(system=TELEPHONY, restored_at__isnull=True).exists():
        services.outage_declare(
            actor=owner,
            system=TELEPHONY,
            note="Calls fail to connect; the provider is investigating.",
            now=now - timedelta(minutes=50),
        )
    services.contingencies_check(now=now, plan_ids=[plan.pk])
