"""Reading subscriptions and the delivery log (admins only; a fixed number of queries a page)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from rapport.accounts.models import User
from rapport.platform.errors import NotFound
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


def deliveries_page(subscription: Subscription, *, status: str = "", page: int | str = 1) -> Page[Delivery]:
    return Paginator(deliveries(subscription, status=status), PAGE_SIZE).get_page(page)
