"""The service plan pages: list, plan (every section, fired contingencies), forms with validation,
trigger history, outages; CSVs; who sees what; a fixed number of queries per page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from rapport.plans import services
from rapport.plans.models import Contingency, Firing, Outage, Plan
from tests.plans.conftest import contingency


@pytest.fixture
def fired(manager, plan, now):
    """The plan with a contingency that has fired and one that has not."""
    phones = contingency(plan, manager, now, system="Telephony", response_detail="Banner on the website.")
    contingency(plan, manager, now, name="Surge", trigger="actual_demand", threshold=Decimal(120))
    Firing.objects.create(contingency=phones, plan=plan, started_at=now, reason="Declared down: Telephony.", value=1)
    return plan


def test_the_list_shows_each_plan_with_its_firings_in_a_fixed_number_of_queries(
    client, manager, fired, now, django_assert_max_num_queries
):
    for n in range(8):
        services.plan_create(
            actor=manager,
            fields=services.PlanFields(
                title=f"Plan {n}", team_id=None, owner_id=manager.pk, starts_on=now.date(), ends_on=now.date()
            ),
            now=now,
        )
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        html = client.get("/plans/").content.decode()
    assert '<caption id="plans-caption">Service plans, latest period first</caption>' in html
    assert "Front line spring plan" in html
    assert "1 fired" in html
    assert html.count('<th scope="row">') == 9


def test_the_list_is_empty_with_a_hint(client, agent):
    client.force_login(agent)
    html = client.get("/plans/").content.decode()
    assert "No service plans yet." in html
    assert "A manager writes them." in html
    assert "Declare a system down" not in html


def test_the_list_pages(client, manager, now):
    for n in range(27):
        services.plan_create(
            actor=manager,
            fields=services.PlanFields(
                title=f"Plan {n:02d}", team_id=None, owner_id=manager.pk, starts_on=now.date(), ends_on=now.date()
            ),
            now=now,
        )
    client.force_login(manager)
    first = client.get("/plans/").content.decode()
    assert "Next page" in first
    assert client.get("/plans/?cursor=garbage").status_code == 200


def test_a_plan_shows_every_section_and_the_fired_contingency(client, agent, fired, django_assert_max_num_queries):
    client.force_login(agent)
    with django_assert_max_num_queries(14):
        response = client.get(f"/plans/{fired.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    for heading in ("Objectives", "Customer types and their needs", "Workflow", "Resource requirements",
                    "Timeline and milestones", "Monitoring and evaluation", "Contingencies", "Trigger history",
                    "Changes to the plan"):  # fmt: skip
        assert f">{heading}</h2>" in html
    assert "Contingencies fired now" in html
    assert "Declared down: Telephony." in html
    assert "Banner on the website." in html
    assert "Actual demand above 120% of the forecast" in html
    assert "Equality Act 2010 s.20" in html
    # an agent reads; no forms to change it
    assert "Add an objective" not in html
    assert "Edit the plan" not in html


def test_the_plan_page_costs_the_same_with_many_items(client, manager, fired, now, django_assert_max_num_queries):
    for n in range(10):
        contingency(fired, manager, now, name=f"Outage {n}", system=f"System {n}")
        services.plan_item_add(
            actor=manager, plan_id=fired.pk, section="milestones", raw={"title": f"Step {n}", "due": "2026-04-01"},
            now=now,
        )  # fmt: skip
    client.force_login(manager)
    with django_assert_max_num_queries(16):
        html = client.get(f"/plans/{fired.pk}/").content.decode()
    assert "Step 9" in html
    assert "Add a milestone" in html


def test_another_teams_reader_gets_not_found(client, other_agent, plan):
    client.force_login(other_agent)
    assert client.get(f"/plans/{plan.pk}/").status_code == 404
    assert client.get(f"/plans/{plan.pk}/plan.csv").status_code == 404


def test_customers_get_not_found(client, customer_user, plan):
    client.force_login(customer_user)
    assert client.get("/plans/").status_code == 404


def test_a_manager_writes_a_plan_through_the_form(client, manager, team):
    client.force_login(manager)
    bad = client.post("/plans/new/", {"title": "", "owner": manager.pk, "starts_on": "2026-04-01",
                                       "ends_on": "2026-03-01", "status": "draft"})  # fmt: skip
    assert bad.status_code == 422
    assert "There is a problem" in bad.content.decode()
    assert not Plan.objects.exists()
    backwards = client.post("/plans/new/", {"title": "Spring", "owner": manager.pk, "starts_on": "2026-04-01",
                                             "ends_on": "2026-03-01", "status": "draft"})  # fmt: skip
    assert services.PERIOD in backwards.content.decode()
    good = client.post("/plans/new/", {"title": "Spring", "team": team.pk, "owner": manager.pk,
                                        "starts_on": "2026-03-01", "ends_on": "2026-05-31", "status": "active",
                                        "budget": "6500.50", "planned_weekly_contacts": "1400"})  # fmt: skip
    plan = Plan.objects.get()
    assert good.status_code == 302
    assert (plan.budget_pence, plan.planned_weekly_contacts, plan.team) == (650050, 1400, team)


def test_the_edit_form_refuses_a_stale_version(client, manager, plan):
    client.force_login(manager)
    services.plan_update(actor=manager, plan_id=plan.pk, version=1, changes={"summary": "Moved on"},
                         now=timezone.now())  # fmt: skip
    form = {"title": "Mine", "owner": manager.pk, "starts_on": "2026-03-01", "ends_on": "2026-05-31",
            "status": "active", "version": 1}  # fmt: skip
    stale = client.post(f"/plans/{plan.pk}/edit/", form)
    assert stale.status_code == 409
    assert services.STALE in stale.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Front line spring plan"


def test_items_and_contingencies_are_added_on_the_plan_page(client, manager, plan):
    client.force_login(manager)
    added = client.post(f"/plans/{plan.pk}/items/customer_types/", {
        "customer_types-name": "Deaf customers", "customer_types-group": "external",
        "customer_types-needs": "Text or BSL, never a phone call only", "customer_types-channels": ["email", "chat"],
        "customer_types-adjustments": ["bsl_relay", "text_relay"]})  # fmt: skip
    assert added.status_code == 302
    bad = client.post(f"/plans/{plan.pk}/items/milestones/", {"milestones-title": "Go", "milestones-due": "soon"})
    assert bad.status_code == 422
    assert "Enter a valid date." in bad.content.decode()
    refused = client.post(f"/plans/{plan.pk}/contingencies/", {
        "contingency-name": "Surge", "contingency-trigger": "actual_demand",
        "contingency-responses": ["overtime"]})  # fmt: skip
    assert refused.status_code == 422
    assert "this trigger needs a threshold" in refused.content.decode()
    ok = client.post(f"/plans/{plan.pk}/contingencies/", {
        "contingency-name": "Surge", "contingency-trigger": "actual_demand", "contingency-threshold": "125",
        "contingency-responses": ["overtime", "move_skilled"]})  # fmt: skip
    assert ok.status_code == 302
    plan.refresh_from_db()
    assert plan.sections["customer_types"][0]["adjustments"] == ["bsl_relay", "text_relay"]
    assert Contingency.objects.get().responses == ["move_skilled", "overtime"]
    html = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "BSL video relay, Text relay" in html
    assert "Added a customer type: Deaf customers" in html


def test_readers_cannot_post(client, team_leader, plan):
    client.force_login(team_leader)
    refused = client.post(f"/plans/{plan.pk}/items/milestones/", {"milestones-title": "x"})
    assert refused.status_code == 404
    assert client.get("/plans/new/").status_code == 404
    assert client.post("/plans/outages/", {"system": "Telephony"}).status_code == 404
    assert not Outage.objects.exists()


def test_a_manager_declares_and_restores_an_outage_and_checks_now(client, manager, plan, figures):
    phones = contingency(plan, manager, timezone.now(), system="Telephony")
    client.force_login(manager)
    client.post("/plans/outages/", {"system": "Telephony", "note": "No dial tone"})
    outage = Outage.objects.get()
    later = {"ends_on": timezone.localdate() + timedelta(days=30)}
    services.plan_update(actor=manager, plan_id=plan.pk, version=None, changes=later, now=timezone.now())
    assert client.post(f"/plans/{plan.pk}/check/").status_code == 302
    assert Firing.objects.filter(contingency=phones, ended_at__isnull=True).exists()
    assert "Telephony" in client.get("/plans/").content.decode()
    client.post(f"/plans/outages/{outage.pk}/restore/")
    outage.refresh_from_db()
    assert outage.restored_by == manager


def test_csvs_of_every_table(client, manager, fired):
    client.force_login(manager)
    plans = client.get("/plans/plans.csv").content.decode()
    assert plans.splitlines()[1].startswith("Front line spring plan,Front line,")
    whole = client.get(f"/plans/{fired.pk}/plan.csv").content.decode()
    assert "Objectives,1,Objective,Keep our promises" in whole
    assert "Contingencies,1,Fired now,Yes" in whole
    history = client.get(f"/plans/firings.csv?plan={fired.pk}").content.decode()
    assert "Phones down,System down (declared by a manager)," in history
    versions = client.get(f"/plans/{fired.pk}/history.csv").content.decode()
    assert "Added contingency: Surge" in versions


def test_the_trigger_history_page(client, agent, fired, django_assert_max_num_queries):
    client.force_login(agent)
    with django_assert_max_num_queries(10):
        html = client.get("/plans/firings/").content.decode()
    assert "Contingency firings, latest first" in html
    assert "Still fired" in html
