"""Watching a plan's contingencies: each trigger fires from the figures Rapport holds, a firing is
recorded and its owner told once per episode, and it clears when the condition ends."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from rapport import extensions
from rapport.cases.models import Case
from rapport.domain.contingencies import IntervalFigure
from rapport.mail.models import OutboxEmail
from rapport.plans import hooks, services
from rapport.plans.models import Contingency, Firing, Outage
from rapport.platform import periodic
from rapport.platform.errors import FieldError, Forbidden
from tests.plans.conftest import contingency


def emails_to(person):
    return OutboxEmail.objects.filter(to__icontains=person.email)


def test_a_declared_outage_fires_once_tells_the_owner_once_and_clears_when_restored(
    manager, agent, plan, figures, now, django_capture_on_commit_callbacks
):
    phones = contingency(plan, manager, now, system="Telephony")
    # when a manager declares the telephony down (the check runs at once, as a job)
    with django_capture_on_commit_callbacks(execute=True):
        outage = services.outage_declare(actor=manager, system="Telephony", note="No dial tone", now=now)
    # and the periodic check runs twice more
    services.contingencies_check(now=now + timedelta(minutes=15))
    services.contingencies_check(now=now + timedelta(minutes=30))

    # then one firing, the owner told once, by email and in the header
    firing = Firing.objects.get(contingency=phones)
    assert (firing.started_at, firing.ended_at, firing.notified) == (now, None, manager)
    assert firing.reason == "Declared down: Telephony."
    assert emails_to(manager).count() == 1
    assert "Contingency fired: Phones down (Front line spring plan)" in emails_to(manager).get().subject
    assert "Switch on a holding message" in emails_to(manager).get().text
    assert hooks.fired_alert(manager).text.startswith("A contingency has fired")
    assert hooks.fired_alert(agent) is None

    # when the system is restored, the firing clears and the alert goes
    restored = now + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.outage_restore(actor=manager, outage_id=outage.pk, now=restored)
    firing.refresh_from_db()
    assert (firing.ended_at, firing.end_reason) == (restored, "No system declared down.")
    assert hooks.fired_alert(manager) is None

    # and a second outage is a second episode, told again
    with django_capture_on_commit_callbacks(execute=True):
        services.outage_declare(actor=manager, system="telephony", now=restored + timedelta(hours=1))
    assert Firing.objects.filter(contingency=phones).count() == 2
    assert emails_to(manager).count() == 2


def test_an_outage_of_another_system_does_not_fire(manager, plan, figures, now, django_capture_on_commit_callbacks):
    contingency(plan, manager, now, system="Telephony")
    with django_capture_on_commit_callbacks(execute=True):
        services.outage_declare(actor=manager, system="Website", now=now)
    assert not Firing.objects.exists()


def test_actual_demand_above_the_forecast(manager, plan, figures, now):
    surge = contingency(plan, manager, now, name="Surge", trigger="actual_demand", threshold=Decimal(120))
    figures.now = extensions.PlanningFigures(today=(IntervalFigure(40, 60, 5, 5), IntervalFigure(40, 50, 5, 5)))

    summary = services.contingencies_check(now=now)

    assert (summary.checked, summary.started, summary.ended) == (1, 1, 0)
    assert Firing.objects.get(contingency=surge).value == pytest.approx(100 * 110 / 80)
    # the demand falls back within the forecast: the episode ends
    figures.now = extensions.PlanningFigures(today=(IntervalFigure(40, 40, 5, 5), IntervalFigure(40, 41, 5, 5)))
    assert services.contingencies_check(now=now + timedelta(minutes=15)).ended == 1
    assert Firing.objects.get(contingency=surge).ended_at == now + timedelta(minutes=15)


def test_forecast_demand_against_the_contacts_planned_and_the_figures_kept(manager, plan, figures, now):
    contingency(plan, manager, now, name="Busy week", trigger="forecast_demand", threshold=Decimal(110))
    figures.now = extensions.PlanningFigures(forecast_week_contacts=1680, required_peak=14, required_agent_hours=420.0)

    services.contingencies_check(now=now)

    assert Firing.objects.get().reason.startswith("Forecast for the next 7 days is 1,680 contacts, 120% of the 1,400")
    plan.refresh_from_db()
    assert plan.figures["required_peak"] == 14
    assert plan.figures_at == now


def test_staffed_below_required_for_n_intervals(manager, plan, figures, now):
    short = contingency(plan, manager, now, name="Short", trigger="understaffed", intervals=3)
    figures.now = extensions.PlanningFigures(today=tuple(IntervalFigure(10, 10, 6, 4) for _ in range(2)))
    services.contingencies_check(now=now)
    assert not Firing.objects.exists()
    figures.now = extensions.PlanningFigures(today=tuple(IntervalFigure(10, 10, 6, 4) for _ in range(3)))
    services.contingencies_check(now=now + timedelta(hours=1))
    assert Firing.objects.get(contingency=short).value == 3


def test_sla_attainment_over_the_last_week_for_the_plans_team(manager, plan, figures, now, monkeypatch):
    contingency(plan, manager, now, name="Slipping", trigger="sla_attainment", threshold=Decimal(80))
    asked = []

    def attainment(name, scope):
        asked.append((name, scope.start, scope.end, scope.cases("case__")))
        return 72.5

    monkeypatch.setattr(extensions, "kpi", attainment)
    services.contingencies_check(now=now)

    assert Firing.objects.get().reason == "SLA attainment over the last 7 days is 72.5% (trigger below 80%)."
    name, start, end, cases = asked[0]
    assert (name, start, end) == ("sla_attainment", now - timedelta(days=7), now)
    assert f"case__team_id', {plan.team_id}" in str(cases)


def test_an_email_waiting_too_long_for_a_first_reply(manager, plan, case, figures, now):
    backlog = contingency(plan, manager, now, name="Email backlog", trigger="mail_backlog", threshold=Decimal(48))
    Case.objects.filter(pk=case.pk).update(created_at=now - timedelta(hours=50))

    services.contingencies_check(now=now)
    assert Firing.objects.get(contingency=backlog).value == pytest.approx(50)

    # the reply goes: nothing is waiting any more, and the firing clears
    Case.objects.filter(pk=case.pk).update(first_response_at=now)
    services.contingencies_check(now=now + timedelta(minutes=15))
    assert Firing.objects.get(contingency=backlog).ended_at is not None


def test_an_unmeasured_figure_keeps_an_open_firing_open(manager, plan, figures, now):
    surge = contingency(plan, manager, now, name="Surge", trigger="actual_demand", threshold=Decimal(120))
    figures.now = extensions.PlanningFigures(today=(IntervalFigure(10, 20, 1, 1),))
    services.contingencies_check(now=now)
    figures.now = extensions.PlanningFigures()  # the workforce figures could not be read
    services.contingencies_check(now=now + timedelta(minutes=15))
    assert Firing.objects.get(contingency=surge).ended_at is None
    assert Contingency.objects.get(pk=surge.pk).last_reason.startswith("Not measured")


def test_only_active_plans_in_their_period_are_watched(manager, plan, figures, now):
    contingency(plan, manager, now, system="")
    Outage.objects.create(system="Website", declared_by=manager, declared_at=now)
    services.contingencies_check(now=now + timedelta(days=120))  # after the plan's period
    services.plan_update(actor=manager, plan_id=plan.pk, version=None, changes={"status": "draft"}, now=now)
    services.contingencies_check(now=now)
    assert not Firing.objects.exists()


def test_figures_are_read_once_per_team(manager, plan, figures, now):
    contingency(plan, manager, now, name="Surge", trigger="actual_demand", threshold=Decimal(120))
    second = services.plan_create(
        actor=manager,
        fields=services.PlanFields(
            title="Second",
            team_id=plan.team_id,
            owner_id=manager.pk,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            status="active",
        ),
        now=now,
    )
    contingency(second, manager, now, name="Surge", trigger="actual_demand", threshold=Decimal(120))
    services.contingencies_check(now=now)
    assert figures.asked == [plan.team_id]


def test_a_stopped_contingency_clears_and_is_not_watched(
    manager, plan, figures, now, django_capture_on_commit_callbacks
):
    phones = contingency(plan, manager, now)
    with django_capture_on_commit_callbacks(execute=True):
        services.outage_declare(actor=manager, system="Telephony", now=now)
    services.contingency_set_active(actor=manager, plan_id=plan.pk, contingency_id=phones.pk, active=False, now=now)
    services.contingencies_check(now=now + timedelta(minutes=15))
    assert Firing.objects.get().end_reason == "No longer watched."
    assert Firing.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"trigger": "actual_demand"}, "threshold"),
        ({"trigger": "understaffed"}, "intervals"),
        ({"trigger": "sla_attainment", "threshold": Decimal(101)}, "threshold"),
        ({"trigger": "weather"}, "trigger"),
        ({"responses": []}, "responses"),
        ({"responses": ["panic"]}, "responses"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_contingencies_are_refused_by_field(manager, plan, now, changes, field):
    with pytest.raises(FieldError) as refused:
        contingency(plan, manager, now, **changes)
    assert field in refused.value.errors
    assert not Contingency.objects.exists()


def test_only_managers_declare_outages_and_add_contingencies(agent, team_leader, manager, plan, now):
    for person in (agent, team_leader):
        with pytest.raises(Forbidden):
            services.outage_declare(actor=person, system="Telephony", now=now)
        with pytest.raises(Forbidden):
            contingency(plan, person, now)
    assert not Outage.objects.exists()


def test_the_check_runs_every_quarter_hour_once():
    assert periodic.jobs["rapport.plans.tasks.contingencies_check"] == timedelta(minutes=15)


def test_a_racing_check_cannot_open_a_second_firing(manager, plan, figures, now):
    phones = contingency(plan, manager, now)
    Firing.objects.create(contingency=phones, plan=plan, started_at=now, reason="first")
    # a second check that read "nothing open" before the first committed tries to start one too
    from rapport.domain.contingencies import Verdict

    assert services._fire(plan, phones, Verdict(True, True, 1.0, "second"), now) == 0
    assert Firing.objects.count() == 1
    assert emails_to(manager).count() == 0
