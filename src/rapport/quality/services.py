"""Writes in quality reviews: scorecards and their versions, reviews (start, rate, submit, reply,
dispute, decide), calibrations, and the weekly sample that fills reviewers' queues. Every write
asks ``rapport.quality.access`` first and leaves a ``ReviewEvent`` where a review changes."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from rapport.accounts.models import Role, User
from rapport.cases.models import Case, Message, MessageKind
from rapport.domain import quality as rules
from rapport.platform.errors import FieldError, Forbidden
from rapport.quality import access as policy
from rapport.quality.models import (
    Behaviour,
    Calibration,
    CriticalCheck,
    CriticalItem,
    Dispute,
    QueueItem,
    Rating,
    Review,
    ReviewEvent,
    ReviewStatus,
    Scorecard,
    ScorecardVersion,
)

REQUIRED = "Give {what}."
NOT_MANAGER = "Only managers configure scorecards and run calibrations."
NAME_TAKEN = "A scorecard with that name exists."
NO_OWNER = "This case has no agent assigned, so there is no one's work to review."
ALREADY_REVIEWED = "This case has been reviewed already: a case is reviewed once (calibrations apart)."
NOT_ON_SCALE = "Choose a rating from {low} to {high}, or not applicable."
COMMENT_NEEDED = "Say why, in a comment, for every behaviour you rate."
QUOTE_NOT_FOUND = "Quote a passage from the reviewed messages exactly as written."
NOTHING_RATED = "Rate at least one behaviour before submitting."
NOT_YOUR_REVIEW = "Only the reviewer who started this review may change it."
ALREADY_SUBMITTED = "This review is submitted; changes go through a dispute."
ONLY_AGENT_DISPUTES = "Only the agent whose work was reviewed may dispute it."
NOT_DISPUTABLE = "Only a submitted review may be disputed, once."
NO_SECOND_REVIEWER = "No other reviewer is available to decide this dispute: add a team leader or manager."
NOT_DECIDER = "Only the reviewer the dispute was given to decides it."
NOT_DISPUTED = "This review is not under dispute."
UNKNOWN_OUTCOME = "Choose upheld or amended."
NOT_IN_CASE = "Choose messages from this case."
TOO_FEW_REVIEWERS = "Choose at least two reviewers."
NOT_REVIEWERS = "Choose team leaders or managers only, and not the agent whose work it is."
NOT_IN_CALIBRATION = "You are not one of this calibration's reviewers."
TOO_LONG = "Keep this under {limit} characters."
SCALE_BAD = "A scale has from 2 to 10 points."
WEIGHT_BAD = "Give each behaviour a whole-number weight from 0 to 100, with at least one above 0."
CODE_TAKEN = "Two behaviours or critical items cannot share a name."
LIMIT = 5000


def _event(review: Review, actor: User | None, kind: str, text: str, now: datetime) -> None:
    ReviewEvent.objects.create(review=review, actor=actor, at=now, kind=kind, text=text)


def _require_manager(actor: User) -> None:
    if not policy.can_manage(actor):
        raise Forbidden(NOT_MANAGER)


# --- scorecards -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BehaviourIn:
    name: str
    weight: int
    description: str = ""
    code: str = ""
    """Kept from version to version so reports follow a behaviour; made from the name when empty."""


@dataclass(frozen=True)
class CriticalIn:
    name: str
    description: str = ""
    code: str = ""


def _code(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "item"


def _check_parts(
    behaviours: Sequence[BehaviourIn], critical: Sequence[CriticalIn], scale_labels: Sequence[str]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not behaviours:
        errors["behaviours"] = [REQUIRED.format(what="at least one behaviour")]
    elif any(not 0 <= b.weight <= 100 for b in behaviours) or not any(b.weight > 0 for b in behaviours):
        errors["behaviours"] = [WEIGHT_BAD]
    elif any(not b.name.strip() or len(b.name) > 120 for b in behaviours):
        errors["behaviours"] = [REQUIRED.format(what="each behaviour a name under 120 characters")]
    codes = [b.code or _code(b.name) for b in behaviours] + [c.code or _code(c.name) for c in critical]
    if len(set(codes)) != len(codes):
        errors.setdefault("behaviours", []).append(CODE_TAKEN)
    if any(not c.name.strip() or len(c.name) > 160 for c in critical):
        errors["critical"] = [REQUIRED.format(what="each critical item a name under 160 characters")]
    if not 2 <= len(scale_labels) <= 10:
        errors["scale"] = [SCALE_BAD]
    elif any(len(label) > 60 for label in scale_labels):
        errors["scale"] = [TOO_LONG.format(limit=60)]
    return errors


def _version(
    scorecard: Scorecard,
    number: int,
    behaviours: Sequence[BehaviourIn],
    critical: Sequence[CriticalIn],
    scale_labels: Sequence[str],
    actor: User | None,
    note: str,
    now: datetime,
    known: dict[str, str] | None = None,
) -> ScorecardVersion:
    """``known``: codes by name from earlier versions, so a behaviour keeps its code (and its
    history in the reports) when a version is made from its name alone."""
    known = known or {}
    behaviour_codes = [b.code or known.get(b.name.strip().casefold()) or _code(b.name) for b in behaviours]
    critical_codes = [c.code or known.get(c.name.strip().casefold()) or _code(c.name) for c in critical]
    if len(set(behaviour_codes + critical_codes)) != len(behaviour_codes) + len(critical_codes):
        raise FieldError(behaviours=CODE_TAKEN)
    version = ScorecardVersion.objects.create(
        scorecard=scorecard,
        number=number,
        scale_min=1,
        scale_max=len(scale_labels),
        scale_labels=[label.strip() for label in scale_labels],
        created_by=actor,
        created_at=now,
        note=note[:300],
    )
    Behaviour.objects.bulk_create(
        Behaviour(
            version=version,
            position=i,
            code=behaviour_codes[i],
            name=b.name.strip(),
            description=b.description.strip(),
            weight=b.weight,
        )
        for i, b in enumerate(behaviours)
    )
    CriticalItem.objects.bulk_create(
        CriticalItem(
            version=version,
            position=i,
            code=critical_codes[i],
            name=c.name.strip(),
            description=c.description.strip(),
        )
        for i, c in enumerate(critical)
    )
    return version


def scorecard_create(
    *,
    actor: User,
    name: str,
    description: str = "",
    behaviours: Sequence[BehaviourIn] | None = None,
    critical: Sequence[CriticalIn] | None = None,
    scale_labels: Sequence[str] | None = None,
    now: datetime | None = None,
) -> Scorecard:
    """A new scorecard at version 1; the documents' behaviours, critical items and scale by default."""
    _require_manager(actor)
    return _scorecard_create(actor, name, description, behaviours, critical, scale_labels, now or timezone.now())


