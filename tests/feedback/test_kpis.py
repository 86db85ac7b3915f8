"""KPIs from the rollup tables: business-time percentiles, FCR, reopen rate, scope, trend."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rapport.cases.services import case_create, case_update, message_add
from rapport.feedback import rollup, selectors
from rapport.feedback.models import CaseFact, DailyRollup

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)  # a working Monday; the office opens 09:00-17:30


@pytest.fixture
def worked(agent, customer, team, now):
    """Three cases: one answered in 2 business hours and resolved on first contact; one answered
    across a weekend (Friday 17:00 to Monday 10:00 is 1.5 business hours) and reopened; one open."""
    first = case_create(actor=agent, customer=customer, subject="A", body="a", channel="email", team=team, now=MONDAY)
    message_add(
        actor=agent,
        reference=first.reference,
        kind="outbound",
        body="Done",
        status_after="resolved",
        now=MONDAY + timedelta(hours=2),
    )
    friday = datetime(2026, 3, 6, 17, 0, tzinfo=LONDON)
    second = case_create(actor=agent, customer=customer, subject="B", body="b", channel="phone", team=team, now=friday)
    monday = datetime(2026, 3, 9, 10, 0, tzinfo=LONDON)
    message_add(
        actor=agent, reference=second.reference, kind="outbound", body="Hi", status_after="resolved", now=monday
    )
    message_add(
        actor=agent, reference=second.reference, kind="inbound", body="Still broken", now=monday + timedelta(hours=1)
    )
    second.refresh_from_db()
    case_update(
        actor=agent,
        reference=second.reference,
        expected_version=second.version,
        changes={"status": "resolved"},
        now=monday + timedelta(hours=3),
    )
    third = case_create(
        actor=agent, customer=customer, subject="C", body="c", channel="email", team=team, type="complaint", now=monday
    )
    rollup.rollup_rebuild(now=monday + timedelta(days=1))
    return first, second, third


def test_facts_measure_business_time(worked):
    first, second, third = worked
    facts = {f.case_id: f for f in CaseFact.objects.all()}
    assert facts[first.pk].response_s == 2 * 3600
    assert facts[first.pk].first_contact is True
    assert facts[second.pk].response_s == 90 * 60  # 30 min on Friday, 60 on Monday
    assert facts[second.pk].reopened is True
    assert facts[second.pk].first_contact is False
    assert facts[third.pk].resolved_day is None


def test_figures_for_a_period(worked, manager):
    s = selectors.Slice(start=date(2026, 3, 1), end=date(2026, 3, 15))
    figures = selectors.figures(s)
    assert (figures.created, figures.resolved, figures.complaints) == (3, 2, 1)
    assert figures.first_response.median == 90 * 60
    assert figures.first_response.p90 == 2 * 3600
    assert figures.first_contact_rate == 50.0
    assert figures.reopen_rate == 50.0
    assert figures.sla_attainment is None
    assert not figures.csat.has_data


def test_filters_and_the_owner_path_count_alike(worked, agent):
    first = worked[0]
    case_update(actor=agent, reference=first.reference, expected_version=first.version + 1, changes={"owner": agent.pk})
    rollup.rollup_rebuild(now=datetime(2026, 3, 10, tzinfo=LONDON))
    period = {"start": date(2026, 3, 1), "end": date(2026, 3, 15)}
    assert selectors.figures(selectors.Slice(**period, channel="phone")).created == 1
    mine = selectors.figures(selectors.Slice(**period, owner_id=agent.pk))
    assert (mine.created, mine.resolved, mine.first_contact_rate) == (1, 1, 100.0)
    assert [d[1:] for d in mine.daily] == [(1, 1)]


def test_rebuilding_gives_the_same_rows(worked, now):
    before = sorted(DailyRollup.objects.values_list("day", "team_key", "channel", "created", "resolved"))
    rollup.rollup_rebuild(now=datetime(2026, 3, 10, tzinfo=LONDON), days=3)
    after = sorted(DailyRollup.objects.values_list("day", "team_key", "channel", "created", "resolved"))
    assert before == after
    rollup.rollup_rebuild(now=datetime(2026, 3, 10, tzinfo=LONDON))
    assert sorted(DailyRollup.objects.values_list("day", "team_key", "channel", "created", "resolved")) == before


def test_scope_bounds_what_each_role_sees(worked, agent, team_leader, manager, other_team):
    requested = selectors.Slice(start=date(2026, 3, 1), end=date(2026, 3, 15))
    assert requested.scoped(manager) == requested
    assert requested.scoped(team_leader).team_ids == tuple(sorted(team_leader.teams.values_list("id", flat=True)))
    assert requested.scoped(agent).owner_id == agent.pk
    # A team leader asking for another team's figures gets none of them.
    assert (
        requested.__class__(**{**requested.__dict__, "team_ids": (other_team.pk,)}).scoped(team_leader).team_ids == ()
    )


def test_dashboard_runs_a_fixed_number_of_queries(worked, manager, django_assert_max_num_queries):
    requested = selectors.Slice(start=date(2026, 3, 1), end=date(2026, 3, 15))
    with django_assert_max_num_queries(32):  # fixed: two periods with SLA attainment, six bands
        board = selectors.dashboard(actor=manager, requested=requested, now=datetime(2026, 3, 10, tzinfo=LONDON))
    assert board.previous.created == 0
    assert board.backlog.open == 1


@pytest.mark.parametrize("seconds", [[5], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0, 599, 600, 601, 7200, 7200, 86_000, 3]])
def test_database_percentiles_match_the_pure_rule(db, case, seconds):
    from rapport.domain.scoring import distribution
    from rapport.feedback.selectors import _exact_distribution

    CaseFact.objects.all().delete()
    base = {"created_day": date(2026, 3, 2), "channel": "email", "case_type": "enquiry", "internal": False}
    facts = []
    for value in seconds:
        copy = case_create(
            actor=case.owner or case.customer.user, customer=case.customer, subject="x", body="y", channel="portal"
        )
        facts.append(CaseFact(case=copy, response_s=value, **base))
    CaseFact.objects.bulk_create(facts)
    assert _exact_distribution(CaseFact.objects.all(), "response_s") == distribution(seconds)
