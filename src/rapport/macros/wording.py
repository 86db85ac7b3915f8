"""The words a macro's placeholders become, in the customer's language.

The SLA promise is one translatable sentence per kind of promise, with named placeholders
(``%(time)s``, ``%(weekday)s``, ``%(date)s``), so a translator sees the whole phrase and may
reorder it; the parts come from ``rapport.domain.promises`` (pure, reused by any capability that
promises a time to a customer)."""

from __future__ import annotations

from datetime import date

from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext

from rapport.domain.promises import Promise


def _day_parts(day: date | None) -> dict[str, str]:
    if day is None:
        return {"weekday": "", "date": ""}
    return {"weekday": str(WEEKDAYS[day.weekday()]), "date": f"{day.day} {MONTHS[day.month]}"}


def promise_words(promise: Promise) -> str:
    """``promise`` as a phrase a reply can use: "by 1pm on Friday"."""
    parts = {"time": promise.time, **_day_parts(promise.day)}
    if promise.when == "today":
        return gettext("by %(time)s today") % parts
    if promise.when == "tomorrow":
        return gettext("by %(time)s tomorrow") % parts
    if promise.when == "this_week":
        return gettext("by %(time)s on %(weekday)s") % parts
    if promise.when == "later":
        return gettext("by %(time)s on %(weekday)s %(date)s") % parts
    return gettext("as soon as we can")


def business_day_words(day: date) -> str:
    """A business day as a reply names it: "Monday 8 December"."""
    return gettext("%(weekday)s %(date)s") % _day_parts(day)