def _scorecard_create(
    actor: User | None,
    name: str,
    description: str,
    behaviours: Sequence[BehaviourIn] | None,
    critical: Sequence[CriticalIn] | None,
    scale_labels: Sequence[str] | None,
    now: datetime,
) -> Scorecard:
    behaviours = (
        [BehaviourIn(b.name, b.weight, b.description, b.code) for b in rules.DEFAULT_BEHAVIOURS]
        if behaviours is None
        else behaviours
    )
    critical = (
        [CriticalIn(c.name, c.description, c.code) for c in rules.DEFAULT_CRITICAL] if critical is None else critical
    )
    scale_labels = [label for _, label in rules.DEFAULT_SCALE] if scale_labels is None else scale_labels
    errors = _check_parts(behaviours, critical, scale_labels)
    if not name.strip():
        errors["name"] = [REQUIRED.format(what="the scorecard a name")]
    elif len(name) > 120:
        errors["name"] = [TOO_LONG.format(limit=120)]
    elif Scorecard.objects.filter(name=name.strip()).exists():
        errors["name"] = [NAME_TAKEN]
    if len(description) > LIMIT:
        errors["description"] = [TOO_LONG.format(limit=LIMIT)]
    if errors:
        raise FieldError(errors)
    with transaction.atomic():
        scorecard = Scorecard.objects.create(name=name.strip(), description=description.strip(), created_at=now)
        _version(scorecard, 1, behaviours, critical, scale_labels, actor, "First version.", now)
    return scorecard


