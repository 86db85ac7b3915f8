"""Reflow (WCAG 2.2 SC 1.4.10): no page body scrolls sideways at 320 CSS px, nor at a laptop's 1,366 px.

Pages are seeded with long unbroken text (a reference pasted without spaces, a URL) because that is
what stretches a layout in real use. A table that needs two dimensions may scroll inside its own
region, and then that region is labelled and reachable from the keyboard; on a laptop nothing scrolls.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases.services import case_create, message_add
from rapport.complaints.services import complaint_hear
from rapport.privacy.services import data_request_create
from tests.browser.conftest import sign_in

UNBROKEN = "Order-" + "A1B2C3D4" * 12  # 102 characters, no space or hyphenation point a browser would use
URL = "https://shop.example.com/orders/" + "x" * 90 + "?utm_source=newsletter"

LAPTOP = 1366
WIDTHS = [320, LAPTOP]

# Finds what is wider than the window (for the failure message) and every element that scrolls
# sideways by itself, with how it is labelled.
MEASURE = """() => {
  const width = window.innerWidth;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const wide = [];
  const scrollers = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    const inScroller = el.parentElement && el.parentElement.closest('.table-scroll, [role=region]');
    if (box.right > width + 1 && box.width > 0 && !inScroller) wide.push(name(el) + ' ' + Math.round(box.right));
    const overflowX = getComputedStyle(el).overflowX;
    if ((overflowX === 'auto' || overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
      scrollers.push({
        name: name(el),
        role: el.getAttribute('role'),
        label: el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'),
        tabindex: el.getAttribute('tabindex'),
      });
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 6), scrollers};
}"""


@pytest.fixture
def policies(db):
    """Office hours and a standard policy, so case pages show their service-level table."""
    from rapport.sla.models import Calendar, Policy

    office = Calendar.objects.create(
        name="Office", hours={str(day): [["09:00", "17:30"]] for day in range(5)}, tz="Europe/London"
    )
    hour = timedelta(hours=1)
    Policy.objects.create(
        name="Standard", calendar=office, first_response=4 * hour, next_response=4 * hour, resolution=16 * hour
    )
    Policy.objects.create(
        name="Internal", internal=True, calendar=office, first_response=24 * hour, resolution=48 * hour
    )


@pytest.fixture
def plain(policies, agent, customer, team, now):
    case = case_create(
        actor=agent,
        customer=customer,
        subject=f"Kettle {UNBROKEN}",
        body=f"It stopped heating. See {URL} and reference {UNBROKEN}.",
        channel="email",
        team=team,
        tags=["kettle", "warranty-claim-with-a-long-name"],
        now=now,
    )
    message_add(actor=agent, reference=case.reference, kind="note", body=f"Internal: check {URL}")
    return case


@pytest.fixture
def complaint(policies, agent, customer, team, now):
    case = case_create(
        actor=agent,
        customer=customer,
        subject=f"Complaint {UNBROKEN}",
        body=f"Second kettle in a month. {URL}",
        type="complaint",
        channel="email",
        team=team,
        now=now,
    )
    complaint_hear(
        actor=agent,
        reference=case.reference,
        account=f"I want my money back {UNBROKEN}",
        summary=f"Wants a refund for {UNBROKEN}",
        confirmed=True,
        now=now,
    )
    return case


@pytest.fixture
def data_request(policies, customer_user, customer, now):
    return data_request_create(
        actor=customer_user, customer=customer, kind="access", details=f"Everything about {UNBROKEN}", now=now
    ).case


def _failures(page, paths: list[str], width: int) -> list[str]:
    failures = []
    for path in paths:
        response = page.goto(path, wait_until="networkidle")  # panels that htmx loads after the page
        assert response is not None
        assert response.status == 200, path
        found = page.evaluate(MEASURE)
        if found["scrollWidth"] > found["width"]:
            failures.append(f"{path}: {found['scrollWidth']} px wide at {width} px; {found['wide']}")
        for scroller in found["scrollers"]:
            if width >= LAPTOP:
                failures.append(f"{path}: {scroller['name']} needs sideways scrolling at {width} px")
            if scroller["role"] != "region" or not scroller["label"] or scroller["tabindex"] != "0":
                failures.append(f"{path}: {scroller['name']} scrolls sideways but is not a labelled, focusable region")
    return failures


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_pages_reflow(browser, live_server, manager, customer, plain, complaint, data_request, width):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London", viewport={"width": width, "height": 800}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, manager.email)
    paths = [
        "/",
        f"/cases/{plain.reference}/",
        f"/cases/{complaint.reference}/",
        f"/cases/{data_request.reference}/",
        "/customers/",
        f"/customers/{customer.pk}/",
        "/search/?q=kettle",
        "/sla/",
        "/complaints/",
        "/complaints/reports/",
        "/privacy/",
        f"/privacy/customers/{customer.pk}/",
        "/privacy/adjustments/",
        "/privacy/access-log/",
        "/feedback/",
        "/feedback/chain/",
        "/feedback/follow-ups/",
        "/mail/",
        "/learning/",
        "/learning/learners/",
        "/improvement/",
        "/improvement/gaps/",
        "/improvement/journey/",
        "/improvement/standards/",
        "/improvement/rules/",
    ]
    try:
        failures = _failures(page, paths, width)
        assert not failures, "\n".join(failures)
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_portal_pages_reflow(browser, live_server, customer, plain, data_request, width):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London", viewport={"width": width, "height": 800}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, customer.email)
    paths = [
        "/portal/",
        f"/portal/cases/{plain.reference}/",
        f"/portal/cases/{data_request.reference}/",
        "/portal/cases/new/",
        "/privacy/request/",
        "/privacy/choices/",
        "/feedback/my-surveys/",
    ]
    try:
        failures = _failures(page, paths, width)
        assert not failures, "\n".join(failures)
    finally:
        context.close()
