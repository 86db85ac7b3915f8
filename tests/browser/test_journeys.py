"""End-to-end journeys in a real browser, with axe-core checking each page for WCAG 2.2 AA problems."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rapport.cases.models import Case
from rapport.cases.services import message_add
from tests.browser.conftest import axe_violations, sign_in


@pytest.fixture
def note(case, agent):
    return message_add(actor=agent, reference=case.reference, kind="note", body="Internal: offer a goodwill voucher")


def test_agent_works_a_case_from_the_queue_with_the_keyboard_and_mouse(page, agent, case, note):
    # given an agent signed in
    sign_in(page, agent.email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Queue")

    # when they open the case from the queue and reply, choosing the status after the reply
    page.get_by_role("link", name=case.reference).click()
    expect(page).to_have_url(re.compile(f"/cases/{case.reference}/$"))
    expect(page.get_by_text("Internal: offer a goodwill voucher")).to_be_visible()
    page.get_by_label("Your reply").fill("We're sending a replacement kettle today.")
    page.get_by_label("Status after reply").select_option("waiting_on_customer")
    page.get_by_role("button", name="Send reply").click()

    # then the reply is on the timeline and the case waits on the customer
    expect(page.get_by_text("We're sending a replacement kettle today.")).to_be_visible()
    case.refresh_from_db()
    assert case.status == "waiting_on_customer"
    assert case.first_response_at is not None


def test_edit_conflict_is_shown_not_silently_overwritten(page, agent, team_leader, case):
    sign_in(page, agent.email)
    page.goto(f"/cases/{case.reference}/")
    # someone else changes the case after the page was read
    from rapport.cases.services import case_update

    case_update(
        actor=team_leader, reference=case.reference, expected_version=case.version, changes={"priority": "urgent"}
    )

    page.locator("[name=edit-priority]").select_option(label="Low")
    page.get_by_role("button", name="Save changes").click()

    # Held before saving: the change made since the page was read is listed (collision, ADR 0016).
    expect(page.get_by_text(re.compile("the case changed while you were writing", re.IGNORECASE)).first).to_be_visible()
    case.refresh_from_db()
    assert case.priority == 4


def test_customer_raises_a_case_in_the_portal_and_never_sees_notes(page, customer, case, note):
    sign_in(page, customer.email)
    expect(page).to_have_url(re.compile("/portal/"))

    page.goto(f"/portal/cases/{case.reference}/")
    expect(page.get_by_text("It stopped heating after a week.")).to_be_visible()
    assert "goodwill voucher" not in page.content()

    page.goto("/portal/cases/new/")
    page.get_by_label("Subject").fill("Delivery never arrived")
    page.get_by_label("A complaint").check()
    page.get_by_label("Your message").fill("Order 5521 was due on Monday and has not arrived.")
    page.get_by_role("button", name=re.compile("Send|Raise|Submit")).click()
    expect(page).to_have_url(re.compile(r"/portal/cases/C-\d+/"))

    created = Case.objects.get(subject="Delivery never arrived")
    expect(page.get_by_text(created.reference).first).to_be_visible()
    assert (created.channel, created.type) == ("portal", "complaint")


def test_queue_filters_update_in_place(page, agent, case):
    sign_in(page, agent.email)
    page.get_by_label("Case type").select_option("complaint")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text(case.reference)).to_have_count(0)
    expect(page).to_have_url(re.compile("type=complaint"))


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("agent", "/"),
        ("agent", "/cases/{ref}/"),
        ("agent", "/customers/"),
        ("agent", "/customers/{customer}/"),
        ("agent", "/search/?q=kettle"),
        ("customer", "/portal/"),
        ("customer", "/portal/cases/{ref}/"),
        ("customer", "/portal/cases/new/"),
        (None, "/login/"),
    ],
)
def test_pages_have_no_wcag_violations(axe_page, agent, customer, case, who, path):
    if who == "agent":
        sign_in(axe_page, agent.email)
    elif who == "customer":
        sign_in(axe_page, customer.email)
    axe_page.goto(path.format(ref=case.reference, customer=customer.pk))
    assert axe_violations(axe_page) == []


def test_form_errors_have_no_wcag_violations(axe_page, customer):
    sign_in(axe_page, customer.email)
    axe_page.goto("/portal/cases/new/")
    axe_page.get_by_role("button", name=re.compile("Send|Raise|Submit")).click()
    expect(axe_page.locator(".error-summary")).to_be_visible()
    assert axe_violations(axe_page) == []
