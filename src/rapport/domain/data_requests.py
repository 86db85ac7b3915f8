"""When a data subject request (DSAR, erasure, rectification …) must be answered.

The law: UK GDPR Art 12(3) and Art 12A, and for law-enforcement processing DPA 2018 s.54, both as
amended by the Data (Use and Access) Act 2025. The period is one month beginning with the
*relevant time*: the latest of receiving the request, the identity information asked for, and
any fee (s.54(3)). It may be extended by two further months for complex or numerous requests, by
notice given before the first month ends, with reasons (s.54(3A)-(3B)). While the controller waits
for clarification it reasonably asked for, "the period beginning with the day on which the
controller makes the request and ending with the day on which the controller receives the
information does not count" towards either period (s.54(3C)).

How to count follows the ICO's guidance "Time limits for responding to data protection rights
requests" (https://ico.org.uk/for-the-public/time-limits-for-responding-to-data-protection-rights-requests),
whose worked examples are among the tests of this module:

- the month starts on the day of receipt, even a weekend or bank holiday (3 September → 3 October);
- it ends on the corresponding date of the next month, or the last day of that month when it has
  no such date (31 March → 30 April; 30 January → 28 February, 29 in a leap year);
- an end on a Saturday, Sunday or bank holiday moves to the next working day (25 November →
  25 December → 27 December when that is a weekday);
- the extended limit is "a maximum of three calendar months, starting from the day of receipt",
  so three months from the same start, not two added to the first deadline (31 January →
  30 April, not 28 April).

Bank holidays are those of the organisation's nation (Scotland has no Easter Monday but has
2 January and St Andrew's Day; Northern Ireland has St Patrick's Day and 12 July).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from rapport.domain.bank_holidays import NATIONS, holiday_name, is_working_day

MONTHS = 1
EXTENDED_MONTHS = 3

PAUSE_NEGATIVE = "paused_days must be zero or more"
NATION_UNKNOWN = "nation must be one of " + ", ".join(NATIONS)
ANSWERED_BEFORE_ASKED = "clarification cannot be received before it was asked for"
TOLD_BEFORE_RECEIPT = "an extension cannot be notified before the request was received"

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, slots=True)
class NonWorkingDay:
    day: date
    holiday: str | None  # the bank holiday's name; None for an ordinary Saturday or Sunday


@dataclass(frozen=True, slots=True)
class DeadlineExplanation:
    """Each step from the start of the clock to the due date, for display beside the deadline."""

    start: date
    months: int
    corresponding: date  # the start plus the calendar months, before the pause and working days
    month_too_short: bool  # the corresponding date did not exist: last day of the month instead
    paused_days: int
    after_pause: date
    skipped: tuple[NonWorkingDay, ...]  # non-working days the deadline moved over
    due: date
    nation: str

    @property
    def steps(self) -> tuple[str, ...]:
        """The calculation in plain British English, one sentence per step."""
        period = "one calendar month" if self.months == MONTHS else "three calendar months"
        steps = [f"The clock starts on {format_day(self.start)}."]
        ends = f"After {period} it ends on {format_day(self.corresponding)}"
        if self.month_too_short:
            ends += f" (there is no {_corresponding_day_name(self.start)} in that month, so its last day)"
        steps.append(ends + ".")
        if self.paused_days:
            pause = "The day" if self.paused_days == 1 else f"The {self.paused_days} days"
            verb = "does" if self.paused_days == 1 else "do"
            steps.append(
                f"{pause} spent waiting for clarification {verb} not count, "
                f"which moves it to {format_day(self.after_pause)}."
            )
        if self.skipped:
            days = "; ".join(format_day(s.day) + (f", {s.holiday}" if s.holiday else "") for s in self.skipped)
            steps.append(f"That is not a working day, so it moves past {days}.")
        steps.append(f"The response is due by {format_day(self.due)}.")
        return tuple(steps)


def format_day(day: date) -> str:
    """``Friday 3 October 2025``, in English whatever the process locale."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def add_calendar_months(start: date, months: int) -> date:
    """The corresponding date ``months`` later, or that month's last day when it has no such date."""
    years, month_index = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month_index + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def clock_start(received: date, *, identity_received: date | None = None, fee_received: date | None = None) -> date:
    """The *relevant time*: the latest of the request, the identity proof and the fee (s.54(3)).

    Pass ``identity_received`` or ``fee_received`` only when it was reasonably asked for.
    """
    return max(d for d in (received, identity_received, fee_received) if d is not None)


