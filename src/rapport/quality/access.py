"""Who may see and do what in quality reviews.

- Agents see their own submitted reviews (never drafts, never calibration reviews), reply to them
  and dispute them.
- Team leaders see the reviews of their teams' agents and review them; managers and admins see
  every review and configure scorecards.
- A reviewer never reviews themself: ``require_can_review`` refuses it, and every service that
  creates or decides a review asks it.
- A dispute is decided by another reviewer: never the one who wrote the review, never the agent.
- Calibration is blind: a reviewer sees the others' scores only once their own is in, or once a
  manager reveals the session.

Reviews load through ``access_review``: missing and forbidden give the same not-found answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from rapport.access import actor_team_ids, is_staff
from rapport.accounts.models import Role, User
from rapport.platform.errors import Forbidden, NotFound
from rapport.quality.models import Calibration, Review, ReviewStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

NO_REVIEW = "No review with that id."
NO_CALIBRATION = "No calibration with that id."
NO_AGENT = "No member of staff with that id."
NOT_YOURSELF = "A reviewer never reviews their own work: ask another reviewer."
NOT_A_REVIEWER = "Only team leaders and managers review work."
NOT_THEIR_LEADER = "You may review only the agents of your own teams."
REVIEWERS = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN})
MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})


def is_reviewer(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", None) in REVIEWERS


def can_manage(actor: User | AnonymousUser) -> bool:
    """Configure scorecards, run calibrations, see every review."""
    return is_staff(actor) and getattr(actor, "role", None) in MANAGERS


def leads(actor: User, agent: User) -> bool:
    if actor.role != Role.TEAM_LEADER:
        return False
    return agent.teams.filter(pk__in=actor_team_ids(actor)).exists()


def can_see_agent(actor: User | AnonymousUser, agent: User) -> bool:
    if not is_staff(actor):
        return False
    assert isinstance(actor, User)
    return actor.pk == agent.pk or can_manage(actor) or leads(actor, agent)


def require_can_review(actor: User | AnonymousUser, agent: User, *, any_team: bool = False) -> User:
    """The gate every review passes: a reviewer, of someone else, in their teams (managers: anyone;
    ``any_team`` for a calibration panel a manager chose)."""
    if not is_reviewer(actor):
        raise Forbidden(NOT_A_REVIEWER)
    assert isinstance(actor, User)
    if actor.pk == agent.pk:
        raise Forbidden(NOT_YOURSELF)
    if not any_team and not can_manage(actor) and not leads(actor, agent):
        raise Forbidden(NOT_THEIR_LEADER)
    return actor


def visible_agents(actor: User | AnonymousUser) -> QuerySet[User]:
    staff = User.objects.filter(role__in=[Role.AGENT, Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN])
    if not is_staff(actor):
        return staff.none()
    assert isinstance(actor, User)
    if can_manage(actor):
        return staff
    if actor.role == Role.TEAM_LEADER:
        return staff.filter(Q(pk=actor.pk) | Q(teams__in=actor_team_ids(actor))).distinct()
    return staff.filter(pk=actor.pk)


def visible_reviews(actor: User | AnonymousUser) -> QuerySet[Review]:
    """Reviews ``actor`` may read: their own (submitted, not calibration), those they wrote or
    decide, their teams' (team leaders), every one (managers)."""
    reviews = Review.objects.all()
    if not is_staff(actor):
        return reviews.none()
    assert isinstance(actor, User)
    if can_manage(actor):
        return reviews
    own = Q(agent=actor, calibration__isnull=True) & ~Q(status=ReviewStatus.DRAFT)
    scope = own | Q(reviewer=actor) | Q(dispute__decider=actor)
    if actor.role == Role.TEAM_LEADER:
        team_agents = User.objects.filter(teams__in=actor_team_ids(actor)).values("pk")
        scope |= Q(agent__in=team_agents, calibration__isnull=True) & ~Q(agent=actor)
    return reviews.filter(scope)


def access_review(actor: User | AnonymousUser, review_id: int | str) -> Review:
    try:
        pk = int(review_id)
    except (TypeError, ValueError):
        raise NotFound(NO_REVIEW) from None
    if not 0 < pk < 2**63:
        raise NotFound(NO_REVIEW)
    ids = visible_reviews(actor).filter(pk=pk).values("pk")
    found = (
        Review.objects.select_related("version__scorecard", "case", "agent", "reviewer", "calibration")
        .filter(pk__in=ids)
        .first()
    )
    if found is None:
        raise NotFound(NO_REVIEW)
    return found


def can_see_calibration(actor: User | AnonymousUser, calibration: Calibration) -> bool:
    if can_manage(actor):
        return True
    return is_reviewer(actor) and calibration.reviewers.filter(pk=actor.pk).exists()


def access_calibration(actor: User | AnonymousUser, calibration_id: int | str) -> Calibration:
    try:
        pk = int(calibration_id)
    except (TypeError, ValueError):
        raise NotFound(NO_CALIBRATION) from None
    if not 0 < pk < 2**63 or not is_reviewer(actor):
        raise NotFound(NO_CALIBRATION)
    found = Calibration.objects.select_related("case", "version__scorecard").filter(pk=pk).first()
    if found is None or not can_see_calibration(actor, found):
        raise NotFound(NO_CALIBRATION)
    return found


def sees_others_in(actor: User | AnonymousUser, calibration: Calibration) -> bool:
    """Blind until the actor's own review is in, or the session is revealed."""
    if calibration.revealed_at is not None:
        return True
    return calibration.reviews.filter(reviewer_id=actor.pk, submitted_at__isnull=False).exists()


def access_agent(actor: User | AnonymousUser, agent_id: int | str) -> User:
    try:
        pk = int(agent_id)
    except (TypeError, ValueError):
        raise NotFound(NO_AGENT) from None
    if not 0 < pk < 2**63:
        raise NotFound(NO_AGENT)
    found = visible_agents(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound(NO_AGENT)
    return found
