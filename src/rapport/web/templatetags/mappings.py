"""``{% load mappings %}``: looking up a key the template language cannot spell."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]``, or an empty tuple when it is missing (e.g. rows of a report by group)."""
    try:
        return mapping.get(key, ())
    except AttributeError:
        return ()
