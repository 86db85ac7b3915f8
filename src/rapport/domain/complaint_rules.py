"""Rules for handling a complaint: the HEAT stages, closing, authority, escalation and deadlines.

Sources:

- HEAT (Hear, Empathise, Apologise, Take ownership / Take action) and LEAPS (Listen, Empathise,
  Ask, Paraphrase, Summarise): seeds 000, 002, 003, 004 (domain.md §4).
- Organisational constraints ("refund limits or escalation procedures", seed 000; "mandatory legal
  requirements vs voluntary best practice", seeds 002 and 003): work beyond an actor's authority
  is escalated for approval, never silently done; a statutory entitlement is not goodwill and is
  never refused for want of goodwill budget (Consumer Rights Act 2015 s.31: the statutory rights
  cannot be excluded or restricted, and so not by an internal budget either).
- Final response and ADR: the FCA's complaint rules give firms 8 weeks after receipt to send a final
  response (DISP 1.6.2R), which must tell the complainant they may refer the complaint to the
  Financial Ombudsman Service within six months (DISP 1.6.2R(1)(f), DISP 2.8.2R(1)); outside financial
  services, a trader that cannot settle a complaint must name an ADR entity and say whether it will
  use it (the Alternative Dispute Resolution for Consumer Disputes (Competent Authorities and
  Information) Regulations 2015, reg.19(3)-(4)). Both periods are configurable per organisation.
- Apology and liability are kept apart: in Scotland the Apology (Scotland) Act 2016 s.1 makes an
  apology inadmissible as evidence of liability, and in England and Wales the Compensation Act 2006
  s.2 says an apology is not of itself an admission of negligence. The platform records them
  separately for the same reason.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from rapport.domain.consumer_law import Remedy


class Stage(StrEnum):
    """The HEAT stages, in the order they are worked."""

    HEAR = "hear"
    EMPATHISE = "empathise"
    APOLOGISE = "apologise"
    TAKE_OWNERSHIP = "take_ownership"

    @property
    def label(self) -> str:
        return {
            Stage.HEAR: "Hear",
            Stage.EMPATHISE: "Empathise",
            Stage.APOLOGISE: "Apologise",
            Stage.TAKE_OWNERSHIP: "Take ownership",
        }[self]


STAGES: tuple[Stage, ...] = tuple(Stage)

LEAPS_PROMPTS: dict[Stage, tuple[str, ...]] = {
    Stage.HEAR: (
        "Listen: let the customer finish; write down what they said in their own words.",
        "Ask: open questions first (what happened, when, what would put it right).",
        "Paraphrase: say back what you heard and check you have it right.",
    ),
    Stage.EMPATHISE: ("Empathise: acknowledge how the customer feels about what happened, in your own words.",),
    Stage.APOLOGISE: (
        "Apologise for the experience. An apology is not an admission of liability: record any admission separately.",
    ),
    Stage.TAKE_OWNERSHIP: (
        "Summarise: what happens next, who does it, and by when.",
        "Promise only a date you can keep, and schedule the follow-ups now.",
    ),
}
"""LEAPS prompts shown beside each HEAT stage (seed 000: structure answers around LEAPS)."""


class CustomerResponse(StrEnum):
    """How the customer answered the outcome offered."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    NO_REPLY = "no_reply"


class Outcome(StrEnum):
    """Whether the complaint was upheld (the measure behind the upheld rate)."""

    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    NOT_UPHELD = "not_upheld"


STAGE_MISSING = "Complete the {stage} stage before closing this complaint."
RESPONSE_MISSING = "Record the customer's response to the outcome (accepted, rejected or no reply)."
ROOT_CAUSE_MISSING = "Record the root cause of this complaint."


@dataclass(frozen=True)
class ClosingFacts:
    """What a complaint holds when someone tries to resolve or close it."""

    stages_done: frozenset[Stage]
    customer_response: CustomerResponse | None
    root_cause: str | None
    overridden: bool = False


def closing_refusals(facts: ClosingFacts) -> tuple[str, ...]:
    """Every reason the complaint may not be resolved or closed yet; none after a manager's override.

    A complaint is closed only when each HEAT stage has happened (seeds 002, 004), the customer has
    answered the outcome, and the root cause is known so the complaint feeds improvement (PDCA,
    domain.md §4 and §7).
    """
    if facts.overridden:
        return ()
    reasons = [STAGE_MISSING.format(stage=stage.label) for stage in STAGES if stage not in facts.stages_done]
    if facts.customer_response is None:
        reasons.append(RESPONSE_MISSING)
    if not facts.root_cause:
        reasons.append(ROOT_CAUSE_MISSING)
    return tuple(reasons)


