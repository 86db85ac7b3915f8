"""POST /api/v1/cases/{reference}/merge, /split and PUT /cc: the same rules as the pages, with the
API's error shapes (422 naming the field, 403 naming the rule, 409 with every case as it is now)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases.models import Case, Message
from rapport.cases.services import case_create, case_update

from .conftest import fields


@pytest.fixture
def second(agent, customer, team, now):
    return case_create(
        actor=agent,
        customer=customer,
        subject="Kettle again",
        body="Any news?",
        team=team,
        now=now + timedelta(hours=1),
    )


def post(client, auth, user, path, body):
    return client.post(path, body, content_type="application/json", **auth(user))


def test_merge_moves_the_case_and_get_says_where_it_went(client, auth, agent, case, second):
    body = {"cases": [second.reference], "versions": {case.reference: case.version, second.reference: second.version}}

    answer = post(client, auth, agent, f"/api/v1/cases/{case.reference}/merge", body)

    assert answer.status_code == 200, answer.json()
    assert answer.json()["merged"] == [second.reference]
    assert answer.json()["messages_moved"] == 1
    pointer = client.get(f"/api/v1/cases/{second.reference}", **auth(agent)).json()
    assert (pointer["merged_into"], pointer["status"]) == (case.reference, "closed")


def test_a_stale_version_is_a_409_with_every_case_and_nothing_merged(client, auth, agent, case, second):
    body = {"cases": [second.reference], "versions": {case.reference: case.version, second.reference: second.version}}
    case_update(actor=agent, reference=case.reference, expected_version=case.version, changes={"priority": "high"})

    answer = post(client, auth, agent, f"/api/v1/cases/{case.reference}/merge", body)

    assert answer.status_code == 409
    current = {c["reference"]: c["version"] for c in answer.json()["current"]}
    assert current == {case.reference: case.version + 1, second.reference: second.version}
    assert Case.objects.get(pk=second.pk).merged_into_id is None


def test_another_customers_case_is_a_422_naming_the_rule(client, auth, manager, case, other_case):
    body = {"cases": [other_case.reference], "versions": {case.reference: 1, other_case.reference: 1}}

    answer = post(client, auth, manager, f"/api/v1/cases/{case.reference}/merge", body)

    assert answer.status_code == 422
    assert "belongs to another customer" in fields(answer)["cases"][0]


def test_split_answers_201_with_the_new_case(client, auth, agent, case, customer_user, now):
    from rapport.cases.services import message_add

    message = message_add(
        actor=customer_user, reference=case.reference, kind="inbound", body="And the toaster.", now=now
    )
    version = Case.objects.get(pk=case.pk).version

    answer = post(
        client,
        auth,
        agent,
        f"/api/v1/cases/{case.reference}/split",
        {"message": message.pk, "version": version, "subject": "Toaster"},
    )

    assert answer.status_code == 201, answer.json()
    assert answer.json()["subject"] == "Toaster"
    assert Message.objects.get(pk=message.pk).case.reference == answer.json()["reference"]
    assert answer["Location"] == f"/api/v1/cases/{answer.json()['reference']}"


def test_cc_is_set_and_shown(client, auth, agent, case):
    answer = client.put(
        f"/api/v1/cases/{case.reference}/cc",
        {"cc": ["ben@example.com"], "version": case.version},
        content_type="application/json",
        **auth(agent),
    )

    assert answer.status_code == 200, answer.json()
    assert answer.json()["cc"] == ["ben@example.com"]
    bad = client.put(
        f"/api/v1/cases/{case.reference}/cc", {"cc": ["nope"], "version": answer.json()["version"]},
        content_type="application/json", **auth(agent),
    )  # fmt: skip
    assert fields(bad)["cc"] == ["nope is not an email address."]
