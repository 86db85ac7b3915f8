"""/api/v1/coaching: sessions, actions, targets and appraisals; permissions and named errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from rapport.coaching.models import Session
from tests.api.conftest import fields

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _post(client, auth, user, path, **body):
    return client.post(f"/api/v1/coaching{path}", body, content_type="application/json", **auth(user))


def test_a_leader_records_a_session_and_the_agent_reads_it(client, auth, team_leader, agent, team_mate, case, manager):
    created = _post(
        client,
        auth,
        team_leader,
        "/sessions",
        agent=agent.pk,
        held_on=TODAY.isoformat(),
        topic="Tone",
        notes="Good",
        links=[{"kind": "case", "id": case.pk}],
        actions=[{"text": "Practise", "owner": agent.pk, "due_on": (TODAY + timedelta(days=3)).isoformat()}],
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["links"][0]["label"].startswith(case.reference)
    assert body["actions"][0]["text"] == "Practise"
    mine = client.get("/api/v1/coaching/sessions", **auth(agent)).json()
    assert [s["id"] for s in mine["items"]] == [body["id"]]
    assert client.get("/api/v1/coaching/sessions", **auth(team_mate)).json()["items"] == []
    assert client.get(f"/api/v1/coaching/sessions/{body['id']}", **auth(team_mate)).status_code == 404
    assert client.get(f"/api/v1/coaching/sessions/{body['id']}", **auth(manager)).status_code == 200
    done = _post(client, auth, agent, f"/actions/{body['actions'][0]['id']}/done")
    assert done.status_code == 200
    assert done.json()["done_at"]


def test_errors_name_their_field(client, auth, team_leader, agent, other_agent):
    bad = _post(client, auth, team_leader, "/sessions", agent=other_agent.pk, held_on=TODAY.isoformat(), topic="x")
    assert bad.status_code == 422
    assert "agent" in fields(bad)
    bad = _post(client, auth, team_leader, "/sessions", agent=agent.pk, held_on="not a date", topic="x")
    assert bad.status_code in (400, 422)
    assert bad.json()["errors"]
    bad = _post(
        client,
        auth,
        team_leader,
        "/sessions",
        agent=agent.pk,
        held_on=TODAY.isoformat(),
        topic="x",
        links=[{"kind": "nope", "id": 1}],
    )
    assert bad.status_code == 422
    assert "links" in fields(bad)
    bad = _post(
        client,
        auth,
        agent,
        "/targets",
        kpi="csat",
        value="80",
        starts_on=TODAY.isoformat(),
        ends_on=TODAY.isoformat(),
        reason="x",
        agent=agent.pk,
    )
    assert bad.status_code == 422
    assert "agent" in fields(bad)
    assert not Session.objects.exists()
    assert client.get("/api/v1/coaching/sessions/99999999999999", **auth(agent)).status_code in (404, 422)


def test_targets_and_appraisals_through_the_api(client, auth, team_leader, agent, team):
    target = _post(
        client,
        auth,
        team_leader,
        "/targets",
        kpi="fcr",
        value="72.5",
        starts_on=TODAY.isoformat(),
        ends_on=(TODAY + timedelta(days=30)).isoformat(),
        reason="Fewer repeats",
        team=team.pk,
    )
    assert target.status_code == 201, target.json()
    listed = client.get("/api/v1/coaching/targets", **auth(agent)).json()
    assert [t["kpi"] for t in listed["items"]] == ["fcr"]
    appraisal = _post(
        client,
        auth,
        team_leader,
        "/appraisals",
        agent=agent.pk,
        starts_on=(TODAY - timedelta(days=30)).isoformat(),
        ends_on=TODAY.isoformat(),
    )
    assert appraisal.status_code == 201
    pk = appraisal.json()["id"]
    assert _post(client, auth, agent, f"/appraisals/{pk}/sign", version=1).status_code == 200
    stale = _post(client, auth, team_leader, f"/appraisals/{pk}/sign", version=1)
    assert stale.status_code == 409
    signed = _post(client, auth, team_leader, f"/appraisals/{pk}/sign", version=2).json()
    assert signed["locked"]
    locked = _post(client, auth, agent, f"/appraisals/{pk}/comment", comment="late")
    assert locked.status_code == 409
    assert "coaching" in {
        tag
        for op in client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/coaching/sessions"].values()
        for tag in op["tags"]
    }


def test_customers_and_strangers_get_nothing(client, auth, customer_user):
    assert client.get("/api/v1/coaching/sessions", **auth(customer_user)).status_code == 404
    assert client.get("/api/v1/coaching/sessions").status_code == 401
