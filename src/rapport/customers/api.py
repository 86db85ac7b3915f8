"""/api/v1/customers: staff find and add customers; a customer sees only their own record."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from rapport import access as policy
from rapport.accounts.api import ERRORS, actor
from rapport.customers import selectors, services
from rapport.customers.schemas import CustomerIn, CustomerListQuery, CustomerOut, CustomerPageView, CustomerView

router = Router(tags=["customers"])


@router.get("", response={200: CustomerPageView, **ERRORS}, summary="List customers")
def list_customers(request: HttpRequest, filters: Query[CustomerListQuery]) -> Any:
    """By name, then id. ``q`` matches the start of the name or the whole email address. A customer
    gets their own record only, in the customer view (``audience``: "customer")."""
    user = actor(request)
    page = selectors.customer_list(user, query=filters.q, kind=filters.kind, cursor=filters.cursor, size=filters.limit)
    return {"audience": policy.audience_of(user), "items": page.items, "next_cursor": page.next_cursor}


@router.post("", response={201: CustomerOut, **ERRORS}, summary="Add a customer (staff)")
def create_customer(request: HttpRequest, payload: CustomerIn, response: HttpResponse) -> Any:
    """A new customer record; answers 201 with its ``Location``."""
    customer = services.customer_create(actor=actor(request), **payload.model_dump())
    response["Location"] = f"/api/v1/customers/{customer.pk}"
    return Status(201, customer)


@router.get("/{customer_id}", response={200: CustomerView, **ERRORS}, summary="One customer")
def get_customer(request: HttpRequest, customer_id: int) -> Any:
    """One customer: staff see any, a customer only themselves (others are not found)."""
    user = actor(request)
    customer = policy.access_customer(user, customer_id)
    customer.audience = policy.audience_of(user)  # type: ignore[attr-defined]  # the view the schema serialises
    return customer
