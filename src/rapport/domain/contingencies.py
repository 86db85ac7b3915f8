"""When a service plan's contingency arrangements must start: the triggers Rapport watches.

Seed 004 asks for a service plan with "contingency arrangements": a response decided in advance
for when demand or capacity leaves the range the plan was resourced for (ISO 22301:2019 §8.4.4,
business continuity plans: "the conditions for activation" are defined before they are needed).
Each contingency names one trigger and a threshold; this module decides, from figures measured
elsewhere, whether the trigger's condition holds now, and whether that starts, continues or ends an
episode, so a firing is recorded once per episode and cleared when the condition ends.

The triggers and their formulas (every figure is read at one instant, ``now``, by the caller):

* ``forecast_demand``: forecast contacts for the next 7 days ÷ the contacts per week the plan was
  resourced for x 100; holds when it is **above** the threshold (110: more than 10% over plan).
* ``actual_demand``: contacts that arrived today in the intervals already over ÷ the contacts
  forecast for those same intervals x 100; holds when it is **above** the threshold.
* ``understaffed``: the number of consecutive intervals, counting back from the last one over, in
  which staff on duty were fewer than staff required (``staffed < required``); holds when that run
  is **at least** the number of intervals given.
* ``sla_attainment``: SLA targets met among those decided over the last 7 days, in percent;
  holds when it is **below** the threshold.
* ``mail_backlog``: the age in hours of the oldest open email case still awaiting its first reply;
  holds when it is **above** the threshold.
* ``system_down``: a manager has declared a system down and not yet restored; the trigger names
  the system (or none: any system); the threshold is not used.

A figure that is not measured (no forecast, nothing decided, no provider installed) never holds:
the verdict says so, and an open episode stays open until a measured figure ends it, since no
evidence is not evidence the condition ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class TriggerKind(StrEnum):
    FORECAST_DEMAND = "forecast_demand"
    ACTUAL_DEMAND = "actual_demand"
    UNDERSTAFFED = "understaffed"
    SLA_ATTAINMENT = "sla_attainment"
    MAIL_BACKLOG = "mail_backlog"
    SYSTEM_DOWN = "system_down"


TRIGGER_LABELS: dict[TriggerKind, str] = {
    TriggerKind.FORECAST_DEMAND: "Forecast demand above X% of plan",
    TriggerKind.ACTUAL_DEMAND: "Actual demand above X% of forecast",
    TriggerKind.UNDERSTAFFED: "Staffed below required for N intervals",
    TriggerKind.SLA_ATTAINMENT: "SLA attainment below Y%",
    TriggerKind.MAIL_BACKLOG: "Mail backlog older than Z hours",
    TriggerKind.SYSTEM_DOWN: "System down (declared by a manager)",
}

NEEDS_THRESHOLD = "this trigger needs a threshold"
NEEDS_INTERVALS = "give the number of intervals (1 to 96)"
PERCENT_RANGE = "a percentage from 1 to 1000"
ATTAINMENT_RANGE = "a percentage from 0 to 100"
HOURS_RANGE = "hours from 0 to 2160 (90 days)"

Episode = Literal["start", "continue", "end", "quiet"]


@dataclass(frozen=True)
class Trigger:
    """A contingency's trigger: its kind, threshold (percent or hours) and, for staffing, the
    number of intervals; ``system`` names the system a down declaration must be about (blank: any)."""

    kind: TriggerKind
    threshold: float | None = None
    intervals: int | None = None
    system: str = ""


@dataclass(frozen=True)
class IntervalFigure:
    """One interval already over: contacts forecast and arrived, staff required and on duty."""

    forecast: float
    actual: float
    required: int
    staffed: int


@dataclass(frozen=True)
class Observation:
    """What Rapport measured at one instant for the plan's scope; None: not measured."""

    planned_weekly_contacts: int | None = None
    forecast_week_contacts: float | None = None
    intervals: Sequence[IntervalFigure] | None = None
    sla_attainment: float | None = None
    oldest_mail_hours: float | None = None
    systems_down: Sequence[str] = ()


@dataclass(frozen=True)
class Verdict:
    """Whether the condition holds, the figure it was judged on and the reason in words."""

    holds: bool
    measured: bool
    value: float | None
    reason: str


