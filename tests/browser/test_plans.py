"""A service plan in a browser: every section readable, the fired contingency visible with its
planned response, accessible (axe) and reflowing at 320 px; the print view leaves the forms out."""

from __future__ import annotations

import pytest
from django.utils import timezone

from rapport.plans.demo import TITLE, seed
from rapport.plans.models import Plan
from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_plan(manager, team, agent):
    seed(now=timezone.now())
    return Plan.objects.get(title=TITLE)


@pytest.mark.parametrize("width", [320, 1366])
def test_a_plan_with_its_fired_contingency_is_accessible_at_any_width(axe_page, manager, demo_plan, width):
    axe_page.set_viewport_size({"width": width, "height": 800})
    sign_in(axe_page, manager.email)
    axe_page.goto(f"/plans/{demo_plan.pk}/")

    assert axe_page.get_by_role("heading", name=TITLE, level=1).is_visible()
    fired = axe_page.get_by_role("region", name="Contingencies fired now")
    assert fired.is_visible()
    assert "Phones down" in fired.text_content()
    assert "Switch on a holding message" in fired.text_content()
    table = axe_page.get_by_role("table", name="Contingencies and their triggers")
    assert table.get_by_role("row", name="Phones down").get_by_text("Fired").is_visible()
    assert axe_page.get_by_role("table", name="When contingencies fired, latest first").is_visible()
    assert axe_page.evaluate("() => document.documentElement.scrollWidth") <= width + 1
    assert axe_violations(axe_page) == []


def test_the_owner_is_told_in_the_header_and_follows_it_to_the_plan(page, manager, demo_plan):
    sign_in(page, manager.email)
    page.goto("/")
    page.get_by_role("link", name="See the plans").click()
    row = page.get_by_role("row", name=TITLE)
    assert row.get_by_text("1 fired").is_visible()
    row.get_by_role("link", name=TITLE).click()
    assert page.get_by_role("heading", name="Contingencies fired now").is_visible()


def test_the_print_view_shows_the_plan_without_forms(page, manager, demo_plan):
    sign_in(page, manager.email)
    page.goto(f"/plans/{demo_plan.pk}/")
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Check the triggers now").is_visible()
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert page.get_by_role("heading", name="Customer types and their needs").is_visible()


def test_an_agent_reads_the_plan(page, agent, demo_plan):
    sign_in(page, agent.email)
    page.goto("/plans/")
    page.get_by_role("link", name=TITLE).click()
    assert page.get_by_role("heading", name="Workflow").is_visible()
    assert page.get_by_role("link", name="Edit the plan").count() == 0
