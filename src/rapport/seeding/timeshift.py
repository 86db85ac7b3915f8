"""Moving the demo to "now": every time in the database slides forward by the same amount, so a demo
made last week opens with the same picture it had when it was last used (the same cases within
target, near breach and breached; the same deadlines ahead) instead of one that has aged into a
wall of breaches.

The shift is how long ago the last thing happened (the newest case event): whatever someone did in
the demo keeps its place relative to the rest. Times move by the exact amount; dates (a received
date, a promised date) move by the nearest whole number of days. Text that quotes a time (an email
saying "Tuesday 3 March") keeps its words.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import F, Max

from rapport.cases.models import Case, CaseEvent

MIN_SHIFT = timedelta(minutes=1)
# A demo is small; a database that has been bulk-seeded is moved by nobody (it would take minutes).
MAX_CASES = 20_000
# Rows first move this far beyond any real date, then back: a unique (day, …) key never meets a row
# that has not moved yet.
CLEAR = timedelta(days=365 * 200)
BATCH = 500


def _date_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField | models.DateTimeField) and not f.primary_key
    ]


def _models() -> Iterable[type[models.Model]]:
    for model in apps.get_models():
        if model.__module__.startswith("rapport.") and not model._meta.proxy and model._meta.managed:
            yield model


def demo_shift(*, now: datetime) -> timedelta:
    """Slide every time in the demo forward so its newest event is ``now``; returns the shift
    (zero when there is nothing to move, it is already current, or the database is not a demo's)."""
    latest = CaseEvent.objects.aggregate(at=Max("at"))["at"]
    if latest is None or now - latest < MIN_SHIFT or Case.objects.count() > MAX_CASES:
        return timedelta(0)
    shift = now - latest
    days = timedelta(days=round(shift / timedelta(days=1)))
    with transaction.atomic():
        for model in _models():
            fields = _date_fields(model)
            if fields:
                _move(model, fields, shift, days)
    return shift


def _move(model: type[models.Model], fields: list[models.Field[Any, Any]], shift: timedelta, days: timedelta) -> None:
    manager = model._default_manager
    times = [f.attname for f in fields if isinstance(f, models.DateTimeField)]
    dates = [f.attname for f in fields if not isinstance(f, models.DateTimeField)]
    if times:  # in the database, one statement each way
        for step in (shift + CLEAR, -CLEAR):
            manager.update(**{name: F(name) + step for name in times})
    if not dates:
        return
    # Dates in Python: date arithmetic in SQL differs between SQLite and PostgreSQL.
    rows = list(manager.values_list("pk", *dates))
    for step in (days + CLEAR, -CLEAR):
        moved = [
            model(
                pk=row[0],
                **{name: None if value is None else value + step for name, value in zip(dates, row[1:], strict=True)},
            )
            for row in rows
        ]
        manager.bulk_update(moved, dates, batch_size=BATCH)
        rows = [(obj.pk, *(getattr(obj, name) for name in dates)) for obj in moved]
