"""A team of agents whose status, rota and skills the workforce records hold, and cases to route."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.accounts.models import Team
from rapport.cases.services import case_create
from rapport.workforce.models import AgentSkill, StatusChange
from tests.conftest import make_user


@pytest.fixture
def billing(db):
    return Team.objects.create(name="Billing")


@pytest.fixture
def crew(billing, now):
    """Three agents of Billing, available since an hour ago (Aled speaks Welsh)."""
    people = [make_user(f"{name}@example.com", "agent", [billing]) for name in ("aled", "bea", "cat")]
    for person in people:
        StatusChange.objects.create(agent=person, status="available", source="agent", at=now - timedelta(hours=1))
    AgentSkill.objects.create(agent=people[0], skill="welsh")
    return people


@pytest.fixture
def leader(billing):
    return make_user("lead@example.com", "team_leader", [billing])


@pytest.fixture
def raise_case(agent, customer, billing, now):
    def make(subject="Bill too high", *, team=billing, type="enquiry", priority="normal", tags=(), at=None, who=None):
        return case_create(
            actor=agent,
            customer=who or customer,
            subject=subject,
            body="Please look at my account.",
            channel="email",
            team=team,
            type=type,
            priority=priority,
            tags=tags,
            now=at or now - timedelta(minutes=30),
        )

    return make


def set_status(person, status, at):
    StatusChange.objects.create(agent=person, status=status, source="agent", at=at)
