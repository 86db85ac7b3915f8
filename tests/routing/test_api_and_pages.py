"""/api/v1/routing and the routing pages: leaders only (their own teams), 4xx JSON naming the
field, the team leader's view with each agent's status, fairness and speed, CSV, and a fixed
number of queries whatever the team's size."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport import extensions
from rapport.platform.models import SettingChange
from rapport.routing import services
from rapport.routing.hooks import ASSIGNMENT_FAIRNESS, TIME_TO_ASSIGNMENT
from rapport.routing.models import AgentCapacity, Decision, TeamRouting
from tests.api.conftest import auth  # noqa: F401 - the fixture
from tests.conftest import make_user
from tests.routing.conftest import set_status
from tests.web.conftest import signed_in
from tests.web.html_checks import page_problems

API = "/api/v1/routing"


def _send(client, method, url, data, headers):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json", **headers)


def test_a_leader_lists_and_changes_their_teams_routing(client, auth, leader, billing, team):  # noqa: F811
    headers = auth(leader)

    listed = client.get(f"{API}/teams", **headers).json()["items"]
    changed = _send(
        client, "patch", f"{API}/teams/{billing.pk}", {"method": "skills", "route_on_arrival": True}, headers
    )

    assert [t["team"] for t in listed] == ["Billing"]  # not the Front line team they do not lead
    assert listed[0]["method"] == "round_robin"
    assert changed.status_code == 200, changed.content
    assert changed.json() == {
        "team_id": billing.pk,
        "team": "Billing",
        "method": "skills",
        "route_on_arrival": True,
        "capacity": 20,
    }
    assert SettingChange.objects.filter(model="routing.teamrouting").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [({"method": "alphabetical"}, "method"), ({"capacity": 0}, "capacity"), ({"capacity": "many"}, "capacity")],
)
def test_bad_settings_are_a_422_naming_the_field_and_change_nothing(client, auth, leader, billing, body, field):  # noqa: F811
    response = _send(client, "patch", f"{API}/teams/{billing.pk}", body, auth(leader))

    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not TeamRouting.objects.exists()


def test_another_teams_leader_an_agent_and_a_customer_see_no_team(client, auth, billing, agent, team, customer_user):  # noqa: F811
    other_leader = make_user("other@example.com", "team_leader", [team])

    for user in (other_leader, agent, customer_user):
        assert client.get(f"{API}/teams/{billing.pk}", **auth(user)).status_code in {403, 404}
        response = _send(client, "patch", f"{API}/teams/{billing.pk}", {"method": "skills"}, auth(user))
        assert response.status_code in {403, 404}
    assert not TeamRouting.objects.exists()


def test_routing_a_case_through_the_api(client, auth, crew, raise_case, now):  # noqa: F811
    case = raise_case()

    response = _send(client, "post", f"{API}/cases/{case.reference}/route", {"method": "least_loaded"}, auth(crew[1]))

    assert response.status_code == 200, response.content
    assert response.json() == {"case": case.reference, "agent_id": crew[0].pk, "reason": "least-loaded in Billing"}
    assert Decision.objects.get(case=case).asked_by == crew[1]


def test_routing_a_case_with_a_bad_method_or_by_a_customer_is_refused(client, auth, crew, raise_case, customer_user):  # noqa: F811
    case = raise_case()
    agent_headers = auth(crew[1])

    bad = _send(client, "post", f"{API}/cases/{case.reference}/route", {"method": "coin"}, agent_headers)
    customer = _send(client, "post", f"{API}/cases/{case.reference}/route", {}, auth(customer_user))
    missing = _send(client, "post", f"{API}/cases/CAS-999999/route", {}, agent_headers)

    assert bad.status_code == 422
    assert customer.status_code in {403, 404}
    assert missing.status_code == 404
    assert not Decision.objects.exists()


def test_an_agents_capacity_through_the_api(client, auth, leader, crew):  # noqa: F811
    headers = auth(leader)

    set_to = _send(client, "put", f"{API}/agents/{crew[0].pk}/capacity", {"capacity": 5}, headers)
    cleared = _send(client, "put", f"{API}/agents/{crew[1].pk}/capacity", {"capacity": None}, headers)
    too_many = _send(client, "put", f"{API}/agents/{crew[0].pk}/capacity", {"capacity": 9999}, headers)

    assert set_to.json() == {"agent_id": crew[0].pk, "capacity": 5}
    assert cleared.json() == {"agent_id": crew[1].pk, "capacity": None}
    assert too_many.status_code == 422
    assert AgentCapacity.objects.get().capacity == 5


def test_the_team_view_shows_status_load_fairness_and_speed(client, auth, leader, crew, billing, raise_case, now):  # noqa: F811
    set_status(crew[2], "away", now - timedelta(minutes=1))
    for i in range(4):
        services.case_route(
            case=raise_case(f"Case {i}", priority="urgent" if i == 0 else "normal"), now=now - timedelta(minutes=1)
        )
    raise_case("Waiting")

    view = client.get(f"{API}/teams/{billing.pk}?days=366", **auth(leader)).json()  # the decisions were in March

    agents = {a["name"]: a for a in view["agents"]}
    assert agents["Cat"]["status"] == "away"
    assert agents["Cat"]["takes_work"] is False
    assert agents["Cat"]["why_not"] == "away"
    assert agents["Aled"]["open_by_priority"] == {"urgent": 1, "high": 0, "normal": 1, "low": 0}
    assert agents["Aled"]["load"] == 6
    assert agents["Aled"]["skills"] == ["welsh"]
    assert (agents["Aled"]["assigned"], agents["Bea"]["assigned"], agents["Cat"]["assigned"]) == (2, 2, 0)
    assert view["unassigned"] == 1
    assert view["fairness"]["total"] == 4
    assert view["fairness"]["gini"] == pytest.approx(1 / 3)  # [0, 2, 2]
    assert view["fairness"]["max_min_ratio"] is None  # Cat got none
    assert view["speed"]["first_assignments"] == 4
    assert view["speed"]["median_business_seconds"] == pytest.approx(29 * 60)  # Monday 09:30 → 09:59


def test_the_team_view_costs_the_same_queries_for_three_agents_or_fifteen(
    client, leader, crew, billing, raise_case, now
):
    browser = signed_in(leader)
    services.case_route(case=raise_case(), now=now)
    browser.get(f"/routing/teams/{billing.pk}/")
    with CaptureQueriesContext(connection) as small:
        assert browser.get(f"/routing/teams/{billing.pk}/").status_code == 200
    for i in range(12):
        person = make_user(f"extra{i}@example.com", "agent", [billing])
        set_status(person, "available", now)
        services.case_route(case=raise_case(f"More {i}"), now=now)

    with CaptureQueriesContext(connection) as large:
        assert browser.get(f"/routing/teams/{billing.pk}/").status_code == 200

    assert len(large) == len(small)


def test_the_decision_log_is_cursor_paginated(client, auth, leader, crew, raise_case, now):  # noqa: F811
    for i in range(5):
        services.case_route(case=raise_case(f"Case {i}"), now=now + timedelta(seconds=i))
    headers = auth(leader)

    first = client.get(f"{API}/decisions?limit=3", **headers).json()
    second = client.get(f"{API}/decisions?limit=3&cursor={first['next_cursor']}", **headers).json()
    bad = client.get(f"{API}/decisions?cursor=nonsense", **headers)

    assert len(first["items"]) == 3
    assert first["items"][0]["decided_at"] > first["items"][-1]["decided_at"]
    assert len(second["items"]) == 2
    assert second["next_cursor"] is None
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "cursor"


def test_the_kpis_say_their_formula_and_source(crew, raise_case, now):
    from django.db.models import Q

    from rapport.cases.models import Case

    for i in range(3):
        services.case_route(case=raise_case(f"Case {i}"), now=now)
    scope = extensions.KpiScope(cases=lambda prefix: Q(), start=now - timedelta(days=1), end=now + timedelta(days=1))

    for name in (TIME_TO_ASSIGNMENT, ASSIGNMENT_FAIRNESS):
        source = extensions.kpi_sources.get(name)
        assert source is not None
        assert source.formula
        assert source.source
    assert extensions.kpi(TIME_TO_ASSIGNMENT, scope) == 30.0  # 09:30 → 10:00 on a Monday
    assert extensions.kpi(ASSIGNMENT_FAIRNESS, scope) == 0.0
    assert Case.objects.filter(owner__isnull=False).count() == 3


# --- pages ---------------------------------------------------------------------------------------


def test_the_pages_are_accessible_and_have_empty_states(leader, billing):
    browser = signed_in(leader)

    for url in (
        "/routing/",
        f"/routing/teams/{billing.pk}/",
        f"/routing/teams/{billing.pk}/settings/",
        f"/routing/teams/{billing.pk}/decisions/",
    ):
        response = browser.get(url)
        assert response.status_code == 200, url
        assert page_problems(response.content.decode()) == [], url
    assert "no decision" in browser.get(f"/routing/teams/{billing.pk}/decisions/").content.decode()


def test_the_team_page_with_members_and_decisions_and_its_csv(leader, crew, billing, raise_case, now):
    services.case_route(case=raise_case(), now=now)
    browser = signed_in(leader)

    page = browser.get(f"/routing/teams/{billing.pk}/").content.decode()
    csv = browser.get(f"/routing/teams/{billing.pk}/?format=csv&days=7")
    log = browser.get(f"/routing/teams/{billing.pk}/decisions/?format=csv")

    assert page_problems(page) == []
    assert "Aled" in page
    assert "round-robin in Billing" in page
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[0].startswith("Agent,Status,On rota,Skills")
    assert "round-robin in Billing" in log.content.decode()


def test_the_settings_form_saves_and_explains_mistakes(leader, crew, billing):
    browser = signed_in(leader)

    bad = browser.post(f"/routing/teams/{billing.pk}/settings/", {"method": "coin", "capacity": "0"})
    good = browser.post(
        f"/routing/teams/{billing.pk}/settings/", {"method": "least_loaded", "capacity": "12", "route_on_arrival": "on"}
    )
    capacity = browser.post(f"/routing/agents/{crew[0].pk}/capacity/", {"capacity": "3", "team": billing.pk})

    assert bad.status_code == 400
    assert page_problems(bad.content.decode()) == []
    assert good.status_code == 302
    settings = TeamRouting.objects.get()
    assert (settings.method, settings.capacity, settings.route_on_arrival) == ("least_loaded", 12, True)
    assert capacity.status_code == 302
    assert AgentCapacity.objects.get(agent=crew[0]).capacity == 3


def test_agents_do_not_see_the_routing_pages_but_may_route_a_case(crew, billing, raise_case):
    case = raise_case()
    browser = signed_in(crew[1])

    assert browser.get("/routing/").status_code == 404
    assert browser.get(f"/routing/teams/{billing.pk}/").status_code == 404
    page = browser.get(f"/cases/{case.reference}/").content.decode()
    routed = browser.post(f"/routing/cases/{case.reference}/route/", {"method": ""})

    assert "Route now" in page
    assert routed.status_code == 302
    assert Decision.objects.get(case=case).agent_id == crew[0].pk


def test_the_decision_log_page_and_api_cost_the_same_queries_for_few_or_many(
    client,
    auth,  # noqa: F811
    leader,
    crew,
    billing,
    raise_case,
    now,
):
    browser = signed_in(leader)
    headers = auth(leader)
    services.case_route(case=raise_case("First"), now=now)
    browser.get(f"/routing/teams/{billing.pk}/decisions/")
    client.get(f"{API}/decisions", **headers)
    with CaptureQueriesContext(connection) as page_few:
        browser.get(f"/routing/teams/{billing.pk}/decisions/")
    with CaptureQueriesContext(connection) as api_few:
        client.get(f"{API}/decisions", **headers)
    for i in range(10):
        services.case_route(case=raise_case(f"More {i}"), now=now)

    with CaptureQueriesContext(connection) as page_many:
        assert browser.get(f"/routing/teams/{billing.pk}/decisions/").status_code == 200
    with CaptureQueriesContext(connection) as api_many:
        assert len(client.get(f"{API}/decisions", **headers).json()["items"]) == 11

    assert len(page_many) == len(page_few)
    assert len(api_many) == len(api_few)
