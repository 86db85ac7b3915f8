"""``{% load times %}``: moments and spans of time as people read them."""

from __future__ import annotations

from datetime import timedelta

from django import template

from rapport.web.components.moment import when

register = template.Library()

register.simple_tag(when)


@register.filter
def duration_words(value: timedelta) -> str:
    """A span as people say it: "4 hours", "1 hour 30 minutes", "2 days", "15 minutes"."""
    minutes = value // timedelta(minutes=1)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    return " ".join(f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n) or "0 minutes"
