"""Fixtures for complaints: a complaint case, and a complaint with every closing piece but one."""

from __future__ import annotations

from datetime import timedelta

import pytest


@pytest.fixture(autouse=True)
def _checks_for_every_complaint(db):
    """The closing checks apply to every complaint here, whatever the test clock says."""
    from rapport.complaints.models import ComplaintSettings

    ComplaintSettings.objects.filter(pk=1).update(checks_from=None)


@pytest.fixture
def complaint_case(agent, customer, team, now):
    from rapport.cases.services import case_create

    return case_create(
        actor=agent,
        customer=customer,
        subject="Kettle failed twice",
        body="The second kettle stopped heating too. I want my money back.",
        type="complaint",
        channel="email",
        team=team,
        owner=agent,
        now=now,
    )


def assess_goods(actor, reference, now, *, price="189.00"):
    """Record facts that open the short-term right to reject, repair and replacement (goods delivered
    ten days ago), so legal awards have an assessment to implement."""
    from rapport.complaints import services

    delivered = now.date() - timedelta(days=10)
    facts = {
        "kind": "goods",
        "contract_date": delivered,
        "delivered": delivered,
        "reported": now.date(),
        "price": price,
    }
    return services.complaint_assess(actor=actor, reference=reference, facts=facts, now=now)


@pytest.fixture
def assessed(agent, complaint_case, now):
    """A complaint whose statutory assessment is on file."""
    assess_goods(agent, complaint_case.reference, now)
    return complaint_case


@pytest.fixture
def heat_done(agent, complaint_case, now):
    """A complaint with all four HEAT stages recorded."""
    from rapport.complaints import services

    ref = complaint_case.reference
    later = now + timedelta(minutes=5)
    services.complaint_hear(
        actor=agent,
        reference=ref,
        account="The second kettle stopped heating too.",
        summary="Two faulty kettles.",
        confirmed=True,
        product="Kettles",
        now=later,
    )
    services.complaint_empathise(actor=agent, reference=ref, said="That must be so frustrating.", now=later)
    services.complaint_apologise(actor=agent, reference=ref, said="I am sorry.", now=later)
    services.complaint_take_ownership(
        actor=agent,
        reference=ref,
        handler=agent,
        action_plan="Refund today.",
        promised_date=later.date() + timedelta(days=2),
        now=later,
    )
    return complaint_case


@pytest.fixture
def agent_client(agent):
    from tests.web.conftest import signed_in

    return signed_in(agent)


@pytest.fixture
def other_agent_client(other_agent):
    from tests.web.conftest import signed_in

    return signed_in(other_agent)


@pytest.fixture
def customer_client(customer_user, customer):
    from tests.web.conftest import signed_in

    return signed_in(customer_user)
