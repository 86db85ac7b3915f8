"""Calibration: several reviewers score the same case blind; agreement (Krippendorff's alpha,
ordinal) and the spread per behaviour, and agreement over time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.quality import access as policy
from rapport.quality import selectors, services
from rapport.quality.services import RatingIn
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(team_leader, other_leader, manager):
    return [team_leader, other_leader, manager]


@pytest.fixture
def calibration(worked_case, panel, manager, now):
    return services.calibration_create(
        actor=manager, title="Kettle refund", case=worked_case, reviewer_ids=[u.pk for u in panel], now=now
    )


def _score(calibration, reviewer, values, now):
    review = services.review_start(actor=reviewer, case=calibration.case, calibration=calibration, now=now)
    ratings = {code: RatingIn(value, "Seen.") for code, value in values.items()}
    return services.review_save(actor=reviewer, review=review, ratings=ratings, submit=True, now=now)


def test_only_managers_start_one_with_at_least_two_reviewers_none_the_agent(
    worked_case, team_leader, agent, manager, now
):
    with pytest.raises(Forbidden):
        services.calibration_create(
            actor=team_leader, title="x", case=worked_case, reviewer_ids=[team_leader.pk, manager.pk], now=now
        )
    with pytest.raises(FieldError) as error:
        services.calibration_create(actor=manager, title="x", case=worked_case, reviewer_ids=[manager.pk], now=now)
    assert "reviewers" in error.value.errors
    with pytest.raises(FieldError) as error:
        services.calibration_create(
            actor=manager, title="x", case=worked_case, reviewer_ids=[manager.pk, agent.pk], now=now
        )
    assert "reviewers" in error.value.errors


def test_reviewers_from_any_team_score_it_but_outsiders_do_not(calibration, other_leader, now):
    outsider = make_user("outsider@example.com", "team_leader")
    _score(calibration, other_leader, {"empathy": 3}, now)  # not the agent's team: the manager chose them
    with pytest.raises(Forbidden):
        services.review_start(actor=outsider, case=calibration.case, calibration=calibration, now=now)
    with pytest.raises(NotFound):
        policy.access_calibration(outsider, calibration.pk)


def test_a_calibration_does_not_use_up_the_cases_one_review(calibration, team_leader, manager, now):
    _score(calibration, team_leader, {"empathy": 3}, now)
    review = services.review_start(actor=manager, case=calibration.case, now=now)
    assert review.calibration is None


def test_scoring_is_blind_until_ones_own_is_in(calibration, team_leader, other_leader, now):
    first = _score(calibration, team_leader, {"empathy": 3}, now)
    assert not policy.sees_others_in(other_leader, calibration)
    assert first not in policy.visible_reviews(other_leader)
    _score(calibration, other_leader, {"empathy": 4}, now)
    assert policy.sees_others_in(other_leader, calibration)


def test_revealing_shows_everyone(calibration, team_leader, manager, now):
    assert not policy.sees_others_in(team_leader, calibration)
    services.calibration_reveal(actor=manager, calibration=calibration, now=now)
    assert policy.sees_others_in(team_leader, calibration)
    with pytest.raises(Forbidden):
        services.calibration_reveal(actor=team_leader, calibration=calibration, now=now)


def test_the_agreement_and_spread_per_behaviour(calibration, panel, now, django_assert_max_num_queries):
    scores = [
        {"empathy": 3, "tone": 2, "ownership": 4, "accuracy": 1},
        {"empathy": 3, "tone": 2, "ownership": 4, "accuracy": 1},
        {"empathy": 3, "tone": 4, "ownership": 4, "accuracy": 1},
    ]
    for reviewer, values in zip(panel, scores, strict=True):
        _score(calibration, reviewer, values, now)
    with django_assert_max_num_queries(3):
        view = selectors.calibration_view(calibration)
    tone = next(b for b in view.behaviours if b.code == "tone")
    assert (tone.spread.low, tone.spread.high, tone.spread.range) == (2, 4, 2)
    empathy = next(b for b in view.behaviours if b.code == "empathy")
    assert empathy.spread.range == 0
    from rapport.domain.agreement import alpha

    expected = alpha([[3, 3, 3], [2, 2, 4], [4, 4, 4], [1, 1, 1]])
    assert view.alpha == pytest.approx(expected)
    assert len(view.submitted) == 3


def test_agreement_over_time_by_month_and_behaviour(worked_case, panel, manager, now):
    first = services.calibration_create(
        actor=manager, title="March", case=worked_case, reviewer_ids=[u.pk for u in panel], now=now
    )
    for reviewer in panel[:2]:
        _score(first, reviewer, {"empathy": 3, "tone": 2}, now)
    months, behaviours = selectors.agreement_over_time(now - timedelta(days=30), now + timedelta(days=30))
    assert [m.label for m in months] == ["March 2026"]
    assert months[0].units == 2
    assert months[0].alpha == pytest.approx(1.0)
    assert {b.label for b in behaviours} == {"Empathy", "Tone matched to the customer"}
