"""/api/v1/learning: units for staff, answers marked on submission, portfolios behind the policy."""

from __future__ import annotations

import pytest

from tests.api.conftest import fields
from tests.learning.conftest import GOOD_ANSWER

pytestmark = pytest.mark.django_db


def test_staff_list_and_read_units_with_where_concepts_are_practised(client, auth, agent, unit):
    listed = client.get("/api/v1/learning/units", **auth(agent))
    one = client.get(f"/api/v1/learning/units/{unit.pk}", **auth(agent))

    assert listed.status_code == 200
    assert [u["id"] for u in listed.json()] == [unit.pk]
    body = one.json()
    assert len(body["marking_points"]) == 3
    assert body["concepts"][0]["practised_at"] == [{"label": "Complaint workflow (HEAT)", "path": "/complaints/"}]


def test_customers_cannot_read_units(client, auth, customer_user, customer, unit):
    assert client.get("/api/v1/learning/units", **auth(customer_user)).status_code == 404


def test_an_answer_comes_back_marked(client, auth, agent, question):
    response = client.post(
        f"/api/v1/learning/questions/{question.pk}/answers",
        {"text": GOOD_ANSWER},
        content_type="application/json",
        **auth(agent),
    )

    assert response.status_code == 201
    body = response.json()
    assert response["Location"] == f"/api/v1/learning/answers/{body['id']}"
    assert body["score"] == 3
    assert body["points"][0]["quote"].startswith("I let Mrs Shah tell me the whole story")


def test_an_empty_answer_is_a_field_error(client, auth, agent, question):
    response = client.post(
        f"/api/v1/learning/questions/{question.pk}/answers",
        {"text": ""},
        content_type="application/json",
        **auth(agent),
    )
    assert response.status_code == 422
    assert fields(response) == {"text": ["Enter your answer."]}


def test_another_agent_cannot_read_someone_elses_answer(client, auth, agent, other_agent, question):
    created = client.post(
        f"/api/v1/learning/questions/{question.pk}/answers",
        {"text": GOOD_ANSWER},
        content_type="application/json",
        **auth(agent),
    ).json()

    assert client.get(f"/api/v1/learning/answers/{created['id']}", **auth(other_agent)).status_code == 404
    assert client.get(f"/api/v1/learning/answers/{created['id']}", **auth(agent)).status_code == 200
