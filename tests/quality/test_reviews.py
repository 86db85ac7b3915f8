"""Reviews of real work: who may review whom, one review per case, quoted comments, critical
items, versions, replies, disputes decided by another reviewer, and the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases.models import Message
from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.quality import access as policy
from rapport.quality import services
from rapport.quality.models import Dispute, Rating, Review, ReviewEvent, ReviewStatus
from rapport.quality.services import BehaviourIn, CriticalCheckIn, CriticalIn, RatingIn
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_a_team_leader_reviews_their_agent_and_the_review_names_the_agent(worked_case, team_leader, agent, now):
    review = services.review_start(actor=team_leader, case=worked_case, now=now)
    assert (review.agent, review.reviewer, review.status) == (agent, team_leader, ReviewStatus.DRAFT)
    assert (review.channel, review.case_type, review.team_id) == ("email", "enquiry", worked_case.team_id)
    assert review.version.behaviours.count() == 9  # the documents' default scorecard


def test_a_reviewer_never_reviews_themself(worked_case, team_leader, now):
    worked_case.owner = team_leader
    worked_case.save(update_fields=["owner"])
    with pytest.raises(Forbidden, match="never reviews their own"):
        services.review_start(actor=team_leader, case=worked_case, now=now)


def test_a_manager_cannot_review_their_own_case_either(worked_case, manager, now):
    worked_case.owner = manager
    worked_case.save(update_fields=["owner"])
    with pytest.raises(Forbidden, match="never reviews their own"):
        policy.require_can_review(manager, manager)


def test_agents_and_other_teams_leaders_do_not_review(worked_case, other_agent, other_leader, manager, now):
    with pytest.raises(Forbidden, match="Only team leaders and managers"):
        services.review_start(actor=other_agent, case=worked_case, now=now)
    with pytest.raises(Forbidden, match="your own teams"):
        services.review_start(actor=other_leader, case=worked_case, now=now)
    assert services.review_start(actor=manager, case=worked_case, now=now).reviewer == manager


def test_a_case_is_reviewed_once(worked_case, team_leader, manager, now):
    services.review_start(actor=team_leader, case=worked_case, now=now)
    with pytest.raises(FieldError) as error:
        services.review_start(actor=manager, case=worked_case, now=now)
    assert "reviewed already" in error.value.errors["case"][0]


def test_a_case_without_an_agent_cannot_be_reviewed(case, team_leader, now):
    case.owner = None
    case.save(update_fields=["owner"])
    with pytest.raises(FieldError) as error:
        services.review_start(actor=team_leader, case=case, now=now)
    assert "no agent" in error.value.errors["case"][0]


def test_a_review_of_chosen_messages_covers_only_those(worked_case, team_leader, now):
    reply = Message.objects.get(case=worked_case, kind="outbound")
    review = services.review_start(actor=team_leader, case=worked_case, message_ids=[reply.pk], now=now)
    assert services.reviewed_text(review) == [reply]
    with pytest.raises(FieldError):
        services.review_start(actor=team_leader, case=worked_case, message_ids=[999_999], now=now + timedelta(1))


def test_the_whole_case_leaves_internal_notes_out(worked_case, team_leader, now):
    review = services.review_start(actor=team_leader, case=worked_case, now=now)
    assert {m.kind for m in services.reviewed_text(review)} == {"inbound", "outbound"}


def test_a_comment_quotes_the_passage_it_is_about(worked_case, team_leader, full_ratings, now):
    review = services.review_start(actor=team_leader, case=worked_case, now=now)
    services.review_save(actor=team_leader, review=review, ratings=full_ratings(3), submit=True, now=now)
    ownership = Rating.objects.get(review=review, behaviour__code="ownership")
    assert ownership.quote == "I will arrange a replacement today"
    assert ownership.message == Message.objects.get(case=worked_case, kind="outbound")


def test_a_quote_not_in_the_messages_is_refused_and_names_the_behaviour(worked_case, team_leader, now):
    review = services.review_start(actor=team_leader, case=worked_case, now=now)
    with pytest.raises(FieldError) as error:
        services.review_save(
            actor=team_leader,
            review=review,
            ratings={"empathy": RatingIn(2, "Cold.", "You should have read the manual")},
            now=now,
        )
    assert "ratings.empathy.quote" in error.value.errors


def test_a_quote_matches_across_line_breaks_and_case(worked_case, team_leader, now):
    review = services.review_start(actor=team_leader, case=worked_case, now=now)
    services.review_save(
        actor=team_leader,
        review=review,
        ratings={"empathy": RatingIn(4, "Warm.", "i'm SORRY the kettle\n stopped working")},
        now=now,
    )
    assert Rating.objects.get(review=review, behaviour__code="empathy").message is not None


def test_submitting_needs_a_comment_per_rated_behaviour_and_something_rated(worked_case, team_leader, now):
    review = services.review_start(actor=team_leader, case=worked_case, now=now)
    with pytest.raises(FieldError) as error:
        services.review_save(actor=team_leader, review=review, ratings={}, submit=True, now=now)
    assert "ratings" in error.value.errors
    with pytest.raises(FieldError) as error:
        services.review_save(
            actor=team_leader, review=review, ratings={"empathy": RatingIn(3, "", "")}, submit=True, now=now
        )
    assert error.value.errors["ratings.empathy.comment"]
    # A draft may be saved without comments.
    services.review_save(actor=team_leader, review=review, ratings={"empathy": RatingIn(3)}, now=now)


def test_a_rating_off_the_scale_or_an_unknown_behaviour_is_refused(worked_case, team_leader, now):
    review = services.review_start(actor=team_leader, case=worked_case, now=now)
    with pytest.raises(FieldError) as error:
        services.review_save(
            actor=team_leader, review=review, ratings={"empathy": RatingIn(9, "x"), "charm": RatingIn(3, "x")}, now=now
        )
    assert set(error.value.errors) == {"ratings.empathy.value", "ratings.charm"}


def test_the_score_is_weighted_and_a_critical_breach_fails_it(worked_case, team_leader, full_ratings, now):
    review = services.review_start(actor=team_leader, case=worked_case, now=now)
    services.review_save(actor=team_leader, review=review, ratings=full_ratings(4), now=now)
    assert review.score == 100.0
    services.review_save(
        actor=team_leader,
        review=review,
        ratings=full_ratings(4),
        critical={"wrong_person_disclosure": CriticalCheckIn(True, "call you on Thursday")},
        submit=True,
        now=now,
    )
    review.refresh_from_db()
    assert (review.score, review.failed, review.status) == (0.0, True, ReviewStatus.SUBMITTED)


def test_only_the_reviewer_changes_a_draft_and_nobody_a_submitted_review(
    worked_case, team_leader, manager, full_ratings, now
):
    review = services.review_start(actor=team_leader, case=worked_case, now=now)
    with pytest.raises(Forbidden):
        services.review_save(actor=manager, review=review, ratings=full_ratings(), now=now)
    services.review_save(actor=team_leader, review=review, ratings=full_ratings(), submit=True, now=now)
    with pytest.raises(Forbidden, match="submitted"):
        services.review_save(actor=team_leader, review=review, ratings=full_ratings(1), now=now)


def test_a_revised_scorecard_leaves_old_reviews_on_their_version(submitted_review, manager, now):
    scorecard = submitted_review.version.scorecard
    services.scorecard_revise(
        actor=manager,
        scorecard=scorecard,
        behaviours=[BehaviourIn("Empathy", 50), BehaviourIn("Accuracy of information", 50)],
        critical=[CriticalIn("Personal data disclosed to the wrong person")],
        scale_labels=["No", "Partly", "Yes"],
        note="Shorter card for chat.",
        now=now,
    )
    submitted_review.refresh_from_db()
    assert submitted_review.version.number == 1
    assert submitted_review.version.behaviours.count() == 9
    latest = services.current_version(scorecard)
    assert latest.number == 2
    assert latest.scale_max == 3
    # Behaviours keep their codes across versions, so reports follow them.
    assert set(latest.behaviours.values_list("code", flat=True)) == {"empathy", "accuracy"}
    assert latest.critical_items.get().code == "wrong_person_disclosure"


def test_only_managers_configure_scorecards_and_bad_parts_are_named(team_leader, manager, now):
    with pytest.raises(Forbidden):
        services.scorecard_create(actor=team_leader, name="Chat", now=now)
    with pytest.raises(FieldError) as error:
        services.scorecard_create(
            actor=manager, name="", behaviours=[BehaviourIn("Empathy", 0)], scale_labels=["Only"], now=now
        )
    assert set(error.value.errors) == {"name", "behaviours", "scale"}
    with pytest.raises(FieldError) as error:
        services.scorecard_create(
            actor=manager, name="Twice", behaviours=[BehaviourIn("Empathy", 5), BehaviourIn("empathy", 5)], now=now
        )
    assert error.value.errors["behaviours"]


def test_agents_see_their_own_submitted_reviews_leaders_their_teams_managers_all(
    worked_case, submitted_review, agent, other_agent, team_leader, other_leader, manager, other_case, now
):
    other_case.owner = other_agent
    other_case.save(update_fields=["owner"])
    draft = services.review_start(actor=other_leader, case=other_case, now=now)
    assert list(policy.visible_reviews(agent)) == [submitted_review]
    assert list(policy.visible_reviews(other_agent)) == []  # a draft is not shown to the agent
    assert list(policy.visible_reviews(team_leader)) == [submitted_review]
    assert list(policy.visible_reviews(other_leader)) == [draft]
    assert set(policy.visible_reviews(manager)) == {submitted_review, draft}
    with pytest.raises(NotFound):
        policy.access_review(other_agent, submitted_review.pk)
    with pytest.raises(NotFound):
        policy.access_review(agent, "nonsense")


def test_the_agent_replies_and_the_reply_is_in_the_trail(submitted_review, agent, other_agent, now):
    services.review_reply(actor=agent, review=submitted_review, text="Thanks, noted about next steps.", now=now)
    assert ReviewEvent.objects.filter(review=submitted_review, kind="reply", actor=agent).exists()
    with pytest.raises(Forbidden):
        services.review_reply(actor=other_agent, review=submitted_review, text="Me too", now=now)
    with pytest.raises(FieldError):
        services.review_reply(actor=agent, review=submitted_review, text="   ", now=now)


def test_a_dispute_goes_to_another_reviewer_never_the_one_who_wrote_it(
    submitted_review, agent, team_leader, second_leader, now
):
    dispute = services.review_dispute(actor=agent, review=submitted_review, reason="I did call back.", now=now)
    assert dispute.decider == second_leader
    assert dispute.decider != team_leader
    submitted_review.refresh_from_db()
    assert submitted_review.status == ReviewStatus.DISPUTED
    with pytest.raises(Forbidden):
        services.review_dispute(actor=agent, review=submitted_review, reason="Again.", now=now)


def test_with_no_other_team_leader_a_manager_decides(submitted_review, agent, manager, now):
    assert services.review_dispute(actor=agent, review=submitted_review, reason="Unfair.", now=now).decider == manager


def test_with_no_one_else_the_dispute_is_refused_with_a_reason(submitted_review, agent, now):
    with pytest.raises(FieldError) as error:
        services.review_dispute(actor=agent, review=submitted_review, reason="Unfair.", now=now)
    assert "No other reviewer" in error.value.errors["reason"][0]


def test_only_the_agent_disputes(submitted_review, team_leader, manager, now):
    with pytest.raises(Forbidden):
        services.review_dispute(actor=manager, review=submitted_review, reason="On their behalf.", now=now)


def test_the_second_reviewer_amends_and_the_score_follows(
    submitted_review, agent, team_leader, second_leader, full_ratings, now
):
    services.review_dispute(actor=agent, review=submitted_review, reason="I did call back.", now=now)
    with pytest.raises(Forbidden):
        services.dispute_decide(
            actor=team_leader, review=submitted_review, outcome="upheld", decision="Mine stands.", now=now
        )
    before = submitted_review.score
    services.dispute_decide(
        actor=second_leader,
        review=submitted_review,
        outcome="amended",
        decision="The call back is in the notes.",
        ratings=full_ratings(4),
        now=now + timedelta(hours=2),
    )
    submitted_review.refresh_from_db()
    assert submitted_review.status == ReviewStatus.DECIDED
    assert submitted_review.score == 100.0 > before
    dispute = Dispute.objects.get(review=submitted_review)
    assert (dispute.outcome, dispute.decided_at) == ("amended", now + timedelta(hours=2))
    kinds = list(ReviewEvent.objects.filter(review=submitted_review).values_list("kind", flat=True))
    assert kinds == ["started", "submitted", "disputed", "decided"]


def test_a_decision_needs_an_outcome_and_reasons(submitted_review, agent, second_leader, now):
    services.review_dispute(actor=agent, review=submitted_review, reason="I did call back.", now=now)
    with pytest.raises(FieldError) as error:
        services.dispute_decide(actor=second_leader, review=submitted_review, outcome="maybe", decision="", now=now)
    assert "outcome" in error.value.errors


def test_review_events_are_append_only(submitted_review):
    event = ReviewEvent.objects.filter(review=submitted_review).first()
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_a_reviewer_from_another_team_may_not_be_given_a_dispute(submitted_review, agent, other_leader, manager, now):
    dispute = services.review_dispute(actor=agent, review=submitted_review, reason="Unfair.", now=now)
    assert dispute.decider != other_leader


def test_an_inactive_leader_is_not_given_disputes(submitted_review, agent, second_leader, manager, now):
    second_leader.is_active = False
    second_leader.save(update_fields=["is_active"])
    assert services.review_dispute(actor=agent, review=submitted_review, reason="x", now=now).decider == manager


def test_an_admin_configures_scorecards_like_a_manager(db, now):
    admin = make_user("admin@example.com", "admin")
    assert policy.can_manage(admin)
    scorecard = services.scorecard_create(actor=admin, name="Chat", now=now)
    assert services.current_version(scorecard).critical_items.count() == 2
    assert not Review.objects.exists()


def test_suggestions_come_from_the_agents_replies_only(worked_case, agent, now):
    from rapport.cases.services import message_add
    from rapport.quality import suggestions

    message_add(
        actor=agent, reference=worked_case.reference, kind="outbound", body="You'll have to wait, it's BAU.", now=now
    )
    found = suggestions.for_messages(list(Message.objects.filter(case=worked_case)))
    assert {s.code for s in found} >= {"negative_phrasing"}
    assert all(Message.objects.get(pk=s.message_id).kind == "outbound" for s in found)
    negative = next(s for s in found if s.code == "negative_phrasing")
    assert negative.behaviour == "positive_language"
    assert negative.passage.lower().startswith("you")
