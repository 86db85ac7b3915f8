"""Demo quality data: the documents' scorecard, last week's sample in reviewers' queues, a week of
submitted reviews (one failed on a critical item, one disputed and decided) and one calibration
scored blind by three reviewers. Seeded, so every demo is the same."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

from rapport.accounts.models import Role, User
from rapport.cases.models import Case, Message, MessageKind
from rapport.platform.errors import RapportError
from rapport.quality import services
from rapport.quality.models import QueueItem, Review

SEED = 20
REVIEWS = 14

COMMENTS = {
    "active_listening": ("Picks up both points the customer raised.", "Answers the refund but not the missed visit."),
    "positive_language": ("Says what we can do and when.", '"You\'ll have to" twice; say what we will do.'),
    "empathy": ("Acknowledges the wasted day off work.", "No acknowledgement of how long this has taken."),
    "ownership": (
        '"I will call you on Thursday": a named commitment.',
        "Passes the customer to billing with no owner.",
    ),
    "heat": ("Heard, empathised, apologised and took ownership.", "Apology missing before the explanation."),
    "accuracy": ("Refund timescale stated correctly.", "Quoted 28 days for a refund; our policy is 14."),
    "compliance": (
        "Identity checked before discussing the account.",
        "Repair offered but the short-term right to reject not mentioned.",
    ),
    "next_steps": ("Clear next step with a date.", "Ends without saying what happens next."),
    "tone": ("Warm and plain, matching the customer.", "Very formal for an upset customer."),
}


def _passage(messages: list[Message]) -> tuple[str, Message | None]:
    """A sentence of the agent's reply (else of the customer's message) to quote."""
    for kind in (MessageKind.OUTBOUND, MessageKind.INBOUND):
        for message in messages:
            if message.kind == kind:
                sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", message.body) if len(s.strip()) > 15]
                if sentences:
                    return sentences[0][:200], message
    return "", None


def _rate(
    review: Review,
    rng: random.Random,
    skill: float,
    *,
    breach: bool = False,
    agreed: dict[str, int] | None = None,
) -> None:
    """Rate every behaviour around the agent's ``skill``; in a calibration, around the ``agreed``
    rating of each behaviour, a reviewer straying by one point now and then."""
    behaviours = list(review.version.behaviours.all())
    messages = services.reviewed_text(review)
    quote, _ = _passage(messages)
    ratings = {}
    for number, b in enumerate(behaviours):
        if b.code == "heat" and review.case.type != "complaint":
            ratings[b.code] = services.RatingIn(None, "", "")
            continue
        if agreed is not None:
            value = max(1, min(4, agreed[b.code] + (rng.choice((-1, 1)) if rng.random() < 0.2 else 0)))
        else:
            value = max(1, min(4, round(skill + rng.uniform(-1.2, 1.0))))
        good, poor = COMMENTS.get(b.code, ("Shown well.", "Not shown."))
        ratings[b.code] = services.RatingIn(value, good if value >= 3 else poor, quote if number < 3 else "")
    items = list(review.version.critical_items.all())
    critical = {items[0].code: services.CriticalCheckIn(True, quote)} if breach and items else {}
    services.review_save(
        actor=review.reviewer,  # type: ignore[arg-type]
        review=review,
        ratings=ratings,
        critical=critical,
        summary="Good ownership; work on next steps." if skill >= 3 else "Talk through the refund rules together.",
        submit=True,
        now=review.created_at + timedelta(hours=1),
    )


def seed(*, now: datetime) -> None:
    if Review.objects.exists():
        return
    rng = random.Random(SEED)  # noqa: S311  (demo data)
    services.default_version(now)
    services.sample_week(week=(now - timedelta(days=7)).date(), now=now - timedelta(days=6))
    services.sample_week(week=now.date(), now=now)
    items = list(
        QueueItem.objects.filter(reviewer__isnull=False, review__isnull=True)
        .select_related("case__owner", "reviewer")
        .order_by("week", "id")[:REVIEWS]
    )
    skills = {}
    for number, item in enumerate(items):
        when = now - timedelta(days=7) + timedelta(hours=12 * number)
        try:
            review = services.review_start(actor=item.reviewer, case=item.case, now=when)  # type: ignore[arg-type]
            skill = skills.setdefault(item.agent_id, rng.uniform(2.2, 3.6))
            _rate(review, rng, skill, breach=number == 5)
        except RapportError:
            continue
        if number == 2:
            try:
                services.review_dispute(
                    actor=review.agent,
                    review=review,
                    reason="The customer asked for a call back, which I arranged by phone; it is in the notes.",
                    now=when + timedelta(days=1),
                )
                dispute = review.dispute
                if dispute.decider is not None:
                    services.dispute_decide(
                        actor=dispute.decider,
                        review=review,
                        outcome="upheld",
                        decision="The call back was arranged, but the customer was not told in writing.",
                        now=when + timedelta(days=2),
                    )
            except RapportError:
                pass
    _calibration(now, rng)


def _calibration(now: datetime, rng: random.Random) -> None:
    reviewers = list(User.objects.filter(role__in=[Role.TEAM_LEADER, Role.MANAGER], is_active=True).order_by("id"))
    manager = next((u for u in reviewers if u.role == Role.MANAGER), None)
    taken = Review.objects.values("case_id")
    case = (
        Case.objects.filter(owner__role=Role.AGENT, type="complaint", resolved_at__isnull=False)
        .exclude(pk__in=taken)
        .order_by("-resolved_at", "id")
        .first()
    ) or Case.objects.filter(owner__role=Role.AGENT).exclude(pk__in=taken).order_by("-updated_at", "id").first()
    if manager is None or case is None:
        return
    panel = [u for u in reviewers if u.pk != case.owner_id][:3]
    if len(panel) < 2:
        return
    calibration = services.calibration_create(
        actor=manager,
        title=f"Calibration: {case.subject[:80]}",
        case=case,
        reviewer_ids=[u.pk for u in panel],
        now=now - timedelta(days=3),
    )
    agreed = {b.code: rng.randint(2, 4) for b in calibration.version.behaviours.all()}
    for number, reviewer in enumerate(panel):
        review = services.review_start(
            actor=reviewer, case=case, calibration=calibration, now=now - timedelta(days=3, hours=-number)
        )
        _rate(review, rng, 3.0, agreed=agreed)
    services.calibration_reveal(actor=manager, calibration=calibration, now=now - timedelta(days=1))
