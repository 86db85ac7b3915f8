"""When customers get in touch: the weekly and daily shape of demand, per channel.

A desk's contacts are not spread evenly over the clock. The shape below is the one workforce
planners describe and that a forecast must find again (seed 004, "allocate resources"; Gans, Koole
and Mandelbaum, "Telephone call centers", M&SOM 5(2), 2003, §2.1: arrivals follow strong
time-of-day and day-of-week patterns, with a Monday peak):

* **weekly**: Monday busiest, tailing off to Friday; weekends quiet.
* **intraday**: a mid-morning peak, a lunchtime dip, a smaller early-afternoon peak.
* **opening hours per channel**: live channels (phone, chat, face to face) only while they are
  open; letters arrive with the morning post; email and the portal take contacts at any hour,
  fewer at night.
* **bank holidays** of the organisation's nation (``rapport.domain.bank_holidays``): live channels
  closed, written channels at a Sunday's level; the first working day after is busier, since the
  contacts held back arrive then.
* **trend**: demand grows gently over the year.

Pure: everything is a function of a local date and hour, and the nation; no clock is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rapport.domain.bank_holidays import bank_holidays

# Monday .. Sunday, relative to an average weekday.
WEEKLY = (1.35, 1.15, 1.05, 1.0, 0.9, 0.4, 0.25)

# Hour of the local day 0..23, for written channels that never close.
INTRADAY = (
    0.10,
    0.06,
    0.04,
    0.04,
    0.05,
    0.10,
    0.25,
    0.60,  # 00-07: night, the early risers
    1.10,
    1.60,
    1.75,
    1.55,
    1.15,
    1.30,
    1.45,
    1.30,  # 08-15: the morning peak, lunch, the afternoon
    1.10,
    0.90,
    0.70,
    0.60,
    0.55,
    0.45,
    0.30,
    0.18,  # 16-23: the evening tail
)

AFTER_HOLIDAY = 1.3  # the first working day after a bank holiday
TREND_PER_YEAR = 0.08  # gentle growth: 8% more contacts a year later

# Opening hours per channel: weekday (0 Monday) → (opens, closes) in whole local hours.
_WEEKDAYS = dict.fromkeys(range(5), (8, 18))
OPENING_HOURS: dict[str, dict[int, tuple[int, int]]] = {
    "phone": {**_WEEKDAYS, 5: (9, 13)},
    "chat": {**dict.fromkeys(range(5), (8, 20)), 5: (9, 17)},
    "face_to_face": dict.fromkeys(range(5), (9, 17)),
    "letter": dict.fromkeys(range(5), (9, 12)),  # opened from the morning post
}
ALWAYS_OPEN = frozenset({"email", "portal"})


@dataclass(frozen=True)
class DayKind:
    weekday: int  # 0 Monday
    holiday: bool  # a bank holiday of the nation
    after_holiday: bool  # the first working day after one


def day_kind(day: date, nation: str) -> DayKind:
    holidays = bank_holidays(nation, day.year) | bank_holidays(nation, (day - timedelta(days=7)).year)
    holiday = day in holidays
    after = False
    if not holiday and day.weekday() < 5:
        # The first working day after a bank holiday (Tuesday after Easter Monday, or Monday after
        # a Friday holiday): look back over the weekend.
        back = day - timedelta(days=1)
        while back.weekday() >= 5 and back not in holidays:
            back -= timedelta(days=1)
        after = back in holidays
    return DayKind(day.weekday(), holiday, after)


def is_open(channel: str, kind: DayKind, hour: int) -> bool:
    """Whether ``channel`` takes contacts in this local hour."""
    if channel in ALWAYS_OPEN:
        return True
    if kind.holiday:
        return False
    hours = OPENING_HOURS.get(channel, {}).get(kind.weekday)
    return hours is not None and hours[0] <= hour < hours[1]


def shape(channel: str, kind: DayKind, hour: int) -> float:
    """Relative arrivals of ``channel`` in one local hour (before the trend), 0 when closed.

    Live channels keep the intraday shape inside their opening hours; written channels take the
    full shape, a bank holiday counting as a Sunday.
    """
    if not is_open(channel, kind, hour):
        return 0.0
    weekly = WEEKLY[6] if kind.holiday else WEEKLY[kind.weekday]
    if kind.after_holiday:
        weekly *= AFTER_HOLIDAY
    return weekly * INTRADAY[hour]


def trend(days_since_start: float) -> float:
    """The growth factor ``days_since_start`` days into the history."""
    return 1.0 + TREND_PER_YEAR * days_since_start / 365.0
