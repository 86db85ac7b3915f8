"""``{% load queue %}``: tables of cases (``web.components.queue_row``)."""

from __future__ import annotations

from django import template

from rapport.web.components.bulk_bar import bulk_options
from rapport.web.components.queue_row import (
    customer_case_row,
    customer_case_rows,
    queue_row,
    queue_rows,
    queue_selection,
)

register = template.Library()

register.simple_tag(bulk_options)
register.simple_tag(queue_row)
register.simple_tag(queue_rows)
register.simple_tag(queue_selection)
register.simple_tag(customer_case_row)
register.simple_tag(customer_case_rows)
