"""Template filters for values shown to people: ``{{ code|label:"channel" }}``, ``{{ when|shown_date }}``."""

from __future__ import annotations

from django import template

from rapport.platform import shown
from rapport.web import labels

register = template.Library()


@register.filter
def label(code: object, vocabulary: str) -> str:
    return labels.label(vocabulary, code)


register.filter("shown_date", shown.shown_date)
register.filter("shown_datetime", shown.shown_datetime)


@register.filter
def words(code: object) -> str:
    return labels.words(str(code))
