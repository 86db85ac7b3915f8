"""/api/v1/sla: the same state the case page shows; staff only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from rapport.cases.services import message_add

H = timedelta(hours=1)


@pytest.fixture(autouse=True)
def _clock(now, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: now + 2 * H)


def test_a_case_s_targets_pauses_and_next_breach(client, auth, case, agent, now):
    message_add(
        actor=agent,
        reference=case.reference,
        kind="outbound",
        body="Which model?",
        status_after="waiting_on_customer",
        now=now + H,
    )

    response = client.get(f"/api/v1/sla/cases/{case.reference}", **auth(agent))

    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == case.reference
    assert body["next_breach_at"] is None  # paused
    targets = {t["target"]: t for t in body["targets"]}
    assert targets["first_response"]["state"] == "met"
    assert targets["resolution"]["state"] == "paused"
    assert targets["resolution"]["elapsed_seconds"] == 3600
    assert targets["resolution"]["remaining_seconds"] == 15 * 3600
    assert targets["resolution"]["due_at"] is None
    assert body["pauses"] == [{"status": "waiting_on_customer", "started_at": "2026-03-02T11:00:00Z", "ended_at": None}]


def test_the_case_api_carries_the_next_breach(client, auth, case, agent):
    body = client.get(f"/api/v1/cases/{case.reference}", **auth(agent)).json()
    assert body["next_breach_at"] == "2026-03-02T14:00:00Z"


def test_the_case_list_sorts_by_next_breach(client, auth, case, other_case, manager):
    response = client.get("/api/v1/cases", {"sort": "breach"}, **auth(manager))
    assert [item["reference"] for item in response.json()["items"]] == [case.reference, other_case.reference]


def test_customers_get_not_found(client, auth, case, customer_user):
    response = client.get(f"/api/v1/sla/cases/{case.reference}", **auth(customer_user))
    assert response.status_code == 404
    assert set(response.json()) >= {"detail", "errors"}


def test_the_report(client, auth, case, agent, team_leader, now):
    message_add(actor=agent, reference=case.reference, kind="outbound", body="Hi", now=now + H)

    response = client.get("/api/v1/sla/report", {"start": "2026-03-01", "end": "2026-03-31"}, **auth(team_leader))

    body = response.json()
    assert response.status_code == 200
    assert body["overall"] == {"dimension": "all", "group": "All targets", "met": 1, "missed": 0, "percent": 100.0}
    assert {"dimension": "agent", "group": "Unassigned", "met": 1, "missed": 0, "percent": 100.0} in body["rows"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"start": "2026-03-31", "end": "2026-03-01"}, "end"), ({"start": "soon", "end": "2026-03-01"}, "start")],
)
def test_bad_report_dates_are_422_naming_the_field(client, auth, team_leader, params, field):
    response = client.get("/api/v1/sla/report", params, **auth(team_leader))
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}


def test_agents_cannot_read_the_report(client, auth, agent):
    response = client.get("/api/v1/sla/report", {"start": "2026-03-01", "end": "2026-03-31"}, **auth(agent))
    assert response.status_code == 404


def test_other_areas_deadlines_are_shown_beside_the_targets(client, auth, case, agent, now):
    from rapport import extensions

    def final_response(cases):
        return {c.pk: [extensions.Deadline("Final response", now + timedelta(weeks=8), "8 weeks")] for c in cases}

    extensions.deadlines.append(final_response)
    try:
        body = client.get(f"/api/v1/sla/cases/{case.reference}", **auth(agent)).json()
    finally:
        extensions.deadlines.remove(final_response)

    assert body["deadlines"] == [{"name": "Final response", "due": "2026-04-27T10:00:00Z", "basis": "8 weeks"}]


def test_the_breaching_queue_pages_soonest_first(client, auth, agent, customer, team, now):
    from rapport.cases.services import case_create

    made = [
        case_create(
            actor=agent,
            customer=customer,
            subject=f"C{i}",
            body="x",
            team=team,
            channel="email",
            now=now + timedelta(minutes=10 - i),
        )
        for i in range(3)
    ]
    seen, cursor = [], None
    while True:
        params = {"queue": "breaching", "limit": 1, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/cases", params, **auth(agent)).json()
        seen += [item["reference"] for item in body["items"]]
        if not (cursor := body["next_cursor"]):
            break
    assert seen == [c.reference for c in reversed(made)]
