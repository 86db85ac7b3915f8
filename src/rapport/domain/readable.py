"""Setting values as a person reads them: durations in words, opening hours as "Mon-Fri
9:00-17:30", money in pounds, yes and no.

The register of rules shows every organisational rule that lives in Rapport with its current
values (domain.md §7, "rules are not fixed"); a manager reviewing a rule reads "4 hours", not
"P0DT04H00M00S". The GOV.UK style guide's conventions are followed: "9am to 5:30pm" style is for
prose, but tables of hours use the 24-hour clock with an en dash for ranges, and money is "£1,250"
with pence only when there are some.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from decimal import Decimal, InvalidOperation

DASH = "\u2013"  # an en dash, as ranges are written ("Mon\u2013Fri")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
UNITS = (("week", 7 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def duration_words(value: timedelta) -> str:
    """A duration as words, largest units first: "4 hours", "1 day 2 hours 30 minutes", "none".

    Weeks are used only for whole weeks ("2 weeks"), since "1 week 3 days" reads worse than
    "10 days"."""
    seconds = int(value.total_seconds())
    if seconds == 0:
        return "none"
    sign = "minus " if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds % (7 * 86400) == 0:
        return sign + _plural(seconds // (7 * 86400), "week")
    parts = []
    for unit, size in UNITS[1:]:
        if seconds >= size:
            parts.append(_plural(seconds // size, unit))
            seconds %= size
    return sign + " ".join(parts)


def _clock(text: str) -> str:
    """ "09:00" → "9:00"; "24:00" stays (the end of the day)."""
    hours, _, minutes = str(text).partition(":")
    return f"{int(hours)}:{minutes or '00'}" if hours.isdigit() else str(text)


def hours_words(hours: Mapping[str, Sequence[Sequence[str]]]) -> str:
    """Weekly opening hours (``{"0": [["09:00", "17:30"]], …}``, 0 = Monday) as "Mon-Fri
    9:00-17:30; Sat 10:00-13:00": consecutive days with the same spans grouped, closed days
    left out, "closed" when there is none."""
    spans_by_day: list[str] = []
    for day in range(7):
        spans = hours.get(str(day)) or hours.get(day) or []  # type: ignore[call-overload]
        spans_by_day.append(", ".join(f"{_clock(s)}{DASH}{_clock(e)}" for s, e in spans))
    groups: list[str] = []
    day = 0
    while day < 7:
        text, last = spans_by_day[day], day
        while last + 1 < 7 and spans_by_day[last + 1] == text:
            last += 1
        if text:
            days = DAY_NAMES[day] if last == day else f"{DAY_NAMES[day]}{DASH}{DAY_NAMES[last]}"
            if text == f"0:00{DASH}24:00":
                text = "all day"
            groups.append(f"{days} {text}")
        day = last + 1
    return "; ".join(groups) or "closed"


def money_words(value: object) -> str:
    """An amount of money in pounds: "£1,250", "£12.50"."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


def yes_no(value: object) -> str:
    return "Yes" if value else "No"
