"""Fixtures for proactive service: an outage tag on open cases of six customers, each showing one
rule (reachable, restricted, erased, no email, adjustments, a preferred channel of letters)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from rapport.cases.models import Tag
from rapport.cases.services import case_create
from rapport.customers.models import Customer
from rapport.privacy.models import Adjustment, DataRequest, Restriction
from tests.api.conftest import auth  # noqa: F401 - the API tests sign in with it

TAG = "outage-2026-12-04"


@dataclass
class Group:
    plain: Customer
    restricted: Customer
    erased: Customer
    no_email: Customer
    adjusted: Customer
    letters: Customer

    @property
    def all(self) -> list[Customer]:
        return [self.plain, self.restricted, self.erased, self.no_email, self.adjusted, self.letters]


def _customer(name: str, email: str, now, **extra) -> Customer:
    return Customer.objects.create(name=name, email=email, created_at=now, updated_at=now, **extra)


@pytest.fixture
def group(agent, team, now) -> Group:
    tag = Tag.objects.create(name=TAG)
    found = Group(
        plain=_customer("Priya Shah", "priya@example.org", now),
        restricted=_customer("Tom Evans", "tom@example.org", now),
        erased=_customer("Erased person", "gone@example.org", now, erased_at=now),
        no_email=_customer("Gwen Morgan", "", now),
        adjusted=_customer("Ravi Patel", "ravi@example.org", now),
        letters=_customer("Edith Clarke", "edith@example.org", now),
    )
    for customer in found.all:
        case = case_create(
            actor=agent,
            customer=customer,
            subject="Cannot sign in",
            body="The site is down.",
            channel="email",
            team=team,
            now=now,
        )
        case.tags.add(tag)
        if customer == found.restricted:
            request = DataRequest.objects.create(case=case, kind="restriction", received_on=now.date())
            Restriction.objects.create(
                customer=customer, request=request, ground="accuracy", reason="Checking his address", placed_at=now
            )
    for kind in ("large_print", "easy_read", "bsl_relay"):
        Adjustment.objects.create(customer=found.adjusted, kind=kind, recorded_at=now)
    Adjustment.objects.create(customer=found.letters, kind="preferred_channel", channel="letter", recorded_at=now)
    return found
