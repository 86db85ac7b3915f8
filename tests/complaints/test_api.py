"""/api/v1/complaints: the HEAT record through the API, the one error shape, approvals, reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from rapport.accounts.services import token_create
from rapport.complaints import services


@pytest.fixture
def auth(db):
    def headers(user) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)[1]}"}

    return headers


def test_the_heat_stages_through_the_api(client, auth, agent, complaint_case, now):
    ref = complaint_case.reference
    base = f"/api/v1/complaints/{ref}"
    h = auth(agent)
    assert (
        client.post(
            f"{base}/hear",
            {"account": "Two kettles died.", "summary": "Faulty kettles.", "confirmed": True},
            content_type="application/json",
            **h,
        ).status_code
        == 200
    )
    client.post(f"{base}/empathise", {"said": "I understand."}, content_type="application/json", **h)
    client.post(
        f"{base}/apologise", {"said": "Sorry.", "liability_admitted": False}, content_type="application/json", **h
    )
    promised = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(
        f"{base}/ownership",
        {"handler_id": agent.pk, "action_plan": "Refund.", "promised_date": promised},
        content_type="application/json",
        **h,
    )
    body = response.json()
    assert response.status_code == 200, body
    assert [s["done"] for s in body["stages"]] == [True, True, True, True]
    assert body["closing_refusals"] == [
        "Record the customer's response to the outcome (accepted, rejected or no reply).",
        "Record the root cause of this complaint.",
    ]
    assert body["deadline"] in {"on_track", "due_soon", "overdue"}


def test_service_refusals_use_the_one_error_shape(client, auth, agent, complaint_case):
    response = client.post(
        f"/api/v1/complaints/{complaint_case.reference}/awards",
        {"kind": "refund", "basis": "legal", "amount": "ten pounds"},
        content_type="application/json",
        **auth(agent),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "amount", "message": services.AMOUNT_INVALID}]


def test_customers_and_non_complaints_get_not_found(client, auth, customer_user, customer, agent, complaint_case, case):
    assert client.get(f"/api/v1/complaints/{complaint_case.reference}", **auth(customer_user)).status_code == 404
    assert client.get(f"/api/v1/complaints/{case.reference}", **auth(agent)).status_code == 404


def test_an_approval_decision_through_the_api(client, auth, agent, team_leader, complaint_case, now):
    award = services.award_request(
        actor=agent,
        reference=complaint_case.reference,
        kind="refund",
        basis="legal",
        amount="120",
        remedy="repair",
        now=now,
    )
    url = f"/api/v1/complaints/approvals/{award.approval.pk}/decision"
    refused = client.post(
        url,
        {"approve": False, "ground": "budget", "reason": "No budget."},
        content_type="application/json",
        **auth(team_leader),
    )
    assert refused.status_code == 422
    approved = client.post(
        url, {"approve": True, "reason": "Entitled."}, content_type="application/json", **auth(team_leader)
    )
    assert approved.json()["approved"] is True


def test_reports_through_the_api_for_leaders_only(client, auth, agent, team_leader, heat_done):
    url = "/api/v1/complaints/reports/trend?start=2026-01-01&end=2026-12-31"
    assert client.get(url, **auth(agent)).status_code == 404
    body = client.get(url, **auth(team_leader)).json()
    assert body["rows"] == [["2026-03", "1", "0"]]
