"""The demo's chat: the website as a chat site, agents' chat settings, and the demo's cases on the
chat channel as chats whose transcripts are their messages (no case added to the demo)."""

from __future__ import annotations

import pytest

from rapport.cases.models import Case
from rapport.cases.services import case_create, message_add
from rapport.chat.demo import seed_chat_demo
from rapport.chat.models import AgentChat, Chat, ChatLine, ChatSite

pytestmark = pytest.mark.django_db


def test_the_demo_turns_its_chat_cases_into_chats(agent, team_leader, customer, team, now):
    case = case_create(
        actor=agent,
        customer=customer,
        subject="Delivery not arrived",
        body="Order 48213 was due yesterday.",
        channel="chat",
        team=team,
        now=now,
    )
    message_add(actor=agent, reference=case.reference, kind="outbound", body="It is out for delivery.", now=now)
    cases_before = Case.objects.count()
    seed_chat_demo(now)
    site = ChatSite.objects.get()
    assert site.welsh
    assert site.origins == ["http://127.0.0.1:8000", "http://localhost:8000"]
    assert AgentChat.objects.count() == 2
    chat = Chat.objects.get()
    assert chat.case_id == case.pk
    assert chat.answered_at is not None
    assert list(ChatLine.objects.filter(chat=chat).order_by("seq").values_list("sender", flat=True)) == [
        "customer",
        "agent",
    ]
    seed_chat_demo(now)  # a second run adds nothing
    assert Chat.objects.count() == 1
    assert Case.objects.count() == cases_before
