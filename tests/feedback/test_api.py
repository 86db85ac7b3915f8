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


RATER = "/api/v1/feedback/rater-invitations"


def _post(client, auth, user, body):
    return client.post(RATER, json.dumps(body), content_type="application/json", **auth(user))


def test_rater_invitations_preview_then_send_with_skip_reasons(client, auth, manager, customer, other_customer):
    from rapport.customers.models import Customer
    from rapport.feedback.models import RaterCampaign

    Customer.objects.filter(pk=other_customer.pk).update(email="")
    body = {"customer_ids": [customer.pk, other_customer.pk], "name": "Pilot"}
    preview = _post(client, auth, manager, {**body, "preview": True})
    assert preview.status_code == 200
    assert preview.json() == {
        "id": None,
        "preview": True,
        "matched": 2,
        "invited": 1,
        "skipped": [{"reason": "no_email", "label": "No email address", "customers": 1}],
    }
    assert not RaterCampaign.objects.exists()
    sent = _post(client, auth, manager, body)
    assert sent.status_code == 201
    assert sent.json()["invited"] == 1
    assert sent.json()["id"] == RaterCampaign.objects.get().pk
    listed = client.get(RATER, **auth(manager))
    assert listed.status_code == 200
    (row,) = listed.json()["items"]
    assert (row["name"], row["invited"], row["matched"], row["sent_by"]) == ("Pilot", 1, 2, manager.name)
    assert row["audience"] == {"customer_ids": sorted([customer.pk, other_customer.pk])}
    assert row["response_rate"] is None
    assert row["overall_gap"] is None
    assert listed.json()["next_cursor"] is None


def test_rater_invitations_by_segment_and_paged(client, auth, manager, customer, now):
    for i in range(3):
        assert (
            _post(
                client, auth, manager, {"segment": {"group": "external"}, "name": f"S{i}", "within_days": 1}
            ).status_code
            == 201
        )
    first = client.get(RATER + "?limit=2", **auth(manager)).json()
    assert [r["name"] for r in first["items"]] == ["S2", "S1"]
    rest = client.get(RATER + f"?limit=2&cursor={first['next_cursor']}", **auth(manager)).json()
    assert [r["name"] for r in rest["items"]] == ["S0"]
    assert client.get(RATER + "?cursor=nonsense", **auth(manager)).status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "customer_ids"),
        ({"customer_ids": [1], "segment": {"group": "internal"}}, "customer_ids"),
        ({"customer_ids": [999999]}, "customer_ids"),
        ({"customer_ids": "all"}, "customer_ids"),
        ({"segment": {"group": "vip"}}, "group"),
        ({"segment": {"tier": "platinum"}}, "tier"),
        ({"segment": {"team": 999999}}, "team"),
        ({"segment": {"resolved_from": "2026-03-09", "resolved_to": "2026-03-01"}}, "resolved_to"),
        ({"segment": {"resolved_from": "yesterday", "resolved_to": "2026-03-01"}}, "resolved_from"),
        ({"segment": {"group": "external"}, "within_days": 0}, "within_days"),
        ({"segment": {"group": "external"}, "colour": "red"}, "colour"),
    ],
)
def test_rater_invitations_bad_input_is_a_422_naming_the_field(client, auth, manager, customer, body, field):
    from rapport.feedback.models import RaterCampaign

    response = _post(client, auth, manager, body)
    assert response.status_code == 422
    assert field in fields(response)
    assert not RaterCampaign.objects.exists()


def test_agents_and_customers_cannot_send_or_list(client, auth, agent, customer_user, customer):
    for user in (agent, customer_user):
        assert _post(client, auth, user, {"customer_ids": [customer.pk]}).status_code == 404
        assert client.get(RATER, **auth(user)).status_code == 404


def test_a_period_too_far_back_for_its_comparison_is_a_422_naming_it(client, auth, manager):
    # the period is compared with the one before it, which must still be a date
    response = client.get("/api/v1/feedback/kpis?start=0001-01-02&end=2026-03-08", **auth(manager))

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["start"]


def test_a_customer_id_no_database_can_hold_is_an_unknown_customer(client, auth, manager, customer):
    body = {"customer_ids": [customer.pk, 12192744606004632616960], "name": "Pilot", "preview": True}
    response = _post(client, auth, manager, body)
    assert response.status_code == 422
    assert "customer_ids" in {e["field"] for e in response.json()["errors"]}
