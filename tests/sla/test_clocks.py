"""Clocks follow the case: started by policy, met by replies, paused while waiting on the customer,
stopped on resolution; warnings and breaches recorded once; escalations once per rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from rapport import extensions
from rapport.cases.models import Case, CaseEvent
from rapport.cases.services import case_create, message_add
from rapport.customers.models import Customer
from rapport.sla.models import Action, Clock, Escalation, EscalationRule, Pause, Policy, Trigger
from rapport.sla.services import sla_check

H = timedelta(hours=1)


def clocks(case) -> dict[str, Clock]:
    return {c.target: c for c in Clock.objects.filter(case=case)}


def test_a_new_case_starts_first_response_and_resolution_in_business_time(case, now):
    # Given the case opened Monday 2 March 2026 10:00 GMT under 4 h / 16 h office-hours targets
    found = clocks(case)

    assert set(found) == {"first_response", "resolution"}
    assert found["first_response"].due_at == datetime(2026, 3, 2, 14, tzinfo=UTC)
    # 16 business hours: 7.5 on Monday and 8.5 on Tuesday, so Tuesday at closing time.
    assert found["resolution"].due_at == datetime(2026, 3, 3, 17, 30, tzinfo=UTC)
    assert found["first_response"].warn_at == datetime(2026, 3, 2, 13, tzinfo=UTC)
    case.refresh_from_db()
    assert case.next_breach_at == datetime(2026, 3, 2, 14, tzinfo=UTC)


def test_a_reply_meets_the_first_response_target(case, agent, now):
    message_add(actor=agent, reference=case.reference, kind="outbound", body="Sorry, sending one.", now=now + H)

    first = clocks(case)["first_response"]
    assert first.stopped_at == now + H
    assert first.met is True
    assert first.used == H
    case.refresh_from_db()
    assert case.next_breach_at == clocks(case)["resolution"].due_at


def test_waiting_on_the_customer_pauses_and_their_reply_resumes(case, agent, customer_user, now):
    # Given a reply that leaves the case waiting on the customer, an hour in
    message_add(
        actor=agent,
        reference=case.reference,
        kind="outbound",
        body="Your order number?",
        status_after="waiting_on_customer",
        now=now + H,
    )
    resolution = clocks(case)["resolution"]
    assert resolution.running_since is None
    assert resolution.due_at is None
    assert resolution.used == H
    case.refresh_from_db()
    assert case.next_breach_at is None

    # When the customer replies the next morning
    reply_at = datetime(2026, 3, 3, 9, tzinfo=UTC)
    message_add(actor=customer_user, reference=case.reference, kind="inbound", body="It is 5521.", now=reply_at)

    # Then the resolution clock runs again with 15 h left, a next-response clock starts,
    # and the pause is on record
    found = clocks(case)
    assert found["resolution"].running_since == reply_at
    assert found["resolution"].due_at == datetime(2026, 3, 4, 15, 30, tzinfo=UTC)  # 8.5 + 6.5
    assert found["next_response"].due_at == reply_at + 4 * H
    [pause] = Pause.objects.filter(case=case)
    assert (pause.status, pause.started_at, pause.ended_at) == ("waiting_on_customer", now + H, reply_at)
    kinds = list(CaseEvent.objects.filter(case=case, kind__startswith="sla_").values_list("kind", flat=True))
    assert kinds == ["sla_paused", "sla_resumed"]


def test_resolving_stops_every_clock_as_met(case, agent, now):
    message_add(
        actor=agent, reference=case.reference, kind="outbound", body="Fixed.", status_after="resolved", now=now + H
    )
    assert not Clock.objects.filter(case=case, stopped_at__isnull=True).exists()
    assert all(c.met for c in Clock.objects.filter(case=case))


def test_internal_customers_are_measured_against_the_ola_and_its_calendar(agent, team, now):
    colleague = Customer.objects.create(name="Payroll", kind="department", created_at=now, updated_at=now)
    case = case_create(
        actor=agent,
        customer=colleague,
        subject="New starter",
        body="Set up please.",
        team=team,
        channel="email",
        now=now,
    )

    found = clocks(case)
    assert {c.policy.name for c in found.values()} == {"Internal"}
    assert found["first_response"].due_at == now + 24 * H  # 24/7 calendar


def test_most_specific_policy_by_tier_wins(agent, customer, team, office, now):
    Policy.objects.create(name="Gold", tier="gold", calendar=office, first_response=H)
    customer.tier = "gold"
    customer.save()
    case = case_create(actor=agent, customer=customer, subject="x", body="y", team=team, channel="email", now=now)
    assert clocks(case)["first_response"].policy.name == "Gold"
    assert "resolution" not in clocks(case)  # the gold policy sets no resolution target


def test_a_reasonable_adjustment_adds_business_time(agent, customer, team, now):
    def extra_time(case):
        return 2 * H if case.customer_id == customer.pk else None

    extensions.sla_target_adjusters.append(extra_time)
    try:
        case = case_create(actor=agent, customer=customer, subject="x", body="y", team=team, channel="email", now=now)
    finally:
        extensions.sla_target_adjusters.remove(extra_time)

    first = clocks(case)["first_response"]
    assert (first.target_time, first.adjustment) == (6 * H, 2 * H)
    assert first.due_at == now + 6 * H


def test_calls_logged_in_person_have_no_first_response_clock(agent, customer, team, now):
    from rapport.cases.services import contact_log

    case = contact_log(
        actor=agent, customer=customer, channel="phone", subject="Call", summary="Asked about X", now=now
    )
    assert set(clocks(case)) == {"resolution"}


def test_no_policy_no_clocks(agent, customer, team, now):
    Policy.objects.all().update(is_active=False)
    case = case_create(actor=agent, customer=customer, subject="x", body="y", team=team, channel="email", now=now)
    assert not Clock.objects.filter(case=case).exists()


# -- the check: warnings, breaches, escalation ----------------------------------------------------


def test_warning_and_breach_are_recorded_once_with_when(case, now):
    later = now + 5 * H  # first response was due at 14:00; now 15:00

    first = sla_check(now=later)
    second = sla_check(now=later + H)

    assert (first.warnings, first.breaches) == (1, 1)
    assert (second.warnings, second.breaches) == (0, 0)
    clock = clocks(case)["first_response"]
    assert clock.warned_at == datetime(2026, 3, 2, 13, tzinfo=UTC)
    assert clock.breached_at == datetime(2026, 3, 2, 14, tzinfo=UTC)
    events = CaseEvent.objects.filter(case=case, kind__in=["sla_warning", "sla_breached"])
    assert sorted(events.values_list("kind", "field")) == [
        ("sla_breached", "first_response"),
        ("sla_warning", "first_response"),
    ]


def test_a_breach_before_the_reply_is_still_a_missed_target(case, agent, now):
    sla_check(now=now + 5 * H)
    message_add(actor=agent, reference=case.reference, kind="outbound", body="Late, sorry.", now=now + 6 * H)
    assert clocks(case)["first_response"].met is False


def test_a_reply_after_the_due_instant_is_a_breach_even_before_the_check_runs(case, agent, now):
    message_add(actor=agent, reference=case.reference, kind="outbound", body="Late, sorry.", now=now + 5 * H)

    first = clocks(case)["first_response"]
    assert first.met is False
    assert first.breached_at == datetime(2026, 3, 2, 14, tzinfo=UTC)
    assert sla_check(now=now + 6 * H).breaches == 0  # recorded once
    assert CaseEvent.objects.filter(case=case, kind="sla_breached").count() == 1


@pytest.fixture
def rules(other_team):
    return {
        action: EscalationRule.objects.create(
            name=f"On breach: {action}",
            trigger=Trigger.BREACH,
            action=action,
            target="first_response",
            reassign_to=other_team if action == Action.REASSIGN else None,
        )
        for action in Action.values
    }


def test_the_escalation_job_run_twice_escalates_once(
    case, rules, team_leader, manager, other_team, now, django_capture_on_commit_callbacks
):
    later = now + 5 * H

    with django_capture_on_commit_callbacks(execute=True):
        first = sla_check(now=later)
        second = sla_check(now=later + timedelta(minutes=1))

    assert (first.escalations, second.escalations) == (4, 0)
    assert Escalation.objects.count() == 4
    case.refresh_from_db()
    assert case.priority == 3  # normal -> high, once
    assert (case.team, case.owner) == (other_team, None)
    escalated = CaseEvent.objects.filter(case=case, kind="escalated")
    assert escalated.count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, team_leader.email])
    changed = CaseEvent.objects.filter(case=case, kind="changed", field="priority")
    assert list(changed.values_list("before", "after")) == [("normal", "high")]


def test_a_warning_rule_fires_at_the_warning_point_only(case, team_leader, now, django_capture_on_commit_callbacks):
    EscalationRule.objects.create(name="Warn", trigger=Trigger.WARNING, action=Action.NOTIFY_TEAM_LEADER)

    with django_capture_on_commit_callbacks(execute=True):
        assert sla_check(now=now + 2 * H).escalations == 0  # 12:00, warning due at 13:00
        assert sla_check(now=now + 3 * H).escalations == 1  # first response warned
    assert len(mail.outbox) == 1
    assert "SLA warning point passed" in mail.outbox[0].subject


def test_stopped_clocks_are_not_escalated(case, manager, rules, now):
    sla_check(now=now + 5 * H)  # breach recorded and escalated (and the case moved to billing)
    message_add(actor=manager, reference=case.reference, kind="outbound", body="Here.", now=now + 6 * H)
    EscalationRule.objects.create(name="Late rule", trigger=Trigger.BREACH, action=Action.RAISE_PRIORITY)
    assert sla_check(now=now + 7 * H).escalations == 0


def test_the_periodic_task_runs_the_check(case, now, monkeypatch):
    from rapport.sla import tasks

    monkeypatch.setattr(tasks.timezone, "now", lambda: now + 5 * H)
    tasks.sla_check_periodic.call_local()
    assert clocks(case)["first_response"].breached_at is not None


def test_priority_escalation_stops_at_urgent(agent, customer, team, rules, now):
    case = case_create(
        actor=agent, customer=customer, subject="x", body="y", team=team, channel="email", priority="urgent", now=now
    )
    sla_check(now=now + 5 * H)
    assert Case.objects.get(pk=case.pk).priority == 4
    assert "already urgent" in Escalation.objects.get(clock__case=case, rule__action="raise_priority").outcome


def test_the_default_calendar_is_the_catch_all_external_policys(db, standard, ola, office, always):
    from rapport.sla.models import Calendar
    from rapport.sla.selectors import default_calendar

    assert default_calendar() == office  # "Standard" names no criteria; the OLA is internal
    later = Calendar.objects.create(name="Late", hours={"0": [["09:00", "20:00"]]})
    Policy.objects.create(name="Email", channel="email", calendar=always, rank=1, first_response=H)
    Policy.objects.create(name="Preferred", calendar=later, rank=10, first_response=H)
    assert default_calendar() == later  # lower rank wins among catch-alls; specific ones never count
    Policy.objects.update(is_active=False)
    assert default_calendar() is None
