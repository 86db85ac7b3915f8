"""Fixtures for feedback: a resolved case and its invitations, consent hooks kept per test."""

from __future__ import annotations

import pytest

from rapport import extensions


@pytest.fixture(autouse=True)
def _no_leaking_consent(monkeypatch):
    """Tests add consent hooks freely; each starts from the registered ones only."""
    monkeypatch.setattr(extensions, "contact_permissions", list(extensions.contact_permissions))


@pytest.fixture
def resolve(agent):
    from rapport.cases.services import case_update

    def resolve(case, now):
        case.refresh_from_db()
        return case_update(
            actor=agent,
            reference=case.reference,
            expected_version=case.version,
            changes={"status": "resolved"},
            now=now,
        )

    return resolve


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks):
    """The periodic sweep, with the emails it queues for after the commit actually sent."""
    from rapport.feedback import services

    def dispatch(now):
        with django_capture_on_commit_callbacks(execute=True):
            return services.invitations_dispatch(now=now)

    return dispatch


@pytest.fixture
def answer(django_capture_on_commit_callbacks):
    from rapport.feedback import services

    def answer(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.survey_answer(**kwargs)

    return answer


from tests.api.conftest import auth  # noqa: E402, F401 - shared fixtures
from tests.web.conftest import agent_client, customer_client, manager_client  # noqa: E402, F401 - shared fixtures
