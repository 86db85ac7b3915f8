"""Surveys after resolution: signed single-use links, consent, reminders once, expiry, follow-ups."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail, signing

from rapport import extensions
from rapport.cases.models import CaseEvent
from rapport.feedback import services
from rapport.feedback.models import FeedbackSettings, FollowUp, InvitationStatus, SurveyAnswer, SurveyInvitation
from rapport.platform.errors import Conflict, FieldError, NotFound
from tests.conftest import make_user


def test_resolving_a_case_schedules_csat_and_ces_after_the_delay(case, resolve, now):
    FeedbackSettings.objects.create(delay_minutes=90)
    resolve(case, now)
    invitations = SurveyInvitation.objects.filter(case=case).order_by("kind")
    assert [i.kind for i in invitations] == ["ces", "csat"]
    assert all(i.send_after == now + timedelta(minutes=90) for i in invitations)
    assert all(i.status == InvitationStatus.SCHEDULED for i in invitations)
    assert mail.outbox == []


def test_a_case_resolved_twice_is_surveyed_once(case, resolve, agent, now):
    from rapport.cases.services import case_update

    resolve(case, now)
    case.refresh_from_db()
    case_update(
        actor=agent, reference=case.reference, expected_version=case.version, changes={"status": "open"}, now=now
    )
    resolve(case, now + timedelta(hours=1))
    assert SurveyInvitation.objects.filter(case=case).count() == 2


def test_due_invitations_are_emailed_with_a_signed_link(case, resolve, now, dispatch):
    resolve(case, now)
    done = dispatch(now=now + timedelta(hours=2))
    assert done["sent"] == 2
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert "/feedback/s/" in message.body
    assert SurveyInvitation.objects.filter(status=InvitationStatus.SENT).count() == 2


def test_no_survey_without_consent(case, resolve, now, dispatch):
    extensions.contact_permissions.append(lambda customer, purpose, channel: False if purpose == "survey" else None)
    resolve(case, now)
    dispatch(now=now + timedelta(hours=2))
    assert mail.outbox == []
    assert set(SurveyInvitation.objects.values_list("status", flat=True)) == {InvitationStatus.SUPPRESSED}


def test_one_reminder_at_most_and_expiry(case, resolve, now, dispatch, answer):
    FeedbackSettings.objects.create(delay_minutes=0, reminder_days=3, expiry_days=10)
    resolve(case, now)
    dispatch(now=now)
    mail.outbox.clear()
    assert dispatch(now=now + timedelta(days=4))["reminded"] == 2
    assert dispatch(now=now + timedelta(days=5))["reminded"] == 0
    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject.startswith("Reminder:")
    assert dispatch(now=now + timedelta(days=11))["expired"] == 2
    token = services.survey_token(SurveyInvitation.objects.first())
    with pytest.raises(Conflict, match="closed"):
        answer(token=token, score=5, now=now + timedelta(days=11))


def _sent(case, resolve, now, dispatch):
    FeedbackSettings.objects.create(delay_minutes=0)
    resolve(case, now)
    dispatch(now=now)
    return SurveyInvitation.objects.get(case=case, kind="csat")


def test_one_answer_per_invitation(case, resolve, now, dispatch, answer):
    invitation = _sent(case, resolve, now, dispatch)
    token = services.survey_token(invitation)
    given = answer(token=token, score=5, comment="Quick and kind.", now=now)
    assert (given.score, given.team_id, given.agent_id, given.channel) == (5, case.team_id, None, "email")
    with pytest.raises(Conflict, match="already been answered"):
        answer(token=token, score=1, now=now)
    assert SurveyAnswer.objects.get().score == 5
    assert CaseEvent.objects.filter(case=case, kind="survey_answered").count() == 1


@pytest.mark.parametrize("token", ["nonsense", signing.dumps(999999, salt=services.SALT), signing.dumps(1, salt="x")])
def test_forged_or_unknown_links_are_refused(db, token, now, answer):
    with pytest.raises(NotFound):
        answer(token=token, score=5, now=now)


@pytest.mark.parametrize(
    ("score", "message"),
    [(None, "Choose a score."), (6, "Choose a score from 1 to 5."), ("x", "Choose a score from 1 to 5.")],
)
def test_bad_scores_are_refused_and_nothing_is_recorded(case, resolve, now, score, message, dispatch, answer):
    token = services.survey_token(_sent(case, resolve, now, dispatch))
    with pytest.raises(FieldError) as refused:
        answer(token=token, score=score, now=now)
    assert refused.value.errors == {"score": [message]}
    assert not SurveyAnswer.objects.exists()


def test_a_low_score_opens_a_follow_up_for_the_team_leader(case, resolve, team_leader, now, dispatch, answer):
    token = services.survey_token(_sent(case, resolve, now, dispatch))
    mail.outbox.clear()
    given = answer(token=token, score=1, comment="Nobody called back.", now=now)
    follow_up = FollowUp.objects.get()
    assert follow_up.answer == given
    assert follow_up.team_id == case.team_id
    assert follow_up.reason == "Low CSAT score: 1 out of 5"
    assert CaseEvent.objects.filter(case=case, kind="follow_up_opened").exists()
    assert [m.to for m in mail.outbox] == [["leader@example.com"]]


def test_a_good_score_opens_no_follow_up(case, resolve, now, dispatch, answer):
    answer(token=services.survey_token(_sent(case, resolve, now, dispatch)), score=4, now=now)
    assert not FollowUp.objects.exists()


def test_team_leaders_close_their_teams_follow_ups_only(case, resolve, team_leader, other_team, now, dispatch, answer):
    answer(token=services.survey_token(_sent(case, resolve, now, dispatch)), score=1, now=now)
    follow_up = FollowUp.objects.get()
    outsider = make_user("lead2@example.com", "team_leader", [other_team])
    with pytest.raises(NotFound):
        services.follow_up_close(actor=outsider, follow_up_id=follow_up.pk, outcome="Called", now=now)
    with pytest.raises(FieldError):
        services.follow_up_close(actor=team_leader, follow_up_id=follow_up.pk, outcome=" ", now=now)
    services.follow_up_close(actor=team_leader, follow_up_id=follow_up.pk, outcome="Called, refunded.", now=now)
    follow_up.refresh_from_db()
    assert follow_up.done_by == team_leader
    with pytest.raises(Conflict):
        services.follow_up_close(actor=team_leader, follow_up_id=follow_up.pk, outcome="Again", now=now)


def test_rater_answers_need_every_expectation_and_perception(customer, manager, now, answer):
    invitation = services.rater_invite(actor=manager, customer=customer, now=now)
    assert invitation.status == InvitationStatus.SENT
    token = services.survey_token(invitation)
    with pytest.raises(FieldError) as refused:
        answer(token=token, rater={"reliability_expected": 7}, now=now)
    assert "reliability_perceived" in refused.value.errors
    scores = {
        f"{d}_{w}": 5
        for d in ("reliability", "assurance", "tangibles", "empathy", "responsiveness")
        for w in ("expected", "perceived")
    }
    given = answer(token=token, rater=scores, now=now)
    assert given.reliability_perceived == 5


def test_nps_invites_customers_served_in_the_interval_once(case, resolve, now):
    resolve(case, now)
    assert services.nps_invitations_create(now=now + timedelta(days=1)) == 1
    assert services.nps_invitations_create(now=now + timedelta(days=2)) == 0


@pytest.mark.parametrize("weights", [{"speed": 3}, {"empathy": -1}, {"empathy": "high"}, ["empathy"]])
def test_settings_refuse_weights_the_scoring_cannot_use(db, weights):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        FeedbackSettings(rater_weights=weights).full_clean()
    FeedbackSettings(rater_weights={"empathy": 20, "reliability": 32.5}).full_clean()


def test_the_rater_form_asks_for_every_dimension(customer, manager, now, client):
    from tests.web.html_checks import page_problems

    invitation = services.rater_invite(actor=manager, customer=customer, now=now)
    invitation.expires_at = now + timedelta(days=3650)
    invitation.save()
    html = client.get(services.survey_url(invitation)).content.decode()
    assert html.count("<fieldset>") == 10
    assert "Empathy: what you expected" in html
    assert page_problems(html) == []
