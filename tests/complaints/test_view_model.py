"""One complaint view-model: loaded once (``complaints.fetch``), computed purely, the same for the
case page and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.complaints import services

pytestmark = pytest.mark.django_db

# The case page of a complaint with awards and follow-ups: the core page (14, see
# tests/web/test_case_page.py), then the complaint with its handler, root cause and overrider, its
# awards with their approvals and requesters, and its follow-ups (``complaints.fetch``). Before the
# one view-model it was 18: the panel loaded the case a second time for its forms' links.
COMPLAINT_PAGE_QUERIES = 17


@pytest.fixture
def worked(heat_done, agent, now):
    ref = heat_done.reference
    services.award_request(actor=agent, reference=ref, kind="goodwill", basis="goodwill", amount="5", now=now)
    services.award_request(actor=agent, reference=ref, kind="refund", basis="goodwill", amount="10", now=now)
    return heat_done


@pytest.mark.parametrize("awards", [0, 2])
def test_the_complaint_case_page_costs_the_same_whatever_it_holds(
    agent_client, heat_done, agent, now, awards, django_assert_num_queries
):
    for i in range(awards):
        services.award_request(
            actor=agent, reference=heat_done.reference, kind="goodwill", basis="goodwill", amount="5", now=now
        )
    agent_client.get(f"/cases/{heat_done.reference}/")  # the owner and team choices are loaded once per process
    with django_assert_num_queries(COMPLAINT_PAGE_QUERIES):
        response = agent_client.get(f"/cases/{heat_done.reference}/")
    assert response.status_code == 200
