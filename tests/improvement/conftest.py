"""Fixtures for continuous improvement: cases seeded in bulk around a change, and an initiative."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from rapport.cases.models import Case
from tests.api.conftest import auth  # noqa: F401  (the API tests' sign-in headers)
from tests.web.conftest import manager_client  # noqa: F401


@pytest.fixture
def seed_cases(customer, team):
    """``seed_cases(count, start, complaints=k, reply_hours=h)`` opens ``count`` cases an hour
    apart from ``start`` for the customer (written directly: a thousand cases through the desk's
    services would take minutes), the first ``k`` of them complaints, each replied to after ``h``
    hours when given."""

    def seed(count: int, start: datetime, *, complaints: int = 0, reply_hours: float | None = None, **fields):
        rows = []
        for i in range(count):
            at = start + timedelta(hours=i)
            rows.append(
                Case(
                    type="complaint" if i < complaints else "enquiry",
                    status="open",
                    channel=fields.get("channel", "email"),
                    subject=f"Seeded case {i}",
                    customer=fields.get("customer", customer),
                    team=fields.get("team", team),
                    created_at=at,
                    updated_at=at,
                    first_response_at=at + timedelta(hours=reply_hours) if reply_hours is not None else None,
                )
            )
        return Case.objects.bulk_create(rows)

    return seed


@pytest.fixture
def initiative(manager, now):
    from rapport.improvement.services import initiative_create

    return initiative_create(
        actor=manager,
        now=now,
        fields={
            "title": "Cut complaints about late deliveries",
            "problem": "Customers complain that deliveries arrive late and nobody tells them.",
            "check_on": date(2026, 3, 1),
            "one_off_cost": 12000,
            "monthly_saving": 1500,
        },
    )
