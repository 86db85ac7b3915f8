"""/api/v1/customers: staff find, add, change and merge customers, and ask for a person's data to be
erased; a customer sees only their own record."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from rapport import access as policy
from rapport.accounts.api import ERRORS, ErrorOut, actor
from rapport.customers import merging, selectors, services
from rapport.customers.schemas import (
    CustomerChanges,
    CustomerIn,
    CustomerListQuery,
    CustomerMergeIn,
    CustomerMergeOut,
    CustomerOut,
    CustomerPageView,
    CustomerView,
    ErasureRequestOut,
)

router = Router(tags=["customers"])


@router.get("", response={200: CustomerPageView, **ERRORS}, summary="List customers")
def list_customers(request: HttpRequest, filters: Query[CustomerListQuery]) -> Any:
    """By name, then id. ``q`` matches the start of the name or the whole email address;
    ``updated_since`` and ``created_since`` give what changed since a client's last sync. Records
    merged into another are left out. A customer gets their own record only, in the customer view
    (``audience``: "customer")."""
    user = actor(request)
    page = selectors.customer_list(
        user, query=filters.q, kind=filters.kind, cursor=filters.cursor, size=filters.limit,
        updated_since=filters.updated_since, created_since=filters.created_since,
    )  # fmt: skip
    # Unlike the desk's list page, this gives whole records (address, notes): each one is a read.
    policy.accessed(user, [c.pk for c in page.items], what=policy.CUSTOMER_RECORD, why=policy.VIA_API)
    return {"audience": policy.audience_of(user), "items": page.items, "next_cursor": page.next_cursor}


@router.post("", response={201: CustomerOut, **ERRORS}, summary="Add a customer (staff)")
def create_customer(request: HttpRequest, payload: CustomerIn, response: HttpResponse) -> Any:
    """A new customer record; answers 201 with its ``Location``."""
    customer = services.customer_create(actor=actor(request), **payload.model_dump())
    response["Location"] = f"/api/v1/customers/{customer.pk}"
    return Status(201, customer)


@router.get("/{customer_id}", response={200: CustomerView, **ERRORS}, summary="One customer")
def get_customer(request: HttpRequest, customer_id: int) -> Any:
    """One customer: staff see any, a customer only themselves (others are not found). A record
    merged into another still answers, with ``merged_into`` naming the record to use."""
    user = actor(request)
    customer = policy.access_customer(user, customer_id, why=policy.VIA_API)
    customer.audience = policy.audience_of(user)  # type: ignore[attr-defined]  # the view the schema serialises
    return customer


@router.patch(
    "/{customer_id}", response={200: CustomerOut, **ERRORS, 409: ErrorOut}, summary="Change a customer (staff)"
)
def update_customer(request: HttpRequest, customer_id: int, payload: CustomerChanges) -> Any:
    """Change some of the record's fields; those left out stay as they are. Refused (409) while the
    person's data is restricted (UK GDPR Art 18) or another app holds the record."""
    return services.customer_update(
        actor=actor(request), customer_id=customer_id, **payload.model_dump(exclude_unset=True)
    )


@router.delete(
    "/{customer_id}",
    response={202: ErasureRequestOut, **ERRORS, 409: ErrorOut},
    summary="Ask for the customer's data to be erased (staff)",
)
def delete_customer(request: HttpRequest, customer_id: int, response: HttpResponse) -> Any:
    """Nothing is deleted at once: this opens a data request for erasure (UK GDPR Art 17), or
    answers the one already open, and says which legal reasons (``holds``) keep the data for now.
    The request is worked like any other; erasure happens once it is approved and nothing holds it.
    Answers 202 with the request's case reference in ``Location``."""
    started = services.customer_erasure_request(actor=actor(request), customer_id=customer_id)
    response["Location"] = f"/api/v1/cases/{started.reference}"
    return Status(202, {"request": started.reference, "url": started.url, "holds": list(started.holds)})


@router.post(
    "/{customer_id}/merge",
    response={200: CustomerMergeOut, **ERRORS, 409: ErrorOut},
    summary="Merge a duplicate record into this customer (staff)",
)
def merge_customer(request: HttpRequest, customer_id: int, payload: CustomerMergeIn) -> Any:
    """The same person entered twice: the duplicate's cases, sign-in, consents, adjustments and
    legal holds move to this record, each moved case's journal says so, and the duplicate stays as a
    pointer (``merged_into``). All or nothing; refused (409) for an erased, already merged or
    restricted record, or a person and an internal colleague."""
    done = merging.customer_merge(actor=actor(request), keep_id=customer_id, duplicate_id=payload.duplicate)
    return {"customer": done.kept, "merged": done.duplicate.pk, "cases_moved": done.cases, "moved": done.moved}
