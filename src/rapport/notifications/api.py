"""/api/v1/notifications: the caller's notifications, marking them read, and following cases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from rapport.accounts.api import ERRORS, actor
from rapport.notifications import access as policy
from rapport.notifications import selectors, services
from rapport.platform.errors import NotFound

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    case: str = Field(description="The case's reference.")
    subject: str
    actor: str | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    unread: int
    next_cursor: str | None


class NotificationQuery(Schema):
    unread: bool = Field(False, description="Only unread notifications.")
    cursor: str | None = Field(None, max_length=500, description="next_cursor from the previous page.")
    limit: int = Field(selectors.PAGE_SIZE, ge=1, le=100)


class ReadAllOut(Schema):
    marked: int


class FollowOut(Schema):
    case: str
    following: bool


def _staff(request: HttpRequest) -> Any:
    user = actor(request)
    if not policy.can_be_notified(user):
        raise NotFound()
    return user


def _out(n: Any) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "text": n.text,
        "case": n.case.reference,
        "subject": n.case.subject,
        "actor": n.actor.name if n.actor_id and n.actor else None,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@router.get("", response={200: NotificationPage, **ERRORS}, summary="My notifications, newest first (staff)")
def notifications(request: HttpRequest, query: Query[NotificationQuery]) -> Any:
    """Only about cases the caller may still see."""
    user = _staff(request)
    page = selectors.notifications_page(user, cursor=query.cursor, unread_only=query.unread, size=query.limit)
    return {
        "items": [_out(n) for n in page.items],
        "unread": selectors.unread_count(user),
        "next_cursor": page.next_cursor,
    }


@router.post("/read-all", response={200: ReadAllOut, **ERRORS}, summary="Mark all my notifications read")
def read_all(request: HttpRequest) -> Any:
    """Every unread notification of the caller's; answers how many were marked."""
    return {"marked": services.mark_all_read(actor=_staff(request))}


@router.post("/{notification_id}/read", response={200: NotificationOut, **ERRORS}, summary="Mark one notification read")
def read_one(request: HttpRequest, notification_id: str) -> Any:
    """One of the caller's own notifications (404 for anyone else's, or about a case they may no
    longer see); marking it again changes nothing."""
    return _out(services.mark_read(actor=_staff(request), notification_id=notification_id))


@router.post("/follows/{reference}", response={200: FollowOut, **ERRORS}, summary="Follow a case")
def follow(request: HttpRequest, reference: str) -> Any:
    """Followers hear of the case's customer replies and SLA alerts; recorded on the case."""
    case = services.follow(actor=_staff(request), reference=reference)
    return {"case": case.reference, "following": True}


@router.delete("/follows/{reference}", response={200: FollowOut, **ERRORS}, summary="Stop following a case")
def unfollow(request: HttpRequest, reference: str) -> Any:
    """Stop hearing of the case; recorded on the case (nothing happens when not following)."""
    case = services.unfollow(actor=_staff(request), reference=reference)
    return {"case": case.reference, "following": False}
