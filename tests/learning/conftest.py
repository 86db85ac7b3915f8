"""Fixtures for staff learning: the demo unit (always there), a question on it, an assessor."""

from __future__ import annotations

import pytest

from rapport.learning.demo import DEMO_UNIT
from rapport.learning.services import Document, question_create, units_import
from tests.api.conftest import auth  # noqa: F401 - the API tests sign in with it
from tests.conftest import make_user


@pytest.fixture
def unit(db, now):
    text = DEMO_UNIT.read_text(encoding="utf-8")
    return units_import(documents=[Document("complaints.txt", text)], now=now)[0].unit


@pytest.fixture
def question(unit, team_leader, now):
    return question_create(
        actor=team_leader,
        unit=unit,
        title="A damaged sofa",
        situation="A sofa arrived damaged and three weeks late.",
        task="How would you handle the complaint?",
        now=now,
    )


@pytest.fixture
def assessor(db):
    from rapport.learning.models import Assessor

    user = make_user("assessor@example.com", "manager")
    Assessor.objects.create(user=user)
    return user


GOOD_ANSWER = (
    "I listened to her account and showed empathy, then gave a clear apology for the complaint. "
    "Under the Consumer Rights Act she is entitled to a repair or replacement; the voucher is goodwill from our "
    "policy, so I distinguish legal entitlements from goodwill. "
    "I logged the complaint so the complaint logs show the pattern and we improve the service."
)


@pytest.fixture
def complaint(agent, customer, team, now):
    from rapport.cases.services import case_create

    return case_create(
        actor=agent,
        customer=customer,
        subject="Sofa delivered damaged",
        body="It arrived three weeks late with a torn arm.",
        channel="phone",
        type="complaint",
        team=team,
        now=now,
    )
