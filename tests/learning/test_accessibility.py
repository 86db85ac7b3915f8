"""The learning pages pass the desk's basic accessibility checks, with and without errors."""

from __future__ import annotations

import pytest

from rapport.learning.services import answer_submit, evidence_add, question_create
from tests.learning.conftest import GOOD_ANSWER
from tests.web.conftest import signed_in
from tests.web.html_checks import page_problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(unit, team_leader, agent, complaint, assessor, now):
    question = question_create(actor=team_leader, unit=unit, title="Q", situation="S", task="T", now=now)
    answer = answer_submit(actor=agent, question=question, text=GOOD_ANSWER, now=now)
    evidence_add(
        actor=agent,
        learner=agent,
        kind="complaint",
        summary="HEAT",
        point_ids=[unit.marking_points.first().pk],
        case_reference=complaint.reference,
        now=now,
    )
    return {"unit": unit.pk, "question": question.pk, "answer": answer.pk, "learner": agent.pk}


@pytest.mark.parametrize(
    "path",
    [
        "/learning/",
        "/learning/units/{unit}/",
        "/learning/questions/{question}/",
        "/learning/answers/{answer}/",
        "/learning/learners/",
        "/learning/learners/{learner}/",
    ],
)
@pytest.mark.parametrize("who", ["team_leader", "assessor"])
def test_learning_pages_pass_the_basic_checks(busy, path, who, request):
    response = signed_in(request.getfixturevalue(who)).get(path.format(**busy))

    assert response.status_code == 200
    assert page_problems(response.content.decode()) == []


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/learning/units/{unit}/", {"title": ""}),
        ("/learning/questions/{question}/", {"text": ""}),
        ("/learning/answers/{answer}/override/", {"credited": "yes"}),
        ("/learning/learners/{learner}/evidence/", {"kind": "complaint"}),
    ],
)
def test_errors_are_summarised_and_tied_to_their_fields(busy, team_leader, path, data):
    response = signed_in(team_leader).post(path.format(**busy), data)

    html = response.content.decode()
    assert response.status_code == 422
    assert '<div class="error-summary" tabindex="-1"' in html
    assert 'aria-invalid="true"' in html
    assert page_problems(html) == []
