"""A real receiver on 127.0.0.1 (http.server in a thread) that checks each request's signature as
the documented example does, admins, and running what the journal owes the webhooks now."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rapport.accounts.models import Role
from rapport.domain import webhooks as rules
from tests.conftest import make_user


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool

    @property
    def data(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    secret: str = ""
    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    clock_now: datetime | None = None


@pytest.fixture(autouse=True)
def _loopback(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    settings.WEBHOOKS_ALLOW_HTTP = True


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            now = state.clock_now or datetime.now(UTC)
            ok = rules.verify(
                state.secret,
                self.headers.get(rules.TIMESTAMP_HEADER, ""),
                body,
                self.headers.get(rules.SIGNATURE_HEADER, ""),
                now=now,
            )
            state.received.append(Received(dict(self.headers.items()), body, ok))
            code = state.answers.pop(0) if state.answers else (200 if ok else 401)
            reply = b'{"received":true}' if code < 300 else b"receiver is down"
            self.send_response(code)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def admin(db):
    return make_user("admin@example.com", Role.ADMIN)


@pytest.fixture
def deliver():
    """Run the journal's webhook jobs now, as the worker would."""
    from rapport.cases import journal
    from rapport.webhooks.services import subscribable

    def run() -> int:
        return sum(journal.deliver(f"webhooks.{kind}") for kind in subscribable())

    return run


@pytest.fixture
def subscribe(admin, receiver, now):
    """``subscribe(role, kinds=…, teams=…)``: a subscription to the test receiver (its secret set)."""
    from rapport.webhooks.services import subscription_create

    def make(role: str = Role.MANAGER, kinds=("created", "message", "note", "changed"), teams=()):
        made = subscription_create(
            actor=admin, name=f"CRM {role}", url=receiver.url, kinds=list(kinds), role=role, team_ids=teams, now=now
        )
        receiver.secret = made.secret
        return made.subscription

    return make
