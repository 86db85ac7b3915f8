"""Portal fixtures: a signed-in customer's browser and files to attach."""

from __future__ import annotations

import pytest

PDF = b"%PDF-1.4 a small receipt"


@pytest.fixture
def portal(client, customer):
    """A browser signed in as Alice, whose sign-in is linked to her customer record."""
    client.force_login(customer.user)
    return client


@pytest.fixture
def resolved_case(case, agent, now):
    from rapport.cases.services import case_update

    return case_update(
        actor=agent, reference=case.reference, expected_version=case.version, changes={"status": "resolved"}, now=now
    )
