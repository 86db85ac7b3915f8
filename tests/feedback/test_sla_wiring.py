"""KPIs read the SLA app: attainment from its clocks, business time in its calendars."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rapport.cases.services import case_create, message_add
from rapport.feedback import rollup, selectors
from rapport.feedback.models import CaseFact

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
H = timedelta(hours=1)


@pytest.fixture
def always(db):
    from rapport.sla.models import Calendar

    return Calendar.objects.create(name="24/7", hours={str(d): [["00:00", "24:00"]] for d in range(7)})


@pytest.fixture
def fast_policy(always):
    from rapport.sla.models import Policy

    return Policy.objects.create(name="Fast", calendar=always, first_response=1 * H, resolution=100 * H)


def _answered(agent, customer, team, *, at, after, channel="email"):
    case = case_create(actor=agent, customer=customer, subject="S", body="b", channel=channel, team=team, now=at)
    message_add(actor=agent, reference=case.reference, kind="outbound", body="Hi", now=at + after)
    return case


def test_attainment_counts_met_and_missed_targets(fast_policy, agent, customer, team):
    _answered(agent, customer, team, at=MONDAY, after=30 * timedelta(minutes=1))  # met
    _answered(agent, customer, team, at=MONDAY, after=2 * H, channel="portal")  # missed (first response)
    s = selectors.Slice(start=date(2026, 3, 1), end=date(2026, 3, 8))
    # Two first-response clocks decided (one met, one missed); resolution clocks still running.
    assert selectors.sla_attainment(s) == 50.0
    assert selectors.sla_attainment(selectors.Slice(start=s.start, end=s.end, channel="email")) == 100.0
    assert selectors.sla_attainment(selectors.Slice(start=s.start, end=s.end, channel="phone")) is None
    assert selectors.sla_attainment(s.previous()) is None
    assert selectors.figures(s).sla_attainment == 50.0


def test_attainment_is_one_query(fast_policy, agent, customer, team, django_assert_num_queries):
    for n in range(3):
        _answered(agent, customer, team, at=MONDAY + n * H, after=n * H)
    s = selectors.Slice(start=date(2026, 3, 1), end=date(2026, 3, 8), team_ids=(team.pk,))
    with django_assert_num_queries(1):
        selectors.sla_attainment(s)


def test_the_dashboard_shows_attainment(fast_policy, agent, customer, team, manager_client):
    _answered(agent, customer, team, at=MONDAY, after=30 * timedelta(minutes=1))
    rollup.rollup_rebuild(now=MONDAY + 2 * H)
    period = {"start": "2026-03-01", "end": "2026-03-07"}
    page = manager_client.get("/feedback/", period)
    assert page.status_code == 200
    assert "100.0%" in page.content.decode()
    summary = manager_client.get("/feedback/", {**period, "csv": "summary"}).content.decode()
    assert "SLA attainment,100.0%,not measured" in summary
