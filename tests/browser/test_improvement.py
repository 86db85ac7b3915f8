"""Continuous improvement in a real browser: a manager turns a service gap into an initiative, and
reads its Check; the pages pass axe-core's WCAG 2.2 AA checks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rapport.cases.models import Case
from rapport.improvement import services
from rapport.improvement.models import Initiative
from tests.browser.conftest import axe_violations, sign_in


def _cases(customer, team, start: datetime, count: int, complaints: int = 0) -> None:
    Case.objects.bulk_create(
        Case(
            type="complaint" if i < complaints else "enquiry",
            status="open",
            channel="email",
            subject=f"Parcel {i}",
            customer=customer,
            team=team,
            created_at=start + timedelta(hours=i),
            updated_at=start + timedelta(hours=i),
        )
        for i in range(count)
    )


def test_a_manager_creates_an_initiative_from_a_gap(page, manager, customer, team):
    _cases(customer, team, timezone.now() - timedelta(days=3), 12)  # one customer calling again and again
    sign_in(page, manager.email)

    page.goto("/improvement/gaps/")
    row = page.get_by_role("row").filter(has_text="Customers contacting us again within 7 days")
    expect(row).to_contain_text("short of the standard")
    row.get_by_role("link", name="Create an initiative").click()

    expect(page.get_by_role("heading", name="The gap it answers")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Customers contacting us again within 7 days")
    page.get_by_label("Proposal").fill("Check the fix with the customer before closing.")
    page.get_by_role("button", name="Create initiative").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Customers contacting us again within 7 days")
    initiative = Initiative.objects.get()
    expect(page.get_by_role("region", name="Evidence")).to_contain_text("Service gap:")
    assert initiative.evidence.get().case_ids


def test_a_manager_reads_the_check_of_an_initiative(page, manager, customer, team):
    now = timezone.now()
    change = now - timedelta(days=14)
    _cases(customer, team, change - timedelta(days=10), 100, complaints=40)
    _cases(customer, team, change + timedelta(days=1), 100, complaints=10)
    initiative = services.initiative_create(
        actor=manager,
        now=change - timedelta(days=20),
        fields={"title": "Fewer complaints about deliveries", "problem": "Late parcels.", "check_on": now.date()},
    )
    services.stage_move(actor=manager, initiative=initiative, now=change, change_at=change)
    services.kpi_add(actor=manager, initiative=initiative, now=change, kpi="complaint_rate", target=15)
    sign_in(page, manager.email)

    page.goto(f"/improvement/initiatives/{initiative.pk}/")
    expect(page.get_by_text("Not checked yet.")).to_be_visible()
    page.get_by_role("button", name="Check now").click()

    check = page.get_by_role("region", name="KPIs and the Check")
    expect(check.get_by_role("status")).to_contain_text("Improved")
    expect(check.get_by_role("status")).to_contain_text("100 before, 100 after")
    expect(check.get_by_role("img", name="Complaint rate, week by week")).to_be_visible()
    expect(check).to_contain_text("Change went live")


@pytest.mark.parametrize(
    "path",
    [
        "/improvement/",
        "/improvement/gaps/",
        "/improvement/journey/",
        "/improvement/rules/",
        "/improvement/standards/",
        "/improvement/initiatives/{id}/",
        "/improvement/initiatives/{id}/proposal/",
    ],
)
def test_improvement_pages_have_no_wcag_violations(axe_page, manager, path):
    initiative = services.initiative_create(
        actor=manager, now=datetime.now(UTC), fields={"title": "A", "problem": "B", "check_on": date(2030, 1, 1)}
    )
    sign_in(axe_page, manager.email)
    axe_page.goto(path.format(id=initiative.pk))
    assert axe_violations(axe_page) == []
