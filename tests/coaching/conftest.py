from __future__ import annotations

import pytest

from tests.api.conftest import auth  # noqa: F401 - the API tests sign in with it
from tests.conftest import make_user


@pytest.fixture
def team_mate(team):
    return make_user("mate@example.com", "agent", [team])


@pytest.fixture
def crowd(team, other_team):
    """Seven more staff in the front line and three in billing (for the pulse's group sizes)."""
    front = [make_user(f"front{i}@example.com", "agent", [team]) for i in range(7)]
    billing = [make_user(f"bill{i}@example.com", "agent", [other_team]) for i in range(3)]
    return front, billing
