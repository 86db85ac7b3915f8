"""POST /api/v1/cases/bulk (one result per case) and /api/v1/saved-views."""

from __future__ import annotations

import pytest

from rapport.cases.models import Case
from rapport.cases.services import VERSION_CONFLICT, case_update
from rapport.web.models import SavedView
from rapport.web.saved_views import CHANGE_REFUSED, SHARE_REFUSED

from .conftest import fields


@pytest.fixture
def make_cases(agent, customer, team, now):
    from rapport.cases.services import case_create

    def make(n: int) -> list[Case]:
        return [
            case_create(actor=agent, customer=customer, subject="s", body="b", team=team, now=now) for _ in range(n)
        ]

    return make


# --- bulk ---------------------------------------------------------------------------------------------


def test_bulk_answers_200_with_one_result_per_case(client, auth, agent, team_leader, case, other_case, make_cases):
    fresh, moved = make_cases(2)
    case_update(actor=team_leader, reference=moved.reference, expected_version=1, changes={"priority": "low"})
    body = {
        "action": "assign",
        "params": {"owner": agent.pk},
        "cases": {case.reference: 1, fresh.reference: 1, moved.reference: 1, other_case.reference: 1},
    }

    response = client.post("/api/v1/cases/bulk", body, content_type="application/json", **auth(agent))

    assert response.status_code == 200
    assert response.json() == {
        "action": "assign",
        "changed": 2,
        "refused": 2,
        "results": [
            {"reference": case.reference, "status": 200, "error": None},
            {"reference": fresh.reference, "status": 200, "error": None},
            {"reference": moved.reference, "status": 409, "error": VERSION_CONFLICT},
            {"reference": other_case.reference, "status": 404, "error": "No case with that reference."},
        ],
    }
    assert set(Case.objects.filter(owner=agent).values_list("pk", flat=True)) == {case.pk, fresh.pk}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "explode", "cases": {"C-000001": 1}}, "action"),
        ({"action": "status", "params": {"status": "lost"}, "cases": {"C-000001": 1}}, "status"),
        ({"action": "status", "params": {"status": "open"}, "cases": {}}, "cases"),
        ({"action": "status", "params": {"status": "open"}, "cases": {"C-000001": "one"}}, "C-000001"),
        ({"action": "status", "cases": {"C-000001": 1}, "extra": 1}, "extra"),
    ],
)
def test_a_bulk_request_that_cannot_be_done_is_one_422(client, auth, agent, case, body, field):
    response = client.post("/api/v1/cases/bulk", body, content_type="application/json", **auth(agent))

    assert response.status_code == 422
    assert field in fields(response)
    case.refresh_from_db()
    assert case.version == 1


def test_customers_have_no_bulk_actions(client, auth, customer_user, case):
    body = {"action": "status", "params": {"status": "closed"}, "cases": {case.reference: 1}}
    response = client.post("/api/v1/cases/bulk", body, content_type="application/json", **auth(customer_user))

    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == "new"


def test_bulk_queries_grow_only_by_each_case_s_write(client, auth, agent, make_cases, django_assert_num_queries):
    from tests.cases.test_bulk import PER_CASE

    cases = make_cases(4)
    headers = auth(agent)
    body = {"action": "priority", "params": {"priority": "high"}, "cases": {c.reference: 1 for c in cases}}
    # the token and its user, the person's teams, the cases and their tags, then each case's write
    with django_assert_num_queries(5 + 4 * PER_CASE):
        response = client.post("/api/v1/cases/bulk", body, content_type="application/json", **headers)
    assert response.json()["changed"] == 4


# --- saved views --------------------------------------------------------------------------------------


def test_saving_listing_changing_and_deleting_a_view(client, auth, agent, now):
    headers = auth(agent)
    created = client.post(
        "/api/v1/saved-views",
        {"name": "My urgent", "filters": {"queue": "mine", "priority": "urgent", "sort": "oldest"}},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.json()
    view = created.json()
    assert view["filters"] == {"queue": ["mine"], "priority": ["urgent"], "sort": ["oldest"]}
    assert created["Location"] == f"/api/v1/saved-views/{view['id']}"

    listed = client.get("/api/v1/saved-views", **headers).json()["items"]
    assert [v["name"] for v in listed] == ["My urgent"]

    changed = client.patch(
        f"/api/v1/saved-views/{view['id']}",
        {"name": "Urgent, mine", "position": 5},
        content_type="application/json",
        **headers,
    )
    assert changed.status_code == 200
    assert (changed.json()["name"], changed.json()["position"]) == ("Urgent, mine", 5)

    assert client.delete(f"/api/v1/saved-views/{view['id']}", **headers).status_code == 204
    assert not SavedView.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": " ", "filters": {}}, "name"),
        ({"name": "x" * 61, "filters": {}}, "name"),
        ({"name": "Bad", "filters": {"status": "lost"}}, "status"),
        ({"name": "Bad", "filters": {"cursor": "abc"}}, "cursor"),
        ({"name": "Bad", "filters": {"team": "²"}}, "team"),
        ({"name": "Bad", "filters": {"priority": {"nested": 1}}}, "priority"),
    ],
)
def test_a_view_with_bad_filters_is_refused_naming_them(client, auth, agent, body, field):
    response = client.post("/api/v1/saved-views", body, content_type="application/json", **auth(agent))

    assert response.status_code == 422
    assert field in fields(response)
    assert not SavedView.objects.exists()


def test_shared_views_are_for_everyone_personal_ones_for_their_owner(
    client, auth, agent, other_agent, team_leader, manager
):
    shared = client.post(
        "/api/v1/saved-views",
        {"name": "Team urgent", "filters": {"queue": "team", "priority": "urgent"}, "shared": True},
        content_type="application/json",
        **auth(team_leader),
    ).json()
    own = client.post(
        "/api/v1/saved-views",
        {"name": "Mine", "filters": {"queue": "mine"}},
        content_type="application/json",
        **auth(agent),
    ).json()

    assert [v["name"] for v in client.get("/api/v1/saved-views", **auth(other_agent)).json()["items"]] == [
        "Team urgent"
    ]
    assert client.get(f"/api/v1/saved-views/{own['id']}", **auth(other_agent)).status_code == 404
    # an agent may not share, nor change what a team leader shared; a manager may
    refused = client.post(
        "/api/v1/saved-views", {"name": "Mine too", "shared": True}, content_type="application/json", **auth(agent)
    )
    assert (refused.status_code, refused.json()["detail"]) == (403, SHARE_REFUSED)
    patch = {"name": "Renamed"}
    agent_try = client.patch(
        f"/api/v1/saved-views/{shared['id']}", patch, content_type="application/json", **auth(agent)
    )
    assert (agent_try.status_code, agent_try.json()["detail"]) == (403, CHANGE_REFUSED)
    managed = client.patch(
        f"/api/v1/saved-views/{shared['id']}", patch, content_type="application/json", **auth(manager)
    )
    assert managed.json()["name"] == "Renamed"


def test_customers_have_no_saved_views(client, auth, customer_user):
    assert client.get("/api/v1/saved-views", **auth(customer_user)).status_code == 404
