"""Survey answers: one per invitation, checked against its scale; a low score opens a follow-up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from rapport.cases import journal
from rapport.domain.scoring import SCALES
from rapport.feedback import rollup
from rapport.feedback.models import RATER_FIELDS, InvitationStatus, SurveyAnswer, SurveyInvitation, SurveyKind
from rapport.feedback.services.follow_ups import follow_up_if_low
from rapport.feedback.services.links import invitation_from_token
from rapport.platform.errors import Conflict, FieldError

ALREADY_ANSWERED = _("This survey has already been answered. Thank you for your feedback.")
EXPIRED = _("This survey has closed.")
SCORE_REQUIRED = _("Choose a score.")
SCORE_RANGE = _("Choose a score from {low} to {high}.")
COMMENT_TOO_LONG = _("Keep your comment to 5,000 characters or fewer.")
MAX_COMMENT = 5000


@dataclass(frozen=True)
class RaterScores:
    expected: Mapping[str, int]
    perceived: Mapping[str, int]


def _check_score(field: str, kind: str, value: object) -> int:
    low, high = SCALES[kind]
    if value in (None, ""):
        raise FieldError(**{field: SCORE_REQUIRED})
    try:
        number = int(str(value))
    except ValueError:
        raise FieldError(**{field: SCORE_RANGE.format(low=low, high=high)}) from None
    if not low <= number <= high:
        raise FieldError(**{field: SCORE_RANGE.format(low=low, high=high)})
    return number


def survey_answer(
    *,
    token: str,
    score: object = None,
    comment: str = "",
    rater: Mapping[str, object] | None = None,
    now: datetime,
) -> SurveyAnswer:
    """Record the one answer an invitation takes. A second answer, an expired link or a forged one
    is refused and changes nothing; a low score opens a follow-up for the case's team leader."""
    comment = (comment or "").strip()
    invitation = invitation_from_token(token)
    errors: dict[str, list[str]] = {}
    values: dict[str, int] = {}
    if invitation.kind == SurveyKind.RATER:
        for _dimension, expected, perceived in RATER_FIELDS:
            for name in (expected, perceived):
                try:
                    values[name] = _check_score(name, "rater", (rater or {}).get(name))
                except FieldError as exc:
                    errors.update(exc.errors)
    else:
        try:
            values["score"] = _check_score("score", invitation.kind, score)
        except FieldError as exc:
            errors.update(exc.errors)
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [str(COMMENT_TOO_LONG)]
    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_for_update(of=("self",))
            .select_related("customer", "case")
            .get(pk=invitation.pk)
        )
        if invitation.status == InvitationStatus.ANSWERED:
            raise Conflict(ALREADY_ANSWERED)
        if invitation.status == InvitationStatus.EXPIRED or invitation.expires_at <= now:
            raise Conflict(EXPIRED)
        if errors:
            raise FieldError(errors)
        case = invitation.case
        answer = SurveyAnswer(
            invitation=invitation,
            kind=invitation.kind,
            score=values.pop("score", None),
            comment=comment,
            answered_at=now,
            customer=invitation.customer,
            case=case,
            team_id=case.team_id if case else None,
            agent_id=case.owner_id if case else None,
            channel=case.channel if case else "",
            case_type=case.type if case else "",
            internal=invitation.customer.is_internal,
            **values,
        )
        try:
            with transaction.atomic():
                answer.save()
        except IntegrityError:
            raise Conflict(ALREADY_ANSWERED) from None
        invitation.status, invitation.answered_at = InvitationStatus.ANSWERED, now
        invitation.save(update_fields=["status", "answered_at"])
        rollup.score_count_up(answer)
        if case is not None:
            journal.record(
                case=case, actor=None, at=now, kind="survey_answered", field=answer.kind, after=str(answer.score)
            )
        follow_up_if_low(answer, now)
    return answer
