"""The reply's wording hints, as an agent sees them: as they pause typing, and from the "Check
wording" button; never a bar to sending."""

from __future__ import annotations

from playwright.sync_api import expect

from rapport.cases.models import Message
from tests.browser.conftest import sign_in


def test_hints_appear_as_the_agent_pauses_typing_and_the_reply_still_sends(page, agent, case):
    sign_in(page, agent.email)
    page.goto(f"/cases/{case.reference}/")
    page.get_by_label("Your reply").fill("Unfortunately there's nothing we can do. Your SR is in the L2 queue.")

    hints = page.locator("#reply-wording")
    expect(hints.get_by_role("heading", name="Wording hints")).to_be_visible()
    expect(hints.get_by_role("listitem").filter(has_text="Negative phrasing")).to_contain_text(
        "Unfortunately there's nothing we can do"
    )
    expect(hints.get_by_role("listitem").filter(has_text="Jargon: L2")).to_contain_text("plain words")

    page.get_by_label("Your reply").fill("I have booked the engineer for Tuesday at 10am.")
    expect(hints).to_contain_text("No wording hints for this reply.")

    page.get_by_label("Your reply").fill("You'll have to wait.")
    expect(hints).to_contain_text("Negative phrasing")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Reply sent to the customer.")).to_be_visible()
    assert Message.objects.get(case=case, kind="outbound").body == "You'll have to wait."


def test_check_wording_shows_the_hints_in_place(page, agent, case):
    sign_in(page, agent.email)
    page.goto(f"/cases/{case.reference}/")
    page.get_by_label("Your reply").fill("The warehouse messed up your order.")
    page.get_by_role("button", name="Check wording").click()

    blame = page.locator("#reply-wording").get_by_role("listitem").filter(has_text="Blame")
    expect(blame).to_contain_text("warehouse messed up")
    expect(page.get_by_label("Your reply")).to_have_value("The warehouse messed up your order.")
    assert not Message.objects.filter(case=case, kind="outbound").exists()


def test_check_wording_works_without_javascript(browser, live_server, agent, case):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, agent.email)
    page.goto(f"/cases/{case.reference}/")
    page.get_by_label("Your reply").fill("Someone will get back to you in due course.")
    page.get_by_role("button", name="Check wording").click()

    hints = page.locator("#reply-wording")
    expect(hints.get_by_role("heading", name="Wording hints")).to_be_visible()
    expect(hints).to_contain_text("No ownership")
    expect(page.get_by_label("Your reply")).to_have_value("Someone will get back to you in due course.")
    assert not Message.objects.filter(case=case, kind="outbound").exists()
    context.close()
