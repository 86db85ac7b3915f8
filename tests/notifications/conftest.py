"""Fixtures for notifications: colleagues, and delivering what the journal owes at once."""

from __future__ import annotations

import pytest

from rapport.accounts.models import Role
from tests.conftest import make_user


@pytest.fixture
def colleague(team):
    user = make_user("megan.jones@example.com", Role.AGENT, [team])
    user.name = "Megan Jones"
    user.save()
    return user


@pytest.fixture
def deliver():
    """Run the notification jobs now, as the worker would (returns how many events each got)."""
    from rapport.cases import journal
    from rapport.notifications.services import WATCHED

    def run() -> int:
        return sum(journal.deliver(f"notifications.{kind}") for kind in WATCHED)

    return run


from tests.web.conftest import agent_client, customer_client, other_agent_client  # noqa: E402, F401 - fixtures
