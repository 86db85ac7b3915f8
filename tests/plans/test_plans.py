"""Service plans: writing them (managers only, every change a version), who reads which, and the
items of each section checked as they are added."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rapport.plans import access as policy
from rapport.plans import sections as parts
from rapport.plans import services
from rapport.plans.models import Plan, PlanVersion
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound
from tests.conftest import make_user


def fields(owner, team=None, **changes):
    values = {
        "title": "Billing plan",
        "team_id": team.pk if team else None,
        "owner_id": owner.pk,
        "starts_on": date(2026, 3, 1),
        "ends_on": date(2026, 6, 30),
    } | changes
    return services.PlanFields(**values)


def test_a_manager_writes_a_plan_with_every_section(manager, team, now):
    sections = {
        "customer_types": [
            {"name": "Older customers", "group": "external", "needs": "Time on the phone", "channels": ["phone"],
             "adjustments": ["large_print", "extra_time"]},
        ],
        "workflow": [{"stage": "first_contact", "who": "front_line", "description": "Answer and record"}],
        "resources": [{"kind": "budget", "description": "Overtime", "quantity": "£4,000"}],
        "milestones": [{"title": "Review", "due": "2026-04-01", "done": False}],
        "monitoring": [{"kpi": "sla_attainment", "frequency": "weekly", "reviewer": "team_leader"}],
    }  # fmt: skip
    plan = services.plan_create(actor=manager, fields=fields(manager, team), sections=sections, now=now)

    plan.refresh_from_db()
    assert plan.version == 1
    assert plan.sections["customer_types"][0]["adjustments"] == ["extra_time", "large_print"]
    assert plan.sections["customer_types"][0]["tier"] == ""
    assert plan.sections["objectives"] == []
    first = PlanVersion.objects.get(plan=plan)
    assert (first.number, first.change, first.actor) == (1, "Plan created", manager)
    assert first.document["sections"]["milestones"][0]["due"] == "2026-04-01"


@pytest.mark.parametrize(
    ("section", "item", "field", "message"),
    [
        ("objectives", {"text": "Faster", "kpi": "no_such_kpi", "target": 5}, "sections.objectives.0.kpi",
         parts.NOT_A_CHOICE.format(value="no_such_kpi")),
        ("objectives", {"text": "", "kpi": "sla_attainment", "target": 5}, "sections.objectives.0.text",
         parts.REQUIRED),
        ("objectives", {"text": "x", "kpi": "sla_attainment", "target": "lots"}, "sections.objectives.0.target",
         parts.NOT_A_NUMBER),
        ("customer_types", {"name": "A", "group": "external", "needs": "n", "channels": ["pigeon"]},
         "sections.customer_types.0.channels", parts.NOT_A_CHOICE.format(value="pigeon")),
        ("milestones", {"title": "Go", "due": "31/02/2026"}, "sections.milestones.0.due", parts.NOT_A_DATE),
        ("workflow", {"stage": "first_contact", "who": "front_line", "description": "d", "colour": "red"},
         "sections.workflow.0.colour", parts.UNKNOWN_FIELD),
    ],
)  # fmt: skip
def test_bad_items_are_refused_by_field_and_nothing_is_saved(manager, now, section, item, field, message):
    with pytest.raises(FieldError) as refused:
        services.plan_create(actor=manager, fields=fields(manager), sections={section: [item]}, now=now)
    assert refused.value.errors == {field: [message]}
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"title": " "}, "title"), ({"ends_on": date(2026, 2, 1)}, "ends_on"), ({"ends_on": date(2029, 1, 1)}, "ends_on"),
     ({"status": "paused"}, "status"), ({"team_id": 999_999}, "team_id")],
)  # fmt: skip
def test_bad_plan_fields_are_named(manager, now, changes, field):
    with pytest.raises(FieldError) as refused:
        services.plan_create(actor=manager, fields=fields(manager, **changes), now=now)
    assert field in refused.value.errors
    assert not Plan.objects.exists()


def test_the_owner_must_be_staff(manager, customer_user, now):
    with pytest.raises(FieldError) as refused:
        services.plan_create(actor=manager, fields=fields(customer_user), now=now)
    assert refused.value.errors == {"owner_id": [services.NO_OWNER]}


@pytest.mark.parametrize("who", ["agent", "team_leader"])
def test_only_managers_write(request, who, plan, now):
    person = request.getfixturevalue(who)
    with pytest.raises(Forbidden):
        services.plan_create(actor=person, fields=fields(person), now=now)
    with pytest.raises(Forbidden):
        services.plan_update(actor=person, plan_id=plan.pk, version=1, changes={"title": "Mine"}, now=now)
    plan.refresh_from_db()
    assert (plan.title, plan.version) == ("Front line spring plan", 1)


def test_team_leaders_and_agents_read_their_teams_plans_and_the_whole_services(
    manager, team_leader, agent, other_agent, other_team, plan, now
):
    whole = services.plan_create(actor=manager, fields=fields(manager, title="Whole service"), now=now)
    billing = services.plan_create(actor=manager, fields=fields(manager, other_team, title="Billing"), now=now)

    for reader in (team_leader, agent):
        assert set(policy.visible_plans(reader)) == {plan, whole}
        with pytest.raises(NotFound):
            policy.access_plan(reader, billing.pk)
    assert set(policy.visible_plans(other_agent)) == {whole, billing}
    assert set(policy.visible_plans(manager)) == {plan, whole, billing}
    # missing and forbidden give the same answer
    with pytest.raises(NotFound) as missing:
        policy.access_plan(agent, 987654)
    assert missing.value.message == policy.NO_PLAN


def test_every_change_is_a_version_and_a_stale_one_is_refused(manager, plan, now):
    later = now + timedelta(hours=1)
    services.plan_update(actor=manager, plan_id=plan.pk, version=1, changes={"title": "Spring plan"}, now=later)
    with pytest.raises(Conflict):
        services.plan_update(actor=manager, plan_id=plan.pk, version=1, changes={"summary": "Late edit"}, now=later)
    services.plan_item_add(
        actor=manager, plan_id=plan.pk, section="milestones", raw={"title": "Letters out", "due": "2026-03-20"},
        now=later,
    )  # fmt: skip
    services.plan_item_remove(actor=manager, plan_id=plan.pk, section="objectives", index=0, version=3, now=later)

    plan.refresh_from_db()
    assert plan.title == "Spring plan"
    assert plan.summary == ""
    assert plan.sections["objectives"] == []
    assert plan.sections["milestones"] == [{"title": "Letters out", "due": "2026-03-20", "done": False}]
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", "change")) == [
        (4, "Removed an objective: Keep our promises"),
        (3, "Added a milestone: Letters out"),
        (2, "Changed: title"),
        (1, "Plan created"),
    ]


def test_an_unchanged_save_makes_no_version(manager, plan, now):
    services.plan_update(actor=manager, plan_id=plan.pk, version=1, changes={"title": plan.title}, now=now)
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_removing_an_item_that_is_not_there_is_refused(manager, plan, now):
    with pytest.raises(FieldError) as refused:
        services.plan_item_remove(actor=manager, plan_id=plan.pk, section="objectives", index=5, version=1, now=now)
    assert refused.value.errors == {"index": [services.NO_ITEM]}


def test_a_plan_for_another_period_is_fine_but_not_longer_than_two_years(manager, now):
    services.plan_create(actor=manager, fields=fields(manager, ends_on=date(2028, 2, 28)), now=now)
    with pytest.raises(FieldError):
        services.plan_create(actor=manager, fields=fields(manager, ends_on=date(2028, 3, 3)), now=now)


def test_a_reader_of_another_team_cannot_be_made_to_see_by_id(other_agent, plan):
    with pytest.raises(NotFound):
        policy.access_plan(other_agent, plan.pk)
    with pytest.raises(NotFound):
        policy.access_plan(other_agent, "not-a-number")


def test_customers_see_no_plan_and_admins_write(customer_user, plan):
    assert not policy.visible_plans(customer_user).exists()
    assert not policy.can_write_plans(customer_user)
    assert policy.can_write_plans(make_user("admin@example.com", "admin"))
