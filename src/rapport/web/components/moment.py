"""A moment as the desk shows it: a <time> with a relative phrase for scanning and the absolute
local time for certainty ("3 hours ago (2 Mar 2026, 07:00)")."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timesince import timesince

from rapport.web.components.escaping import text


class _Plural:
    """A unit for ``timesince``'s ``time_strings``: English singular or plural, chosen without a
    gettext lookup per call (the desk speaks en-GB; the lookups were a tenth of a queue page)."""

    def __init__(self, unit: str) -> None:
        self.one, self.many = f"%(num)d {unit}", f"%(num)d {unit}s"

    def __mod__(self, values: dict[str, int]) -> str:
        return (self.one if values["num"] == 1 else self.many) % values


_UNITS = {unit: _Plural(unit) for unit in ("year", "month", "week", "day", "hour", "minute")}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_NOT_YET = format_html('<span class="muted">{}</span>', "Not yet")


def when(moment: datetime | None) -> SafeString:
    """The <time> of ``moment``, or "Not yet" when there is none."""
    if moment is None:
        return _NOT_YET
    local = timezone.localtime(moment)
    # date_format(local, "j M Y, H:i") in en-GB, without the formatter's per-call lookups
    # (this runs for every row of every queue page).
    absolute = f"{local.day} {_MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"
    now = timezone.now()
    if abs((now - moment).total_seconds()) < 60:
        relative = "just now"
    elif moment <= now:
        relative = f"{timesince(moment, now, depth=1, time_strings=_UNITS)} ago"  # type: ignore[arg-type]
    else:
        relative = f"in {timesince(now, moment, depth=1, time_strings=_UNITS)}"  # type: ignore[arg-type]
    return format_html(
        '<time datetime="{}">{} <span class="absolute">({})</span></time>',
        text(local.isoformat()),
        text(relative),
        text(absolute),
    )
