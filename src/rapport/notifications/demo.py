"""Demo data for notifications: the demo agent and team leader follow a few open cases, the team
leader mentions the agent in a note and gives them a case, so the agent signs in to unread
notifications."""

from __future__ import annotations

from datetime import datetime, timedelta

from rapport.access import visible_cases
from rapport.accounts.models import User
from rapport.cases import journal
from rapport.cases.models import Case, MessageKind
from rapport.cases.services import case_update, message_add
from rapport.notifications import services
from rapport.notifications.services import WATCHED

AGENT_EMAIL = "agent@"
LEADER_EMAIL = "leader@"


def seed_notifications_demo(now: datetime) -> None:
    agent = User.objects.filter(email__startswith=AGENT_EMAIL, is_active=True).first()
    leader = User.objects.filter(email__startswith=LEADER_EMAIL, is_active=True).first()
    if agent is None or leader is None:
        return
    shared = list(
        visible_cases(agent)
        .filter(is_active=True, pk__in=visible_cases(leader).values("pk"))
        .order_by("-updated_at")[:4]
    )
    if len(shared) < 2:
        return
    at = now - timedelta(hours=3)
    for case in shared[:3]:
        services.follow(actor=agent, reference=case.reference, now=at)
    services.follow(actor=leader, reference=shared[0].reference, now=at)
    handle = agent.email.split("@", 1)[0]
    message_add(
        actor=leader,
        reference=shared[0].reference,
        kind=MessageKind.NOTE,
        body=f"@{handle} the customer has called twice about this; can you ring them back before 4pm?",
        now=at + timedelta(minutes=20),
    )
    target = Case.objects.get(pk=shared[1].pk)
    if target.owner_id != agent.pk:
        case_update(
            actor=leader,
            reference=target.reference,
            expected_version=target.version,
            changes={"owner": agent},
            now=at + timedelta(minutes=40),
        )
    for kind in WATCHED:  # tell them now, as the worker would
        journal.deliver(f"notifications.{kind}")
