"""Demo data for live chat: the organisation's website as a chat site (open around the clock, so the
demo can be tried at any hour: a real desk sets its opening hours in admin; Welsh offered), the
agents' chat capacity (Megan Hughes chats in Welsh), and the demo's cases on the chat channel as
chats: their messages are the transcripts, the resolved ones ended with a CSAT answer."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from rapport.accounts.models import Role, Team, User
from rapport.cases.models import Case, MessageKind
from rapport.chat.models import AgentChat, Chat, ChatLine, ChatSite, ChatStatus, Sender

SENDERS = {MessageKind.INBOUND: Sender.CUSTOMER, MessageKind.OUTBOUND: Sender.AGENT, MessageKind.NOTE: Sender.NOTE}
SCORES = (5, 4, 5, 3, 4)


def seed_chat_demo(now: datetime) -> None:
    if ChatSite.objects.exists():
        return
    team = Team.objects.order_by("id").first()
    site = ChatSite.objects.create(
        name="Website",
        key="website",
        allowed_origins="http://127.0.0.1:8000\nhttp://localhost:8000",
        team=team,
        hours=[],  # always open in the demo
        first_answer_seconds=60,
        adjustments=["Extra time to reply", "Plain English", "British Sign Language video relay"],
        welsh=True,
    )
    agents = list(User.objects.filter(role__in=[Role.AGENT, Role.TEAM_LEADER], is_active=True).order_by("id"))
    AgentChat.objects.bulk_create(
        [AgentChat(user=a, capacity=3, languages="en,cy" if a.name == "Megan Hughes" else "en") for a in agents],
        ignore_conflicts=True,
    )
    cases = Case.objects.filter(channel="chat", chat__isnull=True).prefetch_related("messages").order_by("created_at")
    for i, case in enumerate(cases[:5]):
        messages = list(case.messages.all())
        answered = next((m.created_at for m in messages if m.kind == MessageKind.OUTBOUND), None)
        done = case.status in {"resolved", "closed"}
        due = case.created_at + timedelta(seconds=site.first_answer_seconds)
        chat = Chat.objects.create(
            site=site,
            case=case,
            customer_id=case.customer_id,
            token_digest=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),  # nobody holds it
            status=ChatStatus.ENDED if done else (ChatStatus.ACTIVE if case.owner_id else ChatStatus.WAITING),
            agent_id=case.owner_id,
            team_id=case.team_id,
            topic=case.subject[:200],
            started_at=case.created_at,
            answered_at=answered,
            first_answer_due=due,
            breached_at=due if answered is None or answered > due else None,
            ended_at=(messages[-1].created_at if messages else case.created_at) if done else None,
            csat=SCORES[i % len(SCORES)] if done else None,
            last_seq=len(messages),
            identity_verified=True,
        )
        ChatLine.objects.bulk_create(
            [
                ChatLine(chat=chat, seq=n, client_id=f"demo-{m.pk}", sender=SENDERS[MessageKind(m.kind)], message=m)
                for n, m in enumerate(messages, start=1)
            ]
        )
