"""/api/v1/chats (staff: the list and each transcript, notes marked internal) and
/api/v1/chat/availability (whether a site's chat is open now and the expected wait)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from rapport.access import require_staff
from rapport.accounts.api import ERRORS, actor
from rapport.chat import selectors, services
from rapport.chat.models import Chat

router = Router(tags=["chats"])
availability_router = Router(tags=["chat"])


class ChatOut(Schema):
    id: int
    case: str
    customer_id: int
    customer: str
    agent: str | None
    status: str
    language: str
    topic: str
    adjustment: str
    identity_verified: bool
    started_at: datetime
    answered_at: datetime | None
    first_answer_due: datetime
    first_answer_breached: bool
    ended_at: datetime | None
    csat: int | None


class ChatPage(Schema):
    items: list[ChatOut]
    next_before: int | None = Field(description="Pass back as `before` for the next (older) page.")


class ChatQuery(Schema):
    status: Literal["waiting", "active", "ended"] | None = None
    before: int | None = Field(None, ge=1, description="Chats older than this id (the previous page's `next_before`).")
    limit: int = Field(50, ge=1, le=200)


class LineOut(Schema):
    seq: int
    client_id: str
    sender: str
    internal: bool = Field(description="An internal note: never shown to the customer.")
    name: str
    body: str
    at: datetime


class TranscriptOut(Schema):
    chat: ChatOut
    lines: list[LineOut]


class AvailabilityOut(Schema):
    open: bool
    reason: str = Field(description='"" when open; "closed" outside opening hours; "nobody_available".')
    agents: int
    waiting: int
    expected_wait_seconds: int | None = Field(
        description="Erlang C for the live numbers; null when no figure is honest."
    )


class AvailabilityQuery(Schema):
    site: str = Field(max_length=40, description="The chat site's key (as in the widget's script tag).")
    language: Literal["en", "cy"] = "en"


def _out(chat: Chat) -> dict[str, Any]:
    return {
        "id": chat.pk,
        "case": chat.case.reference,
        "customer_id": chat.customer_id,
        "customer": chat.customer.name,
        "agent": chat.agent.name if chat.agent else None,
        "status": chat.status,
        "language": chat.language,
        "topic": chat.topic,
        "adjustment": chat.adjustment,
        "identity_verified": chat.identity_verified,
        "started_at": chat.started_at,
        "answered_at": chat.answered_at,
        "first_answer_due": chat.first_answer_due,
        "first_answer_breached": chat.breached_at is not None,
        "ended_at": chat.ended_at,
        "csat": chat.csat,
    }


@router.get("", response={200: ChatPage, **ERRORS}, summary="Chats, newest first", operation_id="chats_list")
def list_chats(request: HttpRequest, query: Query[ChatQuery]) -> Any:
    """The chats whose cases the caller may see, newest first; page with `before`."""
    user = require_staff(actor(request))
    items = selectors.chat_list(user, status=query.status or "", limit=query.limit, before_id=query.before)
    return {"items": [_out(c) for c in items], "next_before": items[-1].pk if len(items) == query.limit else None}


@router.get(
    "/{chat_id}/transcript",
    response={200: TranscriptOut, **ERRORS},
    summary="A chat's transcript",
    operation_id="chats_transcript",
)
def transcript(request: HttpRequest, chat_id: int) -> Any:
    """Every line in order, internal notes marked: the same messages as the case's timeline."""
    chat, lines = selectors.transcript(require_staff(actor(request)), chat_id)
    return {"chat": _out(chat), "lines": lines}


@availability_router.get(
    "/availability",
    response={200: AvailabilityOut, **ERRORS},
    summary="Whether chat is open and the expected wait",
    operation_id="chat_availability",
)
def availability(request: HttpRequest, query: Query[AvailabilityQuery]) -> Any:
    """Open now (opening hours and agents available), people waiting and the expected wait for a new
    chat (Erlang C with the live arrival rate, handling time and chat slots)."""
    require_staff(actor(request))
    site = services.site_for_key(query.site)
    found = selectors.availability(site, now=timezone.now(), language="cy" if query.language == "cy" else "")
    return {
        "open": found.open,
        "reason": found.reason,
        "agents": found.agents,
        "waiting": found.waiting,
        "expected_wait_seconds": found.expected_wait_seconds,
    }
