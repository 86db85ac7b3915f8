"""``{% load words %}``: stored codes as people read them."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def humanise(value: Any) -> str:
    """``waiting_on_customer`` → ``Waiting on customer``."""
    text = str(value or "").replace("_", " ")
    return text[:1].upper() + text[1:]


@register.filter
def event_value(value: str, field: str) -> str:
    """A before/after value of an event as people read it: codes humanised, names as written."""
    return humanise(value) if field in {"status", "type", "priority"} else value
