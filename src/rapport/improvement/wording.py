"""The register's setting values as a person reads them: each field by its label, with its unit
(durations in words, opening hours as "Mon-Fri 9:00-17:30", money in pounds, percentages, choices by
their label, yes and no), from the model's own field definitions (``rapport.domain.readable``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime, parse_duration

from rapport.domain.readable import duration_words, hours_words, money_words, yes_no

NONE = "—"


def _label(field: models.Field[Any, Any] | None, name: str) -> str:
    text = str(field.verbose_name) if field is not None else name.replace("_", " ")
    return text[:1].upper() + text[1:]


def _list(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_list(v) for v in value) or NONE
    return str(value)


def value_words(field: models.Field[Any, Any] | None, name: str, value: Any) -> str:
    """One stored value (as the settings history keeps it: JSON) in words."""
    if value is None or value == "" or value == []:
        return NONE
    if field is None:
        return _list(value)
    if field.choices and not isinstance(value, list):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return yes_no(value)
    if isinstance(field, models.DurationField):
        found = parse_duration(str(value))
        return duration_words(found) if found is not None else str(value)
    if isinstance(field, models.JSONField) and name == "hours" and isinstance(value, Mapping):
        return hours_words(value)
    if isinstance(field, models.DecimalField):
        # Two decimal places are money throughout Rapport (authority limits, costs, redress).
        return money_words(value) if field.decimal_places == 2 else str(value)
    if isinstance(field, models.IntegerField):
        if name.endswith("percent") or name.endswith("_pct"):
            return f"{value}%"
        if name.endswith("days"):
            return f"{value} day" if value == 1 else f"{value} days"
        return f"{value:,}" if isinstance(value, int) else str(value)
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        return f"{_day(moment.date())} {moment:%H:%M}" if moment else str(value)
    if isinstance(field, models.DateField):
        day = parse_date(str(value))
        return _day(day) if day else str(value)
    return _list(value)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def readable_values(model_label: str, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A setting row's values as (label, words) pairs, in the model's field order."""
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return [(_label(None, name), _list(value)) for name, value in values.items()]
    fields = {f.name: f for f in model._meta.get_fields() if isinstance(f, models.Field)}
    return [
        (_label(fields.get(name), name), value_words(fields.get(name), name, value)) for name, value in values.items()
    ]
