"""/api/v1/feedback: KPIs in the caller's scope, answers by signed link, orders and value."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from rapport.feedback import services
from rapport.feedback.models import FeedbackSettings, SurveyInvitation
from tests.api.conftest import fields


@pytest.fixture
def token(case, resolve):
    FeedbackSettings.objects.create(delay_minutes=0)
    resolve(case, timezone.now())
    return services.survey_token(SurveyInvitation.objects.get(case=case, kind="csat"))


def test_answer_by_signed_link_without_sign_in(client, token):
    url = f"/api/v1/feedback/surveys/{token}/answer"
    created = client.post(url, json.dumps({"score": 4, "comment": "Fine"}), content_type="application/json")
    assert created.status_code == 201
    assert created.json()["score"] == 4
    again = client.post(url, json.dumps({"score": 2}), content_type="application/json")
    assert again.status_code == 409
    bad = client.post(
        f"/api/v1/feedback/surveys/{token}x/answer", json.dumps({"score": 2}), content_type="application/json"
    )
    assert bad.status_code == 404


def test_a_score_off_the_scale_is_a_field_error(client, token):
    response = client.post(
        f"/api/v1/feedback/surveys/{token}/answer", json.dumps({"score": 9}), content_type="application/json"
    )
    assert response.status_code == 422
    assert fields(response) == {"score": ["Choose a score from 1 to 5."]}


def test_kpis_for_staff_only(client, auth, manager, customer_user, customer):
    response = client.get("/api/v1/feedback/kpis?start=2026-03-01&end=2026-03-08", **auth(manager))
    assert response.status_code == 200
    measures = {m["measure"]: m["current"] for m in response.json()["measures"]}
    assert measures["SLA attainment"] == "not measured"
    assert measures["CSAT (n=0)"] == "no data"
    assert client.get("/api/v1/feedback/kpis", **auth(customer_user)).status_code == 404
    backwards = client.get("/api/v1/feedback/kpis?start=2026-03-08&end=2026-03-01", **auth(manager))
    assert fields(backwards) == {"end": ["The end date must be after the start date."]}


def test_orders_by_managers_and_value_for_staff(client, auth, manager, agent, customer):
    url = f"/api/v1/feedback/customers/{customer.pk}/orders"
    body = json.dumps({"reference": "W-1", "placed_at": "2026-01-10T10:00:00Z", "amount": "250.00"})
    assert client.post(url, body, content_type="application/json", **auth(agent)).status_code == 403
    created = client.post(url, body, content_type="application/json", **auth(manager))
    assert created.status_code == 201
    assert created.json()["amount_pence"] == 25000
    duplicate = client.post(url, body, content_type="application/json", **auth(manager))
    assert duplicate.status_code == 422
    value = client.get(f"/api/v1/feedback/customers/{customer.pk}/value", **auth(agent)).json()
    assert value["orders"] == 1
    assert value["lifetime_value"] is not None
