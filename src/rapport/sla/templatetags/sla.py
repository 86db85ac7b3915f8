from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def business_time(value: timedelta | None) -> str:
    """Business time as people say it: "2 h 05 min", "overdue by 1 h 10 min" is the caller's."""
    if value is None:
        return ""
    minutes = abs(value) // timedelta(minutes=1)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours} h {minutes:02} min" if hours else f"{minutes} min"
    return f"-{text}" if value < timedelta() else text


@register.filter
def overdue(value: timedelta) -> bool:
    return value <= timedelta()


@register.filter
def negate(value: timedelta) -> timedelta:
    return -value
