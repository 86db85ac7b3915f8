"""/api/v1/complaints: the HEAT record through the API, the one error shape, approvals, reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from rapport.accounts.services import token_create
from rapport.complaints import services
from rapport.domain import complaint_rules as rules


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


def test_an_approval_decision_through_the_api(client, auth, agent, team_leader, assessed, now):
    complaint_case = assessed
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


def test_ten_awards_of_twenty_pounds_through_the_api_are_not_all_granted(client, auth, agent, complaint_case):
    # given: an agent whose goodwill limit is £20
    url = f"/api/v1/complaints/{complaint_case.reference}/awards"
    award = {"kind": "goodwill", "basis": "goodwill", "amount": "20.00"}
    # when: ten £20 awards are posted
    for _ in range(10):
        body = client.post(url, award, content_type="application/json", **auth(agent)).json()
    # then: one is granted and nine wait for approval
    statuses = [a["status"] for a in body["awards"]]
    assert statuses.count("granted") == 1
    assert statuses.count("awaiting_approval") == 9


def test_the_remedy_assessment_is_read_and_written_through_the_api(client, auth, agent, complaint_case):
    url = f"/api/v1/complaints/{complaint_case.reference}/assessment"
    h = auth(agent)
    # given: no facts on file
    before = client.get(url, **h).json()
    assert (before["facts"], before["result"]) == (None, None)
    # a legal award has nothing to implement yet
    refused = client.post(
        f"/api/v1/complaints/{complaint_case.reference}/awards",
        {"kind": "refund", "basis": "legal", "amount": "30", "remedy": "repair"},
        content_type="application/json",
        **h,
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "remedy", "message": rules.NO_ASSESSMENT_FOR_LEGAL}]

    # when: the facts are recorded (goods delivered ten days ago)
    delivered = (timezone.localdate() - timedelta(days=10)).isoformat()
    facts = {
        "kind": "goods",
        "contract_date": delivered,
        "delivered": delivered,
        "reported": delivered,
        "price": "189.00",
    }
    response = client.put(url, facts, content_type="application/json", **h)

    # then: the facts and the result come back, and read the same afterwards
    body = response.json()
    assert response.status_code == 200, body
    assert body["facts"]["price"] == "189.00"
    assert body["facts"]["delivered"] == delivered
    codes = {r["code"] for r in body["result"]["remedies"]}
    assert {"short_term_reject", "repair", "replacement"} <= codes
    assert all(r["section"].startswith(("CRA", "CCR")) for r in body["result"]["remedies"])
    assert client.get(url, **h).json() == body
    granted = client.post(
        f"/api/v1/complaints/{complaint_case.reference}/awards",
        {"kind": "refund", "basis": "legal", "amount": "30", "remedy": "repair"},
        content_type="application/json",
        **h,
    )
    assert granted.json()["awards"][-1]["status"] == "granted"


def test_contradictory_facts_are_refused_and_the_stored_ones_kept(client, auth, agent, complaint_case):
    url = f"/api/v1/complaints/{complaint_case.reference}/assessment"
    h = auth(agent)
    day = timezone.localdate() - timedelta(days=5)
    good = {"kind": "goods", "contract_date": day.isoformat(), "reported": day.isoformat(), "price": "10"}
    stored = client.put(url, good, content_type="application/json", **h).json()
    backwards = dict(good, reported=(day - timedelta(days=3)).isoformat())
    response = client.put(url, backwards, content_type="application/json", **h)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "facts", "message": "reported cannot be before contract_date"}]
    wrong_type = client.put(url, dict(good, kind="car"), content_type="application/json", **h)
    assert wrong_type.status_code == 422
    assert client.get(url, **h).json() == stored


def test_customers_cannot_read_the_assessment(client, auth, customer_user, complaint_case):
    url = f"/api/v1/complaints/{complaint_case.reference}/assessment"
    assert client.get(url, **auth(customer_user)).status_code == 404
    assert client.put(url, {}, content_type="application/json", **auth(customer_user)).status_code in {404, 422}
