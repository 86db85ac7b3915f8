"""The SLA clock: which policy applies, how much business time a target has used, when it is due.

Seed 000 ("Service Level Agreements (SLAs): learning how to define, monitor, and evaluate formal
contracts or internal standards that specify the level of service expected by a customer";
"Internal vs. External Customers") and domain.md §3: targets for first response, next response and
resolution per priority, customer tier, channel or internal team, counted in business hours, with
the clock paused while the case waits on the customer; breaches are predicted before they happen.

A clock is a snapshot of plain values: its target (business time), the business time it used
before its current run (``used``), and the instant its current run began (``running_since``, None
while paused or stopped). Pausing folds the run into ``used``; resuming starts a new run. So the
state at any instant is ``used + business_time_between(running_since, now)``, and the due instant
is ``add_business_time(running_since, target - used)``: both exact, from ``rapport.domain.calendar``.

The bulk function ``clock_states_many`` evaluates many clocks of one calendar at one instant in
epoch microseconds (see ``bench/sla_bench.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar

from rapport.domain.calendar import (
    BusinessCalendar,
    add_business_time,
    business_time_between,
    business_time_between_many,
)

__all__ = [
    "Clock",
    "ClockState",
    "Target",
    "choose_policy",
    "clock_due",
    "clock_pause",
    "clock_resume",
    "clock_retarget",
    "clock_state",
    "clock_states_many",
    "clock_warn_at",
    "target_text",
]

BAD_WARN_PERCENT = "the warning point must be a percentage from 1 to 100, not {value!r}"
NEGATIVE_TARGET = "a target cannot be negative, not {value!r}"


class Target(StrEnum):
    """What the organisation promises (domain.md §3)."""

    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


# -- choosing a policy ----------------------------------------------------------------------------


class PolicyCriteria(Protocol):
    """What a policy matches on; None (or blank) matches anything."""

    @property
    def internal(self) -> bool: ...
    @property
    def priority(self) -> int | None: ...
    @property
    def tier(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def case_type(self) -> str: ...
    @property
    def rank(self) -> int: ...


P = TypeVar("P", bound=PolicyCriteria)


def choose_policy(
    policies: Iterable[P], *, internal: bool, priority: int, tier: str, channel: str, case_type: str
) -> P | None:
    """The policy for a case: the most specific one that matches, then the lowest rank.

    Internal customers are measured against internal targets (OLAs) only, external customers
    against external ones only (seed 000, "Internal vs. External Customers"). A policy matches when
    each of its criteria is blank or equal to the case's; the one naming the most criteria wins, so
    "urgent complaints from gold customers" beats "urgent" beats the catch-all. Ties go to the
    lowest ``rank``; still tied, the first given.
    """
    best: P | None = None
    best_key: tuple[int, int] | None = None
    for policy in policies:
        if policy.internal != internal:
            continue
        criteria = (
            (policy.priority, priority),
            (policy.tier or None, tier),
            (policy.channel or None, channel),
            (policy.case_type or None, case_type),
        )
        if any(wanted is not None and wanted != actual for wanted, actual in criteria):
            continue
        key = (-sum(wanted is not None for wanted, _ in criteria), policy.rank)
        if best_key is None or key < best_key:
            best, best_key = policy, key
    return best


# -- one clock ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """One target's clock. ``target`` and ``used`` are business time; ``running_since`` an instant."""

    target: timedelta
    used: timedelta = timedelta()
    running_since: datetime | None = None
    warn_percent: int = 75

    def __post_init__(self) -> None:
        if self.target < timedelta():
            raise ValueError(NEGATIVE_TARGET.format(value=self.target))
        if not 1 <= self.warn_percent <= 100:
            raise ValueError(BAD_WARN_PERCENT.format(value=self.warn_percent))

    @property
    def warn_after(self) -> timedelta:
        """Business time used at which the warning is due (e.g. 75% of the target)."""
        return self.target * self.warn_percent // 100


@dataclass(frozen=True)
class ClockState:
    """A clock at one instant. ``remaining`` is negative once the target has passed."""

    used: timedelta
    remaining: timedelta
    due: datetime | None
    running: bool
    warning: bool
    breached: bool


def clock_pause(calendar: BusinessCalendar, clock: Clock, at: datetime) -> Clock:
    """Stop the clock at ``at`` (the case now waits on the customer): the run is folded into ``used``."""
    if clock.running_since is None:
        return clock
    run = business_time_between(calendar, clock.running_since, max(at, clock.running_since))
    return replace(clock, used=clock.used + run, running_since=None)


