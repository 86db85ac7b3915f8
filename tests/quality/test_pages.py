"""The quality pages: who sees what, the review form (ratings, quoted comments, errors beside
their fields), replies and disputes, calibration kept blind, CSV exports, and query counts that
do not grow with the rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rapport.cases.models import Case, Message
from rapport.quality import services
from rapport.quality.models import QueueItem, Review, ReviewStatus, Scorecard
from rapport.quality.services import RatingIn
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/quality/", "/quality/reviews/", "/quality/scorecards/"]
REVIEWER_PAGES = ["/quality/queue/", "/quality/calibrations/"]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_see_the_pages_customers_do_not(path, agent, customer_user):
    assert signed_in(agent).get(path).status_code == 200
    assert signed_in(customer_user).get(path).status_code == 404


@pytest.mark.parametrize("path", REVIEWER_PAGES)
def test_reviewer_pages_are_for_reviewers(path, agent, team_leader):
    assert signed_in(team_leader).get(path).status_code == 200
    assert signed_in(agent).get(path).status_code == 404


def _post_review(client, review, **extra):
    data = {
        "summary": "Good call back.",
        "value_ownership": "4",
        "comment_ownership": "Named commitment.",
        "quote_ownership": "I will arrange a replacement today",
        **extra,
    }
    return client.post(f"/quality/reviews/{review.pk}/", data)


def test_a_reviewer_rates_and_submits_through_the_form(worked_case, team_leader, agent):
    client = signed_in(team_leader)
    response = client.post("/quality/reviews/new/", {"case": worked_case.reference})
    review = Review.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/quality/reviews/{review.pk}/"
    page = client.get(f"/quality/reviews/{review.pk}/").content.decode()
    assert "I will arrange a replacement today" in page  # the messages being reviewed
    assert "<blockquote>Checked the batch number." not in page  # internal notes are not reviewed
    assert 'for="id_quote_ownership"' in page
    assert _post_review(client, review, submit="1").status_code == 302
    review.refresh_from_db()
    assert (review.status, review.score) == (ReviewStatus.SUBMITTED, 100.0)
    assert signed_in(agent).get(f"/quality/reviews/{review.pk}/").status_code == 200


def test_errors_show_beside_their_fields(worked_case, team_leader):
    client = signed_in(team_leader)
    review = services.review_start(actor=team_leader, case=worked_case, now=timezone.now())
    response = _post_review(client, review, quote_ownership="Words nobody wrote", submit="1")
    assert response.status_code == 422
    body = response.content.decode()
    assert "Quote a passage from the reviewed messages" in body
    assert 'href="#id_quote_ownership"' in body
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT


def test_the_agent_cannot_review_through_the_page(worked_case, agent):
    assert signed_in(agent).post("/quality/reviews/new/", {"case": worked_case.reference}).status_code == 404


def test_a_team_leader_may_not_review_their_own_case_through_the_page(worked_case, team_leader):
    worked_case.owner = team_leader
    worked_case.save(update_fields=["owner"])
    response = signed_in(team_leader).post("/quality/reviews/new/", {"case": worked_case.reference})
    assert response.status_code == 422
    assert "never reviews their own work" in response.content.decode()


def test_the_agent_replies_and_disputes_on_the_page(submitted_review, agent, manager):
    client = signed_in(agent)
    assert client.post(f"/quality/reviews/{submitted_review.pk}/reply/", {"text": "Thank you."}).status_code == 302
    response = client.post(f"/quality/reviews/{submitted_review.pk}/dispute/", {"reason": "I did call back."})
    assert response.status_code == 302
    submitted_review.refresh_from_db()
    assert submitted_review.status == ReviewStatus.DISPUTED
    page = signed_in(manager).get(f"/quality/reviews/{submitted_review.pk}/").content.decode()
    assert "Decide the dispute" in page
    response = signed_in(manager).post(
        f"/quality/reviews/{submitted_review.pk}/",
        {"outcome": "upheld", "decision": "The review stands.", "value_empathy": "3", "comment_empathy": "x"},
    )
    assert response.status_code == 302
    submitted_review.refresh_from_db()
    assert submitted_review.status == ReviewStatus.DECIDED


def test_an_empty_dispute_shows_a_message(submitted_review, agent):
    response = signed_in(agent).post(f"/quality/reviews/{submitted_review.pk}/dispute/", {"reason": ""})
    assert response.status_code == 422
    assert "error-summary" in response.content.decode()


def test_a_manager_creates_and_revises_a_scorecard(manager):
    client = signed_in(manager)
    form = client.get("/quality/scorecards/new/").content.decode()
    assert "Active listening | 15" in form  # the documents' defaults fill the form
    response = client.post(
        "/quality/scorecards/new/",
        {
            "name": "Chat",
            "behaviours": "Empathy | 60 | Warm\nTone | 40",
            "critical": "Data disclosed | Art 5",
            "scale": "No\nPartly\nYes",
        },
    )
    scorecard = Scorecard.objects.get(name="Chat")
    assert response.status_code == 302
    response = client.post(
        f"/quality/scorecards/{scorecard.pk}/",
        {"name": "Chat", "behaviours": "Empathy | 50\nTone | 50", "critical": "", "scale": "No\nYes", "note": "Even"},
    )
    assert response.status_code == 302
    assert scorecard.versions.count() == 2


def test_a_bad_scorecard_line_is_named(manager):
    response = signed_in(manager).post(
        "/quality/scorecards/new/", {"name": "Chat", "behaviours": "Empathy | lots", "scale": "No\nYes"}
    )
    assert response.status_code == 422
    assert "Line 1: the weight must be a whole number." in response.content.decode()


def test_team_leaders_cannot_configure_scorecards(team_leader):
    assert signed_in(team_leader).get("/quality/scorecards/new/").status_code == 404


def test_the_queue_lists_the_sample_and_starts_a_review(worked_case, team_leader, agent, now):
    item = QueueItem.objects.create(
        case=worked_case, agent=agent, reviewer=team_leader, reason="complaint", week=now.date(), created_at=now
    )
    client = signed_in(team_leader)
    assert "Complaint" in client.get("/quality/queue/").content.decode()
    response = client.post(f"/quality/queue/{item.pk}/start/")
    item.refresh_from_db()
    assert response["Location"] == f"/quality/reviews/{item.review_id}/"
    assert worked_case.reference not in client.get("/quality/queue/").content.decode()


def test_calibration_pages_stay_blind_until_ones_own_score_is_in(worked_case, team_leader, manager, now):
    from tests.conftest import make_user

    second = make_user("leader2@example.com", "team_leader", [worked_case.team])
    client = signed_in(manager)
    response = client.post(
        "/quality/calibrations/",
        {"title": "Kettle", "case": worked_case.reference, "reviewers": [team_leader.pk, second.pk]},
    )
    assert response.status_code == 302
    calibration_url = response["Location"]
    theirs = services.review_start(
        actor=second, case=worked_case, calibration=services.Calibration.objects.get(), now=now
    )
    services.review_save(actor=second, review=theirs, ratings={"empathy": RatingIn(4, "Warm.")}, submit=True, now=now)
    leader = signed_in(team_leader)
    page = leader.get(calibration_url).content.decode()
    assert "stay hidden until yours is in" in page
    assert leader.get(f"/quality/reviews/{theirs.pk}/").status_code == 404
    assert leader.post(calibration_url).status_code == 302  # starts their own
    mine = Review.objects.get(reviewer=team_leader)
    services.review_save(
        actor=team_leader, review=mine, ratings={"empathy": RatingIn(4, "Warm.")}, submit=True, now=now
    )
    page = leader.get(calibration_url).content.decode()
    assert "Krippendorff" in page
    assert "Each reviewer's rating of each behaviour" in page


def test_csv_exports(submitted_review, manager):
    client = signed_in(manager)
    period = "?start=2026-03-01&end=2026-03-03"
    response = client.get(f"/quality/reviews.csv{period}")
    lines = response.content.decode().strip().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("Review,Case,Agent")
    assert len(lines) == 2
    for dimension in ("agent", "team", "behaviour", "channel", "case_type"):
        response = client.get(f"/quality/by/{dimension}.csv{period}")
        rows = response.content.decode().strip().splitlines()
        assert len(rows) == (9 if dimension == "behaviour" else 2)  # eight rated behaviours, or one row
    assert client.get("/quality/by/shoe_size.csv").status_code == 404


def test_agent_and_team_pages_follow_the_permissions(submitted_review, agent, other_agent, team_leader, team):
    assert signed_in(agent).get(f"/quality/agents/{agent.pk}/").status_code == 200
    assert signed_in(other_agent).get(f"/quality/agents/{agent.pk}/").status_code == 404
    assert signed_in(team_leader).get(f"/quality/agents/{agent.pk}/").status_code == 200
    assert signed_in(team_leader).get(f"/quality/teams/{team.pk}/").status_code == 200
    assert signed_in(agent).get(f"/quality/teams/{team.pk}/").status_code == 404


def test_a_bad_period_shows_a_message_not_an_error(manager):
    response = signed_in(manager).get("/quality/?start=2026-03-10&end=2026-03-01")
    assert response.status_code == 200
    assert "The end must be after the start." in response.content.decode()


def test_the_case_page_offers_a_review_to_reviewers_only(worked_case, team_leader, agent):
    assert "Review this case" in signed_in(team_leader).get(f"/cases/{worked_case.reference}/").content.decode()
    assert "Review this case" not in signed_in(agent).get(f"/cases/{worked_case.reference}/").content.decode()


def _many_reviews(count, customer, team, agent, team_leader, now):
    for i in range(count):
        case = Case.objects.create(
            status="resolved",
            channel="email",
            subject=f"Case {i}",
            customer=customer,
            team=team,
            owner=agent,
            created_at=now,
            updated_at=now,
            resolved_at=now,
        )
        Message.objects.create(case=case, kind="outbound", channel="email", body="Sorted.", created_at=now)
        review = services.review_start(actor=team_leader, case=case, now=now)
        services.review_save(
            actor=team_leader, review=review, ratings={"empathy": RatingIn(3, "Fine.")}, submit=True, now=now
        )


@pytest.mark.parametrize(
    "path",
    [
        "/quality/",
        "/quality/reviews/",
        "/quality/queue/",
        "/quality/calibrations/",
        "/quality/scorecards/",
        "agent",
        "team",
    ],
)
def test_pages_cost_the_same_queries_for_many_reviews(
    path, customer, team, agent, team_leader, manager, django_assert_num_queries
):
    now = timezone.now() - timedelta(hours=1)
    path = {"agent": f"/quality/agents/{agent.pk}/", "team": f"/quality/teams/{team.pk}/"}.get(path, path)
    _many_reviews(2, customer, team, agent, team_leader, now)
    client = signed_in(manager if "queue" not in path else team_leader)
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    _many_reviews(8, customer, team, agent, team_leader, now)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(path).status_code == 200


def test_the_review_page_costs_a_fixed_number_of_queries(submitted_review, manager, django_assert_max_num_queries):
    client = signed_in(manager)
    client.get(f"/quality/reviews/{submitted_review.pk}/")
    with django_assert_max_num_queries(25):
        assert client.get(f"/quality/reviews/{submitted_review.pk}/").status_code == 200


def test_the_language_assistant_offers_suggestions_beside_the_behaviours(case, agent, team_leader, now):
    from rapport.cases.services import message_add

    case.owner = agent
    case.save(update_fields=["owner"])
    message_add(
        actor=agent,
        reference=case.reference,
        kind="outbound",
        body="Unfortunately there's nothing we can do. You'll have to contact the courier yourself.",
        now=now,
    )
    review = services.review_start(actor=team_leader, case=case, now=now)
    page = signed_in(team_leader).get(f"/quality/reviews/{review.pk}/").content.decode()
    assert "The language assistant&#x27;s suggestions" in page or "The language assistant's suggestions" in page
    assert "Language assistant: negative phrasing" in page
    # The customer's own words are never checked.
    assert services.reviewed_text(review)[0].kind == "inbound"


def test_the_reviewer_narrows_a_draft_to_chosen_messages(worked_case, team_leader, agent):
    client = signed_in(team_leader)
    review = services.review_start(actor=team_leader, case=worked_case, now=timezone.now())
    reply = Message.objects.get(case=worked_case, kind="outbound")
    page = client.get(f"/quality/reviews/{review.pk}/").content.decode()
    assert "Review only some messages" in page
    assert client.post(f"/quality/reviews/{review.pk}/messages/", {"message": [str(reply.pk)]}).status_code == 302
    assert list(review.messages.all()) == [reply]
    assert services.reviewed_text(review) == [reply]
    # Someone else's draft cannot be narrowed; a message of another case is refused.
    other = services.review_choose_messages
    with pytest.raises(services.Forbidden):
        other(actor=agent, review=review, message_ids=[])
    with pytest.raises(services.FieldError):
        other(actor=team_leader, review=review, message_ids=[10**9])
