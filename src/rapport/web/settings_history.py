"""The history of settings for managers: who changed which rule, when, and from what to what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rapport import access as policy
from rapport.platform import settings_history
from rapport.platform.models import SettingChange
from rapport.web.views import actor, staff_page

SHOWN = 200


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Row:
    change: SettingChange
    kind: str
    fields: list[FieldChange]


def _labels(label: str) -> tuple[str, dict[str, str]]:
    """A tracked model's name and its fields' names, as its admin shows them."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label, {}
    names: dict[str, str] = {}
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        try:
            names[field.name] = str(model._meta.get_field(field.name).verbose_name).capitalize()
        except FieldDoesNotExist:
            continue
    return str(model._meta.verbose_name).capitalize(), names


def _row(change: SettingChange, labels: dict[str, tuple[str, dict[str, str]]]) -> Row:
    kind, names = labels.setdefault(change.model, _labels(change.model))
    before, after = change.before or {}, change.after or {}
    shown = change.fields if change.before is not None and change.after is not None else sorted({*before, *after})
    return Row(
        change=change,
        kind=kind,
        fields=[FieldChange(names.get(n, n), before.get(n), after.get(n)) for n in shown],
    )


@staff_page
@require_GET
def setting_changes(request: HttpRequest) -> HttpResponse:
    if not policy.can_read_settings_history(actor(request)):
        raise Http404
    kinds = {t.label: t for t in settings_history.tracked()}
    chosen = request.GET.get("kind", "")
    found = settings_history.setting_changes(kinds=[kinds[chosen].model] if chosen in kinds else [])
    labels: dict[str, tuple[str, dict[str, str]]] = {}
    rows = [_row(change, labels) for change in found[:SHOWN]]
    options = sorted(((label, _labels(label)[0]) for label in kinds), key=lambda option: option[1])
    return render(
        request, "web/setting_changes.html", {"rows": rows, "options": options, "chosen": chosen, "shown": SHOWN}
    )
