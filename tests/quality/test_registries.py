"""What quality lends other apps through the registries: the ``qa_score`` KPI (coaching reads an
agent's score per period), QA findings for the gap analysis, and the learning portfolio link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Q

from rapport import extensions
from rapport.quality import services
from rapport.quality.services import CriticalCheckIn

pytestmark = pytest.mark.django_db


def _scope(now, **filters):
    return extensions.KpiScope(
        cases=lambda prefix: Q(**{prefix + k: v for k, v in filters.items()}),
        start=now - timedelta(days=1),
        end=now + timedelta(days=1),
    )


def test_the_qa_score_kpi_is_registered_and_reads_an_agents_reviews(submitted_review, agent, other_agent, now):
    source = extensions.kpi_sources.get(extensions.QA_SCORE)
    assert source is not None
    assert source.kind == "mean"
    assert extensions.kpi(extensions.QA_SCORE, _scope(now, owner_id=agent.pk)) == submitted_review.score
    assert extensions.kpi(extensions.QA_SCORE, _scope(now, owner_id=other_agent.pk)) is None
    sample = source.sample(_scope(now))
    assert (sample.n, sample.total) == (1, submitted_review.score)
    assert source.behind(_scope(now), 5) == [submitted_review.case_id]


def test_the_qa_score_counts_only_its_period(submitted_review, now):
    later = extensions.KpiScope(cases=lambda p: Q(), start=now + timedelta(days=2), end=now + timedelta(days=9))
    assert extensions.kpi(extensions.QA_SCORE, later) is None


def test_qa_findings_are_gap_evidence(worked_case, team_leader, full_ratings, now):
    review = services.review_start(actor=team_leader, case=worked_case, now=now)
    services.review_save(
        actor=team_leader,
        review=review,
        ratings=full_ratings(1),
        critical={"statutory_right_denied": CriticalCheckIn(True, "")},
        submit=True,
        now=now,
    )
    scope = extensions.GapScope(start=now - timedelta(days=1), end=now + timedelta(days=1), cases=lambda p: Q())
    found = {e.key: e for name, e in extensions.gaps_from_providers(scope) if name == extensions.QA_FINDINGS}
    assert found["behaviour:empathy"].size == 1.0
    assert found["behaviour:empathy"].case_ids == (worked_case.pk,)
    assert found["critical"].reach == 1
    assert "critical item" in found["critical"].why


def test_the_gap_analysis_ranks_qa_findings_beside_its_own(worked_case, team_leader, full_ratings, now):
    from rapport.improvement import gaps

    review = services.review_start(actor=team_leader, case=worked_case, now=now)
    services.review_save(actor=team_leader, review=review, ratings=full_ratings(1), submit=True, now=now)
    scope = gaps.gap_scope("service", "", now - timedelta(days=1), now + timedelta(days=1))
    assert any(g.provider == "qa_findings" for g in gaps.analyse(scope))


def test_a_reviewed_case_links_to_the_agents_learning_portfolio(worked_case, agent):
    from django.urls import reverse

    link = extensions.portfolio_link(agent, worked_case)
    portfolio = reverse("learning:portfolio", args=[agent.pk])
    assert link == f"{portfolio}?case={worked_case.reference}#add-evidence"
