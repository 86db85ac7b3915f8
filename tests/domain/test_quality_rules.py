"""The rules of quality reviews: scoring, critical items, and the seeded stratified sample."""

from __future__ import annotations

import pytest

from rapport.domain.quality import (
    DEFAULT_BEHAVIOURS,
    DEFAULT_CRITICAL,
    allocate,
    below_standard,
    score,
    stratified_sample,
)


def test_the_defaults_are_the_documents_behaviours():
    codes = {b.code for b in DEFAULT_BEHAVIOURS}
    assert codes == {
        "active_listening",
        "positive_language",
        "empathy",
        "ownership",
        "heat",
        "accuracy",
        "compliance",
        "next_steps",
        "tone",
    }
    assert {c.code for c in DEFAULT_CRITICAL} == {"wrong_person_disclosure", "statutory_right_denied"}


def test_the_score_is_the_weighted_mean_of_normalised_ratings():
    # empathy 4/4 (1.0) weight 30, tone 2/4 ((2-1)/3) weight 10: (30 + 10/3) / 40 = 83.3%
    found = score({"empathy": 4, "tone": 2}, {"empathy": 30, "tone": 10}, lowest=1, highest=4)
    assert found.score == pytest.approx(83.3)
    assert not found.failed


def test_not_applicable_is_left_out_of_both_sums():
    found = score({"empathy": 4, "heat": None}, {"empathy": 10, "heat": 90}, lowest=1, highest=4)
    assert found.score == 100.0
    assert found.rated_weight == 10


def test_a_critical_breach_fails_the_review_whatever_the_rest():
    found = score({"empathy": 4, "tone": 4}, {"empathy": 10, "tone": 10}, lowest=1, highest=4, critical_breached=True)
    assert (found.score, found.failed) == (0.0, True)


def test_nothing_rated_has_no_score_and_ratings_off_the_scale_are_refused():
    assert score({}, {"empathy": 10}, lowest=1, highest=4).score is None
    with pytest.raises(ValueError, match="outside the scale"):
        score({"empathy": 5}, {"empathy": 10}, lowest=1, highest=4)


def test_below_standard_is_the_lower_half_of_the_scale():
    assert below_standard(2, lowest=1, highest=4)
    assert not below_standard(3, lowest=1, highest=4)


def test_allocation_gives_every_stratum_one_then_shares_the_rest_by_size():
    assert allocate({"email": 10, "phone": 3, "chat": 1}, 5) == {"email": 3, "phone": 1, "chat": 1}
    assert allocate({"email": 2, "phone": 1}, 10) == {"email": 2, "phone": 1}
    assert sum(allocate({"a": 7, "b": 5, "c": 3, "d": 1}, 6).values()) == 6


def test_the_sample_is_seeded_stratified_and_without_repeats():
    candidates = [(i, ("email" if i % 4 else "phone", "enquiry")) for i in range(1, 41)]
    first = stratified_sample(candidates, 4, seed="7:2026-03-02")
    again = stratified_sample(list(reversed(candidates)), 4, seed="7:2026-03-02")
    assert first == again  # the same records, the same sample
    assert len(set(first)) == 4
    assert any(i % 4 == 0 for i in first)  # the phone stratum is represented
    other_weeks = {tuple(stratified_sample(candidates, 4, seed=f"7:week{w}")) for w in range(10)}
    assert len(other_weeks) > 1  # random, not a fixed pick


def test_a_sample_larger_than_the_candidates_takes_them_all():
    assert stratified_sample([(3, "a"), (1, "b")], 5, seed="x") == [1, 3]