def scorecard_revise(
    *,
    actor: User,
    scorecard: Scorecard,
    behaviours: Sequence[BehaviourIn],
    critical: Sequence[CriticalIn],
    scale_labels: Sequence[str],
    note: str = "",
    now: datetime | None = None,
) -> ScorecardVersion:
    """A new version; reviews already made keep the version they were made with."""
    _require_manager(actor)
    errors = _check_parts(behaviours, critical, scale_labels)
    if errors:
        raise FieldError(errors)
    with transaction.atomic():
        latest = ScorecardVersion.objects.select_for_update().filter(scorecard=scorecard).order_by("-number").first()
        number = (latest.number if latest else 0) + 1
        known = {
            name.casefold(): code
            for name, code in [
                *Behaviour.objects.filter(version__scorecard=scorecard).values_list("name", "code"),
                *CriticalItem.objects.filter(version__scorecard=scorecard).values_list("name", "code"),
            ]
        }
        return _version(
            scorecard, number, behaviours, critical, scale_labels, actor, note, now or timezone.now(), known
        )


def current_version(scorecard: Scorecard) -> ScorecardVersion | None:
    return ScorecardVersion.objects.filter(scorecard=scorecard).order_by("-number").first()


DEFAULT_NAME = "Customer service behaviours"


def default_version(now: datetime | None = None) -> ScorecardVersion:
    """The latest version of the first active scorecard, creating the documents' default if none."""
    scorecard = Scorecard.objects.filter(is_active=True).order_by("id").first()
    if scorecard is None:
        scorecard = _scorecard_create(
            None, DEFAULT_NAME, "The behaviours the curriculum teaches.", None, None, None, now or timezone.now()
        )
    version = current_version(scorecard)
    assert version is not None
    return version


# --- reviews --------------------------------------------------------------------------------------


def review_start(
    *,
    actor: User,
    case: Case,
    version: ScorecardVersion | None = None,
    message_ids: Sequence[int] = (),
    calibration: Calibration | None = None,
    now: datetime | None = None,
) -> Review:
    """A draft review of the case's agent (its owner) by ``actor``: never their own work, and a
    case once outside calibration."""
    now = now or timezone.now()
    if case.owner is None:
        raise FieldError(case=NO_OWNER)
    if calibration is not None:
        # The manager chose the panel; reviewers from other teams calibrate too, never on their own work.
        policy.require_can_review(actor, case.owner, any_team=True)
        if not calibration.reviewers.filter(pk=actor.pk).exists():
            raise Forbidden(NOT_IN_CALIBRATION)
        existing = Review.objects.filter(calibration=calibration, reviewer=actor).first()
        if existing is not None:
            return existing
        version = calibration.version
    else:
        policy.require_can_review(actor, case.owner)
        if Review.objects.filter(case=case, calibration__isnull=True).exists():
            raise FieldError(case=ALREADY_REVIEWED)
    chosen = list(Message.objects.filter(case=case, pk__in=list(message_ids)))
    if len(chosen) != len(set(message_ids)):
        raise FieldError(messages=NOT_IN_CASE)
    version = version or default_version(now)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                version=version,
                case=case,
                agent=case.owner,
                reviewer=actor,
                calibration=calibration,
                created_at=now,
                team_id=case.team_id,
                channel=case.channel,
                case_type=case.type,
            )
            if chosen:
                review.messages.set(chosen)
            _event(review, actor, "started", f"Review started of {len(chosen) or 'all'} message(s).", now)
            if calibration is None:
                QueueItem.objects.filter(case=case, review__isnull=True).update(review=review)
    except IntegrityError:
        raise FieldError(case=ALREADY_REVIEWED) from None
    return review


def review_choose_messages(
    *, actor: User, review: Review, message_ids: Sequence[int], now: datetime | None = None
) -> Review:
    """Narrow a draft to the messages chosen (none: the whole case again)."""
    if review.reviewer_id != actor.pk:
        raise Forbidden(NOT_YOUR_REVIEW)
    if review.status != ReviewStatus.DRAFT:
        raise Forbidden(ALREADY_SUBMITTED)
    chosen = list(Message.objects.filter(case=review.case_id, pk__in=list(message_ids)))
    if len(chosen) != len(set(message_ids)):
        raise FieldError(messages=NOT_IN_CASE)
    with transaction.atomic():
        review.messages.set(chosen)
        _event(review, actor, "scope", f"Reviewing {len(chosen) or 'all'} message(s).", now or timezone.now())
    return review


