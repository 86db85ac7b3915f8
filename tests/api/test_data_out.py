"""Data out: the case list, the customer list and report tables as CSV or JSON, streamed, guarded
against formula injection, logged in the access log, and written by the worker when large."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse

from rapport.cases.services import case_create
from rapport.customers.models import Customer
from rapport.privacy.models import AccessLog
from rapport.web.models import ExportJob


def body(response) -> str:
    assert response.status_code == 200, response.content[:500]
    assert isinstance(response, StreamingHttpResponse)  # never the whole file in memory
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def hostile(db, now):
    """A name a spreadsheet would run as a formula."""
    return Customer.objects.create(name='=HYPERLINK("http://evil.example","Click")', email="eve@example.com",
                                   notes="Desk note: not for export.", created_at=now, updated_at=now)  # fmt: skip


def test_the_customer_list_as_csv_with_every_cell_guarded(client, auth, agent, customer, hostile):
    text = body(client.get("/api/v1/exports/customers", {"format": "csv"}, **auth(agent)))
    rows = list(csv.reader(io.StringIO(text)))

    assert rows[0][:3] == ["Id", "Kind", "Name"]
    assert [r[2] for r in rows[1:]] == ['\'=HYPERLINK("http://evil.example","Click")', "Alice Jones"]
    assert "Desk note" not in text  # the desk's notes about people never leave the building


def test_the_customer_list_as_json_keeps_the_text_as_it_is(client, auth, agent, customer, hostile):
    rows = json.loads(body(client.get("/api/v1/exports/customers", {"format": "json", "q": "="}, **auth(agent))))

    assert [r["Name"] for r in rows] == ['=HYPERLINK("http://evil.example","Click")']


def test_the_case_list_keeps_the_queues_filters(client, auth, agent, case, other_case, team):
    # the agent sees their team's cases; filtered to one team, one row
    rows = list(csv.DictReader(io.StringIO(body(
        client.get("/api/v1/exports/cases", {"team": team.pk, "queue": "all"}, **auth(agent))
    ))))  # fmt: skip

    assert [(r["Reference"], r["Customer"], r["Team"]) for r in rows] == [(case.reference, "Alice Jones", "Front line")]


def test_an_export_is_a_read_of_each_person_once(client, auth, agent, customer, case, now):
    case_create(actor=agent, customer=customer, subject="Again", body="Still broken.", channel="email", now=now)

    body(client.get("/api/v1/exports/cases", **auth(agent)))

    logged = AccessLog.objects.filter(actor=agent, what="case list export")
    assert list(logged.values_list("customer_id", flat=True)) == [customer.pk]


def test_a_customer_exports_nothing(client, auth, customer_user, customer, case):
    assert client.get("/api/v1/exports/cases", **auth(customer_user)).status_code == 403
    assert client.get("/api/v1/exports/customers", **auth(customer_user)).status_code == 403


def test_a_bad_filter_is_named_before_anything_is_sent(client, auth, agent):
    response = client.get("/api/v1/exports/customers", {"format": "xlsx"}, **auth(agent))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "format"


def test_a_large_export_becomes_a_job_with_a_download_link(
    client, auth, agent, customer, other_customer, hostile, settings, django_capture_on_commit_callbacks
):
    settings.RAPPORT_EXPORT_STREAM_LIMIT = 2

    with django_capture_on_commit_callbacks(execute=True):
        asked = client.get("/api/v1/exports/customers", {"format": "csv"}, **auth(agent))

    assert asked.status_code == 202, asked.json()
    status = client.get(asked["Location"], **auth(agent)).json()
    assert (status["status"], status["rows"]) == ("ready", 3)
    file = client.get(status["download_url"], **auth(agent))
    rows = list(csv.reader(io.StringIO(b"".join(file.streaming_content).decode())))
    assert rows[1][2].startswith("'=")
    assert file["Cache-Control"] == "private, no-store"
    assert AccessLog.objects.filter(actor=agent, what="customer list export").count() == 3


def test_only_the_person_who_asked_sees_the_job(client, auth, agent, other_agent, customer, settings,
                                                django_capture_on_commit_callbacks):  # fmt: skip
    settings.RAPPORT_EXPORT_STREAM_LIMIT = 0
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.get("/api/v1/exports/customers", **auth(agent))
    job = ExportJob.objects.get()

    assert client.get(asked["Location"], **auth(other_agent)).status_code == 404
    assert client.get(f"/api/v1/exports/jobs/{job.pk}/file", **auth(other_agent)).status_code == 404


def test_report_tables_are_listed_and_exported(client, auth, team_leader, agent):
    names = [r["name"] for r in client.get("/api/v1/exports/reports", **auth(team_leader)).json()]
    table = body(client.get("/api/v1/exports/reports/complaints.channel", {"format": "csv"}, **auth(team_leader)))

    assert "complaints.channel" in names
    assert table.splitlines()[0].startswith("Channel")
    # complaint reports are for team leaders and above: to an agent the report does not exist
    assert client.get("/api/v1/exports/reports/complaints.channel", **auth(agent)).status_code == 404


def test_a_report_period_is_checked(client, auth, team_leader):
    response = client.get(
        "/api/v1/exports/reports/complaints.channel", {"start": "2026-03-01", "end": "2026-01-01"}, **auth(team_leader)
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "end"


def test_the_export_runs_one_query_a_batch(client, auth, agent, team, now, django_assert_max_num_queries):
    customers = [Customer(name=f"Person {i:03}", created_at=now, updated_at=now) for i in range(120)]
    Customer.objects.bulk_create(customers)
    headers = auth(agent)
    client.get("/api/v1/me", **headers)

    # the token, the count, a batch of 120 and the empty one after none: whatever the number of rows
    with django_assert_max_num_queries(8):
        text = body(client.get("/api/v1/exports/customers", **headers))
    assert len(text.splitlines()) == 121
