"""Template helpers for the portal: plain-English statuses, accessible fields, attachment links."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from rapport.portal import wording
from rapport.web.html import sanitise_html

register = template.Library()

register.filter("status_label", wording.status_label)
register.filter("status_explanation", wording.status_explanation)
register.filter("type_label", wording.type_label)
register.filter("type_explanation", wording.type_explanation)


@register.filter
def attachment_url(attachment_id: int) -> str:
    """The download link of an attachment (the desk's "attachment" view, which asks the policy).

    Falls back to the documented path while that view is not wired, so the portal never breaks
    on it.
    """
    try:
        return reverse("attachment", args=[attachment_id])
    except NoReverseMatch:
        return f"/attachments/{int(attachment_id)}/"


@register.simple_tag
def field_widget(field: BoundField, extra_describedby: str = "") -> SafeString:
    """The field's widget tied to its hint and error text, so screen readers announce them."""
    described = [extra_describedby] if extra_describedby else []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def error_anchor(field: BoundField) -> str:
    """Where an error-summary link takes focus: the first radio of a group, else the field."""
    if field.widget_type == "radioselect":
        return f"{field.auto_id}_0"
    return str(field.auto_id)


@register.filter
def message_html(html: str) -> SafeString:
    """Stored message HTML, sanitised again on the way out."""
    return mark_safe(sanitise_html(html or ""))  # noqa: S308 - nh3 removes anything unsafe
