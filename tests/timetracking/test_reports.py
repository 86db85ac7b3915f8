"""Time reports: grouped by team, customer, case type, agent and reason over a period, bounded by
who is asking, in a fixed number of queries; the CSV; the handling-time KPI and case fact."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from rapport import extensions
from rapport.accounts.models import Role
from rapport.cases.models import Case
from rapport.timetracking import exports, selectors, services
from rapport.timetracking.selectors import ReportBy
from tests.conftest import make_user

START, END = date(2026, 2, 1), date(2026, 3, 2)


@pytest.fixture
def logged(agent, other_agent, case, other_case, investigation, customer_contact, now):
    """Agent: 30 + 45 min on the kettle case; the other agent: 60 min on the refund case, and 20
    min before the period."""

    def add(who, on, minutes, category, day):
        return services.entry_add(actor=who, case=on, minutes=minutes, worked_on=day, category_id=category.pk, now=now)

    add(agent, case, 30, investigation, date(2026, 2, 20))
    add(agent, case, 45, customer_contact, date(2026, 3, 2))
    add(other_agent, other_case, 60, investigation, date(2026, 2, 1))
    add(other_agent, other_case, 20, investigation, date(2026, 1, 31))


def _rows(report):
    return [(r.label, r.minutes, r.entries, r.cases) for r in report.rows]


@pytest.mark.parametrize(
    ("by", "rows"),
    [
        (ReportBy.TEAM, [("team", 75, 2, 1), ("other_team", 60, 1, 1)]),
        (ReportBy.AGENT, [("agent", 75, 2, 1), ("other_agent", 60, 1, 1)]),
        (ReportBy.CASE_TYPE, [("Enquiry", 135, 3, 2)]),
        (ReportBy.CATEGORY, [("Investigation", 90, 2, 2), ("Customer contact", 45, 1, 1)]),
    ],
)
def test_the_report_groups_time_in_the_period(manager, logged, request, by, rows):
    report = selectors.time_report(actor=manager, by=by, start=START, end=END)
    named = {"team", "other_team", "agent", "other_agent"}
    expected = [(request.getfixturevalue(label).name if label in named else label, *rest) for label, *rest in rows]
    assert _rows(report) == expected
    assert (report.minutes, report.entries, report.cases) == (135, 3, 2)


def test_the_report_by_customer_names_them(manager, logged, customer, other_customer):
    report = selectors.time_report(actor=manager, by=ReportBy.CUSTOMER, start=START, end=END)
    assert [(r.label, r.minutes) for r in report.rows] == [(customer.name, 75), (other_customer.name, 60)]
    assert report.rows[0].average_per_case == 75


def test_an_agent_sees_their_own_time_and_a_team_leader_their_teams(agent, team_leader, logged):
    assert _rows(selectors.time_report(actor=agent, by=ReportBy.AGENT, start=START, end=END)) == [("Agent", 75, 2, 1)]
    assert _rows(selectors.time_report(actor=team_leader, by=ReportBy.AGENT, start=START, end=END)) == [
        ("Agent", 75, 2, 1)
    ]


@pytest.mark.parametrize("entries", [1, 12])
def test_the_report_costs_two_queries_whatever_the_number_of_entries(
    manager, case, agent, investigation, now, entries, django_assert_num_queries
):
    for n in range(entries):
        services.entry_add(actor=agent, case=case, minutes=n + 1, worked_on=END, category_id=investigation.pk, now=now)
    for by in ReportBy:
        with django_assert_num_queries(2):
            selectors.time_report(actor=manager, by=by, start=START, end=END)


def test_the_csv_has_a_row_per_group_and_a_total_and_no_formulas(manager, case, agent, investigation, now, team):
    team.name = "=HYPERLINK(1)"
    team.save()
    services.entry_add(actor=agent, case=case, minutes=90, worked_on=END, category_id=investigation.pk, now=now)

    text = exports.report_csv(selectors.time_report(actor=manager, by=ReportBy.TEAM, start=START, end=END))

    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "team (2026-02-01 to 2026-03-02)"
    assert rows[1] == ["'=HYPERLINK(1)", "90", "1:30", "1", "1", "90.0"]
    assert rows[-1] == ["Total", "90", "1:30", "1", "1", "90.0"]


@pytest.mark.parametrize("entries", [1, 12])
def test_a_cases_entries_are_one_query_per_page(case, agent, investigation, now, entries, django_assert_num_queries):
    for _ in range(entries):
        services.entry_add(actor=agent, case=case, minutes=5, worked_on=END, category_id=investigation.pk, now=now)
    with django_assert_num_queries(1):
        page = selectors.case_entries(case, cursor=None, size=10)
        names = [(e.agent.name, e.category.name) for e in page.items]
    assert len(names) == min(entries, 10)
    assert (page.next_cursor is not None) == (entries > 10)


def test_the_case_total_and_the_timer_are_one_query(case, agent, investigation, now, django_assert_num_queries):
    services.entry_add(actor=agent, case=case, minutes=25, worked_on=END, category_id=investigation.pk, now=now)
    services.entry_add(actor=agent, case=case, minutes=5, worked_on=END, category_id=investigation.pk, now=now)
    with django_assert_num_queries(1):
        facts = selectors.panel_facts(case, agent)
    assert (facts.minutes, facts.entries, facts.timer_case_id) == (30, 2, None)


def test_handling_time_is_a_case_fact_and_a_kpi(case, other_case, agent, other_agent, investigation, now, logged):
    facts = extensions.case_fact(extensions.HANDLING_TIME, case.pk, other_case.pk)
    assert facts == {case.pk: 75, other_case.pk: 80}

    scope = extensions.KpiScope(
        cases=lambda prefix: ~extensions_q(prefix),
        start=datetime(2026, 2, 1, tzinfo=UTC),
        end=datetime(2026, 3, 3, tzinfo=UTC),
    )
    assert extensions.kpi(extensions.AVERAGE_HANDLING_TIME, scope) == pytest.approx(135 / 2)

    empty = extensions.KpiScope(cases=scope.cases, start=scope.end, end=scope.end + timedelta(days=7))
    assert extensions.kpi(extensions.AVERAGE_HANDLING_TIME, empty) is None  # not measured, not zero


def extensions_q(prefix):
    from django.db.models import Q

    return Q(**{f"{prefix}pk__in": []})


def test_time_stays_with_its_case_when_a_colleague_leaves_the_team(agent, team, case, investigation, now, manager):
    services.entry_add(actor=agent, case=case, minutes=10, worked_on=END, category_id=investigation.pk, now=now)
    agent.teams.clear()
    leader = make_user("lead2@example.com", Role.TEAM_LEADER, teams=[team])
    assert selectors.time_report(actor=leader, by=ReportBy.TEAM, start=START, end=END).rows == []
    assert selectors.time_report(actor=manager, by=ReportBy.TEAM, start=START, end=END).minutes == 10
    assert Case.objects.count() == 1