# --- authority and approval --------------------------------------------------------------------------


class AwardKind(StrEnum):
    """What is paid or given: the three limits an organisation sets per role (seed 000)."""

    REFUND = "refund"
    GOODWILL = "goodwill"
    COMPENSATION = "compensation"


class Basis(StrEnum):
    """Why it is given: the law requires it, or the organisation chooses to (domain.md §4)."""

    LEGAL = "legal"
    GOODWILL = "goodwill"


class RefusalGround(StrEnum):
    BUDGET = "budget"
    NOT_ENTITLED = "not_entitled"
    OTHER = "other"


LEGAL_NOT_REFUSED_FOR_BUDGET = (
    "A refund the customer is legally entitled to cannot be refused for want of goodwill budget. "
    "Approve it, or refuse only if the customer is not in fact entitled, and say why."
)
REASON_REQUIRED = "Give the reason for the decision."


@dataclass(frozen=True)
class AuthorityCheck:
    """Whether an actor may grant an amount themselves, and if not, who must approve it."""

    within_authority: bool
    approver_role: str | None
    """The lowest role whose limit covers the total; None when no role's does (the top role decides)."""
    total: Decimal = Decimal(0)
    """The running total the limit was checked against (this award and those before it)."""


class LimitPeriod(StrEnum):
    """How long a per-person cap runs before it starts again (local calendar periods)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def period_start(period: LimitPeriod, today: date) -> date:
    """The first day of the period ``today`` falls in: the day itself, its Monday, or the 1st."""
    if period is LimitPeriod.DAY:
        return today
    if period is LimitPeriod.WEEK:
        return today - timedelta(days=today.weekday())
    return today.replace(day=1)


@dataclass(frozen=True)
class PeriodLimit:
    """A cap on what one person grants of one kind in a period (day, week or month), where set."""

    limit: Decimal
    granted: Decimal
    """What the actor has already granted, or asked for, of this kind in the current period."""


def check_authority(
    amount: Decimal,
    actor_role: str,
    limits: dict[str, Decimal],
    ladder: tuple[str, ...],
    *,
    already: Decimal = Decimal(0),
    period: PeriodLimit | None = None,
) -> AuthorityCheck:
    """Whether ``actor_role`` may grant ``amount`` alone, given each role's limit for this kind.

    A limit bounds the running total, not one award: ``already`` is what has been granted or asked
    for on the same complaint, of the same kind and basis, so ten awards of £20 weigh as one of
    £200 (splitting an award never gets round a limit; legal and goodwill are totalled apart, as
    reports keep them apart: seed 002, "mandatory legal requirements vs voluntary best practice").
    Where the organisation also caps what one person grants in a period (``period``), the actor's
    total for the period counts too.

    ``ladder`` lists roles from least to most senior. A role with no limit set has no authority
    (limit 0). Anything above the actor's limit goes to the lowest more senior role whose limit
    covers the total, or to the most senior role when none does (work beyond a limit is escalated,
    never silently done: seed 000); a top-role actor above their own limit needs another holder of
    that role to approve (the policy never lets the requester decide their own request). The basis
    (legal or goodwill) does not change who approves: a legal entitlement above the limit still
    goes through the approval trail.
    """
    if amount < 0 or already < 0:
        raise ValueError("amounts must be zero or more")
    total = already + amount
    within_period = period is None or period.granted + amount <= period.limit
    if total <= limits.get(actor_role, Decimal(0)) and within_period:
        return AuthorityCheck(True, None, total)
    start = ladder.index(actor_role) + 1 if actor_role in ladder else 0
    for role in ladder[start:]:
        if total <= limits.get(role, Decimal(0)):
            return AuthorityCheck(False, role, total)
    return AuthorityCheck(False, ladder[-1] if ladder else None, total)


NO_ASSESSMENT_FOR_LEGAL = (
    "Record the purchase facts and assess the statutory remedies before granting a legal entitlement, "
    "or record this as goodwill."
)
REMEDY_NOT_ASSESSED = (
    "The remedy assessment on file does not give the customer {remedy} on {on}. "
    "Update the purchase facts, or record this as goodwill."
)
REMEDY_EXPIRED = (
    "The customer's right to {remedy} ended on {until} (the assessment on file). "
    "Update the purchase facts, or record this as goodwill."
)


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def legal_award_problem(remedy: Remedy | None, wanted: str, *, assessed: bool, on: date) -> str | None:
    """Why a legal-entitlement award may not be granted, or None when the assessment supports it.

    A legal award implements a remedy the law gives the customer (CRA 2015 ss.19-24, 42-44, 54-56;
    CCR 2013 regs.29-34): it must name one that the statutory assessment on file finds open on the
    day, so a report of legal awards means what it says. ``remedy`` is that assessment's entry for
    ``wanted`` (None when the assessment has none, or when ``assessed`` is False: no facts on file).
    """
    label = wanted.replace("_", " ")
    if not assessed:
        return NO_ASSESSMENT_FOR_LEGAL
    if remedy is None:
        return REMEDY_NOT_ASSESSED.format(remedy=label, on=_day(on))
    if remedy.until is not None and remedy.until < on:
        return REMEDY_EXPIRED.format(remedy=label, until=_day(remedy.until))
    return None


def refusal_problem(basis: Basis, ground: RefusalGround | None, reason: str) -> str | None:
    """Why a refusal of an approval request is not allowed, or None when it is.

    A statutory remedy is not the organisation's to withhold (CRA 2015 s.31): it may be refused
    only because the customer is not entitled after all, never for budget.
    """
    if not reason.strip():
        return REASON_REQUIRED
    if basis is Basis.LEGAL and ground is RefusalGround.BUDGET:
        return LEGAL_NOT_REFUSED_FOR_BUDGET
    return None


# --- escalation ------------------------------------------------------------------------------------


class Level(StrEnum):
    """The escalation ladder for a complaint: agent -> team leader -> manager -> complaints lead."""

    AGENT = "agent"
    TEAM_LEADER = "team_leader"
    MANAGER = "manager"
    COMPLAINTS_LEAD = "complaints_lead"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


LADDER: tuple[Level, ...] = tuple(Level)
TOP_OF_LADDER = "This complaint is already with the complaints lead."


def next_level(current: Level) -> Level | None:
    """The next rung up, or None at the top."""
    index = LADDER.index(current)
    return LADDER[index + 1] if index + 1 < len(LADDER) else None


# --- final response and referral ------------------------------------------------------------------


class DeadlineState(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"


def final_response_due(received: date, weeks: int) -> date:
    """The last day for the final response: ``weeks`` calendar weeks after receipt (DISP 1.6.2R:
    "by the end of eight weeks after its receipt of the complaint"); the day of receipt is not counted."""
    if weeks < 1:
        raise ValueError("weeks must be 1 or more")
    return received + timedelta(weeks=weeks)


def deadline_state(due: date, today: date, warn_days: int, *, responded: date | None = None) -> DeadlineState:
    """Where a final-response deadline stands: met, overdue, due within ``warn_days``, or on track."""
    if responded is not None:
        return DeadlineState.MET if responded <= due else DeadlineState.OVERDUE
    if today > due:
        return DeadlineState.OVERDUE
    if (due - today).days <= warn_days:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TRACK


def referral_until(final_response: date, months: int) -> date:
    """Last day to refer the complaint to the ombudsman or ADR body: ``months`` months from the date
    of the final response (DISP 2.8.2R(1): "more than six months after the date on which the
    respondent sent the complainant its final response"), on the same date that many months later,
    or that month's last day when it has no such date."""
    if months < 1:
        raise ValueError("months must be 1 or more")
    index = final_response.month - 1 + months
    year, month = final_response.year + index // 12, index % 12 + 1
    return date(year, month, min(final_response.day, calendar.monthrange(year, month)[1]))


# --- reports ---------------------------------------------------------------------------------------


def upheld_rate(outcomes: list[str]) -> Decimal | None:
    """Share of decided complaints upheld in full or in part (FCA complaints data: "upheld" counts
    both), as a percentage to one place; None when nothing was decided."""
    decided = [o for o in outcomes if o]
    if not decided:
        return None
    upheld = sum(1 for o in decided if o in {Outcome.UPHELD, Outcome.PARTLY_UPHELD})
    return (Decimal(100) * upheld / len(decided)).quantize(Decimal("0.1"))


def median(values: list[float]) -> float | None:
    """The middle value (mean of the two middle ones for an even count); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
