"""Where people see SLAs: the queue (next breach, breaching soon, sort), the case panel, the report."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from rapport.cases.models import Case
from rapport.cases.services import case_create, message_add
from rapport.sla.services import sla_check
from tests.web.conftest import signed_in
from tests.web.test_queue import QUEUE_QUERIES

H = timedelta(hours=1)
REFERENCE = re.compile(r'<th scope="row"><a href="/cases/(C-\d+)/">')


def references(response) -> list[str]:
    return REFERENCE.findall(response.content.decode())


@pytest.fixture
def clock_now(now, monkeypatch):
    """Pages read the real clock: pin it to the test's clock (plus an offset)."""

    def at(offset: timedelta = timedelta()) -> None:
        monkeypatch.setattr(timezone, "now", lambda: now + offset)

    at()
    return at


@pytest.fixture
def three(agent, customer, team, now, office):
    """Three cases whose first responses fall due at different times (urgent in 1 h on 24/7)."""
    from rapport.sla.models import Policy

    Policy.objects.create(name="Urgent", priority=4, calendar=office, first_response=H)
    Policy.objects.create(name="Low", priority=1, calendar=office, first_response=24 * H)
    made = {}
    for priority in ("normal", "urgent", "low"):
        made[priority] = case_create(
            actor=agent,
            customer=customer,
            subject=f"A {priority} case",
            body="x",
            team=team,
            channel="email",
            priority=priority,
            now=now,
        )
    return made


def test_the_queue_shows_and_sorts_by_time_to_next_breach(agent, three, clock_now):
    client = signed_in(agent)

    response = client.get("/", {"sort": "breach"})

    assert response.status_code == 200
    assert references(response) == [three[p].reference for p in ("urgent", "normal", "low")]
    assert "Next breach" in response.content.decode()


def test_the_breaching_soon_queue_holds_cases_due_within_four_hours_or_overdue(agent, three, clock_now):
    client = signed_in(agent)

    response = client.get("/", {"queue": "breaching"})

    assert references(response) == [three[p].reference for p in ("urgent", "normal")]
    assert "Breaching soon" in response.content.decode()
    clock_now(2 * H)
    assert "Breached" in signed_in(agent).get("/", {"queue": "breaching"}).content.decode()


# QUEUE_QUERIES as the core queue: the next breach is a column of the case row


@pytest.mark.parametrize("size", [2, 10])
def test_breaching_queue_query_count_does_not_grow_with_the_page(
    agent, customer, team, now, size, clock_now, django_assert_num_queries
):
    for i in range(12):
        case_create(
            actor=agent,
            customer=customer,
            subject=f"Case {i}",
            body="x",
            team=team,
            channel="email",
            now=now + timedelta(minutes=i),
        )
    clock_now(H)  # every first response is due within four hours
    client = signed_in(agent)
    # The session is warm, and so are the process's owner and team lists and its copy of the
    # breaching-soon window (each read again at most once a minute).
    client.get("/", {"queue": "breaching"})

    with django_assert_num_queries(QUEUE_QUERIES - 5):  # lists, email and reviews checks, unread count reused
        response = client.get("/", {"queue": "breaching", "limit": size})

    assert len(references(response)) == size


def test_the_case_panel_shows_targets_elapsed_remaining_and_pauses(case, agent, customer_user, now, clock_now):
    message_add(
        actor=agent,
        reference=case.reference,
        kind="outbound",
        body="Which model?",
        status_after="waiting_on_customer",
        now=now + H,
    )
    message_add(actor=customer_user, reference=case.reference, kind="inbound", body="K-200", now=now + 3 * H)
    clock_now(4 * H)
    client = signed_in(agent)

    page = client.get(f"/cases/{case.reference}/").content.decode()
    panel = client.get(f"/sla/cases/{case.reference}/panel", headers={"HX-Request": "true"})
    page_without_script = client.get(f"/sla/cases/{case.reference}/panel").content.decode()

    assert f'hx-get="/sla/cases/{case.reference}/panel"' in page
    html = panel.content.decode()
    assert panel.status_code == 200
    assert "First response" in html
    assert "Met" in html
    assert "Resolution" in html
    assert "Next response" in html
    assert "2 h 00 min" in html  # resolution: 1 h before the pause, 1 h since the reply
    assert "Waiting on customer" in html
    assert "<h1" not in html
    assert page_without_script.count("<h1") == 1
    assert "Next response" in page_without_script


def test_customers_never_see_the_sla_panel(case, customer_user):
    response = signed_in(customer_user).get(f"/sla/cases/{case.reference}/panel")
    assert response.status_code == 404


def test_the_report_shows_attainment_by_each_dimension(case, other_case, agent, team_leader, now, clock_now):
    # First response met on one case, missed on the other.
    message_add(actor=agent, reference=case.reference, kind="outbound", body="Hello", now=now + H)
    sla_check(now=now + 5 * H)
    client = signed_in(team_leader)

    response = client.get("/sla/", {"start": "2026-03-01", "end": "2026-03-31", "target": "first_response"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1>") == 1
    assert "50.0% of targets met" in html
    for heading in ("By policy", "By team", "By agent", "By priority", "By month", "By internal or external"):
        assert heading in html
    assert "March 2026" in html
    assert "External (SLA)" in html
    assert "<svg" in html


def test_the_report_as_csv(case, agent, team_leader, now, clock_now):
    message_add(actor=agent, reference=case.reference, kind="outbound", body="Hello", now=now + H)
    response = signed_in(team_leader).get("/sla/report.csv", {"start": "2026-03-01", "end": "2026-03-31"})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == ["Dimension", "Group", "Met", "Missed", "Attainment (%)"]
    assert ["All", "All targets", "1", "0", "100.0"] in rows
    assert ["Policy", "Standard", "1", "0", "100.0"] in rows


def test_bad_report_dates_re_render_with_a_message(team_leader, clock_now):
    response = signed_in(team_leader).get("/sla/", {"start": "2026-03-31", "end": "2026-03-01"})
    assert response.status_code == 400
    assert "The end date must be on or after the start date." in response.content.decode()


def test_agents_and_customers_cannot_open_the_report(agent, customer_user):
    assert signed_in(agent).get("/sla/").status_code == 404
    assert signed_in(customer_user).get("/sla/").status_code == 404


def test_report_query_count_does_not_grow_with_cases(
    agent, customer, team, team_leader, now, clock_now, django_assert_num_queries
):
    for i in range(5):
        made = case_create(
            actor=agent, customer=customer, subject=f"C{i}", body="x", team=team, channel="email", now=now
        )
        message_add(actor=agent, reference=made.reference, kind="outbound", body="y", now=now + H)
    client = signed_in(team_leader)
    client.get("/sla/")

    # session, user, six dimensions, the overall figure
    with django_assert_num_queries(9):
        client.get("/sla/", {"start": "2026-03-01", "end": "2026-03-31"})
    assert Case.objects.count() == 5
