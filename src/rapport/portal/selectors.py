"""Reads for the portal pages. Every case a customer sees comes through the permission policy."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser

from rapport import access as policy
from rapport.accounts.models import User
from rapport.cases.models import Case
from rapport.customers.models import Customer
from rapport.platform.pagination import Keyset, Page

# Most recently updated first: a reply from us brings a case back to the top.
MY_CASES = Keyset((("updated_at", datetime, True), ("id", int, True)))


def portal_customer(actor: User | AnonymousUser) -> Customer | None:
    """The customer record this sign-in belongs to, if it has been linked to one."""
    if not actor.is_authenticated or policy.is_staff(actor):
        return None
    return policy.visible_customers(actor).first()


def my_cases(actor: User, *, cursor: str | None, size: int) -> Page[Case]:
    """One page of the actor's own cases: one query whatever the page size."""
    return MY_CASES.paginate(policy.visible_cases(actor), cursor=cursor, size=size)
