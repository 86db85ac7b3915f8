"""``{% load queue %}``: tables of cases (``web.components.queue_row``)."""

from __future__ import annotations

from typing import Any

from django import template

from rapport.web.components.queue_row import customer_case_row, queue_row

register = template.Library()

register.simple_tag(queue_row)
register.simple_tag(customer_case_row)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]``, or an empty tuple when it is missing (badges by case id)."""
    try:
        return mapping.get(key, ())
    except AttributeError:
        return ()