def reviewed_text(review: Review) -> list[Message]:
    """The messages a review is about: those chosen, else every message of the case but internal notes."""
    chosen = list(review.messages.order_by("created_at", "id"))
    if chosen:
        return chosen
    return list(Message.objects.filter(case=review.case_id).exclude(kind=MessageKind.NOTE).order_by("created_at", "id"))


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def _quoted(quote: str, messages: Sequence[Message]) -> Message | None:
    wanted = _flat(quote)
    return next((m for m in messages if wanted and wanted in _flat(m.body)), None)


@dataclass(frozen=True)
class RatingIn:
    value: int | None = None
    comment: str = ""
    quote: str = ""


@dataclass(frozen=True)
class CriticalCheckIn:
    breached: bool = False
    quote: str = ""


def _apply(
    review: Review,
    ratings: Mapping[str, RatingIn],
    critical: Mapping[str, CriticalCheckIn],
    *,
    submit: bool,
) -> None:
    version = review.version
    behaviours = list(version.behaviours.all())
    items = list(version.critical_items.all())
    messages = reviewed_text(review)
    errors: dict[str, list[str]] = {}
    quoted: dict[str, Message | None] = {}
    for code in ratings:
        if code not in {b.code for b in behaviours}:
            errors[f"ratings.{code}"] = ["No behaviour of that name on this scorecard."]
    for behaviour in behaviours:
        given = ratings.get(behaviour.code, RatingIn())
        key = f"ratings.{behaviour.code}"
        if given.value is not None and not version.scale_min <= given.value <= version.scale_max:
            errors[f"{key}.value"] = [NOT_ON_SCALE.format(low=version.scale_min, high=version.scale_max)]
        if len(given.comment) > LIMIT:
            errors[f"{key}.comment"] = [TOO_LONG.format(limit=LIMIT)]
        elif submit and given.value is not None and not given.comment.strip():
            errors[f"{key}.comment"] = [COMMENT_NEEDED]
        if len(given.quote) > LIMIT:
            errors[f"{key}.quote"] = [TOO_LONG.format(limit=LIMIT)]
        elif given.quote.strip():
            quoted[behaviour.code] = _quoted(given.quote, messages)
            if quoted[behaviour.code] is None:
                errors[f"{key}.quote"] = [QUOTE_NOT_FOUND]
    for item in items:
        check = critical.get(item.code, CriticalCheckIn())
        if len(check.quote) > LIMIT:
            errors[f"critical.{item.code}.quote"] = [TOO_LONG.format(limit=LIMIT)]
        elif check.quote.strip() and _quoted(check.quote, messages) is None:
            errors[f"critical.{item.code}.quote"] = [QUOTE_NOT_FOUND]
    for code in critical:
        if code not in {i.code for i in items}:
            errors[f"critical.{code}"] = ["No critical item of that name on this scorecard."]
    if submit and all(ratings.get(b.code, RatingIn()).value is None for b in behaviours):
        errors["ratings"] = [NOTHING_RATED]
    if errors:
        raise FieldError(errors)
    Rating.objects.filter(review=review).delete()
    Rating.objects.bulk_create(
        Rating(
            review=review,
            behaviour=b,
            value=ratings.get(b.code, RatingIn()).value,
            comment=ratings.get(b.code, RatingIn()).comment.strip(),
            quote=ratings.get(b.code, RatingIn()).quote.strip(),
            message=quoted.get(b.code),
        )
        for b in behaviours
    )
    CriticalCheck.objects.filter(review=review).delete()
    CriticalCheck.objects.bulk_create(
        CriticalCheck(
            review=review,
            item=item,
            breached=critical.get(item.code, CriticalCheckIn()).breached,
            quote=critical.get(item.code, CriticalCheckIn()).quote.strip(),
        )
        for item in items
    )
    scored = rules.score(
        {b.code: ratings.get(b.code, RatingIn()).value for b in behaviours},
        {b.code: b.weight for b in behaviours},
        lowest=version.scale_min,
        highest=version.scale_max,
        critical_breached=any(critical.get(i.code, CriticalCheckIn()).breached for i in items),
    )
    review.score, review.failed = scored.score, scored.failed


