"""``{% load fields %}``: form fields laid out accessibly (``web.components.field_block``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from rapport.web.components.field_block import error_anchor, field_widget
from rapport.web.components.field_block import field_block as lay_out_field

register = template.Library()

register.simple_tag(field_widget)
register.filter("error_anchor", error_anchor)


@register.simple_tag(takes_context=True)
def field_block(context: template.Context) -> SafeString:
    """``web/_field.html``: the ``field`` in the context, laid out (``quiet``: no "(optional)")."""
    return lay_out_field(context["field"], quiet=bool(context.get("quiet")))
