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


class ChatServer:
    """Rapport's ASGI application served by uvicorn on 127.0.0.1 in a thread of the test process
    (so it shares the test database), HTTP and WebSockets alike."""

    def __init__(self) -> None:
        import threading

        import uvicorn

        from rapport.asgi import application

        self.server = uvicorn.Server(
            uvicorn.Config(
                application, host="127.0.0.1", port=0, log_level="warning", lifespan="off", ws="websockets-sansio"
            )
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> ChatServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the chat server did not start")
            time.sleep(0.05)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}/ws/chat/"
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def chat_server(transactional_db, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    running = ChatServer().start()
    yield running
    running.stop()
