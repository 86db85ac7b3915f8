"""/users, /teams and /me: staff read people and teams to assign work; admins change them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.accounts.models import ApiToken, Team, User

from ..conftest import make_user
from .conftest import fields


@pytest.fixture
def admin(db):
    return make_user("admin@example.com", "admin")


def test_staff_list_users_with_their_teams(client, auth, agent, other_agent, admin, customer_user):
    body = client.get("/api/v1/users", **auth(agent)).json()

    # Customers' portal sign-ins are not staff: they are never listed.
    assert [u["email"] for u in body["items"]] == ["admin@example.com", "agent@example.com", "billing@example.com"]
    assert body["items"][1]["teams"] == [{"id": agent.teams.get().pk, "name": "Front line"}]
    assert body["next_cursor"] is None


def test_a_customer_reads_no_users_or_teams(client, auth, customer_user, agent):
    assert client.get("/api/v1/users", **auth(customer_user)).status_code == 403
    assert client.get("/api/v1/teams", **auth(customer_user)).status_code == 403


def test_the_users_list_filters_and_walks_by_cursor(client, auth, agent, other_agent, admin, team):
    first = client.get("/api/v1/users", {"limit": 2}, **auth(agent)).json()
    second = client.get("/api/v1/users", {"limit": 2, "cursor": first["next_cursor"]}, **auth(agent)).json()
    by_team = client.get("/api/v1/users", {"team": team.pk}, **auth(agent)).json()
    admins = client.get("/api/v1/users", {"role": "admin"}, **auth(agent)).json()

    assert [u["name"] for u in first["items"] + second["items"]] == ["Admin", "Agent", "Billing"]
    assert [u["email"] for u in by_team["items"]] == ["agent@example.com"]
    assert [u["email"] for u in admins["items"]] == ["admin@example.com"]


def test_updated_since_gives_only_what_changed(client, auth, agent, other_agent, admin, now):
    User.objects.update(updated_at=now - timedelta(days=2))
    User.objects.filter(pk=other_agent.pk).update(updated_at=now)

    body = client.get("/api/v1/users", {"updated_since": (now - timedelta(hours=1)).isoformat()}, **auth(agent))

    assert [u["email"] for u in body.json()["items"]] == ["billing@example.com"]


def test_a_time_without_a_zone_is_refused_by_name(client, auth, agent):
    response = client.get("/api/v1/users", {"updated_since": "2026-03-01T09:00:00"}, **auth(agent))

    assert response.status_code == 422
    assert "updated_since" in fields(response)


def test_an_admin_adds_a_member_of_staff_to_a_team(client, auth, admin, team):
    response = client.post(
        "/api/v1/users",
        {"email": "Nia@Example.com", "name": "Nia Evans", "role": "team_leader", "teams": [team.pk]},
        content_type="application/json",
        **auth(admin),
    )

    assert response.status_code == 201, response.json()
    assert response.json()["email"] == "nia@example.com"
    assert response.json()["teams"] == [{"id": team.pk, "name": "Front line"}]
    assert response["Location"] == f"/api/v1/users/{response.json()['id']}"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("post", "/api/v1/users", {"email": "x@example.com", "name": "X"}),
     ("post", "/api/v1/teams", {"name": "Escalations"})],
)  # fmt: skip
def test_other_staff_cannot_add_people_or_teams(client, auth, manager, method, path, body):
    response = getattr(client, method)(path, body, content_type="application/json", **auth(manager))

    assert response.status_code == 403
    assert User.objects.filter(email="x@example.com").count() == 0
    assert not Team.objects.filter(name="Escalations").exists()


def test_deactivating_an_account_revokes_its_tokens(client, auth, admin, agent, now):
    auth(agent)  # the agent has a token
    response = client.patch(
        f"/api/v1/users/{agent.pk}", {"active": False}, content_type="application/json", **auth(admin)
    )

    assert response.status_code == 200, response.json()
    assert response.json()["active"] is False
    assert not ApiToken.objects.filter(user=agent, revoked_at__isnull=True).exists()


def test_an_admin_changes_a_role(client, auth, admin, agent):
    response = client.patch(
        f"/api/v1/users/{agent.pk}", {"role": "manager"}, content_type="application/json", **auth(admin)
    )

    assert response.json()["role"] == "manager"
    agent.refresh_from_db()
    assert agent.role == "manager"


def test_the_last_admin_cannot_lock_themselves_out(client, auth, admin):
    response = client.patch(
        f"/api/v1/users/{admin.pk}", {"active": False}, content_type="application/json", **auth(admin)
    )

    assert response.status_code == 422
    assert "active" in fields(response)
    admin.refresh_from_db()
    assert admin.is_active


def test_teams_list_with_member_counts_and_admins_rename(client, auth, admin, agent, team, other_team):
    listed = client.get("/api/v1/teams", **auth(agent)).json()
    renamed = client.patch(
        f"/api/v1/teams/{team.pk}", {"name": "Front desk"}, content_type="application/json", **auth(admin)
    )

    assert [(t["name"], t["members"]) for t in listed["items"]] == [("Billing", 0), ("Front line", 1)]
    assert renamed.json()["name"] == "Front desk"


def test_a_team_name_is_unique_whatever_its_case(client, auth, admin, team):
    response = client.post("/api/v1/teams", {"name": "FRONT LINE"}, content_type="application/json", **auth(admin))

    assert response.status_code == 422
    assert fields(response) == {"name": ["A team already has this name."]}


def test_me_reports_the_callers_permissions(client, auth, agent, admin, customer_user, customer):
    mine = client.get("/api/v1/me", **auth(agent)).json()["permissions"]
    theirs = client.get("/api/v1/me", **auth(admin)).json()["permissions"]
    customers = client.get("/api/v1/me", **auth(customer_user)).json()["permissions"]

    assert mine["manage_customers"]
    assert not mine["administer_users_and_teams"]
    assert theirs["administer_users_and_teams"]
    assert not any(customers.values())


def test_the_users_page_costs_the_same_whatever_its_size(client, auth, agent, team, django_assert_num_queries):
    for i in range(5):
        make_user(f"person{i}@example.com", "agent", [team])
    headers = auth(agent)
    client.get("/api/v1/users", {"limit": 1}, **headers)  # the token's last use is recorded once a minute

    # the token, the page, its teams
    with django_assert_num_queries(3):
        client.get("/api/v1/users", {"limit": 50}, **headers)
