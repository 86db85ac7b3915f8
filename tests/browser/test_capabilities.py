"""Every capability's pages in a real browser, checked by axe-core for WCAG 2.2 AA problems."""

from __future__ import annotations

import pytest

from rapport.cases.services import case_create
from tests.browser.conftest import axe_violations, sign_in


@pytest.fixture
def complaint(agent, customer, team, now):
    return case_create(
        actor=agent,
        customer=customer,
        subject="Kettle broke twice",
        body="Second kettle in a month. I want my money back.",
        type="complaint",
        channel="email",
        team=team,
        now=now,
    )


@pytest.mark.parametrize(
    "path",
    [
        "/sla/",
        "/complaints/",
        "/complaints/reports/",
        "/cases/{complaint}/",
        "/complaints/{complaint}/final-response/",
        "/privacy/",
        "/privacy/customers/{customer}/",
        "/privacy/adjustments/",
        "/privacy/access-log/",
        "/feedback/",
        "/feedback/chain/",
        "/feedback/follow-ups/",
        "/learning/",
        "/learning/learners/",
        "/mail/",
        "/time/",
        "/time/cases/{complaint}/",
    ],
)
def test_staff_pages_have_no_wcag_violations(axe_page, manager, customer, complaint, path):
    sign_in(axe_page, manager.email)
    response = axe_page.goto(path.format(complaint=complaint.reference, customer=customer.pk))
    assert response is not None
    assert response.status == 200
    assert axe_violations(axe_page) == []


@pytest.mark.parametrize("path", ["/privacy/request/", "/privacy/choices/", "/feedback/my-surveys/"])
def test_customer_pages_have_no_wcag_violations(axe_page, customer, path):
    sign_in(axe_page, customer.email)
    response = axe_page.goto(path)
    assert response is not None
    assert response.status == 200
    assert axe_violations(axe_page) == []
