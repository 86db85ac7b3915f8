"""Merging two cases from the case page, in a real browser: choose, preview, confirm."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from rapport.cases.models import Case, Message
from rapport.cases.services import case_create
from tests.browser.conftest import axe_violations, sign_in


@pytest.fixture
def second(agent, customer, team, case):
    return case_create(
        actor=agent, customer=customer, subject="Kettle still broken", body="Any news on my kettle?", team=team,
        now=case.created_at + timedelta(hours=1),
    )  # fmt: skip


def test_agent_merges_two_cases_of_a_customer_from_the_case_page(page, agent, case, second):
    # given an agent on the older case's page
    sign_in(page, agent.email)
    page.goto(f"/cases/{case.reference}/")

    # when they choose Merge…, pick the customer's other case, preview and confirm
    page.get_by_role("link", name="Merge…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Merge cases into {case.reference}")
    page.get_by_label(re.compile(second.reference)).check()
    page.get_by_role("button", name="Preview the merge").click()
    expect(page.get_by_role("table")).to_contain_text("Kettle still broken")
    page.get_by_label("Tell the customer their cases were combined").check()
    page.get_by_role("button", name=f"Merge 1 case into {case.reference}").click()

    # then they are back on the target, which holds both conversations and says what happened
    expect(page).to_have_url(re.compile(f"/cases/{case.reference}/"))
    expect(page.get_by_text(f"Merged {second.reference} into this case.").first).to_be_visible()
    expect(page.get_by_text("Any news on my kettle?")).to_be_visible()
    assert Case.objects.get(pk=second.pk).merged_into_id == case.pk
    assert Message.objects.filter(case=case, kind="outbound").exists()

    # and the merged case's page points to it
    page.goto(f"/cases/{second.reference}/")
    expect(page.get_by_role("heading", name=f"Merged into {case.reference}")).to_be_visible()
    page.get_by_role("link", name=f"Go to {case.reference}").click()
    expect(page).to_have_url(re.compile(f"/cases/{case.reference}/$"))


def test_the_merge_preview_has_no_wcag_violations(axe_page, agent, case, second):
    sign_in(axe_page, agent.email)
    axe_page.goto(f"/cases/{case.reference}/merge/?merge-cases={second.reference}")
    assert axe_violations(axe_page) == []
