"""Template helpers for the portal: plain-English statuses, accessible fields, attachment links."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from rapport.cases.models import Message
from rapport.portal import wording
from rapport.web.components import message_card
from rapport.web.templatetags import desk

register = template.Library()

register.filter("status_label", wording.status_label)
register.filter("status_explanation", wording.status_explanation)
register.filter("type_label", wording.type_label)
register.filter("type_explanation", wording.type_explanation)


@register.filter
def attachment_url(attachment_id: int) -> str:
    """The download link of an attachment: the one view that asks the policy for every file."""
    return reverse("attachment", args=[attachment_id])


# The desk's accessible-field helpers serve the portal's forms too.
register.simple_tag(desk.field_widget)
register.filter("error_anchor", desk.error_anchor)
register.filter("message_html", desk.sanitised)


@register.simple_tag
def message_card_for_customer(message: Message, organisation: str) -> SafeString:
    """A message of the customer's case, as they read it (``web.components.message_card``)."""
    return message_card.customer_card(message, organisation=organisation)
