"""Reads of customer records."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from rapport.accounts.models import User
from rapport.cases.models import Case, Message
from rapport.customers.models import Customer
from rapport.web import policy
from rapport.web.pagination import Keyset, Page

CUSTOMER_KEYSET = Keyset((("name", str, False), ("id", int, False)))


def customer_list(actor: User, *, query: str | None, kind: str | None, cursor: str | None, size: int) -> Page[Customer]:
    customers = policy.visible_customers(actor)
    if kind:
        customers = customers.filter(kind=kind)
    if query:
        customers = customers.filter(name__istartswith=query) | customers.filter(email__iexact=query)
    return CUSTOMER_KEYSET.paginate(customers, cursor=cursor, size=size)


@dataclass(frozen=True)
class TimelineEntry:
    case: Case
    message: Message | None


def customer_timeline(actor: User, customer: Customer, *, limit: int = 50) -> list[Message]:
    """The latest messages across all the customer's cases the actor may see, newest first."""
    messages: QuerySet[Message] = Message.objects.filter(case__in=policy.visible_cases(actor).filter(customer=customer))
    if not policy.can_see_internal(actor):
        messages = messages.exclude(kind="note")
    return list(messages.select_related("case", "author").order_by("-created_at", "-id")[:limit])
