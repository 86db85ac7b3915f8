"""The WebSockets end to end: Rapport's ASGI application served on 127.0.0.1 (uvicorn), a real
WebSocket client for the customer and one signed in with the desk's session for the agent, the
real database and channel layer. A customer and an agent chat, a reconnect in the middle loses and
doubles nothing, a resend is filed once, notes never reach the customer, origins are checked."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from rapport.chat import services
from rapport.chat.models import ChatLine
from tests.chat.conftest import ORIGIN


class Socket:
    def __init__(self, url: str, origin: str, cookie: str = "") -> None:
        headers = {"Cookie": cookie} if cookie else None
        self.ws = connect(url, origin=origin, additional_headers=headers, open_timeout=10).__enter__()

    def send(self, data) -> None:
        self.ws.send(json.dumps(data))

    def until(self, kind: str, timeout: float = 10, **match) -> dict:
        """The next message of ``kind`` (whose fields equal ``match``), skipping others."""
        while True:
            message = json.loads(self.ws.recv(timeout=timeout))
            if message.get("type") == kind and all(message.get(k) == v for k, v in match.items()):
                return message

    def close(self) -> None:
        self.ws.close()


def customer_socket(server, origin: str = ORIGIN) -> Socket:
    return Socket(server.ws, origin)


def agent_socket(server, user) -> Socket:
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    return Socket(server.ws + "agent/", server.url, cookie)


def test_a_customer_and_an_agent_chat_and_a_reconnect_loses_nothing(chat_server, started, chat_agent):
    chat, token = started
    customer = customer_socket(chat_server)
    customer.send({"type": "hello", "token": token, "after": 0})
    welcome = customer.until("welcome")
    assert welcome["status"] == "waiting"
    assert welcome["wait"]["position"] == 1

    agent = agent_socket(chat_server, chat_agent)
    agent.send({"type": "hello", "available": True, "after": {}})
    hello = agent.until("welcome")
    assert [c["id"] for c in hello["queue"]] == [chat.pk]
    agent.send({"type": "accept", "chat": chat.pk})
    assert agent.until("opened")["chat"]["id"] == chat.pk
    assert customer.until("status")["status"] == "active"

    customer.send({"type": "message", "client_id": "c-1", "body": "Hello, where is my parcel?"})
    assert customer.until("ack") == {"type": "ack", "client_id": "c-1", "seq": 1}
    line = agent.until("line")
    assert line["body"] == "Hello, where is my parcel?"
    assert line["chat"] == chat.pk

    customer.send({"type": "typing"})
    assert agent.until("typing")["who"] == "customer"

    agent.send({"type": "note", "chat": chat.pk, "client_id": "n-1", "body": "Courier delayed."})
    agent.until("ack")
    agent.send({"type": "message", "chat": chat.pk, "client_id": "a-1", "body": "Arriving today."})
    reply = customer.until("line", sender="agent")
    assert reply["body"] == "Arriving today."  # the note before it never came
    assert set(reply) <= {"type", "seq", "client_id", "sender", "name", "body", "at"}

    # the customer's connection drops; meanwhile the agent writes, and one message was in flight
    customer.close()
    agent.send({"type": "message", "chat": chat.pk, "client_id": "a-2", "body": "Anything else?"})
    agent.until("ack")
    again = customer_socket(chat_server)
    again.send({"type": "hello", "token": token, "after": reply["seq"]})
    assert [x["body"] for x in again.until("welcome")["lines"]] == ["Anything else?"]
    # the unacknowledged message is resent twice: filed once, acknowledged each time with its seq
    acks = []
    for _ in range(2):
        again.send({"type": "message", "client_id": "c-2", "body": "No, thanks!"})
        acks.append(again.until("ack"))
    assert acks[0] == acks[1] == {"type": "ack", "client_id": "c-2", "seq": 5}

    again.send({"type": "end"})
    assert again.until("status")["status"] == "ended"
    again.send({"type": "csat", "score": 4, "comment": "Quick", "transcript": True})
    assert again.until("thanks")["transcript_sent"] is True
    again.close()
    agent.close()

    assert list(ChatLine.objects.filter(chat=chat).order_by("seq").values_list("client_id", flat=True)) == [
        "c-1",
        "n-1",
        "a-1",
        "a-2",
        "c-2",
    ]
    chat.refresh_from_db()
    assert chat.csat == 4
    assert chat.status == "ended"
    assert chat.case.messages.filter(kind="outbound", channel="email").exists()  # the transcript


def test_another_website_cannot_use_the_chat(chat_server, started):
    _, token = started
    socket = customer_socket(chat_server, "https://evil.example.com")
    socket.send({"type": "hello", "token": token, "after": 0})
    with pytest.raises(ConnectionClosed) as closed:
        socket.until("welcome")
    assert closed.value.rcvd.code == 4403


def test_an_unknown_token_is_refused_and_nothing_is_written_before_hello(chat_server, started):
    socket = customer_socket(chat_server)
    socket.send({"type": "message", "client_id": "x", "body": "hi"})
    assert socket.until("error")["detail"] == "Say hello with your chat's token first."
    socket.send({"type": "hello", "token": "nope", "after": 0})
    with pytest.raises(ConnectionClosed) as closed:
        socket.until("welcome")
    assert closed.value.rcvd.code == 4404
    assert not ChatLine.objects.exists()


def test_customers_cannot_open_the_console(chat_server, customer_user):
    with pytest.raises(InvalidStatus) as refused:
        agent_socket(chat_server, customer_user)
    assert refused.value.response.status_code == 403


def test_bad_input_gets_an_error_naming_the_field(chat_server, started, chat_agent):
    chat, token = started
    services.chat_accept(actor=chat_agent, chat_id=chat.pk, now=chat.started_at)
    socket = customer_socket(chat_server)
    socket.send({"type": "hello", "token": token})
    socket.until("welcome")
    socket.send({"type": "message", "client_id": "", "body": ""})
    assert set(socket.until("error")["errors"]) == {"client_id"}
    socket.send({"type": "message", "client_id": "c", "body": "x" * 6000})
    assert "body" in socket.until("error")["errors"]
    socket.send(["not", "an", "object"])
    assert socket.until("error")["detail"] == "Send a JSON object."
    socket.close()
