"""Shared fixtures: a clock, users in each role, a customer with a portal sign-in, and cases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def pytest_configure(config):
    """The Welsh catalogue compiled, as ``make`` would, when the suite is run directly."""
    from tests.i18n.catalogues import compile_stale

    compile_stale()


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "uploads")


@pytest.fixture(autouse=True)
def _clear_caches():
    """Every cache starts empty: the shared one, and each per-process one (``platform.caches``),
    whose copies would otherwise outlive a test's rolled-back rows."""
    from django.core.cache import cache

    from rapport.platform import caches

    def clear():
        cache.clear()
        caches.clear_all()

    clear()
    yield
    clear()


@pytest.fixture
def team(db):
    from rapport.accounts.models import Team

    return Team.objects.create(name="Front line")


@pytest.fixture
def other_team(db):
    from rapport.accounts.models import Team

    return Team.objects.create(name="Billing", kind="back_office")


def make_user(email: str, role: str, teams=(), password: str = "correct horse battery"):
    from rapport.accounts.models import User

    user = User.objects.create_user(email, password, name=email.split("@")[0].title(), role=role)
    if teams:
        user.teams.set(teams)
    return user


@pytest.fixture
def agent(team):
    return make_user("agent@example.com", "agent", [team])


@pytest.fixture
def other_agent(other_team):
    return make_user("billing@example.com", "agent", [other_team])


@pytest.fixture
def team_leader(team):
    return make_user("leader@example.com", "team_leader", [team])


@pytest.fixture
def manager(db):
    return make_user("manager@example.com", "manager")


@pytest.fixture
def customer_user(db):
    return make_user("alice@example.com", "customer")


@pytest.fixture
def customer(customer_user, now):
    from rapport.customers.models import Customer

    return Customer.objects.create(
        name="Alice Jones", email="alice@example.com", user=customer_user, created_at=now, updated_at=now
    )


@pytest.fixture
def other_customer(db, now):
    from rapport.customers.models import Customer

    user = make_user("bob@example.com", "customer")
    return Customer.objects.create(name="Bob Smith", email="bob@example.com", user=user, created_at=now, updated_at=now)


@pytest.fixture
def case(agent, customer, team, now):
    from rapport.cases.services import case_create

    return case_create(
        actor=agent,
        customer=customer,
        subject="Broken kettle",
        body="It stopped heating after a week.",
        channel="email",
        team=team,
        now=now,
    )


@pytest.fixture
def other_case(other_agent, other_customer, other_team, now):
    from rapport.cases.services import case_create

    return case_create(
        actor=other_agent,
        customer=other_customer,
        subject="Refund for duplicate charge",
        body="I was charged twice for order 5521.",
        channel="email",
        team=other_team,
        now=now,
    )
