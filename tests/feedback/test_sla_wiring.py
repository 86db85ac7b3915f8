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


FRIDAY_5PM = datetime(2026, 3, 6, 17, 0, tzinfo=LONDON)
MONDAY_10AM = datetime(2026, 3, 9, 10, 0, tzinfo=LONDON)


def _weekend_case(agent, customer, team):
    """Raised Friday 17:00, answered Monday 10:00."""
    return _answered(agent, customer, team, at=FRIDAY_5PM, after=MONDAY_10AM - FRIDAY_5PM)


def test_business_time_is_counted_in_each_cases_sla_calendar(always, agent, customer, team):
    from rapport.sla.models import Calendar, Policy

    unmeasured = _weekend_case(agent, customer, team)  # before any policy: no clocks
    late = Calendar.objects.create(name="Late", hours={str(d): [["09:00", "20:00"]] for d in range(5)})
    Policy.objects.create(name="Catch-all", calendar=late, first_response=8 * H)
    Policy.objects.create(name="Email", channel="email", calendar=always, first_response=100 * H)
    measured = _weekend_case(agent, customer, team)
    rollup.rollup_rebuild(now=MONDAY_10AM + H)
    facts = dict(CaseFact.objects.values_list("case_id", "response_s"))
    assert facts[measured.pk] == 65 * 3600  # its policy's 24/7 calendar
    assert facts[unmeasured.pk] == 4 * 3600  # the default (catch-all) calendar: Fri 17-20, Mon 9-10


def test_without_sla_calendars_the_office_calendar_counts(agent, customer, team):
    case = _weekend_case(agent, customer, team)
    rollup.rollup_rebuild(now=MONDAY_10AM + H)
    assert CaseFact.objects.get(case_id=case.pk).response_s == 90 * 60


def test_calendars_cost_the_same_queries_for_more_cases(fast_policy, agent, customer, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def rebuild_queries():
        with CaptureQueriesContext(connection) as captured:
            rollup.facts_refresh()
        return len(captured)

    _weekend_case(agent, customer, team)
    few = rebuild_queries()
    for _ in range(5):
        _weekend_case(agent, customer, team)
    assert rebuild_queries() == few
