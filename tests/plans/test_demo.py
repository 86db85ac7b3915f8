"""The service plan demo: the front line's plan with every section, five contingencies, and the
phones-down contingency fired by the demo's own check, with its owner told."""

from __future__ import annotations

import pytest

from rapport.mail.models import OutboxEmail
from rapport.plans.demo import TELEPHONY, TITLE, seed
from rapport.plans.models import Firing, Outage, Plan, PlanStatus

pytestmark = pytest.mark.django_db


def test_demo_plan_has_a_fired_contingency_once(manager, team, agent, now):
    seed(now=now)
    seed(now=now)

    plan = Plan.objects.get(title=TITLE)
    assert plan.status == PlanStatus.ACTIVE
    assert all(plan.sections[key] for key in ("customer_types", "workflow", "resources", "milestones"))
    assert plan.contingencies.count() == 5
    fired = Firing.objects.get(contingency__name="Phones down")
    assert fired.ended_at is None
    assert fired.reason == f"Declared down: {TELEPHONY}."
    assert Outage.objects.get().restored_at is None
    assert OutboxEmail.objects.filter(to__icontains=manager.email, subject__startswith="Contingency fired").exists()
    # every watched contingency was checked, whether it fired or not
    assert not plan.contingencies.filter(last_checked_at__isnull=True).exists()


def test_no_demo_plan_without_a_manager(agent, now):
    seed(now=now)
    assert not Plan.objects.exists()
