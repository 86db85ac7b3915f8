"""Collision and notifications in a real browser: two colleagues on one case, the warning before
sending, and the unread count, opening and marking read."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rapport.accounts.models import Role
from rapport.cases import journal
from rapport.cases.services import case_update
from rapport.notifications.services import WATCHED
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import make_user


@pytest.fixture
def colleague(team):
    user = make_user("megan.jones@example.com", Role.AGENT, [team])
    user.name = "Megan Jones"
    user.save()
    return user


def test_two_colleagues_see_each_other_and_a_reply_in_between_is_caught(browser, live_server, agent, colleague, case):
    contexts = [browser.new_context(base_url=live_server.url, locale="en-GB") for _ in range(2)]
    mine, megans = (context.new_page() for context in contexts)
    try:
        for tab, who in ((megans, colleague), (mine, agent)):
            tab.set_default_timeout(15_000)
            sign_in(tab, who.email)
            tab.goto(f"/cases/{case.reference}/")
        # Megan opened it first: the agent's page says so, in a polite live region
        live = mine.locator("#presence-live")
        expect(live).to_have_attribute("aria-live", "polite")
        expect(live).to_contain_text("Megan Jones is viewing.")

        # Megan starts typing a reply; the agent's next poll says she is replying
        megans.get_by_label("Your reply").fill("Hello Alice, a new kettle is on its way.")
        expect(live).to_contain_text("Megan Jones is replying.", timeout=25_000)

        # the agent writes too; Megan sends first
        mine.get_by_label("Your reply").fill("We will refund you in full.")
        megans.get_by_role("button", name="Send reply").click()
        expect(megans.get_by_text("Reply sent to the customer.")).to_be_visible()

        # the agent's send is held, with what Megan said, and nothing they wrote is lost
        mine.get_by_role("button", name="Send reply", exact=True).click()
        warning = mine.locator(".collision")
        expect(warning).to_contain_text("Not sent yet: the case changed while you were writing")
        expect(warning).to_contain_text("Megan Jones wrote: “Hello Alice, a new kettle is on its way.”")
        expect(warning).to_be_focused()
        expect(mine.get_by_label("Your reply")).to_have_value("We will refund you in full.")

        # sending anyway sends
        mine.get_by_role("button", name="Send reply anyway").click()
        expect(mine.get_by_text("Reply sent to the customer.")).to_be_visible()
        assert case.messages.filter(body="We will refund you in full.").exists()
    finally:
        for context in contexts:
            context.close()


def test_notifications_unread_count_open_and_mark_read(page, agent, colleague, case):
    case_update(actor=agent, reference=case.reference, expected_version=case.version, changes={"owner": colleague})
    journal.record(case=case, kind="sla_warning", at=case.created_at, field="first_response", after="")
    for kind in WATCHED:
        journal.deliver(f"notifications.{kind}")

    sign_in(page, colleague.email)
    header = page.locator('.header-link[href="/notifications/"]')
    expect(header).to_have_text("Notifications 2 unread")
    header.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_text("2 unread.")).to_be_visible()

    # mark one read: the count drops
    page.get_by_role("button", name=re.compile(r"^Mark read\W+SLA warning")).click()
    expect(page.get_by_text("Notification marked read.")).to_be_visible()
    expect(header).to_have_text("Notifications 1 unread")

    # open the other: it is read, and the case is on screen
    page.get_by_role("button", name=re.compile(rf"^Open {case.reference}\W+Assigned to you by Agent")).click()
    expect(page).to_have_url(re.compile(f"/cases/{case.reference}/$"))
    expect(header).to_have_text("Notifications")


def test_notification_pages_and_the_collision_warning_have_no_wcag_violations(axe_page, agent, colleague, case):
    case_update(actor=agent, reference=case.reference, expected_version=case.version, changes={"owner": colleague})
    for kind in WATCHED:
        journal.deliver(f"notifications.{kind}")
    sign_in(axe_page, colleague.email)
    for path in ("/notifications/", "/notifications/preferences/"):
        axe_page.goto(path)
        assert axe_violations(axe_page) == [], path
    # the case page holding a reply, with the warning and who else is here
    axe_page.goto(f"/cases/{case.reference}/")
    case_update(
        actor=agent, reference=case.reference, expected_version=case.version + 1, changes={"priority": "urgent"}
    )
    axe_page.get_by_label("Your reply").fill("On its way.")
    axe_page.get_by_role("button", name="Send reply", exact=True).click()
    expect(axe_page.locator(".collision")).to_be_visible()
    assert axe_violations(axe_page) == []
