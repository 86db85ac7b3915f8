"""A chat site for a website, an agent with a chat capacity, and a chat started from the widget."""

from __future__ import annotations

import pytest

from rapport.chat.models import AgentChat, ChatSite

ORIGIN = "https://www.example.co.uk"


@pytest.fixture
def site(team):
    return ChatSite.objects.create(
        name="Website",
        key="website",
        allowed_origins=f"{ORIGIN}\nhttps://shop.example.co.uk",
        team=team,
        first_answer_seconds=60,
        adjustments=["Extra time to reply", "Plain English"],
        welsh=True,
    )


@pytest.fixture
def chat_agent(agent, now):
    AgentChat.objects.create(user=agent, capacity=2, available=True, seen_at=now)
    return agent


@pytest.fixture
def started(site, now):
    from rapport.chat import services

    return services.chat_start(
        site=site,
        name="Dafydd Morgan",
        email="dafydd@example.co.uk",
        topic="Where is my parcel?",
        consent=True,
        now=now,
    )


@pytest.fixture
def chat_server(transactional_db, settings):
    from tests.chat.servers import ChatServer

    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    running = ChatServer().start()
    yield running
    running.stop()
