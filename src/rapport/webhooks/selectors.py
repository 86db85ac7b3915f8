"""Reading subscriptions and the delivery log (admins only; a fixed number of queries a page)."""

from __future__ import annotations

from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from rapport.accounts.models import User
from rapport.platform.errors import NotFound
from rapport.platform.pagination import Keyset
from rapport.platform.pagination import Page as KeysetPage
from rapport.webhooks import access as policy
from rapport.webhooks.models import Attempt, Delivery, DeliveryStatus, Subscription

PAGE_SIZE = 50


def subscriptions(actor: User) -> QuerySet[Subscription]:
    if not policy.can_manage_webhooks(actor):
        raise NotFound()
    return Subscription.objects.select_related("account").order_by("name", "id")


def deliveries(subscription: Subscription, *, status: str = "") -> QuerySet[Delivery]:
    found = Delivery.objects.filter(subscription=subscription)
    if status in DeliveryStatus.values:
        found = found.filter(status=status)
    return found.order_by("-created_at", "-id").prefetch_related(
        Prefetch("attempt_rows", queryset=Attempt.objects.order_by("number"))
    )


def deliveries_page(
    subscription: Subscription, *, status: str = "", page: int | str = 1, size: int = PAGE_SIZE
) -> Page[Delivery]:
    return Paginator(deliveries(subscription, status=status), size).get_page(page)


DELIVERY_KEYSET = Keyset((("created_at", datetime, True), ("id", int, True)))


def deliveries_after(
    subscription: Subscription, *, status: str = "", cursor: str | None, size: int = PAGE_SIZE
) -> KeysetPage[Delivery]:
    """Newest first from ``cursor`` on: the documented way to walk a long delivery log."""
    return DELIVERY_KEYSET.paginate(deliveries(subscription, status=status), cursor=cursor, size=size)
