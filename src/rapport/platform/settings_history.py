"""The history of settings: every change to a rule or setting kept with who, when and before → after
(ADR 0011).

A model is a setting when it is registered here with :func:`track` (authority limits, SLA policies
and calendars, escalation rules, retention schedules …). Its changes are written as
``SettingChange`` rows by the code that makes them, never by a signal:

- in Django admin, by ``rapport.platform.admin.SettingsHistoryAdmin`` (a test checks that every
  tracked model's admin uses it);
- in services, by :func:`setting_save` and :func:`setting_delete`, which refuse a model that is not
  tracked.

A bulk ``QuerySet.update()`` or a data migration writes no history: settings are changed one row at
a time through these two paths. :func:`setting_changes` is the read the improvement register (and the
admin list) use.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from rapport.platform.models import Action, SettingChange, Via

M = TypeVar("M", bound=type[models.Model])
Values = dict[str, Any]


@dataclass(frozen=True)
class Tracked:
    model: type[models.Model]
    exclude: frozenset[str]  # state the product updates itself (last polled), or secrets

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_tracked: dict[str, Tracked] = {}


def track(*, exclude: Sequence[str] = ()) -> Any:
    """Class decorator: changes to this model are kept in the history of settings."""

    def register(model: M) -> M:
        entry = Tracked(model, frozenset(exclude))
        _tracked[entry.label] = entry
        return model

    return register


def tracked() -> list[Tracked]:
    return sorted(_tracked.values(), key=lambda t: t.label)


def is_tracked(model: type[models.Model]) -> bool:
    return model._meta.label_lower in _tracked


def _entry(model: type[models.Model]) -> Tracked:
    try:
        return _tracked[model._meta.label_lower]
    except KeyError:
        raise ValueError(
            f"{model._meta.label} is not a tracked setting (rapport.platform.settings_history.track)"
        ) from None


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance: models.Model) -> Values:
    """The setting's values as JSON: related rows by their name (what a reader recognises), many-to-many
    as sorted names, everything else as stored."""
    entry = _entry(type(instance))
    values: Values = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in entry.exclude:
            continue
        if field.is_relation:
            related = getattr(instance, field.name)
            values[field.name] = None if related is None else str(related)
        else:
            values[field.name] = _json(field.value_from_object(instance))
    if instance.pk is not None:
        for m2m in instance._meta.many_to_many:
            if m2m.name not in entry.exclude:
                values[m2m.name] = sorted(str(o) for o in getattr(instance, m2m.name).all())
    return values


def stored(instance: models.Model) -> Values | None:
    """The snapshot of the row as it is in the database now; None for a new row."""
    if instance.pk is None:
        return None
    found = type(instance)._default_manager.filter(pk=instance.pk).first()
    return None if found is None else snapshot(found)


def changed_fields(before: Values | None, after: Values | None) -> list[str]:
    names = sorted(set(before or {}) | set(after or {}))
    return [n for n in names if (before or {}).get(n) != (after or {}).get(n)]


def setting_change_record(
    *,
    actor: Any,
    instance: models.Model,
    before: Values | None,
    after: Values | None,
    via: Via,
    reason: str = "",
    now: datetime | None = None,
) -> SettingChange | None:
    """Write one change (None when nothing changed: a save with the same values is not history)."""
    _entry(type(instance))
    fields = changed_fields(before, after)
    if before is not None and after is not None and not fields:
        return None
    action = Action.CREATED if before is None else Action.DELETED if after is None else Action.CHANGED
    signed_in = actor is not None and getattr(actor, "pk", None) is not None
    return SettingChange.objects.create(
        at=now or timezone.now(),
        actor=actor if signed_in else None,
        actor_name=(getattr(actor, "name", "") or str(actor))[:150] if signed_in else "",
        via=via,
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
        fields=fields,
        reason=reason[:500],
    )


def setting_save(
    *, actor: Any, instance: models.Model, reason: str = "", via: Via = Via.SERVICE, now: datetime | None = None
) -> SettingChange | None:
    """Save a setting (new or changed) and keep the change; the service path's one way to write one."""
    _entry(type(instance))
    with transaction.atomic():
        before = stored(instance)
        instance.save()
        return setting_change_record(
            actor=actor, instance=instance, before=before, after=snapshot(instance), via=via, reason=reason, now=now
        )


def setting_delete(
    *, actor: Any, instance: models.Model, reason: str = "", via: Via = Via.SERVICE, now: datetime | None = None
) -> SettingChange | None:
    _entry(type(instance))
    with transaction.atomic():
        before = snapshot(instance)
        pk = instance.pk
        instance.delete()
        instance.pk = pk  # the history names the row that was deleted
        return setting_change_record(
            actor=actor, instance=instance, before=before, after=None, via=via, reason=reason, now=now
        )


def setting_changes(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    kinds: Iterable[type[models.Model]] = (),
    instance: models.Model | None = None,
) -> QuerySet[SettingChange]:
    """Changes to settings, newest first: for the improvement register ("what did we change, and
    when?") and the admin list. Filters narrow it to a period, to some kinds of setting, to one setting."""
    found = SettingChange.objects.select_related("actor").order_by("-at", "-id")
    if since is not None:
        found = found.filter(at__gte=since)
    if until is not None:
        found = found.filter(at__lt=until)
    labels = [m._meta.label_lower for m in kinds]
    if labels:
        found = found.filter(model__in=labels)
    if instance is not None:
        found = found.filter(model=instance._meta.label_lower, object_id=str(instance.pk))
    return found