def review_save(
    *,
    actor: User,
    review: Review,
    ratings: Mapping[str, RatingIn],
    critical: Mapping[str, CriticalCheckIn] | None = None,
    summary: str = "",
    submit: bool = False,
    now: datetime | None = None,
) -> Review:
    """Save the ratings of a draft (and submit it when ``submit``): the reviewer's own draft only."""
    now = now or timezone.now()
    policy.require_can_review(actor, review.agent, any_team=review.calibration_id is not None)
    if review.reviewer_id != actor.pk:
        raise Forbidden(NOT_YOUR_REVIEW)
    if review.status != ReviewStatus.DRAFT:
        raise Forbidden(ALREADY_SUBMITTED)
    if len(summary) > LIMIT:
        raise FieldError(summary=TOO_LONG.format(limit=LIMIT))
    with transaction.atomic():
        _apply(review, ratings, critical or {}, submit=submit)
        review.summary = summary.strip()
        if submit:
            review.status = ReviewStatus.SUBMITTED
            review.submitted_at = now
        review.save()
        _event(
            review,
            actor,
            "submitted" if submit else "saved",
            f"Score {review.score if review.score is not None else '—'}"
            + (" (failed a critical item)" if review.failed else ""),
            now,
        )
    return review


def review_reply(*, actor: User, review: Review, text: str, now: datetime | None = None) -> ReviewEvent:
    """The agent's reply to their review (or the reviewer's answer): part of the review's trail."""
    if review.status == ReviewStatus.DRAFT or review.calibration_id is not None:
        raise Forbidden(NOT_DISPUTABLE)
    if actor.pk not in (review.agent_id, review.reviewer_id) and not policy.can_see_agent(actor, review.agent):
        raise Forbidden(ONLY_AGENT_DISPUTES)
    if not text.strip():
        raise FieldError(text=REQUIRED.format(what="your reply"))
    if len(text) > LIMIT:
        raise FieldError(text=TOO_LONG.format(limit=LIMIT))
    return ReviewEvent.objects.create(
        review=review, actor=actor, at=now or timezone.now(), kind="reply", text=text.strip()
    )


def second_reviewer(review: Review) -> User | None:
    """Who decides a dispute: a reviewer other than the review's reviewer and the agent — one of
    the agent's team leaders first, else a manager — the one with fewest open disputes, then by id."""
    excluded = [pk for pk in (review.reviewer_id, review.agent_id) if pk is not None]
    leaders = User.objects.filter(
        role=Role.TEAM_LEADER, is_active=True, teams__in=review.agent.teams.values("pk")
    ).exclude(pk__in=excluded)
    managers = User.objects.filter(role__in=[Role.MANAGER, Role.ADMIN], is_active=True).exclude(pk__in=excluded)
    for pool in (leaders, managers):
        ids = list(pool.values_list("pk", flat=True).distinct())
        if ids:
            load = dict(
                Dispute.objects.filter(decider_id__in=ids, decided_at__isnull=True)
                .values_list("decider_id")
                .annotate(n=Count("pk"))
                .values_list("decider_id", "n")
            )
            chosen = min(ids, key=lambda pk: (load.get(pk, 0), pk))
            return User.objects.get(pk=chosen)
    return None


def review_dispute(*, actor: User, review: Review, reason: str, now: datetime | None = None) -> Dispute:
    now = now or timezone.now()
    if actor.pk != review.agent_id:
        raise Forbidden(ONLY_AGENT_DISPUTES)
    if review.status != ReviewStatus.SUBMITTED or review.calibration_id is not None:
        raise Forbidden(NOT_DISPUTABLE)
    if not reason.strip():
        raise FieldError(reason=REQUIRED.format(what="the reason you dispute this review"))
    if len(reason) > LIMIT:
        raise FieldError(reason=TOO_LONG.format(limit=LIMIT))
    decider = second_reviewer(review)
    if decider is None:
        raise FieldError(reason=NO_SECOND_REVIEWER)
    with transaction.atomic():
        dispute = Dispute.objects.create(review=review, reason=reason.strip(), raised_at=now, decider=decider)
        review.status = ReviewStatus.DISPUTED
        review.save(update_fields=["status"])
        _event(review, actor, "disputed", f"{reason.strip()} (to be decided by {decider.name})", now)
    return dispute


