"""``{% load improvement %}``: case references for the ids behind a figure."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from rapport.domain.references import format_reference

register = template.Library()


@register.filter
def references(case_ids: Iterable[int]) -> list[str]:
    return [format_reference(case_id) for case_id in case_ids]
