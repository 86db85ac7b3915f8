"""The demo's automation rules: the procedures a UK desk writes first, valid, and seeded once."""

from __future__ import annotations

from datetime import timedelta

from rapport.automation import services
from rapport.automation.demo import DEMO_RULES, seed_automation_demo
from rapport.automation.models import AutomationRule
from rapport.cases.services import case_create, case_update
from rapport.domain import automation as rules
from tests.conftest import make_user


def test_the_demo_rules_are_valid_and_seeded_once(agent, customer, team, now):
    make_user("admin@example.com", "admin")
    for spec in DEMO_RULES:
        assert rules.refusals(rules.check(spec["definition"])) == []
    seed_automation_demo(now)
    seed_automation_demo(now)
    assert AutomationRule.objects.count() == len(DEMO_RULES)
    # the reminder fires on a case waiting on the customer for three weeks
    start = now - timedelta(days=21)
    case = case_create(actor=agent, customer=customer, subject="Meter reading", body="Here it is.",
                       channel="email", team=team, now=start)  # fmt: skip
    case_update(actor=agent, reference=case.reference, expected_version=case.version,
                changes={"status": "waiting_on_customer"}, now=start)  # fmt: skip
    assert services.time_scan(now=now) == 1
    assert case.tags.filter(name="reminded").exists()
