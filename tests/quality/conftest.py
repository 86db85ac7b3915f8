"""Fixtures for quality reviews: the agent's case with a reply to quote, reviewers, a review."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases.services import message_add
from tests.api.conftest import auth  # noqa: F401  (the API tests' sign-in headers)
from tests.conftest import make_user

REPLY = (
    "I'm sorry the kettle stopped working after only a week. I will arrange a replacement today "
    "and call you on Thursday to confirm delivery."
)


@pytest.fixture
def worked_case(case, agent, now):
    """The agent's case: the customer's message, the agent's reply, an internal note."""
    case.owner = agent
    case.save(update_fields=["owner"])
    message_add(actor=agent, reference=case.reference, kind="outbound", body=REPLY, now=now + timedelta(hours=1))
    message_add(actor=agent, reference=case.reference, kind="note", body="Checked the batch number.", now=now)
    case.refresh_from_db()
    return case


@pytest.fixture
def second_leader(team):
    return make_user("leader2@example.com", "team_leader", [team])


@pytest.fixture
def other_leader(other_team):
    return make_user("billing-leader@example.com", "team_leader", [other_team])


@pytest.fixture
def full_ratings():
    from rapport.quality.services import RatingIn

    def make(value: int = 3, quote: str = "I will arrange a replacement today"):
        from rapport.domain.quality import DEFAULT_BEHAVIOURS

        return {
            b.code: RatingIn(value, f"{b.name}: shown.", quote if b.code == "ownership" else "")
            for b in DEFAULT_BEHAVIOURS
            if b.code != "heat"
        }

    return make


@pytest.fixture
def submitted_review(worked_case, team_leader, full_ratings, now):
    from rapport.quality import services

    review = services.review_start(actor=team_leader, case=worked_case, now=now)
    return services.review_save(
        actor=team_leader, review=review, ratings=full_ratings(3), summary="Well handled.", submit=True, now=now
    )
