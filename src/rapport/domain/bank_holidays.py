"""UK bank holidays by nation, from the `holidays` package (facts from a library, not typed tables).

Bank holidays differ by nation (Banking and Financial Dealings Act 1971, Sched. 1): Scotland has
2 January and St Andrew's Day, not Easter Monday; Northern Ireland has St Patrick's Day and
12 July. Substitute days ("observed") are bank holidays too. England and Wales share a list.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays as _holidays

NATIONS: dict[str, str] = {
    "england": "ENG",
    "wales": "WLS",
    "scotland": "SCT",
    "northern_ireland": "NIR",
}


def _subdivision(nation: str) -> str:
    try:
        return NATIONS[nation]
    except KeyError:
        raise ValueError(f"nation must be one of {', '.join(NATIONS)}, not {nation!r}") from None


@lru_cache(maxsize=512)
def bank_holidays(nation: str, year: int) -> frozenset[date]:
    """Every bank holiday of ``nation`` in ``year``, substitute days included."""
    return frozenset(_calendar(nation, year).keys())


def holiday_name(nation: str, day: date) -> str | None:
    name = _calendar(nation, day.year).get(day)
    return str(name) if name is not None else None


def _calendar(nation: str, year: int) -> dict[date, str]:
    # The package builds its country classes dynamically, so its stubs do not name them.
    country = _holidays.country_holidays("GB", subdiv=_subdivision(nation), years=year, categories=("public",))
    return dict(country)


def is_working_day(day: date, nation: str) -> bool:
    """Monday to Friday and not a bank holiday of ``nation``."""
    return day.weekday() < 5 and day not in bank_holidays(nation, day.year)


def next_working_day(day: date, nation: str) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, nation):
        day += timedelta(days=1)
    return day
