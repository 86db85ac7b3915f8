"""The WebSocket ends of live chat (Django Channels): the customer's widget and the agent's console.

Protocol (JSON objects with a ``type``; documented in docs/chat.md):

- Every message a client writes carries a ``client_id`` it chose. The server files it once (a
  resend with the same id returns the line already filed) and answers ``{"type": "ack",
  "client_id", "seq"}``; the client keeps what is not acknowledged and sends it again after a
  reconnect. Each line has a ``seq`` in its chat; a client says the last it saw in ``hello``
  (``after``) and is sent every line after it, so nothing is lost or shown twice.
- Groups: ``chat-<id>`` (the customer and the agents: what the customer may see), ``chat-<id>-staff``
  (agents only: internal notes), ``agent-<user id>`` (chats handed to that agent), ``chat-queue``
  (the console's waiting list) and ``chat-waiting`` (waiting customers: their place and wait).
  Internal notes are only ever sent to the staff group, and lines for the customer pass the
  allow-list ``access.customer_line``.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import timezone

from rapport.chat import access, selectors, services
from rapport.chat.models import Chat, ChatStatus
from rapport.platform.errors import RapportError

QUEUE = "chat-queue"
WAITING = "chat-waiting"
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


def public_group(chat_id: int) -> str:
    return f"chat-{chat_id}"


def staff_group(chat_id: int) -> str:
    return f"chat-{chat_id}-staff"


def agent_group(user_id: int) -> str:
    return f"agent-{user_id}"


def _header(scope: dict[str, Any], name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _own_origin(scope: dict[str, Any]) -> str:
    host = _header(scope, b"host")
    scheme = "https" if scope.get("scheme") == "wss" else "http"
    return f"{scheme}://{host}" if host else ""


def _error(exc: RapportError) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "error", "detail": str(exc)}
    errors = getattr(exc, "errors", None)
    if errors:
        body["errors"] = errors
    return body


def _wait_payload(chat: Chat) -> dict[str, Any]:
    estimate = selectors.wait_for(chat, now=timezone.now())
    if estimate is None:
        return {"type": "wait", "status": chat.status}
    return {"type": "wait", "status": chat.status, "position": estimate.position, "seconds": estimate.seconds}


class CustomerConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    """The widget's socket. The first message is ``hello`` with the chat's token."""

    chat_id: int | None = None

    async def connect(self) -> None:
        self.chat_id = None
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.chat_id is not None:
            await self.channel_layer.group_discard(public_group(self.chat_id), self.channel_name)
            await self.channel_layer.group_discard(WAITING, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "detail": "Send a JSON object."})
            return
        kind = content.get("type")
        if self.chat_id is None:
            if kind != "hello":
                await self.send_json({"type": "error", "detail": "Say hello with your chat's token first."})
                return
            await self._hello(content)
            return
        try:
            if kind == "message":
                await self._message(content)
            elif kind == "typing":
                await self.channel_layer.group_send(
                    public_group(self.chat_id),
                    {"type": "chat.typing", "chat": self.chat_id, "who": "customer", "from": self.channel_name},
                )
            elif kind == "end":
                await self._end()
            elif kind == "csat":
                await self._csat(content)
            else:
                await self.send_json({"type": "error", "detail": "Unknown message type."})
        except RapportError as exc:
            await self.send_json(_error(exc))

    @database_sync_to_async
    def _load(self, token: str) -> Chat | None:
        try:
            return services.chat_for_token(token)
        except RapportError:
            return None

    async def _hello(self, content: dict[str, Any]) -> None:
        chat = await self._load(str(content.get("token", "")))
        if chat is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        origin = _header(self.scope, b"origin")
        if not services.origin_ok(chat.site, origin, _own_origin(self.scope)):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.chat_id = chat.pk
        await self.channel_layer.group_add(public_group(chat.pk), self.channel_name)
        after = content.get("after", 0)
        lines = await database_sync_to_async(services.lines_after)(
            chat, after if isinstance(after, int) else 0, staff=False
        )
        wait = await database_sync_to_async(_wait_payload)(chat)
        await self.send_json(
            {
                "type": "welcome",
                "status": chat.status,
                "agent": chat.agent.name if chat.agent else "",
                "lines": lines,
                "wait": wait,
            }
        )
        if chat.status == ChatStatus.WAITING:
            await self.channel_layer.group_add(WAITING, self.channel_name)
            await self.channel_layer.group_send(QUEUE, {"type": "queue.changed"})
        elif chat.status == ChatStatus.ACTIVE and chat.agent_id and not lines and not after:
            await self.channel_layer.group_send(agent_group(chat.agent_id), {"type": "chat.assigned", "chat": chat.pk})

    async def _message(self, content: dict[str, Any]) -> None:
        assert self.chat_id is not None
        now = timezone.now()
        allowed = await database_sync_to_async(services.rate_allowed)(
            f"chat-msg:{self.chat_id}", now=now, per_minute=settings.CHAT_MESSAGES_PER_MINUTE, burst=10
        )
        if not allowed:
            await self.send_json({"type": "error", "client_id": content.get("client_id"), "detail": services.TOO_FAST})
            return
        chat = await database_sync_to_async(Chat.objects.select_related("customer").get)(pk=self.chat_id)
        line, created = await database_sync_to_async(services.customer_says)(
            chat=chat, client_id=str(content.get("client_id", "")), body=str(content.get("body", "")), now=now
        )
        await self.send_json({"type": "ack", "client_id": line["client_id"], "seq": line["seq"]})
        if created:
            await self.channel_layer.group_send(public_group(self.chat_id), {"type": "chat.line", "line": line})

    async def _end(self) -> None:
        assert self.chat_id is not None
        chat = await database_sync_to_async(services.chat_end)(chat_id=self.chat_id, now=timezone.now())
        await self.channel_layer.group_send(
            public_group(chat.pk), {"type": "chat.status", "chat": chat.pk, "status": chat.status, "by": "customer"}
        )
        await self.channel_layer.group_send(QUEUE, {"type": "queue.changed"})

    async def _csat(self, content: dict[str, Any]) -> None:
        assert self.chat_id is not None
        chat = await database_sync_to_async(Chat.objects.select_related("customer", "case").get)(pk=self.chat_id)
        if chat.status != ChatStatus.ENDED:
            await self.send_json({"type": "error", "detail": "Rate the chat once it has ended."})
            return
        score = content.get("score")
        await database_sync_to_async(services.chat_rate)(
            chat=chat,
            score=score if isinstance(score, int) else 0,
            comment=str(content.get("comment", "")),
            now=timezone.now(),
        )
        sent = False
        if content.get("transcript") is True:
            sent = await database_sync_to_async(services.transcript_send)(chat=chat, now=timezone.now()) is not None
        await self.send_json({"type": "thanks", "transcript_sent": sent})

    # group events
    async def chat_line(self, event: dict[str, Any]) -> None:
        line = event["line"]
        if line.get("sender") == "note":  # never: notes go to the staff group only
            return
        await self.send_json({"type": "line", **access.customer_line(line)})

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event.get("from") != self.channel_name and event.get("who") == "agent":
            await self.send_json({"type": "typing", "who": "agent"})

    async def chat_status(self, event: dict[str, Any]) -> None:
        if event.get("status") != ChatStatus.WAITING:
            await self.channel_layer.group_discard(WAITING, self.channel_name)
        else:
            await self.channel_layer.group_add(WAITING, self.channel_name)
        await self.send_json({"type": "status", "status": event["status"], "agent": event.get("agent", "")})

    async def queue_changed(self, event: dict[str, Any]) -> None:
        if self.chat_id is None:
            return
        chat = await database_sync_to_async(Chat.objects.get)(pk=self.chat_id)
        await self.send_json(await database_sync_to_async(_wait_payload)(chat))


def chat_summary(chat: Chat) -> dict[str, Any]:
    return {
        "id": chat.pk,
        "case": chat.case.reference,
        "customer": chat.customer.name,
        "customer_id": chat.customer_id,
        "topic": chat.topic,
        "language": chat.language,
        "adjustment": chat.adjustment,
        "verified": chat.identity_verified,
        "status": chat.status,
        "started_at": chat.started_at.isoformat(),
        "first_answer_due": chat.first_answer_due.isoformat(),
        "answered": chat.answered_at is not None,
    }


class AgentConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    """The console's socket, signed in with the desk's session."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not access.can_chat(user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        self.chats: set[int] = set()
        await self.accept()
        await self.channel_layer.group_add(QUEUE, self.channel_name)
        await self.channel_layer.group_add(agent_group(user.pk), self.channel_name)

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "user"):
            return
        for chat_id in list(self.chats):
            await self._leave(chat_id)
        await self.channel_layer.group_discard(QUEUE, self.channel_name)
        await self.channel_layer.group_discard(agent_group(self.user.pk), self.channel_name)

    async def _join(self, chat_id: int) -> None:
        self.chats.add(chat_id)
        await self.channel_layer.group_add(public_group(chat_id), self.channel_name)
        await self.channel_layer.group_add(staff_group(chat_id), self.channel_name)

    async def _leave(self, chat_id: int) -> None:
        self.chats.discard(chat_id)
        await self.channel_layer.group_discard(public_group(chat_id), self.channel_name)
        await self.channel_layer.group_discard(staff_group(chat_id), self.channel_name)

    def _snapshot(self, after: dict[str, Any]) -> dict[str, Any]:
        data = selectors.console(self.user)
        chats = []
        for chat in data["mine"]:
            seen = after.get(str(chat.pk), 0)
            chats.append(
                {
                    **chat_summary(chat),
                    "lines": services.lines_after(chat, seen if isinstance(seen, int) else 0, staff=True),
                }
            )
        return {"type": "welcome", "queue": [chat_summary(c) for c in data["waiting"]], "chats": chats}

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "detail": "Send a JSON object."})
            return
        kind = content.get("type")
        chat_id = content.get("chat")
        now = timezone.now()
        try:
            if kind == "hello":
                available = content.get("available")
                await database_sync_to_async(services.agent_presence)(
                    actor=self.user, available=available if isinstance(available, bool) else None, now=now
                )
                after = content.get("after") if isinstance(content.get("after"), dict) else {}
                snapshot = await database_sync_to_async(self._snapshot)(after)
                for chat in snapshot["chats"]:
                    await self._join(chat["id"])
                await self.send_json(snapshot)
                return
            if kind == "ping":
                await database_sync_to_async(services.agent_presence)(actor=self.user, available=None, now=now)
                return
            if not isinstance(chat_id, int):
                await self.send_json({"type": "error", "detail": "Name the chat.", "errors": {"chat": ["Required."]}})
                return
            if kind == "accept":
                chat = await database_sync_to_async(services.chat_accept)(actor=self.user, chat_id=chat_id, now=now)
                await self._opened(chat.pk)
                await self.channel_layer.group_send(
                    public_group(chat.pk),
                    {"type": "chat.status", "chat": chat.pk, "status": chat.status, "agent": self.user.name},
                )
                await self.channel_layer.group_send(QUEUE, {"type": "queue.changed"})
            elif kind in {"message", "note"}:
                line, created = await database_sync_to_async(services.agent_says)(
                    actor=self.user,
                    chat_id=chat_id,
                    client_id=str(content.get("client_id", "")),
                    body=str(content.get("body", "")),
                    note=kind == "note",
                    now=now,
                )
                await self.send_json(
                    {"type": "ack", "chat": chat_id, "client_id": line["client_id"], "seq": line["seq"]}
                )
                if created:
                    group = staff_group(chat_id) if kind == "note" else public_group(chat_id)
                    await self.channel_layer.group_send(group, {"type": "chat.line", "line": line})
                    if kind == "message":
                        await self.channel_layer.group_send(QUEUE, {"type": "queue.changed"})
            elif kind == "typing":
                if chat_id in self.chats:
                    await self.channel_layer.group_send(
                        public_group(chat_id),
                        {"type": "chat.typing", "chat": chat_id, "who": "agent", "from": self.channel_name},
                    )
            elif kind == "transfer":
                to_user, to_team = content.get("to_user"), content.get("to_team")
                chat = await database_sync_to_async(services.chat_transfer)(
                    actor=self.user,
                    chat_id=chat_id,
                    to_user=to_user if isinstance(to_user, int) else None,
                    to_team=to_team if isinstance(to_team, int) else None,
                    now=now,
                )
                await self._leave(chat_id)
                await self.send_json({"type": "closed", "chat": chat_id, "reason": "transferred"})
                if chat.agent_id:
                    await self.channel_layer.group_send(
                        agent_group(chat.agent_id), {"type": "chat.assigned", "chat": chat.pk}
                    )
                await self.channel_layer.group_send(
                    public_group(chat_id), {"type": "chat.status", "chat": chat_id, "status": chat.status, "agent": ""}
                )
                await self.channel_layer.group_send(QUEUE, {"type": "queue.changed"})
            elif kind == "end":
                chat = await database_sync_to_async(services.chat_end)(chat_id=chat_id, actor=self.user, now=now)
                await self.channel_layer.group_send(
                    public_group(chat_id),
                    {"type": "chat.status", "chat": chat_id, "status": chat.status, "by": "agent"},
                )
                await self.channel_layer.group_send(QUEUE, {"type": "queue.changed"})
            else:
                await self.send_json({"type": "error", "detail": "Unknown message type."})
        except RapportError as exc:
            await self.send_json({**_error(exc), "chat": chat_id, "client_id": content.get("client_id")})

    def _opened_payload(self, chat_id: int) -> dict[str, Any]:
        chat = Chat.objects.select_related("customer", "case").get(pk=chat_id)
        history = [
            {"case": c.reference, "subject": c.subject, "status": c.status} for c in selectors.customer_history(chat)
        ]
        return {
            "type": "opened",
            "chat": {**chat_summary(chat), "lines": services.lines_after(chat, 0, staff=True), "history": history},
        }

    async def _opened(self, chat_id: int) -> None:
        await self._join(chat_id)
        await self.send_json(await database_sync_to_async(self._opened_payload)(chat_id))

    # group events
    async def chat_line(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "line", **event["line"]})

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event.get("from") != self.channel_name:
            await self.send_json({"type": "typing", "chat": event["chat"], "who": event["who"]})

    async def chat_status(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "status", "chat": event["chat"], "status": event["status"]})

    async def chat_assigned(self, event: dict[str, Any]) -> None:
        await self._opened(event["chat"])

    async def queue_changed(self, event: dict[str, Any]) -> None:
        waiting = await database_sync_to_async(
            lambda: [chat_summary(c) for c in selectors.console(self.user)["waiting"]]
        )()
        await self.send_json({"type": "queue", "queue": waiting})
