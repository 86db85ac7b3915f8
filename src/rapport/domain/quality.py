"""The rules of quality reviews (QA): a scorecard's default behaviours, how a review is scored,
and how the weekly sample of an agent's cases is drawn.

The default behaviours are those the seed documents teach and examiners assess (seeds 003 and 004:
"link specific behaviours (e.g. active listening, positive language) and interpersonal skills
(e.g. empathy, patience) to enhanced customer satisfaction"; HEAT for complaints — Hear,
Empathise, Apologise, Take ownership; data protection under UK GDPR and the Data Protection Act
2018; consumer rights under the Consumer Rights Act 2015; reasonable adjustments under the Equality
Act 2010 s.20).

A review's score is the weighted mean of its ratings, each normalised to 0..1 on the scale
(``(rating - lowest) / (highest - lowest)``), as a percentage; a behaviour marked "not applicable"
is left out of both sums. A critical item found breached fails the review whatever the rest: its
score is 0 and it is marked failed (the "auto-fail" of contact-centre QA practice).

The sample is random and stratified by channel and case type (proportional allocation with
largest remainders, every stratum its one case first while the sample allows — Cochran 1977,
*Sampling Techniques*, ch. 5), drawn with a seeded random number generator so the same records
always give the same sample.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class BehaviourSpec:
    code: str
    name: str
    weight: int
    description: str


@dataclass(frozen=True)
class CriticalSpec:
    code: str
    name: str
    description: str


DEFAULT_SCALE = ((1, "Not shown"), (2, "Partly shown"), (3, "Shown"), (4, "Shown throughout"))

DEFAULT_BEHAVIOURS: tuple[BehaviourSpec, ...] = (
    BehaviourSpec(
        "active_listening",
        "Active listening",
        15,
        "Reflects back what the customer said, answers every point raised, asks before assuming.",
    ),
    BehaviourSpec(
        "positive_language",
        "Positive language",
        10,
        'Says what can be done rather than what cannot; no "you\'ll have to" or blame.',
    ),
    BehaviourSpec("empathy", "Empathy", 10, "Acknowledges the customer's experience and how it affected them."),
    BehaviourSpec(
        "ownership", "Ownership", 15, 'A named person says "I will" and keeps the commitment; no passing around.'
    ),
    BehaviourSpec(
        "heat",
        "HEAT adherence on complaints",
        10,
        "Complaints only: Hear, Empathise, Apologise, Take ownership, in that spirit (seed 003).",
    ),
    BehaviourSpec("accuracy", "Accuracy of information", 15, "What the customer was told is correct and complete."),
    BehaviourSpec(
        "compliance",
        "Compliance",
        10,
        "Data protection followed (identity checked before disclosure), consumer rights stated correctly "
        "(Consumer Rights Act 2015), reasonable adjustments honoured (Equality Act 2010 s.20).",
    ),
    BehaviourSpec(
        "next_steps", "Clear next steps", 10, "The customer knows what happens next, who does it and by when."
    ),
    BehaviourSpec("tone", "Tone matched to the customer", 5, "Formality, pace and warmth suit this customer."),
)

DEFAULT_CRITICAL: tuple[CriticalSpec, ...] = (
    CriticalSpec(
        "wrong_person_disclosure",
        "Personal data disclosed to the wrong person",
        "UK GDPR Art 5(1)(f) and Art 32: personal data given to someone not verified as the customer "
        "or their authorised representative.",
    ),
    CriticalSpec(
        "statutory_right_denied",
        "A statutory right denied or misstated",
        "e.g. refusing a refund within the 30-day short-term right to reject (Consumer Rights Act 2015 "
        "s.22) or a subject access request (UK GDPR Art 15).",
    ),
)


@dataclass(frozen=True)
class Scored:
    score: float | None
    failed: bool
    rated_weight: int


def score(
    ratings: Mapping[str, int | None],
    weights: Mapping[str, int],
    *,
    lowest: int,
    highest: int,
    critical_breached: bool = False,
) -> Scored:
    """The review's score in percent (None when nothing was rated); 0 and failed when a critical
    item was breached."""
    if highest <= lowest:
        raise ValueError("a scale needs at least two points")
    total = 0.0
    rated = 0
    for code, weight in weights.items():
        value = ratings.get(code)
        if value is None or weight <= 0:
            continue
        if not lowest <= value <= highest:
            raise ValueError(f"rating {value} for {code} is outside the scale {lowest}..{highest}")
        total += weight * (value - lowest) / (highest - lowest)
        rated += weight
    if critical_breached:
        return Scored(0.0, True, rated)
    if rated == 0:
        return Scored(None, False, 0)
    return Scored(round(100 * total / rated, 1), False, rated)


def below_standard(value: int, *, lowest: int, highest: int) -> bool:
    """Whether a rating falls in the lower half of the scale (a finding for the gap analysis)."""
    return (value - lowest) / (highest - lowest) < 0.5


def allocate(sizes: Mapping[Hashable, int], total: int) -> dict[Hashable, int]:
    """How many to draw from each stratum: one each first (largest strata first, while ``total``
    allows), then the rest in proportion to size by largest remainders; ties by key."""
    strata = sorted(sizes, key=lambda key: (-sizes[key], str(key)))
    take = min(total, sum(sizes.values()))
    counts = dict.fromkeys(strata, 0)
    for key in strata:
        if take - sum(counts.values()) <= 0:
            break
        if sizes[key] > 0:
            counts[key] = 1
    left = take - sum(counts.values())
    if left > 0:
        room = {key: sizes[key] - counts[key] for key in strata}
        pool = sum(room.values())
        shares = {key: left * room[key] / pool for key in strata} if pool else {}
        for key in strata:
            extra = min(room[key], int(shares.get(key, 0)))
            counts[key] += extra
        left = take - sum(counts.values())
        for key in sorted(strata, key=lambda k: (-(shares.get(k, 0) % 1), str(k))):
            if left <= 0:
                break
            if counts[key] < sizes[key]:
                counts[key] += 1
                left -= 1
    return counts


def stratified_sample(candidates: Sequence[tuple[int, Hashable]], size: int, *, seed: str) -> list[int]:
    """``size`` ids from ``candidates`` (id, stratum), stratified by stratum, drawn with a random
    generator seeded by ``seed`` (e.g. the agent and the week): the same input gives the same
    sample, in id order."""
    by_stratum: dict[Hashable, list[int]] = defaultdict(list)
    for case_id, stratum in sorted(set(candidates), key=lambda row: row[0]):
        by_stratum[stratum].append(case_id)
    counts = allocate({key: len(ids) for key, ids in by_stratum.items()}, size)
    rng = random.Random(seed)  # noqa: S311  (a reproducible sample, not a secret)
    chosen: list[int] = []
    for key in sorted(by_stratum, key=str):
        chosen.extend(rng.sample(by_stratum[key], counts.get(key, 0)))
    return sorted(chosen)
