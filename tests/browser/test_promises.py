"""In a real browser: the customer sees when they will hear back on each case in the portal, and the
owner sets a new time that the customer then sees."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rapport.cases.services import case_create
from rapport.platform.promises import reply_promise
from rapport.sla.models import Calendar, Policy, Promise
from tests.browser.conftest import axe_violations, sign_in

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def promised(agent, customer, team):
    always = Calendar.objects.create(name="24/7", hours={str(d): [["00:00", "24:00"]] for d in range(7)})
    Policy.objects.create(name="Standard", calendar=always, first_response=timedelta(hours=8))
    case = case_create(
        actor=agent,
        customer=customer,
        subject="Missing parcel",
        body="It never arrived.",
        channel="portal",
        team=team,
        owner=agent,
        now=timezone.now(),
    )
    return case, Promise.objects.get(case=case)


def test_the_portal_shows_a_cases_promise_and_its_new_time(page, agent, customer, promised):
    case, promise = promised
    said = reply_promise(promise.due_at, LONDON)

    # the customer sees the promise in their list of cases and on the case
    sign_in(page, customer.user.email)
    expect(page).to_have_url(re.compile("/portal/"))
    row = page.get_by_role("row").filter(has_text="Missing parcel")
    expect(row).to_contain_text(said)
    page.get_by_role("link", name="Missing parcel").click()
    expect(page.locator("#promise")).to_contain_text(said)

    # the owner sets a new time on the case's service-levels page
    new_due = (promise.due_at + timedelta(days=1)).astimezone(LONDON).replace(minute=0, second=0, microsecond=0)
    staff = page.context.browser.new_context(base_url=page.url.split("/portal")[0], locale="en-GB").new_page()
    sign_in(staff, agent.email)
    staff.goto(f"/sla/cases/{case.reference}/panel")
    staff.get_by_label("New time (UK time)").fill(new_due.strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_label("Reason (for the record)").fill("Waiting for the courier")
    staff.get_by_role("button", name="Set the new time and tell the customer").click()
    expect(staff).to_have_url(re.compile(f"/cases/{case.reference}/$"))

    # the customer reads the new time
    page.reload()
    expect(page.locator("#promise")).to_contain_text(reply_promise(new_due, LONDON))


def test_the_list_with_its_promise_column_has_no_wcag_problem(axe_page, customer, promised):
    sign_in(axe_page, customer.user.email)
    axe_page.goto("/portal/")
    assert axe_violations(axe_page) == []
