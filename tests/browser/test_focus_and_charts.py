"""Where focus lands after sending something, and what a chart's hatched bars really look like."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rapport.cases.models import Message
from tests.browser.conftest import sign_in

FOCUSED_ID = "() => document.activeElement && document.activeElement.id"
IN_VIEW = """id => {
  const box = document.getElementById(id).getBoundingClientRect();
  return box.top < window.innerHeight && box.bottom > 0;
}"""


@pytest.mark.parametrize(
    ("field", "button", "kind"),
    [("Your reply", "Send reply", "outbound"), ("Internal note", "Add internal note", "note")],
)
def test_after_sending_focus_lands_on_the_new_message(page, agent, case, field, button, kind):
    # given a case with enough on it that the form is well below the top of the page
    sign_in(page, agent.email)
    page.goto(f"/cases/{case.reference}/")

    # when the agent sends a message from the keyboard
    page.get_by_label(field).fill("We're sending a replacement kettle today.")
    page.get_by_role("button", name=button).focus()
    page.keyboard.press("Enter")

    # then focus is on the new message, which is on screen, and the status message is there too
    expect(page.locator(".flash")).to_contain_text(re.compile("sent|added", re.IGNORECASE))
    message = Message.objects.filter(case=case, kind=kind).latest("id")
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'message-{message.pk}'")
    assert page.evaluate(FOCUSED_ID) == f"message-{message.pk}"
    assert page.evaluate(IN_VIEW, f"message-{message.pk}")


def test_after_a_customer_replies_in_the_portal_focus_lands_on_their_message(page, customer, case):
    sign_in(page, customer.email)
    page.goto(f"/portal/cases/{case.reference}/")

    page.locator("textarea").first.fill("It is still not working.")
    page.locator("form button[type=submit]").last.click()

    message = Message.objects.filter(case=case, kind="inbound").latest("id")
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'message-{message.pk}'")


def test_the_hatched_series_is_painted_with_its_pattern(page, manager):
    # given a day with cases raised and resolved in the dashboard's figures
    from datetime import timedelta

    from django.utils import timezone

    from rapport.feedback.models import DailyRollup

    DailyRollup.objects.create(
        day=timezone.localdate() - timedelta(days=2),
        channel="email",
        case_type="enquiry",
        internal=False,
        created=5,
        resolved=3,
    )
    sign_in(page, manager.email)
    page.goto("/feedback/")

    fills = page.evaluate(
        """() => [...document.querySelectorAll('#chart-daily-title')].map(title => {
             const svg = title.closest('svg');
             const bar = svg.querySelector('rect[fill^="url("]:not(pattern rect)');
             const fill = getComputedStyle(bar).fill;
             const id = (fill.match(/#([^"')]+)/) || [])[1];
             return {fill, pattern: Boolean(id && svg.querySelector('pattern#' + CSS.escape(id)))};
           })"""
    )
    assert fills
    assert all(f["fill"].startswith("url(") and f["pattern"] for f in fills), fills
