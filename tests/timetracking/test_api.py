"""/api/v1/cases/{reference}/time and /api/v1/time/{id}: paginated, errors naming fields, 409s."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from rapport.timetracking.models import TimeEntry
from tests.api.conftest import fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(db):
    from rapport.accounts.services import token_create

    tokens: dict[int, str] = {}

    def headers(user) -> dict[str, str]:
        if user.pk not in tokens:
            tokens[user.pk] = token_create(user=user)[1]
        return {"HTTP_AUTHORIZATION": f"Bearer {tokens[user.pk]}"}

    return headers


def _post(client, auth, user, case, **body):
    return client.post(f"/api/v1/cases/{case.reference}/time", body, content_type="application/json", **auth(user))


def test_record_and_list_time_on_a_case(client, auth, agent, case, investigation):
    created = _post(client, auth, agent, case, minutes="1:15", worked_on="2026-03-01", category=investigation.pk)
    assert created.status_code == 201, created.json()
    entry = created.json()
    assert (entry["minutes"], entry["worked_on"], entry["category_name"], entry["case"]) == (
        75,
        "2026-03-01",
        "Investigation",
        case.reference,
    )
    _post(client, auth, agent, case, minutes=10, category=investigation.pk)

    listed = client.get(f"/api/v1/cases/{case.reference}/time?limit=1", **auth(agent)).json()
    assert (listed["total_minutes"], listed["entries"], len(listed["items"])) == (85, 2, 1)
    rest = client.get(
        f"/api/v1/cases/{case.reference}/time", {"limit": 1, "cursor": listed["next_cursor"]}, **auth(agent)
    ).json()
    assert [i["minutes"] for i in listed["items"] + rest["items"]] == [10, 75]  # latest day first
    assert rest["next_cursor"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": -30}, "minutes"),
        ({"minutes": 1441}, "minutes"),
        ({"minutes": "25:00"}, "minutes"),
        ({"worked_on": "tomorrow"}, "worked_on"),
        ({"worked_on": "yesterday"}, "worked_on"),
        ({"category": 0}, "category"),
    ],
)
def test_bad_time_is_refused_naming_its_field(client, auth, agent, case, investigation, body, field):
    if body.get("worked_on") == "tomorrow":  # the API's clock is the real one
        body = {"worked_on": (timezone.localdate() + timedelta(days=1)).isoformat()}
    response = _post(client, auth, agent, case, **{"minutes": 30, "category": investigation.pk, **body})
    assert response.status_code == 422, response.json()
    assert field in fields(response)
    assert not TimeEntry.objects.exists()


def test_change_then_a_stale_change_is_a_conflict_with_current(client, auth, agent, case, investigation):
    entry = _post(client, auth, agent, case, minutes=30, category=investigation.pk).json()

    changed = client.patch(
        f"/api/v1/time/{entry['id']}", {"minutes": 40, "version": 1}, content_type="application/json", **auth(agent)
    )
    assert changed.status_code == 200
    assert (changed.json()["minutes"], changed.json()["version"]) == (40, 2)

    stale = client.patch(
        f"/api/v1/time/{entry['id']}", {"minutes": 50, "version": 1}, content_type="application/json", **auth(agent)
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["minutes"] == 40


def test_delete_own_entry_but_not_a_colleagues(client, auth, agent, manager, case, investigation, team):
    from rapport.accounts.models import Role
    from tests.conftest import make_user

    colleague = make_user("colleague@example.com", Role.AGENT, teams=[team])
    entry = _post(client, auth, agent, case, minutes=30, category=investigation.pk).json()

    assert client.delete(f"/api/v1/time/{entry['id']}", **auth(colleague)).status_code == 403
    assert client.delete(f"/api/v1/time/{entry['id']}", **auth(agent)).status_code == 204
    assert client.delete(f"/api/v1/time/{entry['id']}", **auth(agent)).status_code == 404


def test_customers_and_other_teams_get_not_found(client, auth, customer_user, other_agent, case, investigation):
    assert client.get(f"/api/v1/cases/{case.reference}/time", **auth(customer_user)).status_code == 404
    assert client.get(f"/api/v1/cases/{case.reference}/time", **auth(other_agent)).status_code == 404
    assert _post(client, auth, other_agent, case, minutes=5, category=investigation.pk).status_code == 404


@pytest.mark.parametrize("entries", [1, 8])
def test_the_list_costs_the_same_whatever_its_length(
    client, auth, agent, case, investigation, entries, django_assert_num_queries
):
    for _ in range(entries):
        _post(client, auth, agent, case, minutes=5, category=investigation.pk)
    headers = auth(agent)
    client.get(f"/api/v1/cases/{case.reference}/time", **headers)  # the token's first use is cached
    with django_assert_num_queries(QUERIES):
        response = client.get(f"/api/v1/cases/{case.reference}/time", **headers)
    assert len(response.json()["items"]) == entries


# token and user, the agent's teams, the case, the access-log row, the total, the page
QUERIES = 6


def test_the_categories_are_listed(client, auth, agent):
    names = [c["name"] for c in client.get("/api/v1/time/categories", **auth(agent)).json()]
    assert names == ["Investigation", "Customer contact", "Complaint handling", "Admin"]


@pytest.mark.parametrize("entry_id", [2**63, 2**70])
def test_an_id_too_large_for_any_row_is_not_found(client, auth, agent, entry_id):
    assert client.delete(f"/api/v1/time/{entry_id}", **auth(agent)).status_code == 404


def test_a_reason_id_too_large_for_any_row_names_the_field(client, auth, agent, case):
    response = _post(client, auth, agent, case, minutes=5, category=2**70)
    assert response.status_code == 422
    assert "category" in fields(response)
