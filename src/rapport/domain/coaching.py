"""Rules of targets, coaching and appraisals, and the staff pulse's questions and scores.

Seeds 003 and 004 put the team leader's work as "setting performance targets, conducting
appraisals" and "coaching team members"; these are the rules Rapport keeps for them.

* Targets (domain.md, KPIs): a target is on one KPI of the catalogue for an agent or a team over a
  period, with a reason. An agent's own target on a KPI wins over their team's for the same day;
  among several, the one that started last (then the latest set) stands.
* A figure meets its target when it is at least the target for a KPI where higher is better, at
  most the target otherwise; no figure means "not measured", never "missed".
* Coaching actions are reminded once when due in ``REMIND_BEFORE`` days and once a day when overdue
  (at most once a day each); a follow-up date is reminded on the day.
* Appraisals are signed by the leader and by the agent; once both have signed, the record is
  locked: comments and evidence no longer change (the signed copy is what both agreed).
* The staff pulse: eNPS is the Net Promoter Score asked of staff ("How likely are you to recommend
  working here to a friend?", 0-10): % promoters (9-10) minus % detractors (0-6) (Reichheld, "The
  One Number You Need to Grow", HBR, December 2003; applied to employees as the eNPS by Bain &
  Company), computed by ``rapport.domain.scoring.nps`` with its interval. The other questions are
  five-point agreement scales (1 strongly disagree - 5 strongly agree), read as the share agreeing
  (4 or 5), as UK staff surveys (NHS Staff Survey, Civil Service People Survey) report them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from rapport.domain import scoring

REMIND_BEFORE = timedelta(days=2)

TargetState = Literal["met", "not met", "not measured"]


def target_state(figure: float | None, target: Decimal | float, *, higher_is_better: bool) -> TargetState:
    """Whether ``figure`` meets ``target`` (see the module's docstring)."""
    if figure is None:
        return "not measured"
    met = figure >= float(target) if higher_is_better else figure <= float(target)
    return "met" if met else "not met"


@dataclass(frozen=True)
class TargetChoice:
    """A target as the rule sees it: for the agent (``own``) or their team, its period and when
    it was set (``order``: any increasing number, e.g. its id)."""

    key: int
    kpi: str
    own: bool
    starts_on: date
    ends_on: date
    order: int


def applicable(targets: Sequence[TargetChoice], kpi: str, day: date) -> TargetChoice | None:
    """The target that stands for an agent on ``kpi`` on ``day`` (see the module's docstring)."""
    live = [t for t in targets if t.kpi == kpi and t.starts_on <= day <= t.ends_on]
    if not live:
        return None
    return max(live, key=lambda t: (t.own, t.starts_on, t.order))


def period_error(starts_on: date, ends_on: date) -> str | None:
    """Why a period cannot be used, or None (at most 366 days: targets are reviewed at least yearly)."""
    if ends_on < starts_on:
        return "The period must end on or after the day it starts."
    if (ends_on - starts_on).days > 366:
        return "A period is at most a year: targets are reviewed at least yearly."
    return None


ReminderKind = Literal["action_due", "action_overdue", "follow_up"]


def action_reminder(due: date | None, done: bool, today: date) -> ReminderKind | None:
    """The reminder an agreed action owes its owner today, if any."""
    if done or due is None:
        return None
    if due < today:
        return "action_overdue"
    if due - today <= REMIND_BEFORE:
        return "action_due"
    return None


def appraisal_state(leader_signed: bool, agent_signed: bool) -> str:
    if leader_signed and agent_signed:
        return "signed by both (locked)"
    if leader_signed:
        return "signed by the leader, waiting for the agent"
    if agent_signed:
        return "signed by the agent, waiting for the leader"
    return "draft"


# --- the staff pulse ----------------------------------------------------------------------------

RECOMMEND = "recommend"
AGREEMENT_QUESTIONS: dict[str, str] = {
    "tools": "I have the tools and systems I need to help customers well.",
    "training": "I have had the training I need to do my job well.",
    "workload": "My workload is manageable most weeks.",
}
RECOMMEND_QUESTION = "How likely are you to recommend working here to a friend? (0 = not at all, 10 = extremely)"


def check_answer(recommend: int, agreement: dict[str, int]) -> dict[str, str]:
    """Errors by question for one pulse answer (empty when it can be stored)."""
    errors: dict[str, str] = {}
    if not 0 <= recommend <= 10:
        errors[RECOMMEND] = "Choose a score from 0 to 10."
    for key in AGREEMENT_QUESTIONS:
        value = agreement.get(key)
        if value is None or not 1 <= value <= 5:
            errors[key] = "Choose an answer from 1 (strongly disagree) to 5 (strongly agree)."
    return errors


@dataclass(frozen=True)
class PulseSummary:
    """One group's pulse results: eNPS with its interval, and the share agreeing per question."""

    n: int
    enps: scoring.NetPromoter
    agreeing: dict[str, float | None]


def summarise(recommend: Sequence[int], agreement: dict[str, Sequence[int]]) -> PulseSummary:
    """The group's results from its answers (all lists from the same respondents)."""
    n = len(recommend)
    return PulseSummary(
        n=n,
        enps=scoring.nps(recommend),
        agreeing={
            key: (100 * sum(1 for v in agreement.get(key, ()) if v >= 4) / n if n else None)
            for key in AGREEMENT_QUESTIONS
        },
    )
