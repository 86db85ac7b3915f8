"""Complaint volumes on the KPI dashboards broken down by the complaint record's root cause."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rapport.cases.services import case_create
from rapport.complaints.models import Complaint, RootCause
from rapport.feedback import rollup, selectors

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
PERIOD = {"start": "2026-03-01", "end": "2026-03-07"}


@pytest.fixture
def complaints(agent, customer, team):
    faulty = RootCause.objects.create(code="faulty", name="Faulty product")
    late = RootCause.objects.create(code="late", name="Late delivery")
    made = []
    for n, cause in enumerate([faulty, faulty, late, None]):
        case = case_create(
            actor=agent,
            customer=customer,
            subject=f"Complaint {n}",
            body="Not happy",
            type="complaint",
            channel="email" if n else "phone",
            team=team,
            now=MONDAY + timedelta(hours=n),
        )
        Complaint.objects.filter(case=case).update(root_cause=cause)
        made.append(case)
    case_create(actor=agent, customer=customer, subject="Question", body="?", team=team, now=MONDAY)
    rollup.rollup_rebuild(now=MONDAY + timedelta(days=1))
    return made


def test_complaints_are_counted_by_root_cause(complaints):
    s = selectors.Slice(start=date(2026, 3, 1), end=date(2026, 3, 8))
    assert selectors.complaints_by_cause(s) == (
        ("Faulty product", 2),
        ("Late delivery", 1),
        (selectors.NO_ROOT_CAUSE, 1),
    )
    by_email = selectors.Slice(start=s.start, end=s.end, channel="email")
    assert selectors.complaints_by_cause(by_email) == (
        ("Faulty product", 1),
        ("Late delivery", 1),
        (selectors.NO_ROOT_CAUSE, 1),
    )
    assert selectors.complaints_by_cause(s.previous()) == ()


def test_the_breakdown_is_one_query(complaints, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.complaints_by_cause(selectors.Slice(start=date(2026, 3, 1), end=date(2026, 3, 8)))


def test_dashboard_table_and_csv(complaints, manager_client):
    page = manager_client.get("/feedback/", PERIOD).content.decode()
    assert "Complaints raised by root cause" in page
    assert "Faulty product" in page
    csv = manager_client.get("/feedback/", {**PERIOD, "csv": "causes"}).content.decode().splitlines()
    assert csv == [
        "root cause,complaints raised",
        "Faulty product,2",
        "Late delivery,1",
        f"{selectors.NO_ROOT_CAUSE},1",
    ]


def test_the_kpi_api_gives_the_breakdown(complaints, manager, auth):
    from django.test import Client

    response = Client().get("/api/v1/feedback/kpis", {"start": "2026-03-01", "end": "2026-03-08"}, **auth(manager))
    assert response.status_code == 200
    assert response.json()["complaints_by_root_cause"][0] == {"root_cause": "Faulty product", "complaints": 2}
