"""The demo's chat: the website as a chat site, agents' chat settings (one Welsh speaker), and a
morning's finished chats with transcripts on their cases and CSAT answers."""

from __future__ import annotations

import pytest

from rapport.chat.demo import seed_chat_demo
from rapport.chat.models import AgentChat, Chat, ChatSite

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_site_agents_and_finished_chats(agent, team_leader, now):
    seed_chat_demo(now)
    site = ChatSite.objects.get()
    assert site.welsh
    assert site.origins == ["http://127.0.0.1:8000", "http://localhost:8000"]
    assert AgentChat.objects.count() == 2
    chats = list(Chat.objects.order_by("started_at"))
    assert len(chats) == 3
    assert all(c.status == "ended" and c.csat and c.answered_at for c in chats)
    assert all(c.case.messages.filter(channel="chat", kind="outbound").exists() for c in chats)
    seed_chat_demo(now)  # a second run adds nothing
    assert Chat.objects.count() == 3