def clock_resume(clock: Clock, at: datetime) -> Clock:
    """Start the clock again at ``at`` (the customer replied)."""
    return clock if clock.running_since is not None else replace(clock, running_since=at)


def clock_due(calendar: BusinessCalendar, clock: Clock) -> datetime | None:
    """When the target passes if the clock keeps running; None while it is paused.

    A clock that had already used its whole target before this run is due when the run began.
    """
    if clock.running_since is None:
        return None
    return add_business_time(calendar, clock.running_since, max(clock.target - clock.used, timedelta()))


def clock_warn_at(calendar: BusinessCalendar, clock: Clock) -> datetime | None:
    """When the warning point (``warn_percent`` of the target) passes; None while paused."""
    if clock.running_since is None:
        return None
    return add_business_time(calendar, clock.running_since, max(clock.warn_after - clock.used, timedelta()))


def clock_state(calendar: BusinessCalendar, clock: Clock, now: datetime) -> ClockState:
    """The clock at ``now``: business time used and remaining, due instant, warning and breach.

    A target is breached when the business time used reaches it (the due instant is the first
    instant with nothing remaining), and warned when ``warn_percent`` of it is used.
    """
    used = clock.used
    if clock.running_since is not None and now > clock.running_since:
        used += business_time_between(calendar, clock.running_since, now)
    remaining = clock.target - used
    return ClockState(
        used=used,
        remaining=remaining,
        due=clock_due(calendar, clock),
        running=clock.running_since is not None,
        warning=used >= clock.warn_after,
        breached=remaining <= timedelta(),
    )


# -- a new target for a running clock ------------------------------------------------------------


@dataclass(frozen=True)
class Retarget:
    """A clock under its new target, and when that target passed if it already has."""

    clock: Clock
    passed_at: datetime | None


def clock_retarget(
    calendar: BusinessCalendar, clock: Clock, *, target: timedelta, warn_percent: int, at: datetime
) -> Retarget:
    """The clock measured against ``target`` from ``at`` on, keeping the business time it has used.

    What chose the target changed (the case's priority, type or channel, the customer's tier), so
    the promise is now the one the policy makes for the case as it is (seed 000: SLAs are monitored
    and evaluated against the level "expected by a customer", which a priority raised by escalation
    changes). The run so far is folded into ``used`` under ``calendar`` (the calendar it ran in) and
    a running clock carries on from ``at``, so a new calendar counts only the time after the change.

    ``passed_at`` is set when the new target is already used up at ``at``: the instant it passed
    during the current run, the start of the run if it had passed before it (as ``clock_due``), or
    ``at`` for a paused clock (earlier runs' instants are not kept).
    """
    folded = replace(clock_pause(calendar, clock, at), target=target, warn_percent=warn_percent)
    if clock.running_since is not None:
        folded = clock_resume(folded, max(at, clock.running_since))
    passed_at = None
    if folded.used >= target:
        passed_at = clock_due(calendar, replace(clock, target=target)) if clock.running_since is not None else at
    return Retarget(clock=folded, passed_at=passed_at)


def target_text(value: timedelta) -> str:
    """A target as the case history shows it: "16 h", "7 h 30 min", "45 min"."""
    hours, minutes = divmod(value // timedelta(minutes=1), 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


# -- many clocks at once --------------------------------------------------------------------------

OK, WARNING, BREACHED = 0, 1, 2
"""Codes ``clock_states_many`` returns, worst last."""


def clock_states_many(
    calendar: BusinessCalendar,
    *,
    running_since: Sequence[int],
    used: Sequence[int],
    target: Sequence[int],
    warn_after: Sequence[int],
    now: int,
) -> tuple[list[int], list[int]]:
    """``clock_state`` for many running clocks of one calendar at ``now``, in epoch microseconds.

    The inputs are parallel sequences (microseconds); the answer is (remaining business time,
    state code: ``OK``, ``WARNING`` or ``BREACHED``) per clock, the same as ``clock_state`` gives one
    by one. The calendar's layout is looked up once and each clock costs one bisect.
    """
    runs = business_time_between_many(calendar, running_since, now)
    remaining = [t - u - r for t, u, r in zip(target, used, runs, strict=True)]
    codes = [
        BREACHED if left <= 0 else (WARNING if u + r >= w else OK)
        for left, u, r, w in zip(remaining, used, runs, warn_after, strict=True)
    ]
    return remaining, codes
