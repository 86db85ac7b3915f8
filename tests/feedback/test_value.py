"""Customer value: lifetime value from orders, tiers on Customer.tier, the service-profit chain."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from rapport.feedback import selectors, services
from rapport.feedback.models import FeedbackSettings, LoyaltyTier, StaffMeasure
from rapport.platform.errors import FieldError, Forbidden


def _order(customer, reference, when, amount):
    return {"customer_email": customer.email, "reference": reference, "placed_at": when, "amount": amount}


def test_lifetime_value_follows_the_documented_formula(customer, now):
    FeedbackSettings.objects.create(margin=Decimal("0.25"), retention=Decimal("0.8"), discount_rate=Decimal("0.1"))
    # £1,200 over the year before now: annual margin £300; CLV = 300 * 0.8 / 0.3 = £800.
    services.orders_import(
        actor=None,
        rows=[
            _order(customer, "A", (now - timedelta(days=365)).isoformat(), "700"),
            _order(customer, "B", now.isoformat(), "500"),
        ],
        now=now,
    )
    value = services.customer_lifetime_values([customer.pk], now)[customer.pk]
    assert value == Decimal("800.55")  # 365 days is 0.9993 of a 365.25-day year, so a little over £800


def test_tiers_are_set_and_unset_as_value_changes(customer, other_customer, now):
    LoyaltyTier.objects.create(name="gold", label="Gold", threshold_pence=50_000)
    services.orders_import(actor=None, rows=[_order(customer, "A", "2026-01-01", "5000")], now=now)
    customer.refresh_from_db()
    other_customer.refresh_from_db()
    assert (customer.tier, other_customer.tier) == ("gold", "")
    LoyaltyTier.objects.filter(name="gold").update(threshold_pence=10**12)
    assert services.tiers_apply(now=now) == 1
    customer.refresh_from_db()
    assert customer.tier == ""


def test_importing_twice_adds_nothing(customer, now):
    rows = [_order(customer, "A", "2026-01-01", "10")]
    assert services.orders_import(actor=None, rows=rows, now=now).created == 1
    again = services.orders_import(actor=None, rows=rows, now=now)
    assert (again.created, again.skipped) == (0, 1)


@pytest.mark.parametrize("amount", ["-5", "ten", "NaN", "1e12"])
def test_bad_amounts_are_reported_not_stored(customer, now, amount):
    result = services.orders_import(actor=None, rows=[_order(customer, "A", "2026-01-01", amount)], now=now)
    assert result.created == 0
    assert "is not an amount in pounds" in result.errors[0]


def test_only_managers_record_orders(agent, manager, customer, now):
    with pytest.raises(Forbidden):
        services.order_record(actor=agent, customer=customer, reference="A", placed_at=now, amount="1", now=now)
    with pytest.raises(FieldError) as refused:
        services.order_record(actor=manager, customer=customer, reference="", placed_at=now, amount="x", now=now)
    assert set(refused.value.errors) == {"reference", "amount"}


def test_service_profit_chain_puts_staff_measures_beside_retention_and_revenue(
    team, customer, other_customer, now, monkeypatch
):
    # Without an app measuring the staff's voice, the hand-entered survey score is shown.
    monkeypatch.setattr("rapport.extensions.staff_voice", [])
    StaffMeasure.objects.create(
        team=team, month=date(2026, 2, 1), staff_survey_score=80, training_hours=30, headcount=3
    )
    rows = [
        _order(customer, "old", "2025-12-15", "100"),
        _order(other_customer, "old2", "2025-12-20", "100"),
        _order(customer, "new", "2026-02-10", "300"),
    ]
    services.orders_import(actor=None, rows=rows, now=now)
    chain = {r.group: r for r in selectors.service_profit_chain(start=date(2026, 1, 15), end=date(2026, 3, 1))}
    team_row = chain[f"Team: {team.name}"]
    assert team_row.staff_survey == Decimal("80.0")
    assert team_row.training_hours_per_head == Decimal("10.0")
    untiered = chain["Tier: none"]
    assert untiered.retention == 50.0
    assert untiered.revenue_per_customer == Decimal("300.00")
    assert not untiered.csat.has_data
