"""Planning in a browser: the staffing heat-map is a readable, accessible table at any width, and a
team leader enters a known event that the forecast then shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from rapport.seeding import bulk
from rapport.workforce.models import Shift
from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def planned(manager, agent):
    bulk.seed(cases=800, seed=19, now=timezone.now(), days=35)
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    Shift.objects.create(agent=agent, starts_at=start, ends_at=start + timedelta(hours=8))


@pytest.mark.parametrize("width", [320, 1366])
def test_heat_map_is_a_table_that_reflows_and_passes_axe(axe_page, manager, planned, width):
    axe_page.set_viewport_size({"width": width, "height": 800})
    sign_in(axe_page, manager.email)
    axe_page.goto("/planning/staffing/")

    table = axe_page.get_by_role("table", name="Staff on the rota against staff required")
    assert table.is_visible()
    assert axe_page.get_by_role("row").count() > 24
    # the understaffed cells say so in words as well as in colour
    assert axe_page.locator("td.rota-under .visually-hidden").first.text_content() == "understaffed"
    assert axe_page.evaluate("() => document.documentElement.scrollWidth") <= width + 1
    assert axe_violations(axe_page) == []


def test_what_if_another_agent_on_monday_morning(page, manager, planned):
    sign_in(page, manager.email)
    page.goto("/planning/staffing/")
    page.get_by_label("Add agents (optional)").fill("2")
    page.get_by_label("On (optional)").select_option("Monday")
    page.get_by_label("From (optional)").select_option("09:00")
    page.get_by_label("To (optional)").select_option("12:00")
    page.get_by_role("button", name="Show").click()
    assert "2 more on the rota (Monday from 9:00 to 12:00)" in page.get_by_role("status").first.text_content()


def test_a_team_leader_enters_a_known_event(page, team_leader, planned):
    sign_in(page, team_leader.email)
    page.goto("/planning/")
    page.get_by_role("textbox", name="Event").fill("Product recall letters")
    page.get_by_label("Channel it affects (optional)").select_option("Phone")
    day = (datetime.now(tz=UTC).date() + timedelta(days=3)).isoformat()
    page.get_by_label("First day").fill(day)
    page.get_by_label("Last day").fill(day)
    page.get_by_label("Change in demand (%)").fill("40")
    page.get_by_role("button", name="Add the event").click()
    assert page.get_by_text("Known event added").is_visible()
    assert page.get_by_text("Product recall letters").first.is_visible()
