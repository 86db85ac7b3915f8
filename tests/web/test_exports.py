"""Data out from the pages: the queue and the customer list as CSV or JSON, with the filters shown,
and a large export's page with its download link."""

from __future__ import annotations

import csv
import io

from rapport.customers.models import Customer
from rapport.web.models import ExportJob
from tests.web.html_checks import page_problems


def streamed(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def test_the_queue_offers_its_list_as_a_file_with_its_filters(agent_client, case):
    page = agent_client.get("/", {"queue": "all", "priority": "normal"}).content.decode()

    assert 'href="/exports/cases.csv?queue=all&amp;priority=normal"' in page


def test_the_queue_export_keeps_the_filters(agent_client, case, team):
    text = streamed(agent_client.get("/exports/cases.csv", {"queue": "all", "team": team.pk}))

    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["Reference"] for r in rows] == [case.reference]


def test_a_bad_filter_sends_the_person_back_to_the_queue_to_read_why(agent_client, case):
    response = agent_client.get("/exports/cases.csv", {"priority": "sky-high"})

    assert response.status_code == 302
    assert response["Location"].startswith("/?")


def test_the_customer_list_export_follows_the_search(agent_client, customer, other_customer):
    listed = agent_client.get("/customers/", {"q": "ali"}).content.decode()
    text = streamed(agent_client.get("/exports/customers.csv", {"q": "ali"}))

    assert 'href="/exports/customers.csv?q=ali"' in listed
    assert [r["Name"] for r in csv.DictReader(io.StringIO(text))] == ["Alice Jones"]


def test_customers_cannot_reach_exports(customer_client, case):
    assert customer_client.get("/exports/cases.csv").status_code == 404
    assert customer_client.get("/exports/customers.json").status_code == 404


def test_a_large_export_has_a_page_with_its_link(
    agent_client, customer, other_customer, settings, django_capture_on_commit_callbacks
):
    settings.RAPPORT_EXPORT_STREAM_LIMIT = 1

    with django_capture_on_commit_callbacks(execute=True):
        asked = agent_client.get("/exports/customers.json")
    job = ExportJob.objects.get()
    page = agent_client.get(asked["Location"])

    assert asked["Location"] == f"/exports/{job.pk}/"
    assert f'href="/exports/{job.pk}/file"' in page.content.decode()
    assert page_problems(page.content.decode()) == []
    assert agent_client.get(f"/exports/{job.pk}/file").status_code == 200


def test_someone_elses_export_is_not_found(agent_client, other_agent_client, customer, settings,
                                           django_capture_on_commit_callbacks):  # fmt: skip
    settings.RAPPORT_EXPORT_STREAM_LIMIT = 0
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.get("/exports/customers.csv")
    job = ExportJob.objects.get()

    assert other_agent_client.get(f"/exports/{job.pk}/").status_code == 404
    assert Customer.objects.count() == 1
