"""The knowledge base in a real browser: suggestions while a customer types a case, and an agent
inserting an article into a reply."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rapport.knowledge.models import Category, Section
from tests.browser.conftest import axe_violations, sign_in
from tests.knowledge.conftest import publish_public


@pytest.fixture
def article(agent, manager, now):
    section = Section.objects.create(category=Category.objects.create(name="Refunds", slug="refunds"), name="Faulty")
    return publish_public(
        agent,
        manager,
        now,
        title="Refunds for a faulty kettle",
        summary="Your 30-day right to reject.",
        body="## Your rights\n\nHello {{ customer.name }}, you can reject a faulty kettle within 30 days.",
        section=section,
    )


def test_the_portal_suggests_articles_as_a_customer_types(page, customer, article):
    sign_in(page, customer.email)
    page.goto("/portal/cases/new/")
    page.get_by_label("Subject").fill("My kettle is broken")
    suggestions = page.locator("#kb-suggestion-list")
    expect(suggestions).to_have_attribute("aria-live", "polite")
    link = suggestions.get_by_role("link", name="Refunds for a faulty kettle")
    expect(link).to_be_visible()
    assert f"/help/articles/{article.pk}/?from=suggestion" in (link.get_attribute("href") or "")


def test_an_agent_inserts_an_article_into_a_reply(page, agent, case, article):
    sign_in(page, agent.email)
    page.goto(f"/cases/{case.reference}/")
    page.get_by_label("Search articles").fill("kettle")
    page.get_by_role("button", name="Insert text").click()
    reply = page.locator("#reply-form textarea")
    page.wait_for_function("() => document.querySelector('#reply-form textarea').value.includes('Hello Alice Jones')")
    assert "reject a faulty kettle within 30 days" in reply.input_value()
    page.get_by_role("button", name="It answered this case").click()
    expect(page.get_by_text("linked to “Refunds for a faulty kettle”")).to_be_visible()


def test_the_help_article_has_no_wcag_violations(axe_page, article):
    axe_page.goto(f"/help/articles/{article.pk}/")
    assert axe_violations(axe_page) == []
