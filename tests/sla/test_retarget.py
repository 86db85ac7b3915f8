"""Running clocks follow what chose their target: a changed priority, type or channel (by hand or
by an escalation rule), or a customer's new tier or kind, re-targets every running or paused clock
of their open cases, keeping the business time used."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rapport import extensions
from rapport.cases.models import Case, CaseEvent
from rapport.cases.services import case_create, case_update, message_add
from rapport.customers.models import Customer
from rapport.customers.services import customer_update
from rapport.sla.models import Action, Clock, EscalationRule, Policy, Trigger
from rapport.sla.services import clocks_retarget, sla_check

H = timedelta(hours=1)


def clocks(case) -> dict[str, Clock]:
    return {c.target: c for c in Clock.objects.filter(case=case).select_related("policy")}


def change(case, agent, at, **changes):
    current = Case.objects.get(pk=case.pk)
    return case_update(actor=agent, reference=case.reference, expected_version=current.version, changes=changes, now=at)


def target_events(case) -> list[tuple[str, str]]:
    return list(CaseEvent.objects.filter(case=case, kind="sla_target").values_list("field", "after"))


@pytest.fixture
def urgent(office):
    return Policy.objects.create(name="Urgent", priority=4, calendar=office, first_response=H, resolution=8 * H)


@pytest.fixture
def low(office):
    return Policy.objects.create(
        name="Low", priority=1, calendar=office, first_response=24 * H, next_response=24 * H, resolution=40 * H
    )


def test_a_raised_priority_retargets_keeping_the_time_used(case, agent, urgent, now):
    # Given the case opened Monday 10:00 under 4 h / 16 h; at 12:00 it becomes urgent (1 h / 8 h)
    updated = change(case, agent, now + 2 * H, priority="urgent")

    found = clocks(case)
    resolution = found["resolution"]
    # The 2 h used stay; 6 h are left: 5.5 h on Monday and 0.5 h on Tuesday
    assert (resolution.policy, resolution.target_time, resolution.used) == (urgent, 8 * H, 2 * H)
    assert resolution.due_at == datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
    assert resolution.warn_at == datetime(2026, 3, 2, 16, tzinfo=UTC)  # 75%: 6 h used
    # The first response (now 1 h) passed at 11:00: recorded as breached at once, once
    first = found["first_response"]
    assert (first.target_time, first.breached_at, first.due_at) == (H, now + H, now + H)
    assert CaseEvent.objects.filter(case=case, kind="sla_breached", field="first_response").count() == 1
    assert sla_check(now=now + 3 * H).breaches == 0
    # Each change is on the case's history; the case (and the caller's copy) shows the new next breach
    assert sorted(target_events(case)) == [
        ("first_response", "4 h → 1 h under Urgent (priority urgent)"),
        ("resolution", "16 h → 8 h under Urgent (priority urgent)"),
    ]
    assert updated.next_breach_at == now + H
    assert Case.objects.get(pk=case.pk).next_breach_at == now + H


def test_a_warning_sent_is_not_sent_again_for_a_longer_target(case, agent, low, now):
    # Given the resolution warning sent at 12 h used (Tuesday 13:30)
    assert sla_check(now=datetime(2026, 3, 3, 14, tzinfo=UTC)).warnings == 2  # first response too
    # When the case is made low priority (40 h), then checked again past the new warning point (30 h)
    change(case, agent, datetime(2026, 3, 3, 14, 30, tzinfo=UTC), priority="low")
    later = sla_check(now=datetime(2026, 3, 5, 15, tzinfo=UTC))

    # Then no second warning, though the new warning point has passed
    resolution = clocks(case)["resolution"]
    assert (resolution.target_time, resolution.warn_at) == (40 * H, datetime(2026, 3, 5, 14, 30, tzinfo=UTC))
    assert later.warnings == 0
    assert CaseEvent.objects.filter(case=case, kind="sla_warning", field="resolution").count() == 1
    assert resolution.warned_at == datetime(2026, 3, 3, 13, 30, tzinfo=UTC)


def test_a_breach_already_recorded_stays_when_the_target_grows(case, agent, low, now):
    sla_check(now=now + 5 * H)  # first response breached at 14:00
    change(case, agent, now + 6 * H, priority="low")

    first = clocks(case)["first_response"]
    assert (first.target_time, first.breached_at) == (24 * H, now + 4 * H)
    message_add(actor=agent, reference=case.reference, kind="outbound", body="Sorry.", now=now + 7 * H)
    assert clocks(case)["first_response"].met is False


def test_the_adjustments_extra_time_still_applies(agent, customer, team, urgent, now):
    def extra_time(case):
        return 2 * H

    extensions.sla_target_adjusters.append(extra_time)
    try:
        case = case_create(actor=agent, customer=customer, subject="x", body="y", team=team, channel="email", now=now)
    finally:
        extensions.sla_target_adjusters.remove(extra_time)

    change(case, agent, now + H, priority="urgent")

    resolution = clocks(case)["resolution"]
    assert (resolution.target_time, resolution.adjustment) == (10 * H, 2 * H)
    assert target_events(case)[-1] == ("resolution", "18 h → 10 h under Urgent (priority urgent)")


def test_a_paused_clock_is_retargeted_and_stays_paused(case, agent, urgent, now):
    message_add(
        actor=agent,
        reference=case.reference,
        kind="outbound",
        body="Which model?",
        status_after="waiting_on_customer",
        now=now + H,
    )
    change(case, agent, now + 3 * H, priority="urgent")

    resolution = clocks(case)["resolution"]
    assert (resolution.target_time, resolution.used, resolution.running_since, resolution.due_at) == (
        8 * H,
        H,
        None,
        None,
    )
    assert Case.objects.get(pk=case.pk).next_breach_at is None


def test_a_changed_type_retargets(case, agent, office, now):
    Policy.objects.create(name="Complaints", case_type="complaint", calendar=office, resolution=40 * H)

    change(case, agent, now + H, type="complaint")

    assert clocks(case)["resolution"].target_time == 40 * H
    assert target_events(case) == [("resolution", "16 h → 40 h under Complaints (type complaint)")]


def test_a_change_no_policy_sets_a_target_for_keeps_the_target(case, agent, office, now):
    Policy.objects.create(name="Urgent, response only", priority=4, calendar=office, first_response=H)

    change(case, agent, now + 30 * timedelta(minutes=1), priority="urgent")

    found = clocks(case)
    assert (found["first_response"].target_time, found["resolution"].target_time) == (H, 16 * H)
    assert [field for field, _ in target_events(case)] == ["first_response"]


def test_an_escalation_that_raises_the_priority_retargets(case, office, now):
    Policy.objects.create(name="High", priority=3, calendar=office, first_response=2 * H, resolution=8 * H)
    EscalationRule.objects.create(
        name="Raise", trigger=Trigger.BREACH, action=Action.RAISE_PRIORITY, target="first_response"
    )

    sla_check(now=now + 5 * H)  # first response breached at 14:00; raised to high at 15:00

    resolution = clocks(case)["resolution"]
    assert (resolution.target_time, resolution.used) == (8 * H, 5 * H)
    assert resolution.due_at == datetime(2026, 3, 3, 9, 30, tzinfo=UTC)  # 3 h left: 2.5 h Monday, 0.5 h Tuesday
    assert ("resolution", "16 h → 8 h under High (priority high)") in target_events(case)
    assert Case.objects.get(pk=case.pk).next_breach_at == clocks(case)["first_response"].due_at


def test_an_internal_customer_moves_to_the_ola(case, agent, customer, ola, now):
    customer_update(actor=agent, customer_id=customer.pk, kind="department", now=now + H)

    found = clocks(case)
    assert {c.policy for c in found.values()} == {ola}
    assert found["resolution"].due_at == now + 48 * H  # 1 h used in office hours, then 47 h on 24/7
    assert found["resolution"].used == H


# -- a customer's tier: many cases at once --------------------------------------------------------


@pytest.fixture
def gold(office):
    return Policy.objects.create(name="Gold", tier="gold", calendar=office, first_response=H, resolution=8 * H)


def open_cases(agent, team, now, customers: int, each: int) -> list[Customer]:
    made = []
    for i in range(customers):
        customer = Customer.objects.create(name=f"Customer {i}", created_at=now, updated_at=now)
        for j in range(each):
            case_create(
                actor=agent, customer=customer, subject=f"{i}/{j}", body="x", team=team, channel="email", now=now
            )
        made.append(customer)
    return made


RETARGET_QUERIES = 5  # policies, the clocks (locked), their update, the events, the cases' next breach


@pytest.mark.parametrize(("customers", "each"), [(1, 1), (4, 3)])
def test_a_tier_change_retargets_every_open_case_in_bounded_queries(
    agent, team, gold, now, customers, each, django_assert_num_queries
):
    made = open_cases(agent, team, now, customers, each)
    ids = [c.pk for c in made]
    Customer.objects.filter(pk__in=ids).update(tier="gold")

    with django_assert_num_queries(RETARGET_QUERIES):
        moved = clocks_retarget(customer_ids=ids, now=now + 30 * timedelta(minutes=1), reason="customer tier gold")

    assert moved == 2 * customers * each
    assert set(Clock.objects.filter(case__customer_id__in=ids).values_list("policy__name", flat=True)) == {"Gold"}
    assert set(Case.objects.filter(customer_id__in=ids).values_list("next_breach_at", flat=True)) == {now + H}
    assert CaseEvent.objects.filter(kind="sla_target", after__endswith="(customer tier gold)").count() == moved


def test_loyalty_tiers_retarget_the_customers_open_cases(agent, team, customer, case, gold, now):
    from rapport.feedback import services as feedback
    from rapport.feedback.models import LoyaltyTier

    LoyaltyTier.objects.create(name="gold", label="Gold", threshold_pence=50_000)
    row = {"customer_email": customer.email, "reference": "A", "placed_at": "2026-01-01", "amount": "5000"}

    feedback.orders_import(actor=None, rows=[row], now=now + H)

    assert clocks(case)["resolution"].policy == gold
    assert ("resolution", "16 h → 8 h under Gold (customer tier gold)") in target_events(case)


def test_clocks_of_resolved_cases_are_left_alone(case, agent, urgent, now):
    message_add(
        actor=agent, reference=case.reference, kind="outbound", body="Done.", status_after="resolved", now=now + H
    )
    before = {c.pk: (c.target_time, c.policy_id) for c in Clock.objects.filter(case=case)}

    assert clocks_retarget(case_ids=[case.pk], now=now + 2 * H, reason="priority urgent") == 0
    Customer.objects.filter(pk=case.customer_id).update(tier="gold")
    extensions.customers_changed([case.customer_id], "customer tier gold", now + 2 * H)

    assert {c.pk: (c.target_time, c.policy_id) for c in Clock.objects.filter(case=case)} == before
    assert not CaseEvent.objects.filter(case=case, kind="sla_target").exists()
