"""/api/v1/workforce: forecast with accuracy, staffing, known events, handling times."""

from __future__ import annotations

import pytest

from rapport.workforce.models import KnownEvent
from tests.api.conftest import fields

pytestmark = pytest.mark.django_db


def test_forecast_per_channel_and_interval_with_its_backtest(client, auth, agent, history):
    response = client.get("/api/v1/workforce/forecast?interval=30&weeks=1", **auth(agent))

    assert response.status_code == 200
    body = response.json()
    assert body["interval"] == 30
    assert body["nation"] == "england"
    assert len(body["intervals"]) == 48
    phone = next(c for c in body["channels"] if c["channel"] == "phone")
    assert len(phone["days"]) == 7
    assert len(phone["days"][0]["intervals"]) == 48
    assert set(phone["backtest"]) == {"origins", "model", "seasonal_naive", "beats_seasonal_naive"}
    assert phone["backtest"]["model"]["wape"] >= 0


def test_forecast_for_one_channel_and_type(client, auth, agent, history):
    body = client.get("/api/v1/workforce/forecast?channel=email&type=enquiry&weeks=1", **auth(agent)).json()
    assert [c["channel"] for c in body["channels"]] == ["email"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("interval=20", "interval"),
        ("weeks=0", "weeks"),
        ("weeks=99", "weeks"),
        ("channel=fax", "channel"),
        ("type=x", "type"),
    ],
)
def test_bad_input_names_the_field(client, auth, agent, query, field):
    response = client.get(f"/api/v1/workforce/forecast?{query}", **auth(agent))
    assert response.status_code == 422
    assert field in fields(response)


def test_customers_see_no_plans(client, auth, customer_user, customer):
    assert client.get("/api/v1/workforce/forecast", **auth(customer_user)).status_code == 404
    assert client.get("/api/v1/workforce/staffing", **auth(customer_user)).status_code == 404


def test_staffing_per_interval(client, auth, agent, history):
    body = client.get("/api/v1/workforce/staffing?interval=60&weeks=1", **auth(agent)).json()
    models = {c["channel"]: c["model"] for c in body["channels"]}
    assert models["phone"] == "erlang_c"
    assert models["email"] == "workload"
    phone = next(c for c in body["channels"] if c["channel"] == "phone")
    # someone is needed on the phones some time in the week ahead (today alone may be a weekend, or over)
    assert max(max(day["required"]) for day in phone["days"]) >= 1


def test_team_leaders_enter_known_events_agents_may_not(client, auth, agent, team_leader):
    payload = {"name": "Price rise letters", "first_day": "2026-04-01", "last_day": "2026-04-03", "uplift_percent": 30}

    refused = client.post("/api/v1/workforce/events", payload, content_type="application/json", **auth(agent))
    made = client.post("/api/v1/workforce/events", payload, content_type="application/json", **auth(team_leader))

    assert refused.status_code == 403
    assert made.status_code == 201
    assert made.json()["uplift_percent"] == 30
    assert KnownEvent.objects.count() == 1
    listed = client.get("/api/v1/workforce/events", **auth(agent)).json()
    assert [e["name"] for e in listed] == ["Price rise letters"]
    gone = client.delete(f"/api/v1/workforce/events/{made.json()['id']}", **auth(team_leader))
    assert gone.status_code == 204
    assert not KnownEvent.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "  "}, "name"),
        ({"last_day": "2026-03-01"}, "last_day"),
        ({"uplift_percent": -101}, "uplift_percent"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_bad_events_are_refused_and_nothing_is_saved(client, auth, team_leader, change, field):
    payload = {"name": "Recall", "first_day": "2026-04-01", "last_day": "2026-04-03", "uplift_percent": 30, **change}
    response = client.post("/api/v1/workforce/events", payload, content_type="application/json", **auth(team_leader))
    assert response.status_code == 422
    assert field in fields(response)
    assert not KnownEvent.objects.exists()


def test_handling_times_are_set_and_cleared_with_their_source(client, auth, manager):
    put = client.put(
        "/api/v1/workforce/handling-times",
        {"channel": "phone", "seconds": 300},
        content_type="application/json",
        **auth(manager),
    )
    phone = next(r for r in put.json() if r["channel"] == "phone" and not r["case_type"])
    assert (phone["seconds"], phone["source"]) == (300, "edited by a planner")

    cleared = client.put(
        "/api/v1/workforce/handling-times",
        {"channel": "phone", "seconds": None},
        content_type="application/json",
        **auth(manager),
    )
    phone = next(r for r in cleared.json() if r["channel"] == "phone" and not r["case_type"])
    assert phone["source"] == "default (no data yet)"

    bad = client.put(
        "/api/v1/workforce/handling-times",
        {"channel": "phone", "seconds": 0},
        content_type="application/json",
        **auth(manager),
    )
    assert bad.status_code == 422
    assert "seconds" in fields(bad)


def test_status_is_set_and_read_with_its_history(client, auth, agent, team_leader, other_agent):
    put = client.put("/api/v1/workforce/status", {"status": "busy"}, content_type="application/json", **auth(agent))
    assert put.status_code == 200
    assert put.json()["source"] == "agent"
    body = client.get("/api/v1/workforce/status", **auth(agent)).json()
    assert body["status"] == "busy"
    assert [c["status"] for c in body["history"]] == ["busy"]
    # a team leader sets their agent's; another agent may not
    led = client.put(
        "/api/v1/workforce/status",
        {"status": "away", "agent": agent.pk},
        content_type="application/json",
        **auth(team_leader),
    )
    assert led.json()["source"] == "leader"
    refused = client.put(
        "/api/v1/workforce/status",
        {"status": "away", "agent": agent.pk},
        content_type="application/json",
        **auth(other_agent),
    )
    assert refused.status_code == 403
    bad = client.put("/api/v1/workforce/status", {"status": "asleep"}, content_type="application/json", **auth(agent))
    assert bad.status_code == 422
    assert "status" in fields(bad)


def test_rota_import_by_api_reports_row_errors(client, auth, team_leader, agent):
    good = f"email,date,start,end\n{agent.email},2099-01-05,08:00,16:00\n"
    bad = good + "x@example.org,2099-01-05,08:00,16:00\n"
    refused = client.post("/api/v1/workforce/rotas", {"csv": bad}, content_type="application/json", **auth(team_leader))
    assert refused.status_code == 422
    assert "csv.row3" in fields(refused)
    made = client.post("/api/v1/workforce/rotas", {"csv": good}, content_type="application/json", **auth(team_leader))
    assert made.status_code == 201
    assert made.json() == {"imported": 1}
    agents_may_not = client.post(
        "/api/v1/workforce/rotas", {"csv": good}, content_type="application/json", **auth(agent)
    )
    assert agents_may_not.status_code == 403
    assert client.get("/api/v1/workforce/rotas", **auth(agent)).status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31"])
def test_actuals_for_a_day_before_any_history_name_the_day(client, auth, agent, day):
    # The history window before such a day is before the calendar's first year: a 422, never a 500.
    response = client.get(f"/api/v1/workforce/actuals?day={day}", **auth(agent))
    assert response.status_code == 422
    assert "day" in fields(response)
