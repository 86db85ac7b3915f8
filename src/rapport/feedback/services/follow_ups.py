"""Follow-ups: opened for the team leader when an answer scores low, closed with what was done."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from rapport.accounts.models import Role, User
from rapport.cases import journal
from rapport.domain.scoring import SCALES
from rapport.feedback import access as policy
from rapport.feedback.models import FeedbackSettings, FollowUp, SurveyAnswer
from rapport.platform.errors import Conflict, FieldError, NotFound
from rapport.platform.notify import email_send

FOLLOW_UP_DONE = "This follow-up is already closed."
OUTCOME_REQUIRED = "Say what was done."


def follow_up_if_low(answer: SurveyAnswer, now: datetime) -> FollowUp | None:
    threshold = FeedbackSettings.current().low_threshold(answer.kind)
    if answer.score is None or threshold is None or answer.score > threshold:
        return None
    scale_high = SCALES[answer.kind][1]
    reason = f"Low {answer.kind.upper()} score: {answer.score} out of {scale_high}"
    follow_up = FollowUp.objects.create(
        answer=answer, case=answer.case, team_id=answer.team_id, reason=reason, created_at=now
    )
    if answer.case is not None:
        journal.record(
            case=answer.case, actor=None, at=now, kind="follow_up_opened", after=f"{reason} (#{follow_up.pk})"
        )
    leaders = User.objects.filter(role=Role.TEAM_LEADER, is_active=True)
    leaders = leaders.filter(teams=answer.team_id) if answer.team_id else leaders.none()
    emails = sorted(set(leaders.values_list("email", flat=True)))
    if emails:
        about = f" on case {answer.case.reference}" if answer.case else ""
        transaction.on_commit(
            lambda: email_send(
                to=emails,
                subject=f"Follow-up needed: {reason}{about}",
                text=f"{answer.customer.name} answered {reason}{about}.\n\nComment: {answer.comment or '(none)'}\n",
            )
        )
    return follow_up


def follow_up_close(*, actor: User, follow_up_id: int, outcome: str, now: datetime) -> FollowUp:
    """Close a follow-up with what was done; recorded on the case's timeline."""
    if not policy.can_follow_up(actor):
        raise NotFound()
    outcome = (outcome or "").strip()
    if not outcome:
        raise FieldError(outcome=OUTCOME_REQUIRED)
    with transaction.atomic():
        team_ids = policy.follow_up_team_ids(actor)
        found = FollowUp.objects.select_for_update(of=("self",)).select_related("case")
        if team_ids is not None:
            found = found.filter(team_id__in=team_ids)
        follow_up = found.filter(pk=follow_up_id).first()
        if follow_up is None:
            raise NotFound("No follow-up with that id.")
        if follow_up.done_at is not None:
            raise Conflict(FOLLOW_UP_DONE)
        follow_up.done_at, follow_up.done_by, follow_up.outcome = now, actor, outcome[:5000]
        follow_up.save(update_fields=["done_at", "done_by", "outcome"])
        if follow_up.case is not None:
            journal.record(case=follow_up.case, actor=actor, at=now, kind="follow_up_closed", after=outcome[:500])
    return follow_up
