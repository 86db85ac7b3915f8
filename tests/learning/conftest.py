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


# An answer that earns all three of the demo unit's points by saying what each asks, not by naming
# its words (issue #20): each sentence links the point's subject to another of its ideas.
GOOD_ANSWER = (
    "I let Mrs Shah tell me the whole story without interrupting, said I understood how upsetting a torn sofa "
    "three weeks late must be and apologised, so she felt heard and calmer. "
    "Under the Consumer Rights Act she is entitled to a repair or replacement because the sofa was faulty on "
    "arrival, whereas the £20 voucher is goodwill our policy allows on top of her rights. "
    "Because the complaint logs showed three damaged deliveries from the same courier this month, we changed "
    "the packing checks to improve the service."
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
