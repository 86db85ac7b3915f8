"""Reads of customer records."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from rapport import access as policy
from rapport.accounts.models import User
from rapport.cases.models import Message
from rapport.customers.models import Customer
from rapport.platform.errors import FieldError, NotFound
from rapport.platform.pagination import Keyset, Page, since

CUSTOMER_KEYSET = Keyset((("name", str, False), ("id", int, False)))


def customer_list(
    actor: User,
    *,
    query: str | None,
    kind: str | None,
    cursor: str | None,
    size: int,
    updated_since: datetime | None = None,
    created_since: datetime | None = None,
) -> Page[Customer]:
    """A page of the customers the actor may see, by name then id; records merged into another
    (pointers) are left out."""
    return CUSTOMER_KEYSET.paginate(
        customer_rows(actor, query=query, kind=kind, updated_since=updated_since, created_since=created_since),
        cursor=cursor,
        size=size,
    )


def customer_rows(
    actor: User,
    *,
    query: str | None = None,
    kind: str | None = None,
    updated_since: datetime | None = None,
    created_since: datetime | None = None,
) -> QuerySet[Customer]:
    """The customers a list shows with these filters, unordered: the API's pages and exports share it."""
    customers = since(
        policy.visible_customers(actor).filter(merged_into__isnull=True),
        updated_since=updated_since,
        created_since=created_since,
    )
    if kind:
        customers = customers.filter(kind=kind)
    if query:
        customers = customers.filter(name__istartswith=query) | customers.filter(email__iexact=query)
    return customers


def customer_timeline(actor: User, customer: Customer, *, limit: int = 50) -> list[Message]:
    """The latest messages across all the customer's cases the actor may see, newest first."""
    messages: QuerySet[Message] = Message.objects.filter(case__in=policy.visible_cases(actor).filter(customer=customer))
    if not policy.can_see_internal(actor):
        messages = messages.exclude(kind="note")
    return list(messages.select_related("case", "author").order_by("-created_at", "-id")[:limit])


# --- added for the REST API ---------------------------------------------------------------------

CUSTOMER_REQUIRED = "Choose the customer this case is for."


def customer_for_new_case(actor: User, customer_id: int | None) -> Customer:
    """The customer a new case is for: the one named, if the actor may see it. A customer who
    names nobody raises the case for themselves. Missing and forbidden read alike."""
    if customer_id is None and not policy.is_staff(actor):
        own = policy.visible_customers(actor).first()
        if own is not None:
            return own
    if customer_id is None:
        raise FieldError(customer=CUSTOMER_REQUIRED)
    try:
        return policy.access_customer(actor, customer_id, for_write=True)
    except NotFound:
        raise FieldError(customer=policy.NO_CUSTOMER) from None
