"""Fixtures for sign-in security: the test OIDC provider (one per test session, a real server on
127.0.0.1), and Rapport's settings pointed at it."""

from __future__ import annotations

import pytest

from tests.identity import provider as test_provider


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    started = test_provider.start(tmp_path_factory.mktemp("oidc-provider"))
    yield started
    started.process.terminate()
    started.process.wait(timeout=10)


@pytest.fixture
def sso(settings, oidc_provider):
    """Single sign-on on, against the test provider, with its groups mapped as an organisation
    would map Entra ID or Okta groups."""
    for name, value in oidc_provider.settings().items():
        setattr(settings, name, value)
    settings.RAPPORT_OIDC_ROLE_MAP = {"rapport-agents": "agent", "rapport-managers": "manager"}
    settings.RAPPORT_OIDC_TEAM_MAP = {"billing": "Billing"}
    settings.RAPPORT_OIDC_CREATE_USERS = True
    return oidc_provider