def dispute_decide(
    *,
    actor: User,
    review: Review,
    outcome: str,
    decision: str,
    ratings: Mapping[str, RatingIn] | None = None,
    critical: Mapping[str, CriticalCheckIn] | None = None,
    now: datetime | None = None,
) -> Dispute:
    """The second reviewer upholds the review or amends its ratings (the score follows)."""
    now = now or timezone.now()
    dispute = Dispute.objects.filter(review=review).first()
    if dispute is None or review.status != ReviewStatus.DISPUTED:
        raise Forbidden(NOT_DISPUTED)
    policy.require_can_review(actor, review.agent)
    if actor.pk != dispute.decider_id or actor.pk == review.reviewer_id:
        raise Forbidden(NOT_DECIDER)
    if outcome not in Dispute.Outcome.values:
        raise FieldError(outcome=UNKNOWN_OUTCOME)
    if not decision.strip():
        raise FieldError(decision=REQUIRED.format(what="the reasons for your decision"))
    if len(decision) > LIMIT:
        raise FieldError(decision=TOO_LONG.format(limit=LIMIT))
    with transaction.atomic():
        before = review.score
        if outcome == Dispute.Outcome.AMENDED:
            _apply(review, ratings or {}, critical or {}, submit=True)
        review.status = ReviewStatus.DECIDED
        review.save()
        dispute.outcome, dispute.decision, dispute.decided_at = outcome, decision.strip(), now
        dispute.save()
        _event(
            review,
            actor,
            "decided",
            f"{dispute.get_outcome_display()}: score {before} → {review.score}. {decision.strip()}",
            now,
        )
    return dispute


# --- calibration ----------------------------------------------------------------------------------


def calibration_create(
    *,
    actor: User,
    title: str,
    case: Case,
    reviewer_ids: Sequence[int],
    version: ScorecardVersion | None = None,
    now: datetime | None = None,
) -> Calibration:
    _require_manager(actor)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [REQUIRED.format(what="a title")]
    elif len(title) > 200:
        errors["title"] = [TOO_LONG.format(limit=200)]
    if case.owner_id is None:
        errors["case"] = [NO_OWNER]
    reviewers = list(
        User.objects.filter(pk__in=list(reviewer_ids), role__in=list(policy.REVIEWERS), is_active=True).exclude(
            pk=case.owner_id or 0
        )
    )
    if len(set(reviewer_ids)) < 2:
        errors["reviewers"] = [TOO_FEW_REVIEWERS]
    elif len(reviewers) != len(set(reviewer_ids)):
        errors["reviewers"] = [NOT_REVIEWERS]
    if errors:
        raise FieldError(errors)
    now = now or timezone.now()
    with transaction.atomic():
        calibration = Calibration.objects.create(
            title=title.strip(), case=case, version=version or default_version(now), created_by=actor, created_at=now
        )
        calibration.reviewers.set(reviewers)
    return calibration


def calibration_reveal(*, actor: User, calibration: Calibration, now: datetime | None = None) -> Calibration:
    _require_manager(actor)
    if calibration.revealed_at is None:
        calibration.revealed_at = now or timezone.now()
        calibration.save(update_fields=["revealed_at"])
    return calibration


# --- sampling -------------------------------------------------------------------------------------

PER_AGENT = 3
"""Random cases per agent per week (targeted samples come on top)."""
LOW_CSAT = 2
"""A CSAT score at or below this (on 1-5) is low."""
LONG_HANDLING_MINUTES = 60


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _reviewer_for(agent: User, reviewers: Sequence[User], load: dict[int, int]) -> User | None:
    """A team leader of the agent's teams with the lightest queue, else a manager; never the agent."""
    teams = set(agent.teams.values_list("pk", flat=True))
    leaders = [
        r
        for r in reviewers
        if r.pk != agent.pk and r.role == Role.TEAM_LEADER and teams & set(r._team_ids)  # type: ignore[attr-defined]
    ]
    pool = leaders or [r for r in reviewers if r.pk != agent.pk and r.role in (Role.MANAGER, Role.ADMIN)]
    if not pool:
        return None
    chosen = min(pool, key=lambda r: (load.get(r.pk, 0), r.pk))
    load[chosen.pk] = load.get(chosen.pk, 0) + 1
    return chosen


