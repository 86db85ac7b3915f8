"""One complaint view-model: loaded once (``complaints.fetch``), computed purely, the same for the
case page and the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from rapport.accounts.services import token_create
from rapport.complaints import services
from rapport.complaints.calculations import complaint_view
from rapport.complaints.fetch import fetch_complaint_info
from rapport.complaints.models import Complaint
from rapport.domain import complaint_rules as rules

pytestmark = pytest.mark.django_db

# The case page of a complaint with awards and follow-ups: the core page (14, see
# tests/web/test_case_page.py), then the complaint with its handler, root cause and overrider, its
# awards with their approvals and requesters, and its follow-ups (``complaints.fetch``). Before the
# one view-model it was 18: the panel loaded the case a second time for its forms' links. Then time
# tracking's panel (the case's total and the person's timer), the followers and the customer's latest
# CSAT and CES panels: one query each.
COMPLAINT_PAGE_QUERIES = 20


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
    for _ in range(awards):
        services.award_request(
            actor=agent, reference=heat_done.reference, kind="goodwill", basis="goodwill", amount="5", now=now
        )
    agent_client.get(f"/cases/{heat_done.reference}/")  # the owner and team choices are loaded once per process
    with django_assert_num_queries(COMPLAINT_PAGE_QUERIES):
        response = agent_client.get(f"/cases/{heat_done.reference}/")
    assert response.status_code == 200


def test_the_api_answers_from_the_same_view_model_as_the_panel(client, agent, worked, now):
    """Given a complaint with its HEAT stages and two goodwill awards, when the API is asked, then
    its stages, refusals, deadline and awards are exactly the view-model's."""
    view = complaint_view(fetch_complaint_info(worked), now=timezone.now())
    token = token_create(user=agent)[1]
    body = client.get(f"/api/v1/complaints/{worked.reference}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [(s["stage"], s["done"]) for s in body["stages"]] == [(s.stage.value, s.done) for s in view.stages]
    assert all(s["done"] for s in body["stages"])
    assert body["closing_refusals"] == list(view.refusals)
    assert body["deadline"] == view.state.value
    assert [a["id"] for a in body["awards"]] == [a.pk for a in view.goodwill_awards]
    assert view.legal_awards == ()


def test_the_view_model_is_computed_without_queries(worked, django_assert_num_queries, now):
    info = fetch_complaint_info(worked)
    with django_assert_num_queries(0):
        view = complaint_view(info, now=now + timedelta(weeks=9))
    assert view.state is rules.DeadlineState.OVERDUE
    assert [s.done for s in view.stages] == [True, True, True, True]
    assert view.refusals == (rules.RESPONSE_MISSING, rules.ROOT_CAUSE_MISSING)


def test_a_case_with_no_complaint_record_yet_shows_every_stage_to_do(complaint_case, now):
    Complaint.objects.filter(case=complaint_case).delete()
    info = fetch_complaint_info(complaint_case)
    assert not info.recorded
    assert (info.awards, info.follow_ups) == ((), ())
    view = complaint_view(info, now=now)
    assert [s.done for s in view.stages] == [False] * 4
    assert view.refusals[0] == rules.STAGE_MISSING.format(stage="Hear")


@pytest.mark.parametrize(
    ("recorded", "done"),
    [
        ({}, frozenset()),
        ({rules.Stage.HEAR: datetime(2026, 3, 2, tzinfo=UTC), rules.Stage.APOLOGISE: None}, {rules.Stage.HEAR}),
        (dict.fromkeys(rules.STAGES, datetime(2026, 3, 2, tzinfo=UTC)), set(rules.STAGES)),
    ],
)
def test_a_stage_is_done_once_its_time_is_recorded(recorded, done):
    assert rules.stages_done(recorded) == frozenset(done)
