"""/api/v1/quality: scorecards, reviews and calibrations, with the same rules as the pages and
4xx answers that name the field."""

from __future__ import annotations

import pytest

from rapport.quality import services
from rapport.quality.models import Review
from tests.api.conftest import fields

pytestmark = pytest.mark.django_db
API = "/api/v1/quality"


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/scorecards", "/reviews", "/reviews/{review_id}", "/calibrations", "/calibrations/{calibration_id}"):
        assert f"{API}{path}" in paths


def test_staff_read_scorecards_managers_create_them(client, auth, agent, manager):
    response = client.post(f"{API}/scorecards", {"name": "Chat"}, content_type="application/json", **auth(agent))
    assert response.status_code == 403
    response = client.post(f"{API}/scorecards", {"name": "Chat"}, content_type="application/json", **auth(manager))
    assert response.status_code == 201
    body = response.json()
    assert body["current"]["number"] == 1
    assert {b["code"] for b in body["current"]["behaviours"]} >= {"empathy", "heat", "compliance"}
    assert client.get(f"{API}/scorecards", **auth(agent)).json()[0]["name"] == "Chat"


def test_a_bad_scorecard_names_the_field(client, auth, manager):
    response = client.post(
        f"{API}/scorecards",
        {"name": "Chat", "behaviours": [{"name": "Empathy", "weight": 0}], "scale": ["Only"]},
        content_type="application/json",
        **auth(manager),
    )
    assert response.status_code == 422
    assert set(fields(response)) >= {"behaviours", "scale"}


def test_revising_a_scorecard_makes_a_new_version(client, auth, manager):
    created = client.post(f"{API}/scorecards", {"name": "Chat"}, content_type="application/json", **auth(manager))
    scorecard_id = created.json()["id"]
    response = client.post(
        f"{API}/scorecards/{scorecard_id}/versions",
        {"behaviours": [{"name": "Empathy", "weight": 1}], "scale": ["No", "Yes"], "note": "Lean"},
        content_type="application/json",
        **auth(manager),
    )
    assert response.status_code == 201
    assert response.json()["current"]["number"] == 2
    assert client.get(f"{API}/scorecards/99999999999999999999", **auth(manager)).status_code in (404, 422)


def test_a_review_through_the_api(client, auth, worked_case, team_leader, agent):
    response = client.post(
        f"{API}/reviews", {"case": worked_case.reference}, content_type="application/json", **auth(team_leader)
    )
    assert response.status_code == 201
    review_id = response.json()["id"]
    payload = {
        "ratings": [
            {"behaviour": "ownership", "value": 4, "comment": "Named.", "quote": "I will arrange a replacement today"}
        ],
        "critical_checks": [{"item": "wrong_person_disclosure", "breached": False}],
        "submit": True,
    }
    response = client.put(f"{API}/reviews/{review_id}", payload, content_type="application/json", **auth(team_leader))
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["score"]) == ("submitted", 100.0)
    ownership = next(r for r in body["ratings"] if r["behaviour"] == "ownership")
    assert ownership["message"] is not None
    mine = client.get(f"{API}/reviews", **auth(agent)).json()["items"]
    assert [r["id"] for r in mine] == [review_id]


def test_reviewing_oneself_is_refused(client, auth, worked_case, team_leader):
    worked_case.owner = team_leader
    worked_case.save(update_fields=["owner"])
    response = client.post(
        f"{API}/reviews", {"case": worked_case.reference}, content_type="application/json", **auth(team_leader)
    )
    assert response.status_code == 403
    assert "never reviews" in response.json()["detail"]


def test_bad_ratings_name_the_field(client, auth, worked_case, team_leader):
    review = services.review_start(actor=team_leader, case=worked_case)
    response = client.put(
        f"{API}/reviews/{review.pk}",
        {"ratings": [{"behaviour": "empathy", "value": 3, "quote": "never said"}], "submit": True},
        content_type="application/json",
        **auth(team_leader),
    )
    assert response.status_code == 422
    assert set(fields(response)) == {"ratings.empathy.quote", "ratings.empathy.comment"}
    response = client.post(f"{API}/reviews", {"case": "C-999999"}, content_type="application/json", **auth(team_leader))
    assert response.status_code == 422
    assert "case" in fields(response)


def test_the_agent_replies_and_disputes_and_another_reviewer_decides(
    client, auth, submitted_review, agent, manager, team_leader
):
    url = f"{API}/reviews/{submitted_review.pk}"
    assert (
        client.post(f"{url}/replies", {"text": "Thanks."}, content_type="application/json", **auth(agent)).status_code
        == 201
    )
    response = client.post(f"{url}/dispute", {"reason": "I called."}, content_type="application/json", **auth(agent))
    assert response.status_code == 201
    assert response.json()["dispute"]["decider"] == manager.pk
    refused = client.post(
        f"{url}/decision",
        {"outcome": "upheld", "decision": "Mine."},
        content_type="application/json",
        **auth(team_leader),
    )
    assert refused.status_code == 403
    response = client.post(
        f"{url}/decision",
        {"outcome": "upheld", "decision": "Stands."},
        content_type="application/json",
        **auth(manager),
    )
    assert response.status_code == 200
    assert response.json()["status"] == "decided"


def test_other_agents_do_not_see_a_review(client, auth, submitted_review, other_agent):
    assert client.get(f"{API}/reviews/{submitted_review.pk}", **auth(other_agent)).status_code == 404
    assert client.get(f"{API}/reviews", **auth(other_agent)).json()["items"] == []


def test_a_calibration_through_the_api_is_blind_then_shows_alpha(
    client, auth, worked_case, team_leader, second_leader, manager
):
    response = client.post(
        f"{API}/calibrations",
        {"title": "Kettle", "case": worked_case.reference, "reviewers": [team_leader.pk, second_leader.pk]},
        content_type="application/json",
        **auth(manager),
    )
    assert response.status_code == 201
    calibration_id = response.json()["id"]
    for reviewer, value in ((team_leader, 3), (second_leader, 3)):
        started = client.post(f"{API}/calibrations/{calibration_id}/reviews", **auth(reviewer))
        assert started.status_code == 201
        if reviewer == team_leader:
            blind = client.get(f"{API}/calibrations/{calibration_id}", **auth(second_leader)).json()
            assert blind["blind"] is True
            assert blind["behaviours"] == []
        client.put(
            f"{API}/reviews/{started.json()['id']}",
            {
                "ratings": [
                    {"behaviour": "empathy", "value": value, "comment": "x"},
                    {"behaviour": "tone", "value": 2, "comment": "x"},
                ],
                "submit": True,
            },
            content_type="application/json",
            **auth(reviewer),
        )
    shown = client.get(f"{API}/calibrations/{calibration_id}", **auth(second_leader)).json()
    assert shown["blind"] is False
    assert shown["alpha"] == pytest.approx(1.0)
    assert sorted(shown["submitted"]) == sorted([team_leader.pk, second_leader.pk])
    assert Review.objects.filter(calibration_id=calibration_id).count() == 2


def test_the_report_endpoint_validates_its_period(client, auth, manager):
    response = client.get(f"{API}/report?start=2026-03-10&end=2026-03-01", **auth(manager))
    assert response.status_code == 422
    assert "end" in fields(response)
    response = client.get(f"{API}/report?dimension=shoe", **auth(manager))
    assert response.status_code == 422
    assert client.get(f"{API}/report?dimension=behaviour", **auth(manager)).status_code == 200


def test_customers_get_nothing(client, auth, customer_user):
    assert client.get(f"{API}/reviews", **auth(customer_user)).status_code in (403, 404)
