"""A macro applied from the case page: found by name, previewed, applied."""

from __future__ import annotations

from playwright.sync_api import expect

from rapport.cases.models import CaseEvent
from rapport.macros.models import Macro
from tests.browser.conftest import sign_in


def test_agent_previews_and_applies_a_macro_on_the_case_page(page, agent, case, now):
    Macro.objects.create(
        name="Ask for the order number",
        scope="shared",
        reply="Dear {{ customer.name }},\n\nCould you send your **order number**?",
        set_status="waiting_on_customer",
        add_tags="order-number",
        created_at=now,
        updated_at=now,
    )
    Macro.objects.create(name="Refund issued", scope="shared", reply="Refunded.", created_at=now, updated_at=now)
    sign_in(page, agent.email)
    page.goto(f"/cases/{case.reference}/")

    # the picker opens from its control, and the list narrows as the agent types
    page.locator('[data-shortcut-action="macro"]').click()
    page.get_by_label("Find a macro by name").fill("order")
    expect(page.locator("#macro-results").get_by_role("link", name="Refund issued")).to_have_count(0)
    page.locator("#macro-results").get_by_role("link", name="Ask for the order number").click()

    # the preview shows the reply as the customer will read it, and what changes
    preview = page.locator("#macro-preview")
    expect(preview.get_by_text("Dear Alice Jones,")).to_be_visible()
    expect(preview.locator("strong", has_text="order number")).to_be_visible()
    expect(preview.get_by_role("cell", name="Waiting on customer")).to_be_visible()
    assert not CaseEvent.objects.filter(case=case, kind="macro_applied").exists()

    preview.get_by_role("button", name="Apply macro").click()
    expect(page.get_by_text("Macro “Ask for the order number” applied.")).to_be_visible()
    expect(page.locator(".timeline").get_by_text("Macro applied")).to_be_visible()
    expect(page.locator(".timeline strong", has_text="order number")).to_be_visible()
    case.refresh_from_db()
    assert case.status == "waiting_on_customer"
    assert CaseEvent.objects.filter(case=case, kind="macro_applied").count() == 1
