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
    with django_assert_max_num_queries(34):  # fixed: two periods with SLA attainment and proactive contacts
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


def test_rollup_figures_equal_figures_from_the_facts_for_a_random_dataset(db, customer, team, other_team):
    """The dashboards read DailyRollup and TimingRollup; every figure they give for a random
    period and slice must equal the figure computed from the fact rows one by one (seeded)."""
    import random

    from rapport.cases.models import Case
    from rapport.complaints.models import RootCause
    from rapport.domain.scoring import distribution, rate

    rng = random.Random(20260302)
    causes = [None, *(RootCause.objects.create(code=f"c{i}", name=f"Cause {i}") for i in range(3))]
    first_day = date(2025, 1, 1)
    cases = Case.objects.bulk_create(
        [
            Case(customer=customer, subject="x", channel="email", created_at=MONDAY, updated_at=MONDAY)
            for _ in range(400)
        ]
    )
    facts = []
    for case in cases:
        created = first_day + timedelta(days=rng.randrange(120))
        resolved = created + timedelta(days=rng.randrange(20)) if rng.random() < 0.8 else None
        facts.append(
            CaseFact(
                case=case,
                created_day=created,
                resolved_day=resolved,
                team_key=rng.choice([0, team.pk, other_team.pk]),
                channel=rng.choice(["email", "phone", "portal"]),
                case_type=rng.choice(["enquiry", "complaint"]),
                internal=rng.random() < 0.2,
                # Many ties and values either side of the ten-minute band edges.
                response_s=rng.choice([None, rng.randrange(0, 4000), rng.choice([0, 599, 600, 601, 1200])]),
                resolution_s=rng.randrange(0, 200_000) if resolved else None,
                first_contact=resolved is not None and rng.random() < 0.5,
                reopened=resolved is not None and rng.random() < 0.1,
                root_cause=rng.choice(causes),
            )
        )
    CaseFact.objects.bulk_create(facts)
    rollup.rollup_days()
    for _ in range(12):
        start = first_day + timedelta(days=rng.randrange(130))
        s = selectors.Slice(start=start, end=start + timedelta(days=rng.choice([7, 28, 90, 365])))
        if rng.random() < 0.4:
            s = selectors.Slice(start=s.start, end=s.end, team_ids=(team.pk,), channel=rng.choice(["", "phone"]))
        chosen = [
            f
            for f in facts
            if (s.team_ids is None or f.team_key in s.team_ids) and (not s.channel or f.channel == s.channel)
        ]
        raised = [f for f in chosen if s.start <= f.created_day < s.end]
        done = [f for f in chosen if f.resolved_day and s.start <= f.resolved_day < s.end]
        got = selectors.figures(s)
        assert (got.created, got.resolved) == (len(raised), len(done))
        assert got.complaints == sum(f.case_type == "complaint" for f in raised)
        assert got.first_contact_rate == rate(sum(f.first_contact for f in done), len(done))
        assert got.reopen_rate == rate(sum(f.reopened for f in done), len(done))
        assert got.first_response == distribution([f.response_s for f in raised if f.response_s is not None])
        assert got.resolution == distribution([f.resolution_s for f in done])
        assert sum(c for _d, c, _r in got.daily) == len(raised)
        by_cause: dict[str, int] = {}
        for f in raised:
            if f.case_type == "complaint":
                name = f.root_cause.name if f.root_cause else selectors.NO_ROOT_CAUSE
                by_cause[name] = by_cause.get(name, 0) + 1
        assert dict(selectors.complaints_by_cause(s)) == by_cause


def test_period_scores_from_the_score_rollup_equal_the_answers(db, customer, manager, answer):
    """Answers recorded one by one count straight into ScoreRollup (no rebuild needed), a recount
    gives the same rows, and the period's CSAT, CES and NPS equal those of the answers themselves."""
    import random

    from rapport.domain.scoring import ces, csat, nps
    from rapport.feedback import services
    from rapport.feedback.models import ScoreRollup, SurveyAnswer, SurveyInvitation

    rng = random.Random(7)
    scales = {"csat": (1, 5), "ces": (1, 7), "nps": (0, 10)}
    for _ in range(60):
        kind = rng.choice(list(scales))
        at = MONDAY + timedelta(days=rng.randrange(40), hours=rng.randrange(24))  # across midnight and BST
        invitation = SurveyInvitation.objects.create(
            kind=kind, customer=customer, created_at=at, send_after=at, expires_at=at + timedelta(days=30)
        )
        answer(token=services.survey_token(invitation), score=rng.randint(*scales[kind]), now=at)
    live = sorted(ScoreRollup.objects.values_list("day", "kind", "score", "n"))
    rollup.scores_recount()
    assert sorted(ScoreRollup.objects.values_list("day", "kind", "score", "n")) == live
    for _ in range(8):
        start = MONDAY.date() + timedelta(days=rng.randrange(40))
        s = selectors.Slice(start=start, end=start + timedelta(days=rng.choice([7, 28])))
        got = selectors.figures(s)
        chosen = [a for a in SurveyAnswer.objects.all() if s.start <= a.answered_at.astimezone(LONDON).date() < s.end]
        assert got.csat == csat([a.score for a in chosen if a.kind == "csat"])
        assert got.ces == ces([a.score for a in chosen if a.kind == "ces"])
        assert got.nps == nps([a.score for a in chosen if a.kind == "nps"])
