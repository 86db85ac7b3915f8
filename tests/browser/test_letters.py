"""The final response letter in a real browser: preview, edit, show again, then send."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases.models import MessageKind
from rapport.cases.services import case_create
from rapport.complaints import services
from tests.browser.conftest import sign_in


@pytest.fixture
def answered(agent, customer, team, now):
    case = case_create(
        actor=agent,
        customer=customer,
        subject="Kettle broke twice",
        body="Second kettle in a month. I want my money back.",
        type="complaint",
        channel="email",
        team=team,
        owner=agent,
        now=now,
    )
    services.complaint_record_outcome(
        actor=agent,
        reference=case.reference,
        outcome="upheld",
        outcome_text="We will refund you in full.",
        now=now + timedelta(minutes=5),
    )
    return case


def test_the_handler_previews_edits_and_then_sends_the_letter(page, agent, answered):
    sign_in(page, agent.email)
    page.goto(f"/cases/{answered.reference}/")

    # the panel leads to the preview; nothing is sent by looking
    page.get_by_role("button", name="Preview the final response…").click()
    page.wait_for_url(f"**/complaints/{answered.reference}/final-response/**")
    preview = page.get_by_role("region", name="The letter as it will be sent")
    assert "Your right to refer your complaint" in preview.inner_text()
    assert answered.messages.filter(kind=MessageKind.OUTBOUND).count() == 0

    # the wording is changed and shown again
    page.get_by_role("textbox", name="The letter").fill("Dear Ms Jones,\n\nWe are refunding you in full today, Llŷr.")
    page.get_by_role("button", name="Show the letter with my changes").click()
    assert "We are refunding you in full today, Llŷr." in preview.inner_text()
    assert answered.messages.filter(kind=MessageKind.OUTBOUND).count() == 0

    # and only then sent
    page.get_by_role("button", name="Send final response").click()
    page.wait_for_url(f"**/cases/{answered.reference}/**")
    assert "Final response sent" in page.locator(".flash").inner_text()
    sent = answered.messages.get(kind=MessageKind.OUTBOUND)
    assert "We are refunding you in full today, Llŷr." in sent.body
