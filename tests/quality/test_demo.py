"""The quality demo: a week of submitted reviews (one failed on a critical item, one disputed and
decided by another reviewer), last week's sample in reviewers' queues, one calibration."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

from rapport.quality import selectors
from rapport.quality.models import Calibration, Dispute, QueueItem, Review, ReviewStatus
from rapport.seeding.demo import seed_demo
from tests.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo(now=NOW, seed=1)
        transaction.set_rollback(True)


def test_the_demo_has_a_week_of_reviews_by_other_people(demo):
    reviews = Review.objects.filter(calibration__isnull=True).exclude(status=ReviewStatus.DRAFT)
    assert reviews.count() >= 10
    assert all(r.reviewer_id != r.agent_id for r in reviews)
    days = {r.submitted_at.date() for r in reviews}
    assert min(days) >= (NOW - timedelta(days=8)).date()
    assert len(days) >= 5
    assert reviews.filter(failed=True).count() == 1
    dispute = Dispute.objects.get()
    assert dispute.decider_id not in (dispute.review.reviewer_id, dispute.review.agent_id)
    assert dispute.outcome == "upheld"


def test_the_demo_fills_queues_and_quotes_the_work(demo):
    assert QueueItem.objects.filter(review__isnull=True).exists()
    quoted = Review.objects.filter(ratings__message__isnull=False).distinct()
    assert quoted.exists()


def test_the_demo_has_one_revealed_calibration_with_an_agreement(demo):
    calibration = Calibration.objects.get()
    assert calibration.revealed_at is not None
    view = selectors.calibration_view(calibration)
    assert len(view.submitted) >= 2
    assert view.alpha is not None
