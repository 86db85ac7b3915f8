"""The customer's latest CSAT and CES on the case page and the customer page (one query)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.feedback import selectors
from rapport.feedback.models import SurveyAnswer, SurveyInvitation


def answer(customer, kind, score, at, case=None, comment=""):
    invitation = SurveyInvitation.objects.create(
        kind=kind, customer=customer, case=case, created_at=at, send_after=at, expires_at=at + timedelta(days=14)
    )
    return SurveyAnswer.objects.create(
        invitation=invitation, kind=kind, score=score, comment=comment, answered_at=at, customer=customer, case=case
    )


@pytest.fixture
def answered(customer, case, now):
    answer(customer, "csat", 2, now - timedelta(days=30), None, "Slow.")
    answer(customer, "csat", 5, now - timedelta(days=2), case, "Lovely service, thank you")
    answer(customer, "ces", 6, now - timedelta(days=2), case)
    answer(customer, "ces", None, now - timedelta(days=1))  # opened, not scored
    answer(customer, "nps", 9, now)


def test_the_latest_scored_csat_and_ces_in_one_query(customer, answered, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = selectors.latest_scores(customer.pk)
    assert [(a.kind, a.score) for a in found] == [("csat", 5), ("ces", 6)]


def test_the_case_page_shows_them(agent_client, case, answered):
    html = agent_client.get(f"/cases/{case.reference}/").content.decode()
    panel = html.split('id="scores-title"', 1)[1].split("</section>", 1)[0]
    assert "5 out of 5" in panel
    assert "6 out of 7" in panel
    assert "Lovely service, thank you" in panel
    assert case.reference in panel


def test_the_customer_page_shows_them(agent_client, customer, answered):
    html = agent_client.get(f"/customers/{customer.pk}/").content.decode()
    assert "5 out of 5" in html.split('id="scores-title"', 1)[1].split("</section>", 1)[0]


def test_no_answer_yet_says_so(agent_client, case):
    assert (
        "No CSAT or CES answer from this customer yet."
        in agent_client.get(f"/cases/{case.reference}/").content.decode()
    )