def pause_days(asked: date, answered: date) -> int:
    """Days that do not count while waiting for clarification: both ends included (s.54(3C))."""
    if answered < asked:
        raise ValueError(ANSWERED_BEFORE_ASKED)
    return (answered - asked).days + 1


def deadline_explained(
    received: date, *, extended: bool = False, paused_days: int = 0, nation: str = "england"
) -> DeadlineExplanation:
    """The due date of a request whose clock started on ``received``, with the steps that led to it.

    ``received`` is the start of the clock: the day the request arrived, or the day the identity
    proof or fee reasonably asked for arrived (see ``clock_start``). ``extended`` uses the three
    months from that same start; the caller checks ``extension_allowed`` first. ``paused_days``
    (see ``pause_days``) moves the end later by that many days before weekends and bank holidays
    are skipped, so a pause that ends on a weekend costs no extra day.
    """
    _check_pause(paused_days)
    if nation not in NATIONS:
        raise ValueError(f"{NATION_UNKNOWN}, not {nation!r}")
    months = EXTENDED_MONTHS if extended else MONTHS
    corresponding = add_calendar_months(received, months)
    after_pause = corresponding + timedelta(days=paused_days)
    skipped: list[NonWorkingDay] = []
    due = after_pause
    while not is_working_day(due, nation):
        skipped.append(NonWorkingDay(due, holiday_name(nation, due)))
        due += timedelta(days=1)
    return DeadlineExplanation(
        start=received,
        months=months,
        corresponding=corresponding,
        month_too_short=corresponding.day != received.day,
        paused_days=paused_days,
        after_pause=after_pause,
        skipped=tuple(skipped),
        due=due,
        nation=nation,
    )


def response_due(received: date, *, extended: bool = False, paused_days: int = 0, nation: str = "england") -> date:
    """The last day to respond; see ``deadline_explained`` for the rules and their sources."""
    return deadline_explained(received, extended=extended, paused_days=paused_days, nation=nation).due


def extension_allowed(received: date, told_on: date, *, paused_days: int = 0) -> bool:
    """Whether an extension told to the person on ``told_on`` was in time.

    The notice must come before the end of the first month (s.54(3B)(a), Art 12A), i.e. on or
    before the corresponding date itself. We deliberately do not roll that date to a working day:
    the ICO allows the next working day for the *response*, and an extension is a notice the
    organisation can send on any day, so the stricter reading is the safe one. A clarification
    pause does not count towards this month either (s.54(3C)(b)(ii)).
    """
    _check_pause(paused_days)
    if told_on < received:
        raise ValueError(TOLD_BEFORE_RECEIPT)
    return told_on <= add_calendar_months(received, MONTHS) + timedelta(days=paused_days)


def _check_pause(paused_days: int) -> None:
    if paused_days < 0:
        raise ValueError(f"{PAUSE_NEGATIVE}, not {paused_days}")


def _corresponding_day_name(start: date) -> str:
    suffix = "th" if 11 <= start.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(start.day % 10, "th")
    return f"{start.day}{suffix}"


DUE_SOON_DAYS = 7


@dataclass(frozen=True, slots=True)
class Timing:
    """Where an open request stands against its due date on ``today``.

    Overdue means the last day to respond (Art 12(3): "without undue delay and in any event within
    one month") has passed with no response: the controller is then in breach, and the ICO expects
    it to respond at once and say why it was late. A completed request is never overdue."""

    due: date
    overdue: bool
    days_overdue: int
    due_soon: bool
    """Due within ``DUE_SOON_DAYS`` days (today included) and not overdue."""

    @property
    def label(self) -> str:
        if self.overdue:
            return f"Overdue by {self.days_overdue} day{'' if self.days_overdue == 1 else 's'}"
        return "Due soon" if self.due_soon else "On time"


def timing(due: date, today: date, *, completed_on: date | None = None) -> Timing:
    """The request's standing on ``today`` (overdue from the day after ``due``)."""
    if completed_on is not None:
        return Timing(due=due, overdue=False, days_overdue=0, due_soon=False)
    late = (today - due).days
    return Timing(due=due, overdue=late > 0, days_overdue=max(late, 0), due_soon=0 <= -late < DUE_SOON_DAYS)
