"""Who may see and do what in staff learning.

- Any member of staff may browse the units and answer practice questions.
- Team leaders, managers and admins write practice questions.
- A learner's portfolio (answers, marks, evidence, progress and exports) is seen only by the
  learner, their team leader (a team leader who shares a team with them) and assessors.
- Their team leader overrides marks; assessors sign evidence off, never their own.

Portfolios load through ``access_learner`` and ``access_answer``, which give the same not-found
answer for a missing learner and one the actor may not see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from rapport.access import actor_team_ids, is_staff
from rapport.accounts.models import STAFF_ROLES, Role, User
from rapport.learning.models import Answer, Assessor, Evidence
from rapport.platform.errors import NotFound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

NO_LEARNER = "No learner with that id."
NO_ANSWER = "No answer with that id."
NO_EVIDENCE = "No evidence with that id."

QUESTION_WRITERS = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN})


def can_study(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def can_write_questions(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", None) in QUESTION_WRITERS


def is_assessor(actor: User | AnonymousUser) -> bool:
    if not is_staff(actor):
        return False
    cached = getattr(actor, "_learning_assessor", None)
    if cached is None:
        cached = Assessor.objects.filter(user_id=actor.pk).exists()
        actor._learning_assessor = cached  # type: ignore[union-attr]
    return bool(cached)


def leads(actor: User | AnonymousUser, learner: User) -> bool:
    """``actor`` is ``learner``'s team leader: a team leader who shares a team with them."""
    if not is_staff(actor) or actor.pk == learner.pk:
        return False
    assert isinstance(actor, User)
    if actor.role != Role.TEAM_LEADER:
        return False
    return learner.teams.filter(pk__in=actor_team_ids(actor)).exists()


def can_view_portfolio(actor: User | AnonymousUser, learner: User) -> bool:
    if not is_staff(actor) or learner.role not in STAFF_ROLES:
        return False
    return actor.pk == learner.pk or is_assessor(actor) or leads(actor, learner)


def can_override(actor: User | AnonymousUser, learner: User) -> bool:
    return leads(actor, learner)


def can_sign_off(actor: User | AnonymousUser, evidence: Evidence) -> bool:
    return is_assessor(actor) and actor.pk != evidence.learner_id


def can_add_evidence(actor: User | AnonymousUser, learner: User) -> bool:
    """A learner builds their own portfolio; their team leader may add to it for them."""
    return is_staff(actor) and (actor.pk == learner.pk or leads(actor, learner))


def visible_learners(actor: User | AnonymousUser) -> QuerySet[User]:
    """The staff whose portfolios ``actor`` may see (themselves included)."""
    staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True)
    if not is_staff(actor):
        return staff.none()
    assert isinstance(actor, User)
    if is_assessor(actor):
        return staff
    scope = Q(pk=actor.pk)
    if actor.role == Role.TEAM_LEADER:
        scope |= Q(teams__in=actor_team_ids(actor))
    return staff.filter(scope).distinct()


def access_learner(actor: User | AnonymousUser, learner_id: int | str) -> User:
    try:
        pk = int(learner_id)
    except (TypeError, ValueError):
        raise NotFound(NO_LEARNER) from None
    learner = User.objects.filter(pk=pk).first()
    if learner is None or not can_view_portfolio(actor, learner):
        raise NotFound(NO_LEARNER)
    return learner


def access_answer(actor: User | AnonymousUser, answer_id: int | str) -> Answer:
    try:
        pk = int(answer_id)
    except (TypeError, ValueError):
        raise NotFound(NO_ANSWER) from None
    answer = Answer.objects.select_related("question__unit", "learner").filter(pk=pk).first()
    if answer is None or not can_view_portfolio(actor, answer.learner):
        raise NotFound(NO_ANSWER)
    return answer


def access_evidence(actor: User | AnonymousUser, evidence_id: int | str) -> Evidence:
    try:
        pk = int(evidence_id)
    except (TypeError, ValueError):
        raise NotFound(NO_EVIDENCE) from None
    evidence = Evidence.objects.select_related("learner", "case").filter(pk=pk).first()
    if evidence is None or not can_view_portfolio(actor, evidence.learner):
        raise NotFound(NO_EVIDENCE)
    return evidence
