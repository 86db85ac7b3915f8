"""The demo's webhook: one subscription with deliveries, one of them failed after every attempt."""

from __future__ import annotations

import pytest

from rapport.domain import webhooks as rules
from rapport.webhooks.demo import seed_webhooks_demo
from rapport.webhooks.models import Delivery, DeliveryStatus, Subscription

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_one_subscription_with_a_failed_delivery(case, other_case, now):
    seed_webhooks_demo(now)
    subscription = Subscription.objects.get()
    assert subscription.url.startswith("https://")
    statuses = sorted(Delivery.objects.filter(subscription=subscription).values_list("status", flat=True))
    assert statuses.count(DeliveryStatus.FAILED) == 1
    assert statuses.count(DeliveryStatus.DELIVERED) >= 1
    failed = Delivery.objects.get(status=DeliveryStatus.FAILED)
    assert failed.attempt_rows.count() == rules.MAX_ATTEMPTS
    seed_webhooks_demo(now)  # a second run adds nothing
    assert Subscription.objects.count() == 1
