"""The weekly sample: per agent, random and stratified by channel and case type with a seeded
generator, plus targeted picks; never the same case twice; queues filled for reviewers who are
never the agent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rapport import extensions
from rapport.cases.models import Case, CaseEvent
from rapport.quality import services
from rapport.quality.models import QueueItem
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

WEEK = date(2026, 2, 23)  # a Monday


@pytest.fixture
def resolved(customer, team, agent):
    """``resolved(n, owner=agent, **fields)``: cases resolved during WEEK, an hour apart."""

    def make(count: int, owner=None, **fields):
        start = datetime.combine(WEEK, datetime.min.time(), tzinfo=UTC)
        rows = [
            Case(
                type=fields.get("type", "enquiry"),
                status="resolved",
                channel=fields.get("channel", "email"),
                subject=f"Case {i}",
                customer=customer,
                team=team,
                owner=owner or agent,
                created_at=start + timedelta(hours=i),
                updated_at=start + timedelta(hours=i + 2),
                resolved_at=start + timedelta(hours=i + 2),
            )
            for i in range(count)
        ]
        return Case.objects.bulk_create(rows)

    return make


def test_each_agent_gets_the_weekly_number_stratified_by_channel(resolved, team_leader, now):
    emails = resolved(12, channel="email")
    phones = resolved(3, channel="phone")
    items = services.sample_week(week=WEEK, now=now, per_agent=3)
    random_items = [i for i in items if i.reason == "random"]
    assert len(random_items) == 3
    chosen = {i.case_id for i in random_items}
    assert chosen & {c.pk for c in phones}  # the smaller channel is represented
    assert chosen & {c.pk for c in emails}
    assert {i.reviewer for i in items} == {team_leader}


def test_the_sample_is_the_same_for_the_same_records(resolved, team_leader, now):
    resolved(20)
    first = sorted(i.case_id for i in services.sample_week(week=WEEK, now=now))
    QueueItem.objects.all().delete()
    again = sorted(i.case_id for i in services.sample_week(week=WEEK, now=now))
    assert first == again


def test_targeted_samples_pick_complaints_reopened_low_csat_breached_and_long_handling(
    resolved, team_leader, monkeypatch, now
):
    plain = resolved(10)
    complaint = resolved(1, type="complaint")[0]
    reopened = plain[0]
    CaseEvent.objects.create(case=reopened, at=now, kind="changed", field="status", before="resolved", after="open")
    low, slow, late = plain[1], plain[2], plain[3]
    facts = {
        extensions.CSAT: {low.pk: 1, plain[4].pk: 5},
        extensions.HANDLING_TIME: {slow.pk: 95},
        extensions.SLA_BREACHED: {late.pk: True},
    }
    monkeypatch.setattr(extensions, "case_fact", lambda name, first, last: facts.get(name, {}))
    items = services.sample_week(week=WEEK, now=now, per_agent=0)
    reasons = {i.reason: i.case_id for i in items}
    assert reasons == {
        "complaint": complaint.pk,
        "reopened": reopened.pk,
        "low_csat": low.pk,
        "long_handling": slow.pk,
        "breached": late.pk,
    }


def test_a_case_is_never_sampled_twice(resolved, team_leader, now):
    resolved(5)
    first = services.sample_week(week=WEEK, now=now, per_agent=3)
    second = services.sample_week(week=WEEK, now=now, per_agent=3)
    assert {i.case_id for i in first}.isdisjoint({i.case_id for i in second})
    assert QueueItem.objects.count() == 5  # the remaining two, then nothing
    assert services.sample_week(week=WEEK, now=now) == []


def test_a_reviewed_case_is_not_sampled(resolved, team_leader, now):
    cases = resolved(1)
    services.review_start(actor=team_leader, case=cases[0], now=now)
    assert services.sample_week(week=WEEK, now=now) == []


def test_a_team_leaders_own_cases_go_to_someone_else(resolved, team_leader, manager, now):
    resolved(2, owner=team_leader)
    items = services.sample_week(week=WEEK, now=now)
    assert items
    assert all(i.reviewer == manager for i in items)


def test_work_is_shared_between_the_teams_leaders(resolved, team, team_leader, agent, now):
    second = make_user("leader2@example.com", "team_leader", [team])
    resolved(6)
    items = services.sample_week(week=WEEK, now=now, per_agent=6)
    assert {i.reviewer for i in items} == {team_leader, second}


def test_cases_outside_the_week_are_not_sampled(resolved, team_leader, now):
    resolved(3)
    assert services.sample_week(week=WEEK + timedelta(days=7), now=now) == []
    assert len(services.sample_week(week=WEEK + timedelta(days=3), now=now)) == 3  # any day finds its week


def test_the_periodic_job_samples_last_week(resolved, team_leader, monkeypatch):
    from rapport.quality import tasks

    resolved(2)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: WEEK + timedelta(days=7))
    assert tasks.weekly_sample.call_local() == 2
