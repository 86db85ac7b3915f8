"""A promise to a customer in their language: one whole translatable sentence per kind of promise.

The parts (the time, the weekday, the date, and whether it falls today, tomorrow or later) are
computed by ``rapport.domain.promises`` from a due instant that the SLA engine counted in business
time. Here they become words. Every sentence is one gettext message with named placeholders
(``%(time)s``, ``%(weekday)s``, ``%(date)s``), never glued from pieces: Welsh mutates the word
after "erbyn" (by) and "ar" (on) — "dydd Gwener" becomes "ddydd Gwener" — so a translator must see
the whole sentence to write it. The acknowledgement of a new case, the portal, the notice that a
promise is revised and the replies' ``{{ sla.promise }}`` placeholder all say a promise through
this module, so a customer reads the same words everywhere.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext

from rapport.domain.promises import Promise, clock_words, promise_day

LONDON = ZoneInfo("Europe/London")


def _parts(found: Promise) -> dict[str, str]:
    return {"time": found.time, **day_parts(found.day)}


def day_parts(day: date | None) -> dict[str, str]:
    """The weekday and the date of ``day`` in the active language: "Friday", "11 December"."""
    if day is None:
        return {"weekday": "", "date": ""}
    return {"weekday": str(WEEKDAYS[day.weekday()]), "date": f"{day.day} {MONTHS[day.month]}"}


def promise_words(found: Promise) -> str:
    """A promise as a phrase inside a sentence someone else wrote (a reply's ``{{ sla.promise }}``
    placeholder): "by 1pm on Friday". Relative words ("today", "tomorrow") are kept: a reply is read
    when it is sent."""
    parts = _parts(found)
    if found.when == "today":
        return gettext("by %(time)s today") % parts
    if found.when == "tomorrow":
        return gettext("by %(time)s tomorrow") % parts
    if found.when == "this_week":
        return gettext("by %(time)s on %(weekday)s") % parts
    if found.when == "later":
        return gettext("by %(time)s on %(weekday)s %(date)s") % parts
    return gettext("as soon as we can")


def business_day_words(day: date) -> str:
    """A business day as a reply names it: "Monday 8 December"."""
    return gettext("%(weekday)s %(date)s") % day_parts(day)


def _fixed(due: datetime, tz: ZoneInfo) -> dict[str, str]:
    """The parts of a due instant read without "today" or "tomorrow" (an email or a portal page is
    read later than it is written), midnight read as the end of the day before."""
    local = due.astimezone(tz)
    return {"time": clock_words(local), **day_parts(promise_day(local))}


def reply_promise(due: datetime, tz: ZoneInfo) -> str:
    """The acknowledgement's promise: "We will reply by 1pm on Friday 11 December."."""
    return gettext("We will reply by %(time)s on %(weekday)s %(date)s.") % _fixed(due, tz)


def revised_promise(due: datetime, tz: ZoneInfo) -> str:
    """What a customer is told before a promise would be missed, with the new time."""
    return gettext(
        "We're sorry: we need a little longer than we said. We will now reply by %(time)s on %(weekday)s %(date)s."
    ) % _fixed(due, tz)


def late_promise(due: datetime, tz: ZoneInfo) -> str:
    """What the portal says of a promise whose time has passed without a reply."""
    return gettext(
        "We said we would reply by %(time)s on %(weekday)s %(date)s. We're sorry we're late: we're on it."
    ) % _fixed(due, tz)
