"""API reads of personal data are logged like page reads: one row per person per request, in one
insert, by staff only (the gate does it, so no handler can forget)."""

from __future__ import annotations

import pytest

from rapport.cases.models import Attachment
from rapport.cases.services import Upload, message_add
from rapport.privacy.models import AccessLog
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def _log():
    return list(AccessLog.objects.order_by("id").values_list("actor_id", "customer_id", "what", "why"))


def test_reading_a_case_through_the_api_is_logged_like_the_case_page(client, auth, agent, case):
    assert client.get(f"/api/v1/cases/{case.reference}", **auth(agent)).status_code == 200
    assert signed_in(agent).get(f"/cases/{case.reference}/").status_code == 200
    assert _log() == [
        (agent.pk, case.customer_id, f"case {case.reference}", "API"),
        (agent.pk, case.customer_id, f"case {case.reference}", "case page"),
    ]


@pytest.mark.parametrize("part", ["messages", "events"])
def test_a_cases_messages_and_timeline_are_reads_of_the_customer(client, auth, agent, case, part):
    assert client.get(f"/api/v1/cases/{case.reference}/{part}", **auth(agent)).status_code == 200
    assert _log() == [(agent.pk, case.customer_id, f"case {case.reference}", "API")]


def test_reading_a_customer_through_the_api_is_logged(client, auth, agent, customer):
    assert client.get(f"/api/v1/customers/{customer.pk}", **auth(agent)).status_code == 200
    assert _log() == [(agent.pk, customer.pk, "customer record", "API")]


def test_the_api_list_of_whole_customer_records_logs_each_person_once(
    client, auth, agent, customer, other_customer, django_assert_num_queries
):
    headers = auth(agent)
    client.get("/api/v1/customers", {"limit": 1}, **headers)  # the token's first use is recorded once
    AccessLog.objects.all().delete()
    with django_assert_num_queries(3):  # the token, the page, one insert for everyone listed
        body = client.get("/api/v1/customers", **headers).json()
    assert {row[1] for row in _log()} == {item["id"] for item in body["items"]} == {customer.pk, other_customer.pk}


def test_the_queue_and_the_desks_customer_list_show_who_without_logging(agent, case):
    client = signed_in(agent)
    assert client.get("/?queue=all").status_code == 200
    assert client.get("/customers/").status_code == 200
    assert _log() == []


def test_a_customer_reading_their_own_case_is_not_logged(client, auth, customer_user, case):
    assert client.get(f"/api/v1/cases/{case.reference}", **auth(customer_user)).status_code == 200
    assert client.get(f"/api/v1/cases/{case.reference}/messages", **auth(customer_user)).status_code == 200
    assert _log() == []


def test_a_forbidden_read_logs_nothing(client, auth, other_agent, case):
    assert client.get(f"/api/v1/cases/{case.reference}", **auth(other_agent)).status_code == 404
    assert _log() == []


def test_downloading_a_file_is_a_read_by_page_and_by_api(client, auth, agent, case, now):
    message_add(actor=agent, reference=case.reference, kind="outbound", body="See attached",
                attachments=[Upload("receipt.txt", b"paid")], now=now)  # fmt: skip
    attachment = Attachment.objects.get()
    AccessLog.objects.all().delete()
    assert client.get(f"/api/v1/attachments/{attachment.pk}", **auth(agent)).status_code == 200
    assert signed_in(agent).get(f"/attachments/{attachment.pk}/").status_code == 200
    what = f"file {attachment.pk} on case {case.reference}"
    assert _log() == [(agent.pk, case.customer_id, what, "API"), (agent.pk, case.customer_id, what, "download")]


def test_a_reply_is_left_to_the_journal(client, auth, agent, case):
    response = client.post(
        f"/api/v1/cases/{case.reference}/messages",
        {"kind": "outbound", "body": "Thanks"},
        content_type="application/json",
        **auth(agent),
    )
    assert response.status_code == 201
    assert _log() == []


def test_reading_a_case_through_the_api_costs_one_insert(client, auth, agent, case, django_assert_num_queries):
    headers = auth(agent)
    client.get(f"/api/v1/cases/{case.reference}", **headers)
    with django_assert_num_queries(5):  # the token, the agent's teams, the case, the access log, tags
        assert client.get(f"/api/v1/cases/{case.reference}", **headers).status_code == 200