def check_trigger(trigger: Trigger) -> dict[str, str]:
    """The problems with a trigger as entered, by field name (empty when it can be watched)."""
    errors: dict[str, str] = {}
    kind, threshold = trigger.kind, trigger.threshold
    if kind == TriggerKind.SYSTEM_DOWN:
        return errors
    if threshold is None:
        errors["threshold"] = NEEDS_THRESHOLD
    elif kind in (TriggerKind.FORECAST_DEMAND, TriggerKind.ACTUAL_DEMAND) and not 1 <= threshold <= 1000:
        errors["threshold"] = PERCENT_RANGE
    elif kind == TriggerKind.SLA_ATTAINMENT and not 0 <= threshold <= 100:
        errors["threshold"] = ATTAINMENT_RANGE
    elif kind == TriggerKind.MAIL_BACKLOG and not 0 <= threshold <= 2160:
        errors["threshold"] = HOURS_RANGE
    if kind == TriggerKind.UNDERSTAFFED:
        errors.pop("threshold", None)
        if trigger.intervals is None or not 1 <= trigger.intervals <= 96:
            errors["intervals"] = NEEDS_INTERVALS
    return errors


def understaffed_run(intervals: Sequence[IntervalFigure]) -> int:
    """Consecutive intervals, back from the last one over, with fewer on duty than required."""
    run = 0
    for figure in reversed(intervals):
        if figure.staffed >= figure.required:
            break
        run += 1
    return run


def _not_measured(what: str) -> Verdict:
    return Verdict(False, False, None, f"Not measured: {what}.")


def evaluate(trigger: Trigger, seen: Observation) -> Verdict:
    """Whether ``trigger``'s condition holds on the figures ``seen`` (the module's formulas)."""
    kind, threshold = trigger.kind, trigger.threshold or 0.0
    if kind == TriggerKind.SYSTEM_DOWN:
        wanted = trigger.system.strip().casefold()
        down = [name for name in seen.systems_down if not wanted or name.strip().casefold() == wanted]
        if down:
            return Verdict(True, True, float(len(down)), f"Declared down: {', '.join(sorted(down))}.")
        return Verdict(False, True, 0.0, "No system declared down.")
    if kind == TriggerKind.FORECAST_DEMAND:
        if not seen.planned_weekly_contacts or seen.forecast_week_contacts is None:
            return _not_measured("no forecast, or no weekly contacts planned")
        ratio = 100 * seen.forecast_week_contacts / seen.planned_weekly_contacts
        return Verdict(
            ratio > threshold,
            True,
            ratio,
            f"Forecast for the next 7 days is {seen.forecast_week_contacts:,.0f} contacts, "
            f"{ratio:.0f}% of the {seen.planned_weekly_contacts:,} planned (trigger above {threshold:g}%).",
        )
    if kind == TriggerKind.ACTUAL_DEMAND:
        forecast = sum(f.forecast for f in seen.intervals or ())
        if not seen.intervals or forecast <= 0:
            return _not_measured("no interval of today is over with contacts forecast")
        actual = sum(f.actual for f in seen.intervals)
        ratio = 100 * actual / forecast
        return Verdict(
            ratio > threshold,
            True,
            ratio,
            f"Today so far {actual:,.0f} contacts arrived against {forecast:,.0f} forecast: "
            f"{ratio:.0f}% (trigger above {threshold:g}%).",
        )
    if kind == TriggerKind.UNDERSTAFFED:
        if not seen.intervals:
            return _not_measured("no interval of today is over")
        run = understaffed_run(seen.intervals)
        needed = trigger.intervals or 1
        return Verdict(
            run >= needed,
            True,
            float(run),
            f"Staffed below required for the last {run} interval(s) in a row (trigger at {needed}).",
        )
    if kind == TriggerKind.SLA_ATTAINMENT:
        if seen.sla_attainment is None:
            return _not_measured("no SLA target decided in the last 7 days")
        return Verdict(
            seen.sla_attainment < threshold,
            True,
            seen.sla_attainment,
            f"SLA attainment over the last 7 days is {seen.sla_attainment:.1f}% (trigger below {threshold:g}%).",
        )
    if seen.oldest_mail_hours is None:
        return Verdict(False, True, 0.0, "No email is awaiting a first reply.")
    return Verdict(
        seen.oldest_mail_hours > threshold,
        True,
        seen.oldest_mail_hours,
        f"The oldest email awaiting a first reply has waited {seen.oldest_mail_hours:.1f} hours "
        f"(trigger above {threshold:g} hours).",
    )


def episode(*, open_firing: bool, verdict: Verdict) -> Episode:
    """What one evaluation means for the firing history: ``start`` a new episode (record and
    notify once), ``continue`` one already open, ``end`` it (the condition was measured and no
    longer holds), or ``quiet`` (nothing open, nothing holds). An unmeasured figure ends nothing."""
    if verdict.holds:
        return "continue" if open_firing else "start"
    if open_firing and verdict.measured:
        return "end"
    return "continue" if open_firing else "quiet"
