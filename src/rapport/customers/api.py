"""/api/v1/customers: staff find and add customers; a customer sees only their own record."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from rapport import access as policy
from rapport.accounts.api import ERRORS, actor
from rapport.customers import selectors, services
from rapport.customers.schemas import CustomerIn, CustomerListQuery, CustomerOut, CustomerPage

router = Router(tags=["customers"])


@router.get("", response={200: CustomerPage, **ERRORS}, summary="List customers")
def list_customers(request: HttpRequest, filters: Query[CustomerListQuery]) -> Any:
    """By name, then id. ``q`` matches the start of the name or the whole email address."""
    user = actor(request)
    page = selectors.customer_list(user, query=filters.q, kind=filters.kind, cursor=filters.cursor, size=filters.limit)
    # Unlike the desk's list page, this gives whole records (address, notes): each one is a read.
    policy.accessed(user, [c.pk for c in page.items], what=policy.CUSTOMER_RECORD, why=policy.VIA_API)
    return page


@router.post("", response={201: CustomerOut, **ERRORS}, summary="Add a customer (staff)")
def create_customer(request: HttpRequest, payload: CustomerIn, response: HttpResponse) -> Any:
    customer = services.customer_create(actor=actor(request), **payload.model_dump())
    response["Location"] = f"/api/v1/customers/{customer.pk}"
    return Status(201, customer)


@router.get("/{customer_id}", response={200: CustomerOut, **ERRORS}, summary="One customer")
def get_customer(request: HttpRequest, customer_id: int) -> Any:
    return policy.access_customer(actor(request), customer_id, why=policy.VIA_API)
