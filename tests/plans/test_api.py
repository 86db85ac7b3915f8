"""/api/v1/plans: list, create, get, patch, contingencies, the trigger history and systems declared
down; bad input is a 4xx naming the field; readers read, managers write."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from rapport.plans.models import Firing, Outage, Plan
from tests.plans.conftest import contingency


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def patch(client, url, body, headers):
    return client.patch(url, json.dumps(body), content_type="application/json", **headers)


def test_create_get_and_list(client, auth, manager, team, agent):
    body = {
        "title": "Spring plan", "team_id": team.pk, "owner_id": manager.pk, "starts_on": "2026-03-01",
        "ends_on": "2026-05-31", "status": "active", "planned_weekly_contacts": 1400,
        "sections": {"workflow": [{"stage": "follow_up", "who": "front_line", "description": "Call back"}]},
    }  # fmt: skip
    created = post(client, "/api/v1/plans", body, auth(manager))
    assert created.status_code == 201
    plan = created.json()
    assert plan["version"] == 1
    assert plan["sections"]["workflow"] == [
        {"stage": "follow_up", "who": "front_line", "description": "Call back", "target": ""}
    ]
    assert client.get(f"/api/v1/plans/{plan['id']}", **auth(agent)).json()["title"] == "Spring plan"
    listed = client.get("/api/v1/plans", **auth(agent)).json()
    assert [p["id"] for p in listed["items"]] == [plan["id"]]
    assert listed["items"][0]["open_firings"] == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"owner_id": 0}, "owner_id"),
        ({"starts_on": "yesterday"}, "starts_on"),
        ({"status": "paused"}, "status"),
        ({"sections": {"objectives": [{"text": "x", "kpi": "nope", "target": 1}]}}, "sections.objectives.0.kpi"),
        ({"sections": {"recipes": []}}, "sections.recipes"),
        ({"sections": {"objectives": ["x"]}}, "objectives"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(client, auth, manager, change, field):
    body = {"title": "Plan", "owner_id": manager.pk, "starts_on": "2026-03-01", "ends_on": "2026-05-31"} | change
    response = post(client, "/api/v1/plans", body, auth(manager))
    assert response.status_code in (400, 422)
    assert any(e["field"] and field in e["field"] for e in response.json()["errors"]), response.json()
    assert not Plan.objects.exists()


def test_readers_may_not_write(client, auth, team_leader, agent, plan):
    for person in (team_leader, agent):
        body = {"title": "Mine", "owner_id": person.pk, "starts_on": "2026-03-01", "ends_on": "2026-05-31"}
        assert post(client, "/api/v1/plans", body, auth(person)).status_code == 403
        assert patch(client, f"/api/v1/plans/{plan.pk}", {"title": "Mine"}, auth(person)).status_code == 403
        assert post(client, "/api/v1/plans/outages", {"system": "Telephony"}, auth(person)).status_code == 403
    assert not Outage.objects.exists()


def test_patch_with_the_version_read(client, auth, manager, plan):
    done = patch(client, f"/api/v1/plans/{plan.pk}", {"version": 1, "summary": "Through the price rise"}, auth(manager))
    assert done.status_code == 200
    assert done.json()["version"] == 2
    stale = patch(client, f"/api/v1/plans/{plan.pk}", {"version": 1, "summary": "Mine"}, auth(manager))
    assert stale.status_code == 409
    assert stale.json()["current"] == {"version": 2}
    null = patch(client, f"/api/v1/plans/{plan.pk}", {"title": None}, auth(manager))
    assert null.status_code == 422
    versions = client.get(f"/api/v1/plans/{plan.pk}/versions", **auth(manager)).json()
    assert [(v["number"], v["change"]) for v in versions] == [(2, "Changed: summary"), (1, "Plan created")]
    assert versions[0]["document"]["summary"] == "Through the price rise"


def test_contingencies_firings_and_declaring_a_system_down(
    client, auth, manager, agent, plan, figures, django_capture_on_commit_callbacks
):
    today = timezone.localdate()  # the API acts now: the plan's period must cover today
    Plan.objects.filter(pk=plan.pk).update(starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=30))
    added = post(
        client,
        f"/api/v1/plans/{plan.pk}/contingencies",
        {"name": "Phones down", "trigger": "system_down", "system": "Telephony", "responses": ["holding_message"]},
        auth(manager),
    )
    assert added.status_code == 201
    assert added.json()["trigger_words"] == "Telephony declared down"
    bad = post(
        client,
        f"/api/v1/plans/{plan.pk}/contingencies",
        {"name": "Busy", "trigger": "actual_demand", "responses": ["overtime"]},
        auth(manager),
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "threshold"

    with django_capture_on_commit_callbacks(execute=True):
        declared = post(client, "/api/v1/plans/outages", {"system": "Telephony"}, auth(manager))
    assert declared.status_code == 201
    # the declaration is checked at once: the plan's page now shows it fired
    plan_now = client.get(f"/api/v1/plans/{plan.pk}", **auth(agent)).json()
    assert plan_now["contingencies"][0]["fired"] is True
    history = client.get(f"/api/v1/plans/{plan.pk}/firings", **auth(agent)).json()
    assert history["items"][0]["reason"] == "Declared down: Telephony."
    assert client.get("/api/v1/plans/firings", **auth(agent)).json()["items"][0]["contingency"] == "Phones down"
    assert client.get("/api/v1/plans/outages", **auth(agent)).json()[0]["system"] == "Telephony"

    outage = Outage.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        restored = post(client, f"/api/v1/plans/outages/{outage.pk}/restore", {}, auth(manager))
    assert restored.status_code == 200
    assert Firing.objects.get().ended_at is not None
    assert post(client, f"/api/v1/plans/outages/{outage.pk}/restore", {}, auth(manager)).status_code == 404


def test_other_teams_plans_are_not_found(client, auth, other_agent, plan, manager, now):
    contingency(plan, manager, now)
    assert client.get(f"/api/v1/plans/{plan.pk}", **auth(other_agent)).status_code == 404
    assert client.get(f"/api/v1/plans/{plan.pk}/firings", **auth(other_agent)).status_code == 404
    assert client.get("/api/v1/plans", **auth(other_agent)).json()["items"] == []


def test_customers_get_no_plans(client, auth, customer_user, customer):
    assert client.get("/api/v1/plans", **auth(customer_user)).status_code in (403, 404)


def test_bad_cursor_and_limit_are_named(client, auth, agent, plan):
    assert client.get("/api/v1/plans?cursor=zzz", **auth(agent)).json()["errors"][0]["field"] == "cursor"
    assert client.get("/api/v1/plans?limit=0", **auth(agent)).json()["errors"][0]["field"] == "limit"


def test_the_list_costs_the_same_for_many_plans(client, auth, manager, plan, django_assert_max_num_queries):
    headers = auth(manager)
    client.get("/api/v1/plans", **headers)
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/plans", **headers).json()["items"]) == 1
