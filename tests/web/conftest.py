"""Fixtures for the desk pages: signed-in clients for each role, and a way to make many cases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agent_client(agent) -> Client:
    return signed_in(agent)


@pytest.fixture
def other_agent_client(other_agent) -> Client:
    return signed_in(other_agent)


@pytest.fixture
def manager_client(manager) -> Client:
    return signed_in(manager)


@pytest.fixture
def customer_client(customer_user, customer) -> Client:
    return signed_in(customer_user)


@pytest.fixture
def make_cases(agent, customer, team, now):
    """``make_cases(n, **fields)`` opens n cases for the customer, a minute apart, oldest first."""
    from rapport.cases.services import case_create

    def make(count: int, **fields):
        defaults = {"channel": "email", "team": team}
        defaults.update(fields)
        return [
            case_create(
                actor=agent,
                customer=customer,
                subject=f"Case number {i}",
                body=f"Body {i}",
                now=now + timedelta(minutes=i),
                **defaults,
            )
            for i in range(count)
        ]

    return make
