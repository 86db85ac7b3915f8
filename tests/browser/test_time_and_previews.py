"""Time tracking and attachment previews on the case page, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rapport.cases import previews
from rapport.cases.services import Upload, message_add
from rapport.timetracking.models import RunningTimer, TimeCategory, TimeEntry
from tests.browser.conftest import sign_in
from tests.cases.test_previews import png


@pytest.fixture(autouse=True)
def reasons(db):
    """Browser tests empty the tables between tests, the migration's reasons too: put them back."""
    for position, name in enumerate(["Investigation", "Customer contact", "Complaint handling", "Admin"]):
        TimeCategory.objects.get_or_create(name=name, defaults={"position": position})


def test_a_timer_survives_a_reload_and_stopping_it_records_the_time(page, agent, case):
    sign_in(page, agent.email)
    page.goto(f"/cases/{case.reference}/")
    panel = page.get_by_role("region", name="Time spent")
    expect(panel.locator(".time-total")).to_have_text("0 min")

    panel.get_by_role("button", name="Start timer").click()
    page.reload()  # the timer is kept by the server, not the tab

    panel = page.get_by_role("region", name="Time spent")
    expect(panel.get_by_text("Your timer is running since")).to_be_visible()
    assert RunningTimer.objects.filter(agent=agent, case=case).exists()
    panel.get_by_label("Spent on").first.select_option(label="Customer contact")
    panel.get_by_role("button", name="Stop and record").click()

    expect(page.get_by_role("region", name="Time spent").locator(".time-total")).to_have_text("1 min")
    entry = TimeEntry.objects.get()
    assert (entry.source, entry.category.name) == ("timer", "Customer contact")


def test_time_entered_by_hand_from_the_case_page(page, agent, case):
    sign_in(page, agent.email)
    page.goto(f"/cases/{case.reference}/")
    panel = page.get_by_role("region", name="Time spent")
    panel.get_by_text("Enter time by hand").click()
    panel.get_by_label("Time spent").fill("1:30")
    panel.locator("#time-category").select_option(label="Investigation")
    panel.get_by_role("button", name="Record time").click()

    expect(page.get_by_role("region", name="Time spent").locator(".time-total")).to_have_text("1 h 30 min")
    assert TimeEntry.objects.get().minutes == 90


def test_an_image_attachment_is_previewed_on_the_case_page(page, agent, case):
    message = message_add(
        actor=agent,
        reference=case.reference,
        kind="outbound",
        body="The photo you asked for.",
        attachments=[Upload("damaged-parcel.png", png(1200, 900))],
    )
    previews.preview_draw(attachment_id=message.attachments.get().pk)

    sign_in(page, agent.email)
    page.goto(f"/cases/{case.reference}/")

    preview = page.get_by_alt_text("Preview of damaged-parcel.png")
    expect(preview).to_be_visible()
    # fetched through the attachment gate (streamed) and decoded by the browser: wait until it is
    page.wait_for_function("img => img.complete", arg=preview.element_handle())
    assert preview.evaluate("img => img.naturalWidth") == 480
    assert preview.evaluate("img => img.getBoundingClientRect().width") <= 240
