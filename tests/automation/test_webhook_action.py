"""The "call a webhook" action, through the webhooks app's entry in ``extensions.automation_actions``,
to a real receiver on 127.0.0.1 that checks each signature."""

from __future__ import annotations

import pytest

from rapport.accounts.models import Role
from rapport.cases.models import CaseEvent
from rapport.cases.services import case_create
from rapport.webhooks.models import Delivery, DeliveryStatus


@pytest.fixture(autouse=True)
def _loopback(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    settings.WEBHOOKS_ALLOW_HTTP = True


def test_a_rule_calls_a_webhook_which_receives_the_case_signed(
    make_rule,
    deliver,
    subscribe,
    receiver,
    agent,
    customer,
    team,
    now,
    django_capture_on_commit_callbacks,
):
    # given a webhook that listens for nothing by itself, and a rule that calls it on new cases
    subscription = subscribe(Role.MANAGER, kinds=["sla_breached"])
    make_rule(actions=[{"type": "call_webhook", "webhook": subscription.pk}])
    # when a case is created and the rule fires
    with django_capture_on_commit_callbacks(execute=True):
        case = case_create(actor=agent, customer=customer, subject="Refund", body="Please refund me.",
                           channel="email", team=team, now=now)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        deliver()
    # then the receiver got the case's event, signed, and the firing says so
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.case_reference == case.reference
    assert [r.verified for r in receiver.received] == [True]
    fired = CaseEvent.objects.get(case=case, kind="automation_fired")
    assert fired.after == f"sent to webhook “{subscription.name}”"


def test_a_switched_off_webhook_is_skipped_with_the_reason(make_rule, deliver, subscribe, agent, customer, team, now):
    subscription = subscribe(Role.MANAGER, kinds=["sla_breached"])
    subscription.active = False
    subscription.save()
    make_rule(actions=[{"type": "call_webhook", "webhook": subscription.pk}])
    case = case_create(actor=agent, customer=customer, subject="Refund", body="Please refund me.",
                       channel="email", team=team, now=now)  # fmt: skip
    deliver()
    fired = CaseEvent.objects.get(case=case, kind="automation_fired")
    assert "No webhook with that id is switched on." in fired.after
    assert not Delivery.objects.exists()
