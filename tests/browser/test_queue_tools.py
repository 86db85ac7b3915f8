"""The queue's everyday tools in a real browser: tick rows and assign them at once, seeing each
case's outcome; move through the queue with j/k and open with Enter; turn shortcuts off."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from rapport.cases.models import Case
from rapport.cases.services import case_create, case_update
from tests.browser.conftest import axe_violations, sign_in


def _cases(agent, customer, team, n):
    return [
        case_create(actor=agent, customer=customer, subject=f"Kettle fault {i}", body="b", team=team) for i in range(n)
    ]


def test_an_agent_ticks_cases_and_assigns_them_and_sees_each_outcome(page, agent, team_leader, customer, team):
    first, second, third = _cases(agent, customer, team, 3)
    sign_in(page, agent.email)
    page.goto("/?sort=oldest")

    page.get_by_label(f"Select {first.reference}").check()
    page.get_by_label(f"Select {second.reference}").check()
    expect(page.locator("#bulk-selected")).to_have_text("2 cases ticked")
    # a colleague changes the second case after the queue was read
    case_update(actor=team_leader, reference=second.reference, expected_version=1, changes={"priority": "urgent"})
    page.get_by_label("With the ticked cases").select_option(label="Assign to: Agent")
    page.get_by_role("button", name="Apply to ticked cases").click()

    outcome = page.locator("#bulk-outcome")
    expect(outcome.get_by_role("status")).to_have_text("1 case changed, 1 refused.")
    expect(outcome).to_be_focused()
    expect(outcome.get_by_role("row", name=re.compile(second.reference))).to_contain_text("Someone else changed")
    assert Case.objects.get(pk=first.pk).owner == agent
    assert Case.objects.get(pk=second.pk).owner is None
    assert Case.objects.get(pk=third.pk).owner is None


def test_select_all_on_the_page_ticks_every_row(page, agent, customer, team):
    _cases(agent, customer, team, 3)
    sign_in(page, agent.email)

    page.get_by_label("Select every case on this page").check()

    expect(page.locator('input[name="case"]:checked')).to_have_count(3)
    expect(page.locator("#bulk-selected")).to_have_text("3 cases ticked")


def test_j_and_k_move_through_the_queue_and_enter_opens_the_case(page, agent, customer, team):
    cases = _cases(agent, customer, team, 3)
    newest_first = [c.reference for c in reversed(cases)]
    sign_in(page, agent.email)
    page.locator("h1").click()  # focus on the page, not in a field

    page.keyboard.press("j")
    expect(page.get_by_role("link", name=newest_first[0])).to_be_focused()
    expect(page.locator("#shortcut-status")).to_have_text(f"Case {newest_first[0]} selected, 1 of 3")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(page.locator("#shortcut-status")).to_have_text(f"Case {newest_first[1]} selected, 2 of 3")

    # a key typed into a field is never taken
    page.get_by_label("Tag", exact=True).fill("jk")
    expect(page.get_by_label("Tag", exact=True)).to_have_value("jk")

    page.get_by_role("link", name=newest_first[1]).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/cases/{newest_first[1]}/$"))

    # on the case page, r goes to the reply and ? lists the keys
    page.locator("h1").click()
    page.keyboard.press("r")
    expect(page.get_by_label("Your reply")).to_be_focused()
    page.locator("h1").click()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Write an internal note")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_a_person_turns_shortcuts_off_and_j_does_nothing(page, agent, customer, team):
    _cases(agent, customer, team, 2)
    sign_in(page, agent.email)
    page.get_by_role("link", name="Keyboard shortcuts").click()
    page.get_by_label("Use single-key shortcuts").uncheck()
    page.get_by_role("button", name="Save shortcuts").click()
    expect(page.get_by_text("Your keyboard shortcuts are saved.")).to_be_visible()

    page.goto("/")
    page.locator("h1").click()
    page.keyboard.press("j")
    page.keyboard.press("?")

    expect(page.locator("#shortcut-status")).to_have_text("")
    expect(page.get_by_role("dialog")).to_have_count(0)
    agent.refresh_from_db()
    assert agent.shortcuts["enabled"] is False


def test_the_queue_tools_have_no_wcag_violations(axe_page, agent, customer, team):
    cases = _cases(agent, customer, team, 2)
    sign_in(axe_page, agent.email)
    axe_page.goto("/")
    assert axe_violations(axe_page) == []

    axe_page.get_by_label(f"Select {cases[0].reference}").check()
    axe_page.get_by_label("With the ticked cases").select_option(label="Set priority: High")
    axe_page.get_by_role("button", name="Apply to ticked cases").click()
    expect(axe_page.locator("#bulk-outcome")).to_be_visible()
    assert axe_violations(axe_page) == []

    for path in ("/queue/views/", "/preferences/shortcuts/"):
        axe_page.goto(path)
        assert axe_violations(axe_page) == []
