"""Demo data for live chat: the organisation's website as a chat site (open around the clock, so the
demo can be tried at any hour: a real desk sets its opening hours in admin; Welsh offered), the
agents' chat capacity (Megan Hughes chats in Welsh), and a morning's finished chats with their
transcripts on the case timeline and CSAT answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from rapport.accounts.models import Role, Team, User
from rapport.chat import services
from rapport.chat.models import AgentChat, ChatSite

DEMO_CHATS = (
    (
        "Aisha Patel",
        "aisha.patel@example.co.uk",
        "Delivery not arrived",
        5,
        ["Hi, my order 48213 was due yesterday and hasn't come.", "Thanks, that's helpful."],
        ["Sorry about that, Aisha. I can see it left our depot this morning: it will be with you by 6pm today."],
    ),
    (
        "Gareth Jones",
        "gareth.jones@example.co.uk",
        "Change my address",
        4,
        ["I've moved house, can you update my address for billing?"],
        ["Of course. I've sent you a secure link to confirm the new address."],
    ),
    (
        "Fiona Campbell",
        "fiona.campbell@example.co.uk",
        "Refund for a faulty kettle",
        3,
        ["The kettle I bought last week leaks. Can I have a refund?"],
        ["I'm sorry it leaks. Within 30 days you can reject it for a full refund: I've opened that for you."],
    ),
)


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
    if not agents:
        return
    for i, (name, email, topic, score, said, answers) in enumerate(DEMO_CHATS):
        start = now - timedelta(hours=3, minutes=40 * i)
        agent = agents[i % len(agents)]
        chat, _ = services.chat_start(site=site, name=name, email=email, topic=topic, consent=True, now=start)
        services.chat_accept(actor=agent, chat_id=chat.pk, now=start + timedelta(seconds=20))
        services.customer_says(chat=chat, client_id="demo-c1", body=said[0], now=start + timedelta(seconds=25))
        services.agent_says(
            actor=agent, chat_id=chat.pk, client_id="demo-a1", body=answers[0], now=start + timedelta(seconds=70)
        )
        for j, line in enumerate(said[1:], start=2):
            services.customer_says(
                chat=chat, client_id=f"demo-c{j}", body=line, now=start + timedelta(seconds=60 + 30 * j)
            )
        services.chat_end(chat_id=chat.pk, now=start + timedelta(minutes=6))
        services.chat_rate(chat=chat, score=score, now=start + timedelta(minutes=6))
