"""Quality reviews in a real browser: a team leader reviews an agent's case, quoting the reply; the
agent reads it and disputes; the pages pass axe-core's WCAG 2.2 AA checks and reflow at 320 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rapport.cases.services import message_add
from rapport.quality import services
from rapport.quality.models import Review, ReviewStatus
from rapport.quality.services import RatingIn
from tests.browser.conftest import axe_violations, sign_in

REPLY = "I will arrange a replacement today and call you on Thursday to confirm delivery."


@pytest.fixture
def worked_case(case, agent):
    case.owner = agent
    case.save(update_fields=["owner"])
    message_add(actor=agent, reference=case.reference, kind="outbound", body=REPLY, now=timezone.now())
    return case


def test_a_team_leader_reviews_a_case_and_the_agent_disputes(page, worked_case, team_leader, agent, manager):
    sign_in(page, team_leader.email)
    page.goto(f"/cases/{worked_case.reference}/")
    page.get_by_role("button", name="Review this case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Review of {worked_case.reference}")
    expect(page.get_by_role("region", name="What is reviewed")).to_contain_text("call you on Thursday")

    ownership = page.get_by_role("group", name="Ownership")
    ownership.get_by_label("Ownership (weight 15)").select_option("4")
    ownership.get_by_label("Comment on ownership").fill("A named commitment with a day.")
    ownership.get_by_label("The passage it is about (ownership)").fill("a quote nobody wrote")
    page.get_by_role("button", name="Submit review").click()
    expect(page.locator(".error-summary")).to_contain_text("Quote a passage from the reviewed messages")

    ownership = page.get_by_role("group", name="Ownership")
    ownership.get_by_label("The passage it is about (ownership)").fill("call you on Thursday")
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_role("table", name="Each behaviour, its rating and the passage it is about")).to_contain_text(
        "call you on Thursday"
    )
    review = Review.objects.get()
    assert (review.status, review.score) == (ReviewStatus.SUBMITTED, 100.0)

    page.context.clear_cookies()
    sign_in(page, agent.email)
    page.goto(f"/quality/reviews/{review.pk}/")
    page.get_by_label("Why you dispute this review").fill("The delivery date was the courier's, not mine.")
    page.get_by_role("button", name="Dispute this review").click()
    expect(page.get_by_role("region", name="Dispute")).to_contain_text(manager.name)


@pytest.mark.parametrize(
    "path", ["/quality/", "/quality/reviews/{review}/", "/quality/scorecards/", "/quality/calibrations/"]
)
def test_quality_pages_have_no_wcag_violations_and_reflow(axe_page, worked_case, team_leader, manager, path):
    review = services.review_start(actor=team_leader, case=worked_case, now=timezone.now() - timedelta(hours=1))
    services.review_save(
        actor=team_leader,
        review=review,
        ratings={"ownership": RatingIn(4, "Named.", "call you on Thursday")},
        submit=True,
        now=timezone.now() - timedelta(hours=1),
    )
    sign_in(axe_page, manager.email)
    axe_page.set_viewport_size({"width": 320, "height": 800})
    axe_page.goto(path.format(review=review.pk))
    assert axe_violations(axe_page) == []
    overflow = axe_page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert not overflow
