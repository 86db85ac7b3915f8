"""Demo macros and signatures: the replies a UK home-goods retailer's desk sends every day (refunds
under the Consumer Rights Act 2015, delivery delays, complaint acknowledgements in HEAT wording,
subject access requests), shared, per team and personal; a signature for every team and for the
agents who sign in. Run by ``rapport demo`` after the core demo data exists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from rapport.accounts.models import Role, Team, User
from rapport.macros.models import Macro, Scope, Signature


@dataclass(frozen=True)
class DemoMacro:
    name: str
    scope: str
    team: str = ""
    reply: str = ""
    note: str = ""
    set_status: str = ""
    set_priority: int | None = None
    add_tags: str = ""
    uses: int = 0


MACROS = (
    DemoMacro(
        "Refund within 30 days (Consumer Rights Act)",
        Scope.SHARED,
        reply=(
            "Dear {{ customer.name }},\n\n"
            "I'm sorry the item you bought from us wasn't right. Because you told us within 30 days of "
            "delivery, you have the **short-term right to reject** it under the Consumer Rights Act 2015, "
            "so you are entitled to a **full refund**.\n\n"
            "Once the item is back with us we will refund you within 14 days, to the card you paid with. "
            "We'll collect it free of charge: we'll be in touch {{ sla.promise }} to arrange a day.\n\n"
            "Your reference is {{ case.reference }}.\n\n{{ agent.signature }}"
        ),
        set_status="waiting_on_customer",
        add_tags="refund, consumer-rights-act",
        uses=41,
    ),
    DemoMacro(
        "Repair or replacement after 30 days",
        Scope.SHARED,
        reply=(
            "Dear {{ customer.name }},\n\n"
            "Thank you for letting us know about the fault. As it has been more than 30 days since delivery, "
            "the Consumer Rights Act 2015 gives us one chance to **repair or replace** the item. If the repair "
            "doesn't work, you can then ask for a refund or a price reduction.\n\n"
            "We'll contact you {{ sla.promise }} with dates for an engineer.\n\n{{ agent.signature }}"
        ),
        set_status="waiting_on_third_party",
        add_tags="repair",
        uses=17,
    ),
    DemoMacro(
        "Delivery delayed: new date",
        Scope.TEAM,
        team="Front line",
        reply=(
            "Dear {{ customer.name }},\n\n"
            "I'm sorry your order hasn't arrived when we said it would. Our courier has had delays in your "
            "area; I have chased them and will update you {{ sla.promise }}.\n\n"
            "If you no longer want the order, you can cancel it for a full refund: just reply to this "
            "email.\n\n{{ agent.signature }}"
        ),
        set_status="waiting_on_third_party",
        add_tags="delivery",
        uses=63,
    ),
    DemoMacro(
        "Ask for the order number",
        Scope.SHARED,
        reply=(
            "Dear {{ customer.name }},\n\n"
            "Thank you for getting in touch. So that I can find your order, could you send me your "
            "**order number**? It starts with *HW-* and is in your order confirmation email.\n\n"
            "{{ agent.signature }}"
        ),
        set_status="waiting_on_customer",
        uses=88,
    ),
    DemoMacro(
        "Complaint acknowledgement (HEAT)",
        Scope.TEAM,
        team="Complaints",
        reply=(
            "Dear {{ customer.name }},\n\n"
            "Thank you for telling us about this. I have **heard** what happened and I understand how "
            "frustrating it has been. I'm sorry: this is not the service we want you to have.\n\n"
            "I am **taking ownership** of your complaint ({{ case.reference }}) and I will be your single "
            "point of contact. I will update you {{ sla.promise }}, and you will have our final response "
            "within eight weeks at the latest. If you are unhappy with it, you can then refer your "
            "complaint to our independent ombudsman free of charge.\n\n{{ agent.signature }}"
        ),
        note="Complaint acknowledged with the HEAT wording; record the Hear and Empathise stages on the panel.",
        set_priority=3,
        add_tags="complaint",
        uses=22,
    ),
    DemoMacro(
        "Subject access request received",
        Scope.SHARED,
        reply=(
            "Dear {{ customer.name }},\n\n"
            "We have received your request for a copy of the personal data we hold about you (a subject "
            "access request under Article 15 of the UK GDPR). We will respond within one month.\n\n"
            "If we need anything to confirm your identity we will ask {{ next_business_day }} at the "
            "latest; the month starts once we have it.\n\n{{ agent.signature }}"
        ),
        note="Data request logged: check identity before anything is sent.",
        add_tags="data-request",
        uses=6,
    ),
    DemoMacro(
        "Boiler engineer visit booked",
        Scope.TEAM,
        team="Technical",
        reply=(
            "Dear {{ customer.name }},\n\n"
            "An engineer will visit on **{{ next_business_day }}** between 8am and 1pm. They will call you "
            "30 minutes before they arrive. If that day doesn't suit, reply and we'll find another.\n\n"
            "{{ agent.signature }}"
        ),
        set_status="waiting_on_third_party",
        add_tags="boiler, engineer-visit",
        uses=19,
    ),
    DemoMacro(
        "Broadband fault: router checks",
        Scope.TEAM,
        team="Technical",
        reply=(
            "Dear {{ customer.name }},\n\n"
            "I'm sorry your broadband isn't working. Could you try these steps and tell me what you see?\n\n"
            "1. Turn the router off at the wall for 30 seconds, then on again.\n"
            "2. Check the grey cable is firmly in the **DSL** port.\n"
            "3. Tell me the colour of the light on the front.\n\n"
            "If it's still down {{ sla.promise }}, we'll book an engineer at no cost to you.\n\n"
            "{{ agent.signature }}"
        ),
        set_status="waiting_on_customer",
        add_tags="broadband",
        uses=34,
    ),
    DemoMacro(
        "Refund issued",
        Scope.TEAM,
        team="Billing",
        reply=(
            "Dear {{ customer.name }},\n\n"
            "I have issued your refund today. It usually reaches your account within 3 to 5 working days, "
            "depending on your bank.\n\nIs there anything else I can help with?\n\n{{ agent.signature }}"
        ),
        set_status="resolved",
        add_tags="refund",
        uses=29,
    ),
    DemoMacro(
        "Escalate to billing",
        Scope.SHARED,
        note="Passed to Billing: {{ customer.name }} is asking about a charge on {{ case.reference }}.",
        add_tags="billing",
        set_priority=3,
        uses=12,
    ),
    DemoMacro(
        "Closing: no reply in 10 days",
        Scope.TEAM,
        team="Front line",
        reply=(
            "Dear {{ customer.name }},\n\n"
            "I haven't heard back from you, so I'm closing this case for now. If you still need help, just "
            "reply to this email and it will reopen with everything we've discussed.\n\n{{ agent.signature }}"
        ),
        set_status="resolved",
        uses=47,
    ),
)

PERSONAL = DemoMacro(
    "My thanks for your patience",
    Scope.PERSONAL,
    reply=("Hi {{ customer.name }},\n\nThank you for bearing with me while I looked into this. {{ agent.signature }}"),
    uses=9,
)


def seed_demo(now: datetime) -> None:
    if Macro.objects.exists():
        return
    teams = {team.name: team for team in Team.objects.all()}
    manager = User.objects.filter(role=Role.MANAGER).order_by("id").first()
    agent = User.objects.filter(role=Role.AGENT, email__startswith="agent@").first()
    rows = []
    for demo in MACROS:
        team = teams.get(demo.team) if demo.team else None
        if demo.scope == Scope.TEAM and team is None:
            continue
        rows.append(_macro(demo, team=team, owner=None, by=manager, now=now))
    if agent is not None:
        rows.append(_macro(PERSONAL, team=None, owner=agent, by=agent, now=now))
    Macro.objects.bulk_create(rows)
    organisation = settings.RAPPORT_ORGANISATION
    signatures = [
        Signature(team=team, body=f"Kind regards,\n\nThe {team.name} team  \n{organisation}", updated_at=now)
        for team in teams.values()
    ]
    staff = User.objects.filter(role__in=[Role.AGENT, Role.TEAM_LEADER]).order_by("id")[:12]
    signatures += [
        Signature(user=user, body=f"Kind regards,\n\n{user.name}  \nCustomer Service, {organisation}", updated_at=now)
        for user in staff
    ]
    Signature.objects.bulk_create(signatures, ignore_conflicts=True)


def _macro(demo: DemoMacro, *, team: Team | None, owner: User | None, by: User | None, now: datetime) -> Macro:
    return Macro(
        name=demo.name,
        scope=demo.scope,
        team=team,
        owner=owner,
        reply=demo.reply,
        note=demo.note,
        set_status=demo.set_status,
        set_priority=demo.set_priority,
        add_tags=demo.add_tags,
        uses=demo.uses,
        last_used_at=now if demo.uses else None,
        created_by=by,
        created_at=now,
        updated_at=now,
    )
