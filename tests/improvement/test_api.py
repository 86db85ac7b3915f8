"""/api/v1/improvement: standards, journey, gaps, initiatives, the Check and the register."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rapport.improvement import services
from rapport.improvement.models import Initiative
from tests.api.conftest import fields

pytestmark = pytest.mark.django_db

CHANGE = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("path", ["standards", "journey", "gaps", "initiatives", "rules", "kpis"])
def test_staff_read_and_customers_do_not(client, auth, agent, customer_user, path):
    assert client.get(f"/api/v1/improvement/{path}", **auth(agent)).status_code == 200
    assert client.get(f"/api/v1/improvement/{path}", **auth(customer_user)).status_code in (403, 404)


def test_the_journey_lists_every_touchpoint_with_its_rag(client, auth, agent, manager, now):
    services.standard_save(
        actor=manager,
        now=now,
        touchpoint="first_reply",
        expectation="A reply within a working day",
        behaviour="Plain speaking",
        kpi="first_response_hours",
        target=8,
        amber_within=2,
    )
    body = client.get("/api/v1/improvement/journey", **auth(agent)).json()
    assert [row["touchpoint"] for row in body][:4] == ["finding_help", "self_service", "first_contact", "first_reply"]
    reply = next(row for row in body if row["touchpoint"] == "first_reply")
    assert (reply["kpi"], reply["target"], reply["rag"]) == ("first_response_hours", 8.0, "none")
    assert next(row for row in body if row["touchpoint"] == "handoff")["internal"] is True
    standards = client.get("/api/v1/improvement/standards", **auth(agent)).json()
    assert [row["touchpoint"] for row in standards] == ["first_reply"]


def test_a_bad_period_is_a_field_error(client, auth, agent):
    response = client.get("/api/v1/improvement/gaps?start=2026-03-01&end=2026-02-01", **auth(agent))
    assert response.status_code == 422
    assert fields(response) == {"end": ["The end must be after the start."]}
    response = client.get("/api/v1/improvement/gaps?dimension=planet", **auth(agent))
    assert "dimension" in fields(response)


def test_create_an_initiative_from_a_gap_and_check_it(client, auth, manager, agent, seed_cases):
    today = datetime.now(UTC).date()
    seed_cases(10, datetime.now(UTC) - timedelta(days=2))
    gaps = client.get("/api/v1/improvement/gaps", **auth(manager)).json()
    key = next(g["key"] for g in gaps if g["key"] == "improvement/repeat_contacts")
    payload = {
        "title": "Stop repeat contacts",
        "problem": "Customers call back.",
        "check_on": str(today + timedelta(days=30)),
        "gap": key,
        "monthly_saving": "100",
    }

    refused = client.post("/api/v1/improvement/initiatives", payload, content_type="application/json", **auth(agent))
    made = client.post("/api/v1/improvement/initiatives", payload, content_type="application/json", **auth(manager))

    assert refused.status_code == 403
    assert made.status_code == 201
    body = made.json()
    assert made["Location"] == f"/api/v1/improvement/initiatives/{body['id']}"
    assert body["stage"] == "plan"
    initiative = Initiative.objects.get()
    assert initiative.evidence.get().case_ids
    not_live = client.post(f"/api/v1/improvement/initiatives/{body['id']}/check", **auth(manager))
    assert not_live.status_code == 422
    assert "change_at" in fields(not_live)


def test_an_unknown_gap_is_refused(client, auth, manager):
    payload = {"title": "T", "problem": "P", "check_on": "2030-01-01", "gap": "improvement/nothing"}
    response = client.post("/api/v1/improvement/initiatives", payload, content_type="application/json", **auth(manager))
    assert response.status_code == 422
    assert "gap" in fields(response)


def test_the_check_on_demand_and_read_back(client, auth, manager, agent, initiative, seed_cases):
    seed_cases(100, CHANGE - timedelta(days=10), complaints=40)
    seed_cases(100, CHANGE + timedelta(days=3), complaints=10)
    services.stage_move(actor=manager, initiative=initiative, now=CHANGE, change_at=CHANGE)
    services.kpi_add(actor=manager, initiative=initiative, now=CHANGE, kpi="complaint_rate", target=15)
    path = f"/api/v1/improvement/initiatives/{initiative.pk}/check"

    assert client.post(path, **auth(agent)).status_code == 403
    ran = client.post(path, **auth(manager))
    read = client.get(path, **auth(agent))

    assert ran.status_code == 200
    [result] = ran.json()
    assert (result["kpi"], result["verdict"], result["before_n"], result["after_n"]) == (
        "complaint_rate",
        "improved",
        100,
        100,
    )
    assert read.json()[0]["verdict"] == "improved"
    detail = client.get(f"/api/v1/improvement/initiatives/{initiative.pk}", **auth(agent)).json()
    assert detail["kpis"][0]["latest"]["verdict"] == "improved"
    assert detail["payback_months"] == 8.0
    assert client.get("/api/v1/improvement/initiatives/999999", **auth(agent)).status_code == 404