def sample_week(*, week: date, now: datetime | None = None, per_agent: int = PER_AGENT) -> list[QueueItem]:
    """Fill reviewers' queues with the week's sample: for each agent, ``per_agent`` cases resolved
    or closed that week, random and stratified by channel and case type (seeded by agent and week),
    plus targeted ones (low CSAT, complaints, reopened, SLA breached, long handling time), one of
    each. A case already queued or reviewed is never taken again. Run again for the same week, it
    adds nothing."""
    from rapport import extensions

    now = now or timezone.now()
    week = week_of(week)
    start = datetime.combine(week, datetime.min.time(), tzinfo=now.tzinfo or timezone.get_current_timezone())
    end = start + timedelta(days=7)
    taken = QueueItem.objects.values("case_id")
    reviewed = Review.objects.filter(calibration__isnull=True).values("case_id")
    cases = list(
        Case.objects.filter(
            Q(resolved_at__gte=start, resolved_at__lt=end) | Q(closed_at__gte=start, closed_at__lt=end),
            owner__isnull=False,
            merged_into__isnull=True,
        )
        .exclude(pk__in=taken)
        .exclude(pk__in=reviewed)
        .values_list("pk", "owner_id", "channel", "type")
    )
    if not cases:
        return []
    first, last = min(c[0] for c in cases), max(c[0] for c in cases)
    csat = extensions.case_fact(extensions.CSAT, first, last)
    handling = extensions.case_fact(extensions.HANDLING_TIME, first, last)
    breached = extensions.case_fact(extensions.SLA_BREACHED, first, last)
    reopened = set(
        Case.objects.filter(pk__in=[c[0] for c in cases], events__kind="changed", events__field="status")
        .filter(events__before__in=["resolved", "closed"])
        .exclude(events__after__in=["resolved", "closed"])
        .values_list("pk", flat=True)
    )
    targeted: list[tuple[str, Any]] = [
        ("low_csat", lambda c: (csat.get(c[0]) or 99) <= LOW_CSAT),
        ("complaint", lambda c: c[3] == "complaint"),
        ("reopened", lambda c: c[0] in reopened),
        ("breached", lambda c: bool(breached.get(c[0]))),
        ("long_handling", lambda c: (handling.get(c[0]) or 0) >= LONG_HANDLING_MINUTES),
    ]
    by_agent: dict[int, list[tuple[int, int, str, str]]] = {}
    for row in cases:
        by_agent.setdefault(row[1], []).append(row)
    agents = {u.pk: u for u in User.objects.filter(pk__in=list(by_agent)).prefetch_related("teams")}
    reviewers = list(User.objects.filter(role__in=list(policy.REVIEWERS), is_active=True).prefetch_related("teams"))
    for r in reviewers:
        r._team_ids = [t.pk for t in r.teams.all()]  # type: ignore[attr-defined]
    load = dict(
        QueueItem.objects.filter(review__isnull=True)
        .values_list("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )
    items: list[QueueItem] = []
    for agent_id in sorted(by_agent):
        rows = by_agent[agent_id]
        chosen: dict[int, str] = {}
        for case_id in rules.stratified_sample(
            [(c[0], (c[2], c[3])) for c in rows], per_agent, seed=f"{agent_id}:{week.isoformat()}"
        ):
            chosen[case_id] = "random"
        for reason, test in targeted:
            match = next((c[0] for c in sorted(rows) if c[0] not in chosen and test(c)), None)
            if match is not None:
                chosen[match] = reason
        agent = agents[agent_id]
        for case_id, reason in sorted(chosen.items()):
            reviewer = _reviewer_for(agent, reviewers, load)
            items.append(
                QueueItem(case_id=case_id, agent=agent, reviewer=reviewer, reason=reason, week=week, created_at=now)
            )
    return QueueItem.objects.bulk_create(items, ignore_conflicts=True)


def queue_add(*, actor: User, case: Case, now: datetime | None = None) -> QueueItem:
    """A reviewer picks a case for their own queue."""
    if case.owner is None:
        raise FieldError(case=NO_OWNER)
    policy.require_can_review(actor, case.owner)
    now = now or timezone.now()
    if (
        QueueItem.objects.filter(case=case).exists()
        or Review.objects.filter(case=case, calibration__isnull=True).exists()
    ):
        raise FieldError(case=ALREADY_REVIEWED)
    return QueueItem.objects.create(
        case=case, agent=case.owner, reviewer=actor, reason="chosen", week=week_of(now.date()), created_at=now
    )
