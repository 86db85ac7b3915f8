"""/api/v1/webhooks: subscriptions (admins), their delivery log, and redelivery."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from rapport.accounts.api import ERRORS, actor
from rapport.webhooks import selectors, services
from rapport.webhooks.models import Subscription

router = Router(tags=["webhooks"])

RoleName = Literal["agent", "team_leader", "manager", "admin"]


class WebhookIn(Schema):
    name: str = Field(max_length=100)
    url: str = Field(max_length=500, description="https address of the receiver.")
    kinds: list[str] = Field(description="Journal event kinds to send, e.g. created, message, changed.")
    role: RoleName = Field(description="The service account's role: decides what payloads may contain.")


class WebhookPatch(Schema):
    name: str | None = Field(None, max_length=100)
    url: str | None = Field(None, max_length=500)
    kinds: list[str] | None = None
    role: RoleName | None = None
    active: bool | None = Field(None, description="Switch on or off; on again clears the failure count.")


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    kinds: list[str]
    role: str
    active: bool
    disabled_reason: str
    consecutive_failures: int
    created_at: datetime
    updated_at: datetime


class WebhookWithSecret(WebhookOut):
    secret: str = Field(description="The signing secret: shown only now. Store it in the receiver.")


class SecretOut(Schema):
    secret: str


class WebhookPage(Schema):
    items: list[WebhookOut]


class AttemptOut(Schema):
    number: int
    at: datetime
    status_code: int | None
    duration_ms: int
    error: str
    response_excerpt: str
    manual: bool


class DeliveryOut(Schema):
    id: int
    kind: str
    case: str
    status: str
    reason: str
    attempts: int
    last_status_code: int | None
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None
    attempt_log: list[AttemptOut]


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next_cursor: str | None = Field(description="Pass back as cursor for the next (older) deliveries; null at the end.")
    page: int | None = Field(description="The page number, when paged by number (null when paged by cursor).")
    pages: int | None
    count: int | None


class DeliveryQuery(Schema):
    status: Literal["pending", "delivered", "failed", "skipped"] | None = None
    cursor: str | None = Field(None, max_length=500, description="next_cursor from the previous page (preferred).")
    limit: int = Field(50, ge=1, le=200, description="Deliveries a page.")
    page: int = Field(1, ge=1, le=100000, description="Page number: kept for older clients; use cursor.")


def _out(s: Subscription) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "url": s.url,
        "kinds": list(s.kinds),
        "role": s.account.role,
        "active": s.active,
        "disabled_reason": s.disabled_reason,
        "consecutive_failures": s.consecutive_failures,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
    }


def _attempt(a: Any) -> dict[str, Any]:
    return {
        "number": a.number,
        "at": a.at,
        "status_code": a.status_code,
        "duration_ms": a.duration_ms,
        "error": a.error,
        "response_excerpt": a.response_excerpt,
        "manual": a.manual,
    }


def _delivery(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "kind": d.kind,
        "case": d.case_reference,
        "status": d.status,
        "reason": d.reason,
        "attempts": d.attempts,
        "last_status_code": d.last_status_code,
        "next_attempt_at": d.next_attempt_at,
        "created_at": d.created_at,
        "delivered_at": d.delivered_at,
        "attempt_log": [_attempt(a) for a in d.attempt_rows.all()],
    }


@router.get("", response={200: WebhookPage, **ERRORS}, summary="Webhook subscriptions (admins)")
def webhooks(request: HttpRequest) -> Any:
    """Every subscription, by name: its receiver, event kinds, role and whether it is on."""
    return {"items": [_out(s) for s in selectors.subscriptions(actor(request))]}


@router.post("", response={201: WebhookWithSecret, **ERRORS}, summary="Subscribe a receiver to events")
def create(request: HttpRequest, body: WebhookIn) -> Any:
    """The answer holds the signing secret: it is not shown again (rotate it if it is lost)."""
    made = services.subscription_create(
        actor=actor(request), name=body.name, url=body.url, kinds=body.kinds, role=body.role, now=timezone.now()
    )
    return Status(201, {**_out(made.subscription), "secret": made.secret})


@router.get("/{webhook_id}", response={200: WebhookOut, **ERRORS}, summary="One webhook subscription")
def one(request: HttpRequest, webhook_id: int) -> Any:
    """The subscription (never its secret)."""
    return _out(services.subscription_get(actor=actor(request), subscription_id=webhook_id))


@router.patch("/{webhook_id}", response={200: WebhookOut, **ERRORS}, summary="Change a webhook subscription")
def change(request: HttpRequest, webhook_id: int, body: WebhookPatch) -> Any:
    """Only the fields sent change; the address is checked again; recorded in the settings history."""
    changes = body.dict(exclude_unset=True, exclude_none=True)
    return _out(
        services.subscription_update(
            actor=actor(request), subscription_id=webhook_id, changes=changes, now=timezone.now()
        )
    )


@router.delete("/{webhook_id}", response={204: None, **ERRORS}, summary="Delete a webhook subscription")
def delete(request: HttpRequest, webhook_id: int) -> Any:
    """The subscription and its delivery log go; its service account is switched off."""
    services.subscription_delete(actor=actor(request), subscription_id=webhook_id, now=timezone.now())
    return Status(204, None)


@router.post("/{webhook_id}/rotate-secret", response={200: SecretOut, **ERRORS}, summary="Rotate the signing secret")
def rotate(request: HttpRequest, webhook_id: int) -> Any:
    """The new secret signs from now on and is shown only in this answer."""
    return {"secret": services.secret_rotate(actor=actor(request), subscription_id=webhook_id, now=timezone.now())}


@router.get("/{webhook_id}/deliveries", response={200: DeliveryPage, **ERRORS}, summary="A webhook's delivery log")
def deliveries(request: HttpRequest, webhook_id: int, query: Query[DeliveryQuery]) -> Any:
    """Newest first, each with its attempts (status code, duration, error, response). Walk it with
    ``cursor`` (``next_cursor`` of the page before, ``limit`` a page, 50 by default); ``page``
    numbers still work for older clients, and their answers carry a ``next_cursor`` too."""
    subscription = services.subscription_get(actor=actor(request), subscription_id=webhook_id)
    if query.cursor:
        walked = selectors.deliveries_after(
            subscription, status=query.status or "", cursor=query.cursor, size=query.limit
        )
        items = walked.items
        return {"items": [_delivery(d) for d in items], "next_cursor": walked.next_cursor,
                "page": None, "pages": None, "count": None}  # fmt: skip
    page = selectors.deliveries_page(subscription, status=query.status or "", page=query.page, size=query.limit)
    rows = list(page.object_list)
    return {
        "items": [_delivery(d) for d in rows],
        "next_cursor": selectors.DELIVERY_KEYSET.cursor_after(rows[-1]) if rows and page.has_next() else None,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "count": page.paginator.count,
    }


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    response={200: AttemptOut, **ERRORS},
    summary="Send a delivery again now",
)
def redeliver(request: HttpRequest, webhook_id: int, delivery_id: int) -> Any:
    """One attempt now, whatever the delivery's state; a skipped delivery is refused (409)."""
    return _attempt(
        services.redeliver(
            actor=actor(request), subscription_id=webhook_id, delivery_id=delivery_id, now=timezone.now()
        )
    )
